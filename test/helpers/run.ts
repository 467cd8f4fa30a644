import { PassThrough } from 'node:stream';
import { validateConfig } from '../../src/config/load-config.ts';
import type { ConfigInput } from '../../src/config/schema.ts';
import type { LoadProfile } from '../../src/load/load-profiles.ts';
import { ConformanceRun, type RunOptions } from '../../src/run/conformance-run.ts';
import { tempDir } from './cli.ts';

/** A load of seconds, for tests that drive real load through the builtin runner. */
export const QUICK_LOAD: LoadProfile = {
  name: 'test-quick', description: 'a few seconds of load for tests (2 s of steady state, 4 s in all)', maxRatePerSecond: 20, maxDurationMs: 2000,
  warmupMs: 1000, drainMs: 1000, intervalMs: 2000, certifies: false,
};

/** Starts the conformance pipeline in this process, into a fresh reports folder (unless the input names one), capturing what it prints. */
export async function startInProcess(input: ConfigInput, options: Omit<RunOptions, 'out'> = {}) {
  const config = validateConfig({ reportsDir: await tempDir('reports'), ...input });
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  const run = new ConformanceRun(config, { out, ...options });
  return { run, config, done: run.execute(), output: () => text };
}

/** Runs the pipeline in this process to the end. */
export async function runInProcess(input: ConfigInput, options: Omit<RunOptions, 'out'> = {}) {
  const started = await startInProcess(input, options);
  const { result, exitCode } = await started.done;
  const byId = Object.fromEntries(result.guarantees.map((g) => [g.id, g]));
  return { result, exitCode, output: started.output(), byId, reportsDir: started.config.reportsDir };
}

/** Guarantee ids `<prefix>-FUN-01` … `<prefix>-FUN-19`: the functional guarantees every tier states. */
export function functionalIds(prefix: string, numbers: number[] = Array.from({ length: 19 }, (_, i) => i + 1)): string[] {
  return numbers.map((n) => `${prefix}-FUN-${String(n).padStart(2, '0')}`);
}
