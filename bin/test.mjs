import './require-node-22.mjs';
import { spawn } from 'node:child_process';
// A namespace import: on Node 20 a missing named export would fail before the version check could explain.
import * as fs from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm test` (suite `unit`) and `npm run test:e2e` (suite `e2e`). One naming convention decides
 * which suite a file belongs to, so a new test file lands in the right one without a list to keep:
 * `test/**\/*.e2e.test.ts` — whole conformance runs, the fault matrix, crash and resilience tests —
 * is `e2e`; every other `test/**\/*.test.ts` is `unit` (unit and integration tests: the quick suite).
 *
 * Extra arguments go to `node --test`; an argument naming test files (`npm test -- test/cli`)
 * narrows the suite to the files under it; `--list` prints the suite's files and runs nothing.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const E2E = /\.e2e\.test\.ts$/;

/**
 * A backstop, so a test that waits for something that never comes fails instead of hanging CI
 * (each wait has its own, shorter bound: test/helpers/wait.ts). Each file runs in a process of its
 * own, and node applies this to the file as a whole: generous enough for a loaded machine (a unit
 * file takes seconds, the fault matrix minutes).
 */
const TIMEOUT_MS = { unit: 600_000, e2e: 1_800_000 };

function selectTestFiles(suite, root = ROOT) {
  const every = fs.globSync('test/**/*.test.ts', { cwd: root }).map((file) => file.split('\\').join('/')).sort();
  return every.filter((file) => (suite === 'e2e') === E2E.test(file));
}

const [suite, ...rest] = process.argv.slice(2);
if (suite !== 'unit' && suite !== 'e2e') {
  process.stderr.write(`usage: node bin/test.mjs unit|e2e [--list] [node --test options] [test files or folders]\n`);
  process.exit(2);
}
const list = rest.includes('--list');
const flags = rest.filter((arg) => arg.startsWith('-') && arg !== '--list');
const narrowing = rest.filter((arg) => !arg.startsWith('-')).map((arg) => relative(ROOT, resolve(process.env.INIT_CWD ?? process.cwd(), arg)).split('\\').join('/'));
const files = selectTestFiles(suite).filter((file) => narrowing.length === 0 || narrowing.some((path) => file === path || file.startsWith(`${path.replace(/\/$/, '')}/`)));
if (files.length === 0) {
  process.stderr.write(`error: no ${suite} test file matches ${narrowing.length > 0 ? narrowing.join(', ') : 'test/**/*.test.ts'}` +
    `${suite === 'e2e' ? ' (e2e files are named *.e2e.test.ts)' : ''}\n`);
  process.exit(2);
}
if (list) {
  process.stdout.write(`${files.join('\n')}\n`);
  process.exit(0);
}

const child = spawn(process.execPath, [
  // End-to-end files measure latency under load: two at a time on a 2-core machine, not three.
  '--test', `--test-concurrency=${suite === 'e2e' ? 2 : 3}`, `--test-timeout=${TIMEOUT_MS[suite]}`,
  // A reporter given on the command line replaces spec (node refuses two reporters with one destination).
  ...(flags.some((flag) => flag.startsWith('--test-reporter')) ? [] : ['--test-reporter=spec']), ...flags, ...files,
], { cwd: ROOT, stdio: 'inherit' });
// Ctrl-C reaches the whole process group; the child's own exit decides ours.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => undefined);
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 128 + ({ SIGINT: 2, SIGTERM: 15 }[signal] ?? 1) : 1);
});
