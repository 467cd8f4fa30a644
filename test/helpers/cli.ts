import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { waitFor } from './wait.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

/** Temporary folders of this test process, removed when it exits. */
const created: string[] = [];
process.once('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The folder the command was "typed in" (INIT_CWD): relative paths and the default reports/ land here. */
  userDir: string;
}

/**
 * Runs a CLI of this project as a user does, in a child process, with NO_COLOR so output is plain.
 * The user "typed the command" in a fresh temporary folder (npm's INIT_CWD), so a run without
 * --reports-dir writes there — never into the project's own reports/.
 */
export function startCli(script: 'conformance' | 'hub' | 'payee', args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): { child: ChildProcess; done: Promise<CliResult>; output(): string } {
  const userDir = mkdtempSync(join(tmpdir(), 'conformance-test-cwd-'));
  created.push(userDir);
  const child = spawn(process.execPath, [join(ROOT, 'bin', `${script}.mjs`), ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', INIT_CWD: userDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A bound, not a race: a regression that hangs (e.g. Node's recursive mkdir under /proc) fails instead of stalling CI.
    timeout: options.timeoutMs ?? 120_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const done = new Promise<CliResult>((resolvePromise) => {
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr, userDir }));
  });
  return { child, done, output: () => stdout };
}

export function runCli(script: 'conformance' | 'hub' | 'payee', args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return startCli(script, args, options).done;
}

export function waitForOutput(output: () => string, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return waitFor(() => output().match(pattern), { timeoutMs, intervalMs: 50, what: `output matching ${pattern}`, describe: () => `output so far:\n${output()}` });
}

/**
 * PATH without the folders that hold `command`: a test of "a machine without k6" must not depend
 * on what the machine running it has installed.
 */
export function pathWithout(command: string): string {
  return (process.env.PATH ?? '').split(delimiter).filter((dir) => dir && !isExecutable(join(dir, command))).join(delimiter);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A fresh folder under the system temp dir, removed when the test process exits. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `conformance-test-${prefix}-`));
  created.push(dir);
  return dir;
}
