// `npm run report [-- REPORTS_DIR]`: renders REPORTS_DIR/allure-results (default reports/) into REPORTS_DIR/allure-report.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const reportsDir = resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2] ?? 'reports');
const results = join(reportsDir, 'allure-results');
const output = join(reportsDir, 'allure-report');
if (!existsSync(results)) {
  process.stderr.write(`error: no Allure results in ${results}; run \`npm run conformance\` first (or name the --reports-dir it used)\n`);
  process.exit(2);
}
// allure 3 writes into a subfolder when the output exists; start clean so the path is stable.
rmSync(output, { recursive: true, force: true });
const allure = join(import.meta.dirname, '..', 'node_modules', '.bin', 'allure');
const run = spawnSync(allure, ['generate', results, '--output', output], { stdio: 'inherit' });
if (run.status === 0) process.stdout.write(`HTML report: ${join(output, 'index.html')}\n`);
process.exit(run.status ?? 1);
