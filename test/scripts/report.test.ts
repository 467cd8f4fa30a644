import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, tempDir } from '../helpers/cli.ts';

// Three results of a real `npm run conformance -- --tier iac` run (one passed, one failed, one not evaluated), their
// evidence attachments and environment.properties.
const FIXTURE = join(ROOT, 'fixtures', 'allure-results');

function runReport(args: string[], initCwd: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [join(ROOT, 'scripts', 'report.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', INIT_CWD: initCwd, ...env },
  });
}

/** The guarantees in the fixture: scenario name and guarantee id. */
function fixtureGuarantees(): { name: string; id: string }[] {
  return readdirSync(FIXTURE)
    .filter((file) => file.endsWith('-result.json'))
    .map((file) => {
      const result = JSON.parse(readFileSync(join(FIXTURE, file), 'utf8')) as { name: string; labels: { name: string; value: string }[] };
      const tag = result.labels.find((label) => label.name === 'tag' && label.value.startsWith('@guarantee:'));
      return { name: result.name, id: tag!.value.slice('@guarantee:'.length) };
    });
}

/** The page split into what the browser reads as markup, the application code it inlines, and the report data. */
function parts(html: string): { markup: string; code: string; data: string } {
  const code = [...html.matchAll(/src="data:text\/javascript;base64,([A-Za-z0-9+/=]+)"/g)].map(([, b64]) => Buffer.from(b64!, 'base64').toString('utf8'));
  const data = [...html.matchAll(/\bd\("([^"]*)","([A-Za-z0-9+/=]*)"\)/g)].map(([, , b64]) => Buffer.from(b64!, 'base64').toString('utf8'));
  const markup = html.replace(/"data:[^"]*"/g, '"data:"').replace(/\bd\("[^"]*","[A-Za-z0-9+/=]*"\)/g, 'd()');
  return { markup, code: code.join('\n'), data: data.join('\n') };
}

const urls = (text: string) => [...new Set(text.match(/https?:\/\/[^\s"'`<>()\\,;]*/g) ?? [])];

// URLs that are allowed to appear, and why none of them makes the page contact a host:
// XML namespace names (SVG, XHTML, MathML, XLink, xmlns, xml) are identifiers the browser never fetches.
const XML_NAMESPACE = /^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xhtml|1998\/Math\/MathML|1999\/xlink|2000\/xmlns\/|XML\/1998\/namespace)$/;
const INERT_IN_APP_CODE = new Set([
  'https://localhost', // base for `new URL(key, base)` when looking up inlined report data; never fetched
  'http://', // scheme prefixes in the markdown/linkify code that turns text into links
  'https://',
]);
// The embedded target's addresses, recorded as evidence (environment.properties, measurement sources): loopback.
const LOOPBACK = /^http:\/\/127\.0\.0\.1(:\d+)?(\/|$)/;

describe('scripts/report.ts (npm run report)', () => {
  it('writes one self-contained HTML file that names the guarantees and refers to no other host', async () => {
    const initCwd = await tempDir('report');
    cpSync(FIXTURE, join(initCwd, 'run', 'allure-results'), { recursive: true });
    // CI variables would put job URLs into the report; the script keeps them from allure.
    const ci = { GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://ci.example.test', GITHUB_REPOSITORY: 'bank/conformance', GITHUB_RUN_ID: '42', GITHUB_WORKFLOW: 'certify' };

    const result = runReport(['run'], initCwd, ci);

    assert.equal(result.status, 0, result.stderr);
    const output = join(initCwd, 'run', 'allure-report');
    const page = join(output, 'index.html');
    assert.equal(result.stdout.trim().split('\n').at(-1), `HTML report: ${page}`);
    const entries = readdirSync(output, { recursive: true, withFileTypes: true });
    assert.deepEqual(entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name), [], 'no data/ or widgets/ folder to fetch from');
    assert.deepEqual(entries.filter((entry) => /\.(html?|js|css|woff2?)$/.test(entry.name)).map((entry) => entry.name), ['index.html']);

    const html = readFileSync(page, 'utf8');
    const { markup, code, data } = parts(html);
    assert.match(markup, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';[^"]*">/);
    assert.deepEqual(markup.match(/[\s:](?:src|href)=["'](?!data:|#)[^"']*/g) ?? [], [], 'everything the page loads is inside it');
    assert.ok(code.length > 100_000, 'the application code is inlined');
    assert.match(markup, /window\.allureReportData/, 'the report data is inlined');

    for (const [zone, text] of Object.entries({ markup, code, data })) {
      assert.doesNotMatch(text, /googletagmanager|google-analytics|\bgtag\b|dataLayer/i, zone);
      assert.doesNotMatch(text, /ci\.example\.test/, zone);
    }
    assert.deepEqual(urls(markup).filter((url) => !XML_NAMESPACE.test(url)), [], 'URLs in the markup');
    assert.deepEqual(urls(code).filter((url) => !XML_NAMESPACE.test(url) && !INERT_IN_APP_CODE.has(url) && !/^https?:\/\/\$\{/.test(url)), [], 'URLs in the application code');
    assert.deepEqual(urls(data).filter((url) => !LOOPBACK.test(url)), [], 'URLs in the report data');

    for (const guarantee of fixtureGuarantees()) {
      assert.ok(data.includes(JSON.stringify(guarantee.name)), `${guarantee.id} "${guarantee.name}" is in the report`);
      assert.ok(data.includes(`@guarantee:${guarantee.id}`), `${guarantee.id} is in the report`);
    }
  });

  it('exits 2 with one line naming the folder when there are no Allure results (default reports/ under INIT_CWD)', async () => {
    const initCwd = await tempDir('report-missing');

    const result = runReport([], initCwd);

    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      `error: no Allure results in ${join(initCwd, 'reports', 'allure-results')}; run \`npm run conformance\` first (or name the --reports-dir it used)\n`,
    );
    // An empty results folder (a run that never started) is no report either.
    await mkdir(join(initCwd, 'reports', 'allure-results'), { recursive: true });
    assert.equal(runReport([], initCwd).status, 2);
  });
});
