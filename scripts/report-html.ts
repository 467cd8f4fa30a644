// `npm run report:html -- <result.json> [out.html]`: report.html from a run's result.json (relative
// paths from the folder npm runs in), by default beside it. A run's Reporter writes the same page
// itself (writeReportHtml); this is for a result kept from an earlier run. Exit 2: no such file, or
// not a run's result.
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { renderReportHtml } from '../src/reports/html/render-report-html.ts';
import type { ReportInput } from '../src/reports/html/report-input.ts';

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

const cwd = process.env.INIT_CWD ?? process.cwd();
const [resultArg, outArg] = process.argv.slice(2);
if (!resultArg) fail('name the result.json to render: npm run report:html -- reports/latest/result.json [out.html]');
const resultFile = resolve(cwd, resultArg);
let input: ReportInput;
try {
  input = JSON.parse(readFileSync(resultFile, 'utf8')) as ReportInput;
} catch (error) {
  fail(`cannot read ${resultFile} as JSON: ${(error as Error).message.split('\n')[0]}`);
}
if (typeof input !== 'object' || input === null || !Array.isArray(input.guarantees) || typeof input.certificate !== 'object') {
  fail(`${resultFile} is not a conformance run's result.json (no guarantees or certificate)`);
}
const out = resolve(cwd, outArg ?? resolve(dirname(resultFile), 'report.html'));
const temporary = `${out}.${process.pid}.tmp`;
await writeFile(temporary, renderReportHtml(input));
await rename(temporary, out);
process.stdout.write(`${out}\n`);
