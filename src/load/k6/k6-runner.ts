import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../config/errors.ts';
import type { PartyId } from '../../fspiop/messages.ts';
import type { IterationReport } from '../../fspiop/notification-channel.ts';
import { monotonicClock, type Clock, type ClockTimer } from '../../support/clock.ts';
import { redactUrl } from '../../support/url.ts';
import { LoadAccounting } from '../load-accounting.ts';
import type { FaultReport, LoadProgress, LoadRequest, LoadRunner, LoadSummary } from '../load-runner.ts';
import { buildLoadScripts } from './k6-scripts.ts';
import { iterationRecord, k6Counts, parseSummaryDocument } from './k6-summary.ts';

export const K6_INSTALL_URL = 'https://grafana.com/docs/k6/latest/set-up/install-k6/';
export const K6_NOT_INSTALLED = `k6 is not installed (no "k6" on PATH): install it from ${K6_INSTALL_URL} or run with --runner builtin`;

/** k6 exit codes (errext/exitcodes in k6), to say what went wrong in words. */
const EXIT_CODES: Record<number, string> = {
  97: 'cloud test run failed', 98: 'cloud progress lost', 99: 'thresholds failed', 100: 'setup() timed out', 101: 'teardown() timed out',
  102: 'timed out', 103: 'stopped through the REST API', 104: 'invalid configuration', 105: 'aborted by a signal', 106: 'REST API could not start',
  107: 'script exception', 108: 'script aborted (test.abort())', 109: 'k6 panicked', 110: 'marked as failed',
};

/** The version `k6 version` prints (e.g. "k6 v1.4.0 (go1.24, linux/amd64)"), or undefined when there is no k6 to run. */
export async function k6Available(options: { binary?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string | undefined> {
  const result = await new Promise<{ code: number | null; stdout: string } | undefined>((resolve) => {
    const child = spawn(options.binary ?? 'k6', ['version'], { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.once('error', () => resolve(undefined));
    child.once('close', (code) => resolve({ code, stdout }));
  });
  if (!result || result.code !== 0) return undefined;
  return result.stdout.trim().split('\n')[0]?.trim() || 'k6 (unknown version)';
}

/** The oldest k6 the scripts run on: `k6/websockets` became stable (not experimental) in 1.6. */
export const K6_MINIMUM = [1, 6] as const;

/** The k6 version, or the error `--runner k6` gives on a machine without k6 (or with one too old). */
export async function requireK6(options: { binary?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const version = await k6Available(options);
  if (!version) throw new UsageError(K6_NOT_INSTALLED);
  const match = /\bv(\d+)\.(\d+)\./.exec(version);
  if (match && (Number(match[1]) < K6_MINIMUM[0] || (Number(match[1]) === K6_MINIMUM[0] && Number(match[2]) < K6_MINIMUM[1]))) {
    throw new UsageError(`${version.split(' ').slice(0, 2).join(' ')} is too old: the load scripts need k6 ${K6_MINIMUM.join('.')} or newer (stable k6/websockets); update it (${K6_INSTALL_URL}) or run with --runner builtin`);
  }
  return version;
}

export class K6RunError extends Error {
  override readonly name = 'K6RunError';
  readonly exitCode: number | null;
  constructor(message: string, exitCode: number | null) {
    super(message);
    this.exitCode = exitCode;
  }
}

export interface K6RunnerOptions {
  /** The hub's FSPIOP endpoint (a path prefix and an API key query are kept). */
  hubUrl: string;
  /** The payer's notification channel: `NotificationChannel.urlFor(callbackServer.url)`. */
  callbackWsUrl: string;
  /** The channel's iteration reports: `(listener) => channel.onReport(listener)`. Without them no intervals, series nor committed sample. */
  reports?: ((listener: (report: IterationReport) => void) => () => void) | undefined;
  payerFsp: string;
  payeeFsp: string;
  payer: PartyId;
  payee: PartyId;
  currency: string;
  /** What each transfer sends. Default "10". */
  amount?: string;
  callbackTimeoutMs: number;
  requestTimeoutMs: number;
  preAllocatedVUs?: number | undefined;
  maxVUs?: number | undefined;
  /** The k6 executable; default `k6` on PATH. */
  binary?: string;
  /** The environment k6 runs in (PATH to find it); default this process's. */
  env?: NodeJS.ProcessEnv;
  /** Progress ticks and the fault's moment; default the monotonic clock. */
  clock?: Clock;
  /** Where the bundles are built; default dist/load. */
  bundleDir?: string;
}

/** How many committed transfer ids a summary carries for the validity gate. */
const COMMITTED_SAMPLE = 200;

/**
 * Runs the load with k6: builds load/<flow>.ts into dist/load (esbuild, tens of ms, so k6 always
 * runs the source in the tree), starts `k6 run` with the load in its environment, relays
 * progress from the iteration reports that reach the notification channel, injects the fault on
 * time, and maps the script's handleSummary document to a LoadSummary. k6 exits 99 when a
 * threshold fails; the scripts' thresholds only make k6 compute the steady-state sub-metrics and
 * the verdict is ours, so 99 is a finished run like 0. Any other exit is an error naming it.
 */
export class K6Runner implements LoadRunner {
  readonly name = 'k6';
  readonly #options: K6RunnerOptions;
  readonly #clock: Clock;

  constructor(options: K6RunnerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? monotonicClock;
  }

  async run(request: LoadRequest, onProgress?: (progress: LoadProgress) => void): Promise<LoadSummary> {
    const options = this.#options;
    const k6Version = await requireK6({ binary: options.binary, env: options.env });
    const scripts = await buildLoadScripts(options.bundleDir ? { outDir: options.bundleDir } : {});
    const script = scripts.find((s) => s.name === request.flow);
    if (!script) throw new Error(`no k6 script for flow "${request.flow}" under load/ (have: ${scripts.map((s) => s.name).join(', ')})`);

    const workDir = await mkdtemp(join(tmpdir(), 'conformance-k6-'));
    const summaryFile = join(workDir, 'summary.json');
    // The reports go straight into the books (bounded memory however long the load), as the builtin runner's iterations do.
    const books = new LoadAccounting(request, { sampleSize: COMMITTED_SAMPLE });
    if (options.maxVUs !== undefined) books.limitedBy({ maxInFlight: options.maxVUs, maxInFlightSource: 'load.maxInFlight (k6 maxVUs)' });
    let reported = 0;
    // The load's time 0 on our clock: k6 takes a while to start its VUs, so it is read off the
    // first report (its end, in the load's time, arrived now); until then, the moment k6 was started.
    const spawnedAt = this.#clock.now();
    let loadStart: number | undefined;
    let startedAt: Date | undefined;

    let fault: FaultReport | undefined;
    let faultRun: Promise<void> | undefined;
    let faultTimer: ClockTimer | undefined;
    const scheduleFault = (from: number) => {
      if (!request.fault || faultRun) return;
      const { atMs, inject } = request.fault;
      this.#clock.clearTimeout(faultTimer);
      faultTimer = this.#clock.setTimeout(() => {
        // An injector that fails broke nothing that can be judged; the run goes on and says so.
        faultRun = inject().then((report) => { fault = report; }, (error: unknown) => { fault = { broke: undefined, atMs, problem: (error as Error).message }; });
      }, Math.max(0, from + atMs - this.#clock.now()));
    };
    scheduleFault(spawnedAt);

    const runId = randomUUID();
    const unsubscribe = options.reports?.((report) => {
      // Another load on the same channel (or a straggler of an earlier one) is not this run's.
      if (report.run !== runId) return;
      if (loadStart === undefined) {
        loadStart = this.#clock.now() - report.endMs;
        startedAt = new Date(Date.now() - report.endMs);
        scheduleFault(loadStart);
      }
      reported += 1;
      books.started(report.startMs);
      books.record(iterationRecord(report));
    });

    let tickTimer: ClockTimer | undefined;
    if (onProgress) {
      const tick = () => {
        // k6 counts dropped arrivals only in its end-of-test summary: until then progress cannot say.
        onProgress(books.progress(this.#clock.now() - (loadStart ?? spawnedAt), { dropsKnown: false }));
        tickTimer = this.#clock.setTimeout(tick, 1000);
      };
      tickTimer = this.#clock.setTimeout(tick, 1000);
    }

    try {
      const exit = await this.#spawn(script.bundle, this.#environment(request, summaryFile, runId), request.signal);
      exit.stderrTail = this.#redact(exit.stderrTail);
      if (exit.code !== 0 && exit.code !== 99) {
        const meaning = exit.code === null ? `killed by ${exit.signal}` : k6ExitMeaning(exit.code);
        throw new K6RunError(`k6 run ${script.source} failed: ${meaning}${exit.stderrTail ? `; last output:\n${exit.stderrTail}` : ''}`, exit.code);
      }
      let text: string;
      try {
        text = await readFile(summaryFile, 'utf8');
      } catch {
        throw new K6RunError(`k6 finished (exit code ${exit.code}) without writing its summary to ${summaryFile}${exit.stderrTail ? `; last output:\n${exit.stderrTail}` : ''}`, exit.code);
      }
      await faultRun;
      const counts = k6Counts(parseSummaryDocument(text, summaryFile));
      books.droppedInTotal(counts.dropped);
      // An iteration k6 ran whose report never reached us cannot be judged: the tool lost it, not the hub.
      const unreported = counts.steadyIterations - books.attemptsInWindow;
      if (unreported > 0) {
        books.runnerError(`k6 ran ${counts.steadyIterations} steady-state iterations, ${reported === 0 ? 'and no report of any reached the runner (can k6 reach the notification channel?)' : `${unreported} of whose reports never reached the runner`}`, unreported);
      }
      const version = k6Version.replace(/^k6\s+/, '').split(' ')[0]!;
      const window = books.window;
      const total = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
      const windowWords = request.warmupMs === 0 && request.drainMs === 0
        ? `whole run of ${total(request.durationMs)}` : `steady state ${total(window.startMs)}–${total(window.endMs)} of ${total(request.durationMs)}`;
      return books.summary({
        runner: 'k6', source: `k6 ${version} runner (${request.flow}), profile ${request.profile}, ${windowWords}`,
        scheduled: Math.round((request.ratePerSecond * (window.endMs - window.startMs)) / 1000),
        startedAt,
        fault: fault ?? (request.fault ? { broke: undefined, atMs: request.fault.atMs, problem: 'the load ended before the fault was due' } : undefined),
      });
    } finally {
      this.#clock.clearTimeout(faultTimer);
      this.#clock.clearTimeout(tickTimer);
      unsubscribe?.();
      await rm(workDir, { recursive: true, force: true });
    }
  }

  /** k6's output may name the hub (an API key in its query) or the channel (its token). */
  #redact(text: string): string {
    let redacted = text;
    for (const url of [this.#options.hubUrl, this.#options.callbackWsUrl]) {
      const shown = redactUrl(url);
      if (shown !== url) redacted = redacted.split(url).join(shown);
      for (const [, value] of new URL(url).searchParams) if (value.length >= 4) redacted = redacted.split(value).join('***');
    }
    return redacted;
  }

  /** The script's variables (load/README.md) in k6's environment — not on its command line, where an API key would show. */
  #environment(request: LoadRequest, summaryFile: string, runId: string): NodeJS.ProcessEnv {
    const load = { ...scriptVariables(this.#options, request, runId), SUMMARY_FILE: summaryFile };
    const env: NodeJS.ProcessEnv = { ...(this.#options.env ?? process.env) };
    for (const [name, value] of Object.entries(load)) {
      if (value === undefined) delete env[name];
      else env[name] = value;
    }
    return env;
  }

  #spawn(bundle: string, env: NodeJS.ProcessEnv, signal: AbortSignal | undefined): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderrTail: string }> {
    // --address= : no REST API (two runs would fight over port 6565); --quiet: no progress bar.
    const args = ['run', '--quiet', '--no-color', '--address=', '--include-system-env-vars', bundle];
    return new Promise((resolve, reject) => {
      const child = spawn(this.#options.binary ?? 'k6', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      // The run stopping stops k6 as Ctrl-C would: it ends its iterations and still writes its summary.
      signal?.addEventListener('abort', () => child.kill('SIGINT'), { once: true });
      const tail = new Tail(20);
      child.stdout.on('data', (chunk: Buffer) => tail.push(chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => tail.push(chunk.toString()));
      child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new UsageError(K6_NOT_INSTALLED) : error));
      child.once('close', (code, signal) => resolve({ code, signal, stderrTail: tail.text() }));
    });
  }
}

/** What the scripts need to know of a load, whoever runs k6. */
export type ScriptSettings = Pick<K6RunnerOptions, 'hubUrl' | 'callbackWsUrl' | 'payerFsp' | 'payeeFsp' | 'payer' | 'payee' | 'currency' | 'amount' | 'callbackTimeoutMs' | 'requestTimeoutMs' | 'preAllocatedVUs' | 'maxVUs'>;

/** The scripts' variables (load/README.md) for one load; undefined: the script's default. */
export function scriptVariables(o: ScriptSettings, request: LoadRequest, runId: string): Record<string, string | undefined> {
  return {
    HUB_URL: o.hubUrl,
    CALLBACK_WS_URL: o.callbackWsUrl,
    PAYER_FSP: o.payerFsp,
    PAYEE_FSP: o.payeeFsp,
    PAYER_PARTY: `${o.payer.type}/${o.payer.id}`,
    PAYEE_PARTY: `${o.payee.type}/${o.payee.id}`,
    CURRENCY: o.currency,
    AMOUNT: o.amount ?? '10',
    RATE: String(request.ratePerSecond),
    DURATION: `${Math.round(request.durationMs)}ms`,
    WARMUP: `${Math.round(request.warmupMs)}ms`,
    DRAIN: `${Math.round(request.drainMs)}ms`,
    CALLBACK_TIMEOUT_MS: String(o.callbackTimeoutMs),
    REQUEST_TIMEOUT_MS: String(o.requestTimeoutMs),
    PRE_ALLOCATED_VUS: o.preAllocatedVUs === undefined ? undefined : String(o.preAllocatedVUs),
    MAX_VUS: o.maxVUs === undefined ? undefined : String(o.maxVUs),
    RUN_ID: runId,
    // handleSummary must get the classic summary data (percentiles, sub-metrics), not the machine-readable one.
    K6_NEW_MACHINE_READABLE_SUMMARY: 'false',
    K6_NO_USAGE_REPORT: 'true',
  };
}

/** How long k6 may go on after a scenario's end (the scripts' gracefulStop): an iteration started just before may wait for three callbacks. */
export function gracefulStopMs(o: Pick<ScriptSettings, 'callbackTimeoutMs' | 'requestTimeoutMs'>): number {
  return (Math.ceil((3 * (o.callbackTimeoutMs + o.requestTimeoutMs)) / 1000) + 5) * 1000;
}

/** k6's exit code in words. */
export function k6ExitMeaning(code: number): string {
  return `exit code ${code}${EXIT_CODES[code] ? ` (${EXIT_CODES[code]})` : ''}`;
}

/** The last lines of k6's output, for an error message. */
class Tail {
  readonly #max: number;
  #lines: string[] = [];
  #partial = '';
  constructor(max: number) {
    this.#max = max;
  }

  push(text: string): void {
    const lines = (this.#partial + text).split('\n');
    this.#partial = lines.pop() ?? '';
    this.#lines.push(...lines.filter((l) => l.trim() !== ''));
    if (this.#lines.length > this.#max) this.#lines = this.#lines.slice(-this.#max);
  }

  text(): string {
    return [...this.#lines, ...(this.#partial.trim() ? [this.#partial] : [])].slice(-this.#max).map((l) => l.slice(0, 300)).join('\n');
  }
}
