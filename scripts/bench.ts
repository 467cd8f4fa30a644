// `npm run bench`: what the builtin runner, the embedded hub and the simulated DFSPs sustain on this
// machine, printed as figures (a benchmark, not a test). It never dies for want of speed: a step
// the machine cannot hold is reported with what was offered and achieved, and the last line,
// `bench: …`, is always printed.
//
// BENCH_SECONDS: the clearing run at 1000/s, the longest step, whose RSS and live heaps (each
//   thread's, after a full collection: npm run bench runs node --expose-gc) are shown after its
//   warm-up and at its end (default 600 s = 10 minutes);
// BENCH_P2P_SECONDS: each step of the P2P searches (default 30 s);
// BENCH_LEDGER=memory keeps the hub's ledger in memory instead of a file (a run keeps it in a file);
// BENCH_STEPS: which steps to run, comma-separated, of runner, clearing, secured, p2p, overhead (default all;
//   the loopback capacity is always measured, every rate is quoted beside it);
// BENCH_SECURED_SECONDS: the secured clearing step — the same load against the fully secured embedded
//   hub (mutual TLS, bearer tokens, JWS on every POST/PUT), printed beside the plain clearing with
//   what security costs per transfer (default min(BENCH_SECONDS, 120) s).
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { validateConfig } from '../src/config/load-config.ts';
import { issueDeploymentSecurity } from '../src/environment/embedded/deployment-security.ts';
import { DeploymentThread } from '../src/environment/embedded/deployment-thread.ts';
import { hubSourceIds } from '../src/environment/embedded/reference-deployment.ts';
import { CallbackServer } from '../src/fspiop/callback-server.ts';
import { FspiopTransport } from '../src/fspiop/fspiop-transport.ts';
import { issuedDfspCredentials } from '../src/hub/hub-credentials.ts';
import { sendFspiop } from '../src/fspiop/outbound.ts';
import { loadFspiopSpecification } from '../src/fspiop/spec-validation.ts';
import { createLoadRunner } from '../src/load/create-load-runner.ts';
import type { LoadRequest, LoadSummary } from '../src/load/load-runner.ts';
import { descriptorLimit } from '../src/support/descriptor-limit.ts';

const CLEARING_TARGET = 1000;
const clearingSeconds = Number(process.env.BENCH_SECONDS ?? 600);
const p2pSeconds = Number(process.env.BENCH_P2P_SECONDS ?? 30);
const securedSeconds = Number(process.env.BENCH_SECURED_SECONDS ?? Math.min(clearingSeconds, 120));
/** What the runner alone must add to an iteration at most (its p99 against a hub that answers at once). */
const RUNNER_P99_OVERHEAD_MS = 5;
const STEPS = ['runner', 'clearing', 'secured', 'p2p', 'overhead'] as const;
const steps = new Set((process.env.BENCH_STEPS ?? STEPS.join(',')).split(',').map((name) => name.trim()).filter(Boolean));
for (const name of steps) {
  if (!(STEPS as readonly string[]).includes(name)) {
    process.stderr.write(`BENCH_STEPS names "${name}", which is no step of the bench; steps: ${STEPS.join(', ')}\n`);
    process.exit(2);
  }
}

function line(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Reading RSS opens /proc/self/stat: a process out of descriptors cannot, which must not end the bench. */
function rssMiB(): number | undefined {
  try {
    return process.memoryUsage.rss() / 2 ** 20;
  } catch {
    return undefined;
  }
}

/** Loopback HTTP capacity: a trivial JSON server and the client every sender here uses (sendFspiop), 64 requests in flight. */
async function httpCapacity(seconds: number): Promise<{ perSecond: number; cpuMicrosPerExchange: number }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(202, { 'content-type': 'application/json', 'content-length': 2 }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/transfers`;
  let completed = 0;
  const cpuBefore = process.threadCpuUsage();
  const until = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      await sendFspiop({ method: 'POST', url, resource: 'transfers', source: 'payerfsp', body: { a: 1 }, timeoutMs: 10_000 });
      completed += 1;
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  const cpu = process.threadCpuUsage(cpuBefore);
  server.closeAllConnections();
  server.close();
  return { perSecond: completed / seconds, cpuMicrosPerExchange: (cpu.user + cpu.system) / Math.max(1, completed) };
}

interface Measured {
  summary: LoadSummary;
  /** CPU of the runner's thread (its payer DFSP and callback server included) per completed iteration. */
  runnerMicrosPerIteration: number;
  processMicrosPerIteration: number;
  peakRssMiB: number;
  /** RSS 10 s into the load (after the warm-up) and at its end. */
  rssAfterWarmupMiB: number | undefined;
  rssAtEndMiB: number | undefined;
  /** The runner thread's own V8 heap at its peak (a hub thread has a heap of its own). */
  peakRunnerHeapMiB: number;
  /** Live heaps after the warm-up and as the drain begins (the load still running). */
  liveHeapAfterWarmup: LiveHeap | undefined;
  liveHeapAtEnd: LiveHeap | undefined;
}

/** Something that answers FSPIOP on a thread of its own: the embedded deployment, or the stub hub. */
interface HubOnThread {
  hubUrl: string;
  /** The hub thread's live heap (embedded deployment only). */
  heapBytes?(): Promise<number>;
  stop(): Promise<void>;
}

/** Live heap in MiB, this thread's and the hub thread's, each after a full collection (npm run bench runs node --expose-gc). */
interface LiveHeap {
  runnerMiB: number;
  hubMiB: number | undefined;
}

const collect = (globalThis as { gc?: () => void }).gc;

/** Garbage the collector has not reached yet is not memory held: the bench collects before it reads. */
async function liveHeap(hub: HubOnThread): Promise<LiveHeap> {
  collect?.();
  const runnerMiB = getHeapStatistics().used_heap_size / 2 ** 20;
  const hubBytes = await hub.heapBytes?.().catch(() => undefined);
  return { runnerMiB, hubMiB: hubBytes === undefined ? undefined : hubBytes / 2 ** 20 };
}

const config = validateConfig({ timeouts: { callbackMs: 10_000, requestMs: 10_000 } });
const { payer, payee } = config.participants;

/** The hub's side of a load: where it answers, and what our payer presents to it (a secured hub's credentials) and serves its callbacks with. */
interface StartedHub extends HubOnThread {
  transport?: FspiopTransport;
  /** Points the payer's callbacks at our callback server, once it listens. */
  connectPayer?(callbackUrl: string): Promise<void>;
}

/**
 * A fresh embedded deployment on its own thread, as a conformance run starts it, the ledger in a
 * file; `secured`: fully secured, as `--hub-security full` starts it, our payer holding what it issued.
 */
async function embeddedHub(embedded: { callbackDelayMs?: number }, secured: boolean): Promise<StartedHub> {
  const dataDir = await mkdtemp(join(tmpdir(), 'conformance-bench-hub-'));
  const hubConfig = validateConfig({ embedded: { ...embedded, ...(process.env.BENCH_LEDGER === 'memory' ? {} : { dataDir }) }, timeouts: config.timeouts });
  const security = secured ? await issueDeploymentSecurity(hubConfig) : undefined;
  const { thread, urls } = await DeploymentThread.start(hubConfig, security ? { security } : {});
  const transport = security && urls.tokenUrl ? FspiopTransport.from(issuedDfspCredentials(security, payer.fspId, urls.tokenUrl, hubSourceIds(hubConfig))) : undefined;
  // The first token before the load: its request is not a transfer's cost.
  await transport?.prepare();
  return {
    hubUrl: urls.hubUrl, ...(transport ? { transport } : {}),
    connectPayer: (callbackUrl) => thread.connectPayer(payer.fspId, callbackUrl),
    heapBytes: async () => (await thread.heap()).usedBytes,
    stop: async () => { transport?.close(); await thread.stop(); await rm(dataDir, { recursive: true, force: true }); },
  };
}

/** The stub hub (answers and calls back at once; no ledger, no validation) on its own thread: what is left is the runner. */
async function stubHub(callbacks: CallbackServer): Promise<HubOnThread> {
  const worker = new Worker(new URL('./stub-hub-worker.ts', import.meta.url), { workerData: { payerCallbackUrl: callbacks.url, payeeFsp: payee.fspId } });
  const next = (type: string) => new Promise<{ url?: string }>((resolve, reject) => {
    const onMessage = (message: { type: string; url?: string }) => {
      if (message.type !== type) return;
      worker.off('message', onMessage);
      resolve(message);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
  const { url } = await next('started');
  return {
    hubUrl: url!,
    stop: async () => {
      worker.postMessage({ type: 'stop' });
      await next('stopped');
      await worker.terminate();
    },
  };
}

/** One load with the runner a conformance run would build (builtin), on this thread, the hub on another. */
async function measure(request: LoadRequest, hub: 'embedded' | 'secured' | 'stub', embedded: { callbackDelayMs?: number } = {}): Promise<Measured> {
  let callbacks: CallbackServer | undefined;
  let target: StartedHub | undefined;
  let rss: ReturnType<typeof setInterval> | undefined;
  const callbackServer = (transport: FspiopTransport | undefined) => new CallbackServer({
    host: '127.0.0.1', port: 0, maxBodyBytes: 65_536, addressing: { dfsps: [payer.fspId], senders: ['Hub', payee.fspId] }, security: transport?.callbackSecurity,
  });
  try {
    if (hub === 'stub') {
      callbacks = callbackServer(undefined);
      await callbacks.start();
      target = await stubHub(callbacks);
    } else {
      // The hub first: a secured one issues what our callback server serves with.
      target = await embeddedHub(embedded, hub === 'secured');
      callbacks = callbackServer(target.transport);
      await callbacks.start();
      await target.connectPayer!(callbacks.url);
    }
    const runner = createLoadRunner({ kind: 'builtin', note: '' }, { config, hubUrl: target.hubUrl, callbacks, channel: undefined, spec: await loadFspiopSpecification(), transport: target.transport });
    let peakRss = rssMiB() ?? 0;
    let peakHeap = getHeapStatistics().used_heap_size;
    let rssAfterWarmupMiB: number | undefined;
    let heapAfterWarmup: Promise<LiveHeap> | undefined;
    let heapAtEnd: Promise<LiveHeap> | undefined;
    rss = setInterval(() => {
      peakRss = Math.max(peakRss, rssMiB() ?? 0);
      peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
    }, 250);
    const cpuBefore = process.cpuUsage();
    const threadBefore = process.threadCpuUsage();
    const summary = await runner.run(request, (p) => {
      if (rssAfterWarmupMiB === undefined && p.elapsedMs >= request.warmupMs) {
        rssAfterWarmupMiB = rssMiB();
        heapAfterWarmup = liveHeap(target!);
      }
      if (heapAtEnd === undefined && p.elapsedMs >= request.durationMs - request.drainMs) heapAtEnd = liveHeap(target!);
      if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K  ${Math.round(p.elapsedMs / 1000)}/${Math.round(p.durationMs / 1000)} s  ${p.achievedRate.toFixed(0)}/s  failed ${p.failed}  dropped ${p.dropped}`);
    });
    const rssAtEndMiB = rssMiB();
    if (process.stdout.isTTY) process.stdout.write('\r\x1b[2K');
    const cpu = process.cpuUsage(cpuBefore);
    const thread = process.threadCpuUsage(threadBefore);
    const completed = Math.max(1, summary.series.reduce((sum, s) => sum + s.succeeded, 0));
    return {
      summary, runnerMicrosPerIteration: (thread.user + thread.system) / completed, processMicrosPerIteration: (cpu.user + cpu.system) / completed,
      peakRssMiB: peakRss, rssAfterWarmupMiB, rssAtEndMiB, peakRunnerHeapMiB: peakHeap / 2 ** 20,
      liveHeapAfterWarmup: await heapAfterWarmup, liveHeapAtEnd: await heapAtEnd,
    };
  } finally {
    clearInterval(rss);
    await callbacks?.stop();
    await target?.stop();
  }
}

/** Successful iterations per second over the steady-state window, by completion time: the one rate every line prints. */
const achieved = (s: LoadSummary) => s.achievedRate;
const failed = (s: LoadSummary) => s.iterations.attempts - s.iterations.successes;
/** Why a step fell short of what it offered, in words; undefined when it held. */
function shortfall(s: LoadSummary, p99BoundMs: number): string | undefined {
  const p99 = s.iterations.percentilesMs['99'] ?? Infinity;
  const why = [
    s.dropped > 0 ? `${s.dropped} arrivals dropped (${s.governed
      ? `the hub completed ${Math.round(s.governed.paceAtLowest)}/s: held to as few as ${s.governed.lowest} in flight, what completes within ${Math.round(s.governed.targetMs / 1000)} s at that pace`
      : `in-flight cap ${s.limits?.maxInFlight ?? '?'}: ${s.limits?.maxInFlightSource ?? ''}`})` : '',
    failed(s) > 0 ? `${failed(s)} iterations failed (${Object.entries(s.iterations.failures).slice(0, 3).map(([reason, n]) => `${reason} ×${n}`).join(', ')})` : '',
    s.generatorExhaustion ? `the load generator ran out (${s.generatorExhaustion.map((e) => `${e.code} ×${e.count}`).join(', ')})` : '',
    p99 > p99BoundMs ? `p99 ${p99 === Infinity ? 'unmeasured' : `${p99.toFixed(1)} ms`} above ${p99BoundMs} ms` : '',
  ].filter(Boolean);
  return why.length > 0 ? why.join('; ') : undefined;
}

function describe(m: Measured, stage: 'transfers' | 'iterations'): string {
  const s = m.summary;
  const stats = stage === 'iterations' ? s.iterations : s.phases.transfers;
  return `achieved ${achieved(s).toFixed(1)}/s of ${s.request.ratePerSecond}/s offered, dropped ${s.dropped}, failed ${failed(s)}, `
    + `p50 ${stats.percentilesMs['50']?.toFixed(1) ?? '–'} ms, p99 ${stats.percentilesMs['99']?.toFixed(1) ?? '–'} ms; `
    + `runner thread ${Math.round(m.runnerMicrosPerIteration)} µs CPU per completed ${stage === 'iterations' ? 'iteration' : 'transfer'} (whole process ${Math.round(m.processMicrosPerIteration)} µs), `
    + `peak RSS ${Math.round(m.peakRssMiB)} MiB (runner thread's heap ${Math.round(m.peakRunnerHeapMiB)} MiB)`;
}

const request = (flow: LoadRequest['flow'], ratePerSecond: number, seconds: number): LoadRequest => ({
  flow, profile: 'bench', ratePerSecond, durationMs: seconds * 1000,
  warmupMs: Math.min(10_000, seconds * 200), drainMs: Math.min(5000, seconds * 100), intervalMs: Math.min(10_000, seconds * 200),
});

/** What the bench line reports; filled in as the steps end, printed whatever happened. */
const figures = {
  clearing: undefined as Measured | undefined,
  secured: undefined as Measured | undefined,
  p2pRate: 0,
  runnerRate: 0,
  runnerMicros: undefined as number | undefined,
  runnerP99Ms: undefined as number | undefined,
  runnerRateWithinAim: 0,
  capacity: 0,
  stoppedShort: [] as string[],
};

function heapTotal(heap: LiveHeap | undefined): number | undefined {
  return heap && heap.runnerMiB + (heap.hubMiB ?? 0);
}

function benchLine(): string {
  const c = figures.clearing?.summary;
  const mib = (v: number | undefined) => (v === undefined ? 'unknown' : String(Math.round(v)));
  return `bench: transfers_per_s=${c ? achieved(c).toFixed(1) : 0} target_per_s=${CLEARING_TARGET} dropped=${c?.dropped ?? 0} failed=${c ? failed(c) : 0} `
    + `p99_ms=${Math.round(c?.phases.transfers.percentilesMs['99'] ?? -1)} rss_start_mib=${mib(figures.clearing?.rssAfterWarmupMiB)} rss_end_mib=${mib(figures.clearing?.rssAtEndMiB)} `
    + `live_heap_start_mib=${mib(heapTotal(figures.clearing?.liveHeapAfterWarmup))} live_heap_end_mib=${mib(heapTotal(figures.clearing?.liveHeapAtEnd))} `
    + `secured_transfers_per_s=${figures.secured ? achieved(figures.secured.summary).toFixed(1) : 0} `
    + `us_per_transfer=${figures.clearing ? Math.round(figures.clearing.processMicrosPerIteration) : 'unknown'} secured_us_per_transfer=${figures.secured ? Math.round(figures.secured.processMicrosPerIteration) : 'unknown'} `
    + `p2p_per_s=${figures.p2pRate} runner_p2p_per_s=${figures.runnerRate} runner_us_per_iteration=${figures.runnerMicros === undefined ? 'unknown' : Math.round(figures.runnerMicros)} `
    + `runner_p99_ms=${figures.runnerP99Ms === undefined ? 'unknown' : figures.runnerP99Ms.toFixed(1)} runner_p2p_per_s_p99_within_5ms=${figures.runnerRateWithinAim} `
    + `http_capacity_per_s=${Math.round(figures.capacity)}${figures.stoppedShort.length > 0 ? ` stopped_short="${figures.stoppedShort.join('; ').replaceAll('"', "'")}"` : ''}`;
}

/** A step that throws is a step that could not be measured: said, and the bench goes on. */
async function step<T>(name: string, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    const message = `${name}: ${(error as Error).message}`;
    figures.stoppedShort.push(message);
    line(`${name} could not be measured: ${(error as Error).message}`);
    return undefined;
  }
}

// A defect that escapes every step still ends with the figures measured so far.
process.on('uncaughtException', (error) => {
  figures.stoppedShort.push(`internal error: ${error.message}`);
  line(`internal error: ${error.stack ?? error.message}`);
  line(benchLine());
  process.exit(70);
});

const limit = descriptorLimit();
line(`bench on ${availableParallelism()} cores, Node ${process.version}, ${limit.source}; clearing ${clearingSeconds} s, secured clearing ${securedSeconds} s, P2P steps ${p2pSeconds} s`);
const capacity = await step('http capacity', () => httpCapacity(5));
figures.capacity = capacity?.perSecond ?? 0;
line(`http capacity (loopback, one thread serving and sending, 64 in flight): ${figures.capacity.toFixed(0)} requests/s, `
  + `${capacity ? Math.round(capacity.cpuMicrosPerExchange) : '?'} µs CPU per exchange, both ends — a P2P iteration sends 3 requests and serves their 3 callbacks: `
  + `at least ${capacity ? Math.round(3 * capacity.cpuMicrosPerExchange) : '?'} µs of the runner's CPU before any of its own work`);

if (steps.has('runner')) {
  line('runner alone (a stub hub on another thread answers and calls back at once; every check of the runner on):');
  for (const rate of [250, 500, 1000, 1500, 2000, 2500, 3000]) {
    const alone = await step(`runner alone at ${rate}/s`, () => measure(request('p2p', rate, p2pSeconds), 'stub'));
    if (!alone) break;
    const p99 = alone.summary.iterations.percentilesMs['99'] ?? Infinity;
    line(`  p2p at ${rate}/s for ${p2pSeconds} s: ${describe(alone, 'iterations')}; p99 overhead ${p99.toFixed(1)} ms (aim ≤ ${RUNNER_P99_OVERHEAD_MS} ms)`);
    // Held: every arrival started and checked, and no queue building up (p99 within the SLA's second).
    // The search goes on past a p99 above the aim: on a VM a thread woken per message costs more at
    // low rates than at high ones, so the overhead is not monotonic in the rate.
    const short = shortfall(alone.summary, 1000);
    if (short) {
      line(`  the runner alone stops at ${rate}/s: ${short}`);
      break;
    }
    Object.assign(figures, { runnerRate: rate, runnerMicros: alone.runnerMicrosPerIteration, runnerP99Ms: p99 });
    if (p99 <= RUNNER_P99_OVERHEAD_MS) figures.runnerRateWithinAim = rate;
  }
  line(`  the runner alone holds ${figures.runnerRate} P2P transfers/s (0 dropped, 0 failed; ${figures.runnerRate * 12} requests/s, `
    + `${((figures.runnerRate * 12 * 100) / Math.max(1, figures.capacity)).toFixed(0)} % of the loopback capacity of ${Math.round(figures.capacity)} requests/s) `
    + `at ${figures.runnerMicros === undefined ? '?' : Math.round(figures.runnerMicros)} µs of its thread's CPU per iteration, p99 overhead ${figures.runnerP99Ms?.toFixed(1) ?? '?'} ms; `
    + `the highest rate with p99 overhead ≤ ${RUNNER_P99_OVERHEAD_MS} ms: ${figures.runnerRateWithinAim}/s`);
}

if (steps.has('clearing')) {
  const clearing = await step(`clearing at ${CLEARING_TARGET}/s`, () => measure(request('clearing', CLEARING_TARGET, clearingSeconds), 'embedded'));
  if (clearing) {
    figures.clearing = clearing;
    const s = clearing.summary;
    line(`clearing at ${CLEARING_TARGET}/s for ${clearingSeconds} s (embedded hub): ${describe(clearing, 'transfers')}`);
    line(`  RSS ${clearing.rssAfterWarmupMiB?.toFixed(0) ?? '?'} MiB after the warm-up → ${clearing.rssAtEndMiB?.toFixed(0) ?? '?'} MiB at the end`
      + (clearing.rssAfterWarmupMiB && clearing.rssAtEndMiB ? ` (${(((clearing.rssAtEndMiB - clearing.rssAfterWarmupMiB) * 100) / clearing.rssAfterWarmupMiB).toFixed(0)} %)` : ''));
    const [early, late] = [clearing.liveHeapAfterWarmup, clearing.liveHeapAtEnd];
    if (early && late) {
      line(`  live heap${collect ? ' after a full collection' : ' (not collected first: run with node --expose-gc)'}: runner thread ${early.runnerMiB.toFixed(0)} → ${late.runnerMiB.toFixed(0)} MiB, `
        + `hub thread ${early.hubMiB?.toFixed(0) ?? '?'} → ${late.hubMiB?.toFixed(0) ?? '?'} MiB (after the warm-up → as the drain begins; RSS also keeps what the collector freed but the allocator has not returned)`);
    }
    line(`  a clearing transfer is 4 HTTP requests: ${(achieved(s) * 4).toFixed(0)} requests/s, ${((achieved(s) * 4 * 100) / Math.max(1, figures.capacity)).toFixed(0)} % of the loopback capacity`);
    const short = shortfall(s, 1000);
    if (short) {
      figures.stoppedShort.push(`clearing: ${short}`);
      line(`  short of ${CLEARING_TARGET}/s: ${short}`);
    }
  }
}

if (steps.has('secured')) {
  // The same clearing load against the hub an IaC tier runs: every connection mutual TLS, every
  // request a bearer token, every POST and PUT signed and verified (by the hub, and by our callback
  // server for what reaches us). CPU per transfer is the whole process's: runner, hub and payee.
  const secured = await step(`secured clearing at ${CLEARING_TARGET}/s`, () => measure(request('clearing', CLEARING_TARGET, securedSeconds), 'secured'));
  if (secured) {
    figures.secured = secured;
    line(`secured clearing at ${CLEARING_TARGET}/s for ${securedSeconds} s (fully secured embedded hub: mTLS, tokens, JWS on every POST/PUT): ${describe(secured, 'transfers')}`);
    const plain = figures.clearing;
    if (plain) {
      const [rate, securedRate] = [achieved(plain.summary), achieved(secured.summary)];
      const [micros, securedMicros] = [plain.processMicrosPerIteration, secured.processMicrosPerIteration];
      line(`  beside the plain clearing: ${rate.toFixed(1)}/s → ${securedRate.toFixed(1)}/s achieved (${(((securedRate - rate) * 100) / Math.max(1, rate)).toFixed(0)} %), `
        + `${Math.round(micros)} → ${Math.round(securedMicros)} µs of CPU per transfer, all threads (+${Math.round(securedMicros - micros)} µs, ×${(securedMicros / Math.max(1, micros)).toFixed(2)}): what security costs`);
    } else {
      line('  (the plain clearing step did not run: BENCH_STEPS without clearing has nothing to set it beside)');
    }
    const short = shortfall(secured.summary, 1000);
    if (short) {
      figures.stoppedShort.push(`secured clearing: ${short}`);
      line(`  short of ${CLEARING_TARGET}/s: ${short}`);
    }
  }
}

if (steps.has('p2p')) {
  for (const rate of [100, 200, 300, 400, 500, 600, 700, 800, 1000]) {
    const measured = await step(`p2p at ${rate}/s`, () => measure(request('p2p', rate, p2pSeconds), 'embedded'));
    if (!measured) break;
    line(`p2p at ${rate}/s for ${p2pSeconds} s (embedded hub): ${describe(measured, 'iterations')}`);
    const short = shortfall(measured.summary, 1000);
    if (short) {
      line(`  the embedded hub and runner stop at ${rate}/s: ${short}`);
      break;
    }
    figures.p2pRate = rate;
  }
  line(`  a P2P transfer is 12 HTTP requests: ${figures.p2pRate}/s is ${((figures.p2pRate * 12 * 100) / Math.max(1, figures.capacity)).toFixed(0)} % of the loopback capacity`);
}

if (steps.has('overhead')) {
  const overheadSeconds = Math.min(20, clearingSeconds);
  const base = await step('overhead (no delay)', () => measure(request('clearing', 100, overheadSeconds), 'embedded'));
  const delayed = await step('overhead (250 ms delay)', () => measure(request('clearing', 100, overheadSeconds), 'embedded', { callbackDelayMs: 250 }));
  if (base && delayed) {
    const shift = (delayed.summary.phases.transfers.percentilesMs['50'] ?? 0) - (base.summary.phases.transfers.percentilesMs['50'] ?? 0);
    line(`runner overhead: a 250 ms callback delay moved the clearing p50 by ${shift.toFixed(1)} ms (${(shift - 250).toFixed(1)} ms off)`);
  }
}

line(benchLine());
