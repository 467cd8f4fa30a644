// `npm run report:screenshot [-- RESULT.json]`: the README's pictures of report.html, taken in
// headless Chromium (scripts/chromium.sh installs it) from a run's result.json (by default the helm
// smoke fixture, fixtures/reports/README.md):
// docs/images/report.png, the front of the page (certificate banner, counts, the verdicts' start),
// and docs/images/report-load.png, the load's achieved-vs-offered and latency charts.
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReportHtml } from '../src/reports/html/write-report-html.ts';
import type { ReportInput } from '../src/reports/html/report-input.ts';
import { findChromium, launchChromium } from './headless-chromium.ts';

const ROOT = resolve(import.meta.dirname, '..');
const executable = findChromium();
if (!executable) {
  process.stderr.write('error: chromium is missing; install it with `bash scripts/chromium.sh` (as root) or name it in CHROMIUM_PATH\n');
  process.exit(2);
}
const source = process.argv[2] ? resolve(process.argv[2]) : join(ROOT, 'fixtures', 'reports', 'helm-smoke-result.json');
const input = JSON.parse(await readFile(source, 'utf8')) as ReportInput;
const dir = await mkdtemp(join(tmpdir(), 'report-screenshot-'));
const browser = await launchChromium(executable);
try {
  const file = await writeReportHtml(dir, input);
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const front = join(ROOT, 'docs', 'images', 'report.png');
  await page.screenshot({ path: front });
  const charts = page.locator('#loads .charts').first();
  const box = await charts.boundingBox();
  const load = join(ROOT, 'docs', 'images', 'report-load.png');
  // The first row of charts: achieved vs offered, then latency over time.
  if (box) await page.screenshot({ path: load, fullPage: true, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 640) } });
  process.stdout.write(`${front}\n${load}\n`);
} finally {
  await browser.close();
  await rm(dir, { recursive: true, force: true });
}
