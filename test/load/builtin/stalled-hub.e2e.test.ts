import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { Finding } from '../../../src/evidence/finding.ts';
import type { LoadSummary } from '../../../src/load/load-runner.ts';

const script = fileURLToPath(new URL('../../helpers/stalled-hub-load.ts', import.meta.url));

interface Outcome {
  limit: { limit: number; source: string };
  peakDescriptors: number;
  peakRssMiB: number;
  summary: LoadSummary;
  throughput: Finding;
  diagnosis: string[];
}

/** The load in a child process whose open-file limit is `descriptors`, as `ulimit -n` sets it. */
function underLimit(descriptors: number, env: Record<string, string>): Promise<{ code: number | null; outcome: Outcome | undefined; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', `ulimit -n ${descriptors} && exec "${process.execPath}" "${script}"`], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    // The load is 12 s; a child still running after two minutes has hung.
    const deadline = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(deadline);
      const line = stdout.trim().split('\n').at(-1);
      resolve({ code, outcome: line ? JSON.parse(line) as Outcome : undefined, stderr });
    });
  });
}

describe('the builtin runner against a hub that stops answering for 5 s under 1000 transfers/s offered', () => {
  it('ends with its figures and a verdict — drops counted with when they started, descriptors and memory bounded — within ulimit -n 2048', async () => {
    const { code, outcome, stderr } = await underLimit(2048, { RATE: '1000', SECONDS: '12', STALL_AFTER_REQUESTS: '600', STALL_MS: '5000' });
    assert.equal(code, 0, `the load process died: ${stderr.slice(-2000)}`);
    assert.ok(outcome);
    assert.deepEqual(outcome.limit, { limit: 2048, source: 'ulimit -n 2048' });
    const { summary } = outcome;
    assert.ok(summary.limits && summary.limits.maxInFlight < 2048 / 4, `the in-flight cap follows the descriptor limit: ${JSON.stringify(summary.limits)}`);
    assert.ok(summary.dropped > 0, 'a 5 s stall at 1000/s must overflow the in-flight cap');
    assert.ok(summary.drops && summary.drops.firstMs <= summary.drops.lastMs, 'the drops say when they happened');
    assert.equal(summary.generatorExhaustion, undefined, 'the runner stayed within its descriptors');
    assert.equal(summary.runnerErrors, undefined);
    assert.ok(outcome.peakDescriptors > 0 && outcome.peakDescriptors < 2048, `peak open descriptors ${outcome.peakDescriptors}`);
    assert.ok(outcome.peakRssMiB < 1024, `peak RSS ${outcome.peakRssMiB} MiB`);
    // A verdict, not a crash: the hub that stalled fails the throughput guarantee, the drops named.
    assert.ok(Array.isArray(outcome.throughput));
    const dropped = outcome.throughput.find((m) => m.name === 'dropped iterations (steady state)');
    assert.equal(dropped?.ok, false);
    assert.ok(summary.droppedInWindow !== undefined && summary.droppedInWindow > 0 && summary.droppedInWindow <= summary.dropped);
    assert.equal(dropped?.value, summary.droppedInWindow);
    const [line] = outcome.diagnosis;
    assert.match(line ?? '', new RegExp(`^${summary.dropped} arrivals of the p2p load at 1000/s \\(builtin runner\\) were dropped from \\d\\d:\\d\\d:\\d\\d`));
    const stall = /No transfer completed from \S+ \((\d+\.\d) s into the load\) for (\d+) s: the hub stalled/.exec(line ?? '');
    assert.ok(stall, `the diagnosis names the stall: ${line}`);
    assert.ok(Number(stall[2]) >= 2, `the stall began at ${stall[1]} s, lasted ${stall[2]} s`);
  });
});
