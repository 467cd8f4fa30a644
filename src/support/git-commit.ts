import { execFile } from 'node:child_process';

/**
 * The commit checked out at `dir` (`git rev-parse HEAD`), or null when there is none to read — no
 * git installed, not a checkout (an npm package, a copied folder), git refusing the folder. Never
 * throws and never waits more than `timeoutMs`: a fingerprint without a commit beats no result.
 */
export function gitCommit(dir: string, options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<string | null> {
  return new Promise((resolve) => {
    try {
      execFile('git', ['rev-parse', 'HEAD'], { cwd: dir, timeout: options.timeoutMs ?? 5000, env: options.env ?? process.env, windowsHide: true }, (error, stdout) => {
        const commit = String(stdout).trim();
        resolve(!error && /^[0-9a-f]{40,64}$/.test(commit) ? commit : null);
      });
    } catch {
      resolve(null);
    }
  });
}
