import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { findChromium, launchChromium } from '../../scripts/headless-chromium.ts';
import type { ReportInput } from '../../src/reports/html/report-input.ts';
import { writeReportHtml } from '../../src/reports/html/write-report-html.ts';
import { ROOT, runCli } from '../helpers/cli.ts';

/**
 * report.html as a reader meets it: opened from disk in a real browser (Debian's chromium through
 * playwright-core) with every request outside the file refused and counted, from a real embedded
 * run and from the helm smoke fixture (a real smoke run with its load, fixtures/reports/README.md).
 */

const executable = findChromium();

async function open(browser: Browser, file: string, options: { javaScriptEnabled?: boolean } = {}): Promise<{ page: Page; outside: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, javaScriptEnabled: options.javaScriptEnabled ?? true });
  const outside: string[] = [];
  // The page must need nothing but itself: any other request is refused and remembered.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === pathToFileURL(file).href) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 30_000 });
  return { page, outside };
}

async function visibleRows(page: Page): Promise<number> {
  return page.locator('#verdict-table tbody tr:visible').count();
}

if (!executable && process.env.CI) {
  it('chromium is there in CI', () => {
    assert.fail('CI is set but chromium is missing (looked for CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser): .ci/run installs it with scripts/chromium.sh; the report\'s browser test must not be skipped in CI');
  });
} else {
  describe('report.html in a real browser', { skip: executable ? false : 'chromium is missing (bash scripts/chromium.sh installs Debian\'s package, as root)' }, () => {
    let browser: Browser;
    let dir: string;
    let embedded: { file: string; input: ReportInput };
    let smoke: { file: string; input: ReportInput };

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'report-html-'));
      // A real embedded run, as a user starts it; its result.json rendered as the Reporter will.
      const run = await runCli('conformance', ['--reports-dir', join(dir, 'run')], { timeoutMs: 300_000 });
      assert.equal(run.code, 0, `the embedded run: ${run.stderr.slice(-2000)}`);
      const input = JSON.parse(await readFile(join(dir, 'run', 'latest', 'result.json'), 'utf8')) as ReportInput;
      embedded = { input, file: await writeReportHtml(join(dir, 'embedded'), input) };
      const fixture = JSON.parse(await readFile(join(ROOT, 'fixtures', 'reports', 'helm-smoke-result.json'), 'utf8')) as ReportInput;
      smoke = { input: fixture, file: await writeReportHtml(join(dir, 'smoke'), fixture) };
      browser = await launchChromium(executable!);
    });

    after(async () => {
      await browser?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('from a real embedded run: the certificate banner, the verdict table, filters that work, nothing fetched', async () => {
      const { page, outside } = await open(browser, embedded.file);
      const banner = page.locator('#certificate');
      assert.equal(await banner.isVisible(), true);
      assert.equal(await banner.getAttribute('data-status'), embedded.input.certificate.status);
      const bannerText = await banner.innerText();
      assert.match(bannerText, new RegExp(embedded.input.certificate.status.replace('_', ' ')));
      assert.match(bannerText, /development and testing only/);
      assert.match(bannerText, /Profile\s+smoke/);

      const total = embedded.input.guarantees.length;
      assert.equal(await visibleRows(page), total);
      const functional = embedded.input.guarantees.filter((g) => g.concern === 'functional');
      await page.selectOption('#filter-concern', 'functional');
      assert.equal(await visibleRows(page), functional.length);
      assert.equal(await page.locator('#filter-count').innerText(), `${functional.length} of ${total} shown`);
      await page.selectOption('#filter-verdict', 'NOT_EVALUATED');
      assert.equal(await visibleRows(page), functional.filter((g) => g.verdict === 'NOT_EVALUATED' && !g.reducedLoad).length);
      await page.selectOption('#filter-concern', '');
      assert.equal(await visibleRows(page), embedded.input.guarantees.filter((g) => g.verdict === 'NOT_EVALUATED' && !g.reducedLoad).length);

      await page.screenshot({ path: join(dir, 'embedded.png'), fullPage: true });
      assert.deepEqual(outside, [], 'the page asked for nothing outside itself');
    });

    it('from a smoke load: reduced load said on the front, its own count, and charts with data', async () => {
      const { page, outside } = await open(browser, smoke.file);
      const bannerText = await page.locator('#certificate').innerText();
      assert.match(bannerText, /INCOMPLETE/);
      assert.match(bannerText, /20 transfers\/s for 60 s offered \(profile smoke\); the tier asks 1000 transfers\/s for 1 h — a REDUCED load/);
      const reduced = smoke.input.guarantees.filter((g) => g.reducedLoad).length;
      assert.ok(reduced > 0);
      assert.match(await page.locator('#counts li[data-state="REDUCED_LOAD"]').innerText(), new RegExp(`^${reduced}\\b`));
      assert.match(await page.locator('#counts li[data-state="PASS"]').innerText(), new RegExp(`^${smoke.input.guarantees.filter((g) => g.verdict === 'PASS').length}\\b`));

      const charts = page.locator('#loads svg.chart');
      assert.ok(await charts.count() >= 3, 'rate, latency and histogram charts');
      const rate = page.locator('#loads svg.chart-line').first();
      assert.equal(await rate.isVisible(), true);
      const points = Number(await rate.locator('g.series[data-series="succeeded"]').getAttribute('data-points'));
      assert.ok(points >= 60, `the achieved rate is drawn for every second (${points} points)`);
      assert.equal(await rate.locator('rect.band').count(), 1, 'the steady-state window is marked');
      const box = await rate.boundingBox();
      assert.ok(box && box.width > 300 && box.height > 150, `the chart is laid out (${JSON.stringify(box)})`);
      assert.ok(Number(await page.locator('#loads svg.chart-histogram g.bars').first().getAttribute('data-bars')) > 0);

      await page.screenshot({ path: join(dir, 'smoke.png'), fullPage: true });
      await rate.screenshot({ path: join(dir, 'smoke-rate.png') });
      assert.deepEqual(outside, []);
    });

    it('with scripts off: no filters, every verdict shown', async () => {
      const { page } = await open(browser, smoke.file, { javaScriptEnabled: false });
      assert.equal(await page.locator('#verdict-filters').isVisible(), false);
      assert.equal(await visibleRows(page), smoke.input.guarantees.length);
      assert.equal(await page.locator('#certificate').isVisible(), true);
    });

    it('shows a hub\'s planted <script> as text and never runs it', async () => {
      const planted = structuredClone(smoke.input);
      const victim = planted.guarantees[0]!;
      victim.title = '<script>window.pwned = 1</script>';
      victim.reason = '<img src=x onerror="window.pwned = 2">';
      const file = await writeReportHtml(join(dir, 'planted'), planted);
      const { page, outside } = await open(browser, file);
      assert.equal(await page.evaluate(() => (globalThis as { pwned?: number }).pwned), undefined);
      assert.match(await page.locator(`#verdict-table tr[data-id="${victim.id}"]`).innerText(), /<script>window\.pwned = 1<\/script>/);
      assert.deepEqual(outside, []);
    });
  });
}
