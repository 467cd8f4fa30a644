/**
 * The environment variables every load script reads (k6 `__ENV`), parsed once in the init context.
 * load/README.md documents them; a missing or malformed value throws at init, so k6 stops before
 * any load is offered.
 */
import type { Options, Scenario } from 'k6/options';
import type { PartyId } from '../../src/fspiop/messages.ts';
import { FAILURE_REASONS, PHASE_TRENDS, SCENARIOS, type ScenarioName } from '../../src/load/load-contract.ts';

export interface LoadConfig {
  hubUrl: string;
  callbackWsUrl: string;
  payerFsp: string;
  payeeFsp: string;
  payer: PartyId;
  payee: PartyId;
  currency: string;
  amount: string;
  /** Iterations started per second (open model). */
  rate: number;
  /** Whole run, and the parts cut off its start (warm-up) and end (drain), ms. */
  durationMs: number;
  warmupMs: number;
  drainMs: number;
  callbackTimeoutMs: number;
  requestTimeoutMs: number;
  preAllocatedVUs: number;
  maxVUs: number;
  summaryFile: string;
  /** clearing.ts: agree new terms this often (quotes expire). */
  quoteRefreshMs: number;
  /** Names this run in its iteration reports, so a runner sharing the channel reads only its own. */
  runId: string;
  /**
   * Where each iteration's report goes: `channel` (over the notification channel, to the runner
   * that started k6) or `log` (one JSON line on k6's console, and the end-of-test summary on
   * stdout: k6 runs in pods whose logs the k6-operator runner reads).
   */
  reportTo: 'channel' | 'log';
}

export { FAILURE_REASONS, PHASE_TRENDS, SCENARIOS, type FailureReason, type Phase as PhaseName, type ScenarioName } from '../../src/load/load-contract.ts';

/** k6 reports these Trend statistics; the runner reads the percentiles. */
export const TREND_STATS = ['count', 'avg', 'min', 'max', 'p(50)', 'p(95)', 'p(99)', 'p(99.9)'];

export function readConfig(env: Record<string, string | undefined>): LoadConfig {
  const rate = positiveNumber(env, 'RATE', 10);
  const callbackTimeoutMs = positiveNumber(env, 'CALLBACK_TIMEOUT_MS', 10_000);
  const preAllocatedVUs = Math.ceil(positiveNumber(env, 'PRE_ALLOCATED_VUS', Math.max(10, Math.ceil(rate * 2))));
  const durationMs = duration(env, 'DURATION', '60s');
  const warmupMs = duration(env, 'WARMUP', '0s', true);
  const drainMs = duration(env, 'DRAIN', '0s', true);
  if (warmupMs + drainMs >= durationMs) {
    throw new Error(`WARMUP (${warmupMs} ms) + DRAIN (${drainMs} ms) must leave a steady state inside DURATION (${durationMs} ms)`);
  }
  return {
    hubUrl: url(env, 'HUB_URL', ['http:', 'https:']),
    callbackWsUrl: url(env, 'CALLBACK_WS_URL', ['ws:', 'wss:']),
    payerFsp: text(env, 'PAYER_FSP', 'payerfsp'),
    payeeFsp: text(env, 'PAYEE_FSP', 'payeefsp'),
    payer: party(env, 'PAYER_PARTY', 'MSISDN/27710101999'),
    payee: party(env, 'PAYEE_PARTY', 'MSISDN/27713803912'),
    currency: text(env, 'CURRENCY', 'USD'),
    amount: text(env, 'AMOUNT', '10'),
    rate,
    durationMs,
    warmupMs,
    drainMs,
    callbackTimeoutMs,
    requestTimeoutMs: positiveNumber(env, 'REQUEST_TIMEOUT_MS', 5_000),
    preAllocatedVUs,
    maxVUs: Math.max(preAllocatedVUs, Math.ceil(positiveNumber(env, 'MAX_VUS', Math.ceil(rate * 10)))),
    summaryFile: text(env, 'SUMMARY_FILE', 'k6-summary.json'),
    quoteRefreshMs: duration(env, 'QUOTE_REFRESH', '30s'),
    runId: env.RUN_ID?.trim() ?? '',
    reportTo: oneOf(env, 'REPORT_TO', ['channel', 'log'] as const, 'channel'),
  };
}

/** Where each scenario starts in the run, ms: the steady state is cut out by scenario, since k6 has no warm-up cut. */
export function scenarioOffsets(config: LoadConfig): Record<ScenarioName, number> {
  return { warmup: 0, steady: config.warmupMs, drain: config.durationMs - config.drainMs };
}

/**
 * The open model: one `constant-arrival-rate` scenario per part of the run (warm-up, steady state,
 * drain), back to back at the same rate. Metrics carry the `scenario` tag k6 adds, so the
 * steady-state figures are the `{scenario:steady}` sub-metrics; the always-true thresholds below
 * exist only to make k6 compute those sub-metrics for `handleSummary` (k6 exits 99 only when a
 * threshold fails, and these cannot).
 */
export function loadOptions(config: LoadConfig, trends: readonly string[]): Options {
  const offsets = scenarioOffsets(config);
  const lengths: Record<ScenarioName, number> = { warmup: config.warmupMs, steady: config.durationMs - config.warmupMs - config.drainMs, drain: config.drainMs };
  // A whole rate per second reads best; a fractional one becomes iterations per 1000 s.
  const [rate, timeUnit] = Number.isInteger(config.rate) ? [config.rate, '1s'] : [Math.round(config.rate * 1000), '1000s'];
  // An iteration started just before its scenario ends may wait for three callbacks.
  const gracefulStop = `${Math.ceil((3 * (config.callbackTimeoutMs + config.requestTimeoutMs)) / 1000) + 5}s`;
  const scenarios: Record<string, Scenario> = {};
  for (const name of SCENARIOS) {
    if (lengths[name] <= 0) continue;
    scenarios[name] = {
      executor: 'constant-arrival-rate', rate, timeUnit,
      duration: `${lengths[name]}ms`, startTime: `${offsets[name]}ms`, gracefulStop,
      preAllocatedVUs: config.preAllocatedVUs, maxVUs: config.maxVUs,
    };
  }
  const thresholds: Record<string, string[]> = {};
  for (const trend of trends) thresholds[`${trend}{scenario:steady}`] = ['max>=0'];
  thresholds['dropped_iterations{scenario:steady}'] = ['count>=0'];
  for (const phase of Object.keys(PHASE_TRENDS)) {
    for (const reason of FAILURE_REASONS) thresholds[`failures{scenario:steady,phase:${phase},reason:${reason}}`] = ['count>=0'];
  }
  return { scenarios, thresholds, summaryTrendStats: TREND_STATS, setupTimeout: `${Math.ceil((4 * config.callbackTimeoutMs) / 1000) + 10}s` };
}

function text(env: Record<string, string | undefined>, name: string, fallback?: string): string {
  const value = env[name]?.trim() || fallback;
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}

function url(env: Record<string, string | undefined>, name: string, protocols: string[]): string {
  const value = text(env, name);
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(value)?.[1]?.toLowerCase();
  if (!scheme || !protocols.includes(scheme)) throw new Error(`${name} must be a ${protocols.map((p) => `${p}//`).join(' or ')} URL, got "${value}"`);
  return value;
}

function oneOf<T extends string>(env: Record<string, string | undefined>, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function positiveNumber(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

function party(env: Record<string, string | undefined>, name: string, fallback: string): PartyId {
  const value = text(env, name, fallback);
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) throw new Error(`${name} must be TYPE/ID (e.g. MSISDN/27713803912), got "${value}"`);
  return { type: value.slice(0, slash), id: value.slice(slash + 1) };
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A k6-style duration ("90s", "1m30s", "1500ms", "1h"), or plain seconds, in ms. */
export function parseDuration(value: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0);
}

function duration(env: Record<string, string | undefined>, name: string, fallback: string, zeroAllowed = false): number {
  const raw = env[name]?.trim() || fallback;
  const ms = parseDuration(raw);
  if (ms === undefined || ms < 0 || (!zeroAllowed && ms === 0)) throw new Error(`${name} must be a duration like 90s, 5m or 1h, got "${raw}"`);
  return Math.round(ms);
}
