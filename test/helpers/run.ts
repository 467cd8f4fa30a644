import { PassThrough } from 'node:stream';
import { validateConfig } from '../../src/config/load-config.ts';
import type { ConfigInput } from '../../src/config/schema.ts';
import { ConformanceRun, type RunOptions } from '../../src/run/conformance-run.ts';
import { tempDir } from './cli.ts';

/** Runs the conformance pipeline in this process, into a fresh reports folder, capturing what it prints. */
export async function runInProcess(input: ConfigInput, options: Omit<RunOptions, 'out'> = {}) {
  const config = validateConfig({ reportsDir: await tempDir('reports'), ...input });
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  const { result, exitCode } = await new ConformanceRun(config, { out, ...options }).execute();
  const byId = Object.fromEntries(result.guarantees.map((g) => [g.id, g]));
  return { result, exitCode, output: text, byId, reportsDir: config.reportsDir };
}
