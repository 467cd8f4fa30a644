// `npm run report [-- REPORTS_DIR]`: renders REPORTS_DIR/allure-results (default reports/, relative to the folder npm
// runs in) into REPORTS_DIR/allure-report/index.html — one self-contained HTML file that opens from disk (file://) and
// makes no request to any other host, so it can be read inside a network that allows no outbound traffic.
//
// How, with allure 3.18:
// - `allure awesome --single-file` (node_modules/allure/dist/commands/awesome.js) inlines the app, its styles and fonts
//   as data: URLs and the report data as base64 strings in the page, so nothing is fetched from data/ at run time
//   (which browsers refuse on file://, leaving an endless spinner).
// - The page template of @allurereport/plugin-awesome (dist/generators.js) always adds Google Tag Manager
//   (`analyticsEnable: true` is hard-coded; ALLURE_NO_ANALYTICS is read only by the allure2 plugin). We remove that
//   snippet and stop if any trace of analytics is left, so a change of its shape in a later allure is noticed.
// - A Content-Security-Policy meta tag lets the page load only what is inside the file (data:, blob:, inline code):
//   whatever a later allure version adds, the browser itself refuses any request to another host.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const reportsDir = resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2] ?? 'reports');
const results = join(reportsDir, 'allure-results');
const output = join(reportsDir, 'allure-report');
const page = join(output, 'index.html');
// An empty folder is what a run that never started leaves: an empty report would look like a run with no findings.
if (!existsSync(results) || !readdirSync(results).some((file) => file.endsWith('-result.json'))) {
  process.stderr.write(`error: no Allure results in ${results}; run \`npm run conformance\` first (or name the --reports-dir it used)\n`);
  process.exit(2);
}

/** Only what the browser may load: things inside the file. `default-src 'none'` covers every other kind of request. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'unsafe-inline' data:",
  "style-src 'unsafe-inline' data:",
  'font-src data:',
  'img-src data: blob:',
  'media-src data: blob:',
  'connect-src data: blob:',
  'frame-src data: blob:',
  "form-action 'none'",
].join('; ');

// The analytics snippet exactly as plugin-awesome 3.18 writes it: the gtag.js loader and the inline script calling gtag().
const ANALYTICS_SNIPPET =
  /[ \t]*<script async src="https:\/\/www\.googletagmanager\.com\/gtag\/js\?id=[\w-]+"><\/script>\s*<script>\s*window\.dataLayer = window\.dataLayer \|\| \[\];\s*function gtag\(\)\{dataLayer\.push\(arguments\);\}[^<]*<\/script>[ \t]*\n?/g;
const ANALYTICS_TRACE = /googletagmanager|google-analytics|gtag\b|dataLayer/i;
// Links the application code holds to other hosts, followed only on a click ("Powered by", a Playwright trace viewer):
// made local, so the page names no outside host at all.
const OUTSIDE_LINKS = /https:\/\/(?:allurereport\.org|trace\.playwright\.dev)/g;
const CHARSET_META = '<meta charset="utf-8">';

/** allure's environment: no CI variables (they put job and pull-request URLs into the report), no ALLURE_* settings. */
function allureEnvironment(workDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'USERPROFILE', 'TMPDIR', 'TEMP', 'TMP', 'SYSTEMROOT', 'LANG', 'LC_ALL', 'NO_COLOR', 'FORCE_COLOR', 'TERM']) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  env.ALLURE_NO_ANALYTICS = 'true'; // honoured by allure's allure2 plugin only (3.18); here in case awesome adopts it
  env.GIT_CEILING_DIRECTORIES = dirname(workDir); // allure asks git for the repository's remote URL: find none
  return env;
}

/** Runs allure; returns its exit status. */
function generate(): number {
  // allure reads an allurerc.* from its working folder: give it an empty one, so nothing depends on where npm runs.
  const workDir = mkdtempSync(join(tmpdir(), 'conformance-report-'));
  try {
    const cli = join(import.meta.dirname, '..', 'node_modules', 'allure', 'cli.js');
    const run = spawnSync(process.execPath, [cli, 'awesome', results, '--single-file', '--output', output], {
      cwd: workDir,
      env: allureEnvironment(workDir),
      stdio: 'inherit',
    });
    if (run.error) process.stderr.write(`error: could not run allure (${cli}): ${run.error.message}\n`);
    return run.status ?? 1;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Removes the analytics and adds the CSP; says why the page cannot be trusted to open offline, if it cannot. */
function offlinePage(html: string): { html: string } | { problem: string } {
  const snippets = html.match(ANALYTICS_SNIPPET)?.length ?? 0;
  if (snippets > 1) return { problem: `${snippets} analytics snippets, expected at most one` };
  let result = html.replace(ANALYTICS_SNIPPET, '');
  const charset = result.indexOf(CHARSET_META);
  if (charset < 0) return { problem: `no ${CHARSET_META} to put the Content-Security-Policy after` };
  const at = charset + CHARSET_META.length;
  result = `${result.slice(0, at)}\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">${result.slice(at)}`;

  // What the browser reads as markup: the page without the data: URLs and the (base64) report data.
  const markup = result.replace(/"data:[^"]*"/g, '"data:"').replace(/\bd\("[^"]*","[A-Za-z0-9+/=]*"\)/g, 'd()');
  const trace = markup.match(ANALYTICS_TRACE);
  if (trace) return { problem: `analytics left in the page after removing the known snippet: "${trace[0]}"` };
  let analyticsInCode = false;
  result = result.replace(/src="data:text\/javascript;base64,([A-Za-z0-9+/=]+)"/g, (_whole, script: string) => {
    const code = Buffer.from(script, 'base64').toString('utf8');
    if (/googletagmanager|google-analytics/i.test(code)) analyticsInCode = true;
    return `src="data:text/javascript;base64,${Buffer.from(code.replace(OUTSIDE_LINKS, '#'), 'utf8').toString('base64')}"`;
  });
  if (analyticsInCode) return { problem: 'analytics in the inlined application code' };
  const outside = markup.match(/[\s:](?:src|href)=["'](?!data:|blob:|#)[^"']*["']/i) ?? markup.match(/(?<![\w.])url\(\s*["']?(?!data:|#)[^)]*\)/);
  if (outside) return { problem: `the page loads something that is not inside it: ${outside[0]}` };
  if (!markup.includes('window.allureReportData')) return { problem: 'the report data is not in the page (not a single-file report)' };
  return { html: result };
}

function checkedPage(): { html: string } | { problem: string } {
  if (!existsSync(page)) return { problem: `allure wrote no ${page}` };
  const folders = readdirSync(output, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => `${entry.name}/`);
  if (folders.length > 0) return { problem: `allure wrote ${folders.join(', ')} next to the page (not a single-file report)` };
  return offlinePage(readFileSync(page, 'utf8'));
}

// allure 3 writes into a subfolder when the output exists; start clean so the path is stable.
rmSync(output, { recursive: true, force: true });
const status = generate();
if (status !== 0) process.exit(status);
const checked = checkedPage();
if ('problem' in checked) {
  rmSync(output, { recursive: true, force: true });
  process.stderr.write(
    `error: the HTML allure wrote is not what scripts/report.ts expects (${checked.problem}); no report was left, rather than one that may contact other hosts or not open from disk. Check the allure version in package.json against scripts/report.ts.\n`,
  );
  process.exit(70);
}
writeFileSync(page, checked.html);
process.stdout.write(`HTML report: ${page}\n`);
