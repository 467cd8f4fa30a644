// `npm run bench`: what the builtin runner, the embedded hub and the simulated DFSPs sustain on this
// machine, printed as figures (a benchmark, not a test). BENCH_SECONDS shortens the clearing run
// (default 300 s = 5 minutes); BENCH_P2P_SECONDS each step of the P2P search (default 30 s);
// BENCH_LEDGER=memory keeps the hub's ledger in memory instead of a file (a run keeps it in a file).
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { validateConfig } from '../src/config/load-config.ts';
import { DeploymentThread } from '../src/environment/embedded/deployment-thread.ts';
import { CallbackServer } from '../src/fspiop/callback-server.ts';
import { sendFspiop } from '../src/fspiop/outbound.ts';
import { loadFspiopSpecification } from '../src/fspiop/spec-validation.ts';
import { createLoadRunner } from '../src/load/create-load-runner.ts';
import type { LoadRequest, LoadSummary } from '../src/load/load-runner.ts';

const CLEARING_TARGET = 1000;
const clearingSeconds = Number(process.env.BENCH_SECONDS ?? 300);
const p2pSeconds = Number(process.env.BENCH_P2P_SECONDS ?? 30);

function line(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Loopback HTTP capacity: a trivial JSON server and the client every sender here uses (sendFspiop), 64 requests in flight. */
async function httpCapacity(seconds: number): Promise<number> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(202, { 'content-type': 'application/json', 'content-length': 2 }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/transfers`;
  let completed = 0;
  const until = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      await sendFspiop({ method: 'POST', url, resource: 'transfers', source: 'payerfsp', body: { a: 1 }, timeoutMs: 10_000 });
      completed += 1;
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  server.closeAllConnections();
  server.close();
  return completed / seconds;
}

interface Measured {
  summary: LoadSummary;
  /** CPU of the runner's thread (its payer DFSP and callback server included) per completed transfer. */
  runnerMicrosPerTransfer: number;
  processMicrosPerTransfer: number;
  peakRssMiB: number;
  /** The runner thread's own V8 heap at its peak (the hub's thread has a heap of its own). */
  peakRunnerHeapMiB: number;
}

/** One load against a fresh embedded deployment on its own thread, the runner on this one — as a conformance run does it. */
async function measure(request: LoadRequest, embedded: { callbackDelayMs?: number } = {}): Promise<Measured> {
  // The ledger in a file, as a run's embedded hub keeps it.
  const dataDir = await mkdtemp(join(tmpdir(), 'conformance-bench-hub-'));
  const config = validateConfig({ embedded: { ...embedded, ...(process.env.BENCH_LEDGER === 'memory' ? {} : { dataDir }) }, timeouts: { callbackMs: 10_000, requestMs: 10_000 } });
  const { thread: deployment, urls: { hubUrl } } = await DeploymentThread.start(config);
  const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 65_536, addressing: { dfsps: ['payerfsp'], senders: ['Hub', 'payeefsp'] } });
  await callbacks.start();
  await deployment.connectPayer('payerfsp', callbacks.url);
  // The runner a conformance run would build (builtin: the one that needs nothing installed).
  const runner = createLoadRunner({ kind: 'builtin', note: '' }, { config, hubUrl, callbacks, channel: undefined, spec: await loadFspiopSpecification() });
  let peakRss = process.memoryUsage.rss();
  let peakHeap = getHeapStatistics().used_heap_size;
  const rss = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
  }, 250);
  const cpuBefore = process.cpuUsage();
  const threadBefore = process.threadCpuUsage();
  try {
    const summary = await runner.run(request, (p) => {
      if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K  ${Math.round(p.elapsedMs / 1000)}/${Math.round(p.durationMs / 1000)} s  ${p.achievedRate.toFixed(0)}/s  failed ${p.failed}  dropped ${p.dropped}`);
    });
    if (process.stdout.isTTY) process.stdout.write('\r\x1b[2K');
    const cpu = process.cpuUsage(cpuBefore);
    const thread = process.threadCpuUsage(threadBefore);
    const completed = Math.max(1, summary.series.reduce((sum, s) => sum + s.succeeded, 0));
    return {
      summary, runnerMicrosPerTransfer: (thread.user + thread.system) / completed,
      processMicrosPerTransfer: (cpu.user + cpu.system) / completed, peakRssMiB: peakRss / 2 ** 20, peakRunnerHeapMiB: peakHeap / 2 ** 20,
    };
  } finally {
    clearInterval(rss);
    await callbacks.stop();
    await deployment.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Transfers offered in the steady-state window and completed, per second of the window: what the hub delivered of the offer. */
function delivered(s: LoadSummary): number {
  return s.iterations.successes / ((s.window.endMs - s.window.startMs) / 1000);
}

function describe(m: Measured, stage: 'transfers' | 'iterations'): string {
  const s = m.summary;
  const stats = stage === 'iterations' ? s.iterations : s.phases.transfers;
  const failed = s.iterations.attempts - s.iterations.successes;
  return `delivered ${delivered(s).toFixed(1)}/s of ${s.request.ratePerSecond}/s offered (completions ${s.achievedRate.toFixed(1)}/s), dropped ${s.dropped}, failed ${failed}, `
    + `p50 ${stats.percentilesMs['50']?.toFixed(1)} ms, p99 ${stats.percentilesMs['99']?.toFixed(1)} ms; `
    + `runner thread ${Math.round(m.runnerMicrosPerTransfer)} µs CPU per completed transfer (whole process ${Math.round(m.processMicrosPerTransfer)} µs), peak RSS ${Math.round(m.peakRssMiB)} MiB (runner thread's heap ${Math.round(m.peakRunnerHeapMiB)} MiB)`;
}

const request = (flow: LoadRequest['flow'], ratePerSecond: number, seconds: number): LoadRequest => ({
  flow, profile: 'bench', ratePerSecond, durationMs: seconds * 1000,
  warmupMs: Math.min(10_000, seconds * 200), drainMs: Math.min(5000, seconds * 100), intervalMs: Math.min(10_000, seconds * 200),
});

line(`bench on ${availableParallelism()} cores, Node ${process.version}; clearing ${clearingSeconds} s, P2P steps ${p2pSeconds} s`);
const capacity = await httpCapacity(5);
line(`http capacity (loopback, one thread serving and sending, 64 in flight): ${capacity.toFixed(0)} requests/s`);

const clearing = await measure(request('clearing', CLEARING_TARGET, clearingSeconds));
line(`clearing at ${CLEARING_TARGET}/s for ${clearingSeconds} s: ${describe(clearing, 'transfers')}`);
line(`  a clearing transfer is 4 HTTP requests: ${(delivered(clearing.summary) * 4).toFixed(0)} requests/s, ${((delivered(clearing.summary) * 4 * 100) / capacity).toFixed(0)} % of the loopback capacity`);

let p2pRate = 0;
for (const rate of [100, 200, 300, 400, 500, 600, 700, 800, 1000]) {
  const step = await measure(request('p2p', rate, p2pSeconds));
  line(`p2p at ${rate}/s for ${p2pSeconds} s: ${describe(step, 'iterations')}`);
  const ok = step.summary.dropped === 0 && step.summary.iterations.successes === step.summary.iterations.attempts && (step.summary.iterations.percentilesMs['99'] ?? Infinity) < 1000;
  if (!ok) break;
  p2pRate = rate;
}
line(`  a P2P transfer is 12 HTTP requests: ${p2pRate}/s is ${((p2pRate * 12 * 100) / capacity).toFixed(0)} % of the loopback capacity`);

const overheadSeconds = Math.min(20, clearingSeconds);
const base = await measure(request('clearing', 100, overheadSeconds));
const delayed = await measure(request('clearing', 100, overheadSeconds), { callbackDelayMs: 250 });
const shift = (delayed.summary.phases.transfers.percentilesMs['50'] ?? 0) - (base.summary.phases.transfers.percentilesMs['50'] ?? 0);
line(`runner overhead: a 250 ms callback delay moved the clearing p50 by ${shift.toFixed(1)} ms (${(shift - 250).toFixed(1)} ms off)`);

const c = clearing.summary;
line(`bench: transfers_per_s=${delivered(c).toFixed(1)} target_per_s=${CLEARING_TARGET} dropped=${c.dropped} p99_ms=${Math.round(c.phases.transfers.percentilesMs['99'] ?? -1)} p2p_per_s=${p2pRate} http_capacity_per_s=${Math.round(capacity)}`);
