import type { IterationReport } from '../../fspiop/notification-channel.ts';
import { cumulative } from '../phase-recorder.ts';
import { PHASES, type LoadRequest, type LoadSummary, type Phase, type PhaseStats, type SecondOfRun } from '../load-runner.ts';

/**
 * What the k6 scripts under load/ measure, and how their handleSummary document becomes a
 * LoadSummary. The names must match load/lib/config.ts and load/lib/flow.ts (the script test
 * checks that every sub-metric read here is one the scripts declare).
 */
export const SUMMARY_FORMAT = 'mojaloop-conformance/k6-summary@1';
export const PHASE_TRENDS: Record<Phase, string> = { lookups: 'lookup_ms', quotes: 'quote_ms', transfers: 'transfer_ms' };
export const ITERATION_TREND = 'iteration_ms';
/** The `reason` tag of the scripts' `failures` Counter, and the words a LoadSummary uses for it. */
export const FAILURE_REASONS: Record<string, string> = {
  timeout: 'timeout',
  http: 'HTTP error (not 202)',
  error_callback: 'error callback',
  invalid_callback: 'invalid callback body',
  not_committed: 'not COMMITTED',
  fulfilment: 'fulfilment does not match the condition',
  channel: 'notification channel',
};
const PERCENTILES = ['50', '95', '99', '99.9'];

/** The steady-state sub-metrics this mapping reads (each must be declared by the scripts, or k6 does not compute it). */
export function steadySubmetrics(): string[] {
  return [
    ...Object.values(PHASE_TRENDS).map((trend) => `${trend}{scenario:steady}`),
    `${ITERATION_TREND}{scenario:steady}`,
    'dropped_iterations{scenario:steady}',
    ...PHASES.flatMap((phase) => Object.keys(FAILURE_REASONS).map((reason) => failureMetric(phase, reason))),
  ];
}

function failureMetric(phase: Phase, reason: string): string {
  return `failures{scenario:steady,phase:${phase},reason:${reason}}`;
}

interface K6Metric {
  type?: string;
  values?: Record<string, number>;
}

/** The document the scripts' handleSummary writes: k6's summary data as k6 passes it. */
export interface K6SummaryDocument {
  format: string;
  script: string;
  load: { rate: number; durationMs: number; warmupMs: number; drainMs: number };
  data: { metrics?: Record<string, K6Metric>; state?: { testRunDurationMs?: number }; results?: unknown; version?: unknown };
}

export class K6SummaryError extends Error {
  override readonly name = 'K6SummaryError';
}

/** Checks the handleSummary document is one of ours, in the summary shape that carries percentiles. */
export function parseSummaryDocument(text: string, file: string): K6SummaryDocument {
  let document: K6SummaryDocument;
  try {
    document = JSON.parse(text) as K6SummaryDocument;
  } catch {
    throw new K6SummaryError(`k6 summary ${file} is not JSON`);
  }
  if (document?.format !== SUMMARY_FORMAT) throw new K6SummaryError(`k6 summary ${file} is not a ${SUMMARY_FORMAT} document (format: ${JSON.stringify(document?.format ?? null)})`);
  if (!document.data?.metrics || typeof document.data.metrics !== 'object') {
    const machineReadable = document.data && 'results' in document.data && 'version' in document.data;
    throw new K6SummaryError(machineReadable
      ? `k6 passed handleSummary its machine-readable summary, which has no p(99) nor sub-metrics; run k6 with K6_NEW_MACHINE_READABLE_SUMMARY=false (the runner sets it) or a k6 that still offers the classic summary data`
      : `k6 summary ${file} carries no metrics`);
  }
  return document;
}

export interface SummaryContext {
  request: Omit<LoadRequest, 'fault'>;
  /** When the request asked for a fault: when it was due, for a summary whose fault never ran. */
  faultAtMs?: number | undefined;
  k6Version: string;
  reports: readonly IterationReport[];
  committedSample: string[];
  fault?: LoadSummary['fault'];
}

/**
 * k6's steady-state sub-metrics (`{scenario:steady}`: iterations that started after the warm-up
 * and before the drain) give the counts, failures by reason, percentiles and dropped iterations;
 * the per-iteration reports relayed by the notification channel give what k6's summary cannot:
 * completions by time (achieved rate, intervals, the per-second series) and the committed sample.
 */
export function toLoadSummary(document: K6SummaryDocument, context: SummaryContext): LoadSummary {
  const metrics = document.data.metrics!;
  const { request } = context;
  const window = { startMs: request.warmupMs, endMs: request.durationMs - request.drainMs };
  const windowSeconds = (window.endMs - window.startMs) / 1000;
  const count = (name: string) => metrics[name]?.values?.count ?? 0;

  const steady = context.reports.filter((r) => r.scenario === 'steady');
  const phases = Object.fromEntries(PHASES.map((phase) => {
    const failures: Record<string, number> = {};
    for (const [reason, words] of Object.entries(FAILURE_REASONS)) {
      const n = count(failureMetric(phase, reason));
      if (n > 0) failures[words] = n;
    }
    return [phase, withLatencies(stats(metrics[`${PHASE_TRENDS[phase]}{scenario:steady}`], failures), phase, steady)];
  })) as Record<Phase, PhaseStats>;

  // An iteration fails at its first failing phase, so its failures are the phases' failures.
  const iterationFailures: Record<string, number> = {};
  for (const phase of PHASES) {
    for (const [words, n] of Object.entries(phases[phase].failures)) iterationFailures[`${phase}: ${words}`] = n;
  }
  const iterations = stats(metrics[`${ITERATION_TREND}{scenario:steady}`], iterationFailures);

  const completedInWindow = steady.filter((r) => r.ok && r.endMs >= window.startMs && r.endMs < window.endMs);
  const intervals: LoadSummary['intervals'] = [];
  if (context.reports.length > 0) {
    // Whole intervals only, as the builtin runner cuts them (a short last one would look like a dip); one for the window if none fits.
    const succeeded = (start: number, end: number) => completedInWindow.filter((r) => r.endMs >= start && r.endMs < end).length;
    for (let start = window.startMs; start + request.intervalMs <= window.endMs; start += request.intervalMs) {
      intervals.push({ startMs: start, endMs: start + request.intervalMs, succeeded: succeeded(start, start + request.intervalMs) });
    }
    if (intervals.length === 0 && window.endMs > window.startMs) intervals.push({ ...window, succeeded: succeeded(window.startMs, window.endMs) });
  }
  const achievedRate = context.reports.length > 0 ? completedInWindow.length / windowSeconds : iterations.successes / windowSeconds;

  const total = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
  const windowWords = request.warmupMs === 0 && request.drainMs === 0
    ? `whole run of ${total(request.durationMs)}`
    : `steady state ${total(window.startMs)}–${total(window.endMs)} of ${total(request.durationMs)}`;
  const reportsWords = context.reports.length > 0 ? '' : '; no per-iteration reports reached the notification channel, so no intervals or series';

  return {
    source: `k6 ${context.k6Version} runner (${request.flow}), profile ${request.profile}, ${windowWords}${reportsWords}`,
    runner: 'k6',
    request,
    window,
    scheduled: Math.round(request.ratePerSecond * windowSeconds),
    dropped: count('dropped_iterations{scenario:steady}'),
    achievedRate,
    intervals,
    iterations,
    phases,
    series: series(context.reports, request.durationMs),
    committedSample: context.committedSample,
    ...(context.fault ? { fault: context.fault }
      : context.faultAtMs !== undefined ? { fault: { broke: undefined, atMs: context.faultAtMs, problem: 'the load ended before the fault was due' } } : {}),
  };
}

function stats(trend: K6Metric | undefined, failures: Record<string, number>): PhaseStats {
  const values = trend?.values ?? {};
  const successes = values.count ?? 0;
  const failed = Object.values(failures).reduce((sum, n) => sum + n, 0);
  const percentilesMs: Record<string, number> = {};
  if (successes > 0) {
    for (const p of PERCENTILES) {
      const value = values[`p(${p})`];
      if (typeof value === 'number' && Number.isFinite(value)) percentilesMs[p] = value;
    }
  }
  return { attempts: successes + failed, successes, failures, percentilesMs, completedBelowMs: estimatedFromPercentiles(percentilesMs, successes) };
}

const ESTIMATE = 'estimated from k6\'s p50/p95/p99/p99.9 (a lower bound: at least p % of successes took at most the p-th percentile), '
  + 'since k6\'s summary keeps no count under a bound and not every steady iteration\'s report reached the runner';

/**
 * The exact count of successes under any bound, from the per-iteration reports (each carries its
 * phases' latencies, the same values the phase Trends hold) — when the reports cover every
 * attempt k6 counted for the phase; otherwise the lower bound the percentiles give, marked so.
 */
function withLatencies(phase: PhaseStats, name: Phase, steady: readonly IterationReport[]): PhaseStats {
  const byMillisecond = new Map<number, number>();
  let attempts = 0;
  for (const report of steady) {
    const ms = report.phasesMs?.[name];
    if (ms !== undefined) {
      attempts += 1;
      byMillisecond.set(Math.floor(ms), (byMillisecond.get(Math.floor(ms)) ?? 0) + 1);
    } else if (report.phase === name) attempts += 1;
  }
  if (attempts === phase.attempts && attempts > 0) return { ...phase, completedBelowMs: cumulative(byMillisecond) };
  return phase.successes === 0 ? phase : { ...phase, completedBelowEstimate: ESTIMATE };
}

/** p % of successes took at most the p-th percentile v, so at least that many completed below floor(v) + 1. */
function estimatedFromPercentiles(percentilesMs: Record<string, number>, successes: number): Array<[number, number]> {
  return Object.entries(percentilesMs).map(([p, v]): [number, number] => [Math.floor(v) + 1, Math.floor((Number(p) / 100) * successes)])
    .sort(([a], [b]) => a - b);
}

/** Starts per second by start time, outcomes per second by completion time, over the whole run. */
function series(reports: readonly IterationReport[], durationMs: number): SecondOfRun[] {
  if (reports.length === 0) return [];
  const last = Math.max(Math.ceil(durationMs / 1000), ...reports.map((r) => Math.floor(r.endMs / 1000) + 1));
  const seconds: SecondOfRun[] = Array.from({ length: last }, (_, second) => ({ second, started: 0, succeeded: 0, failed: 0 }));
  const at = (ms: number) => seconds[Math.min(Math.max(Math.floor(ms / 1000), 0), last - 1)]!;
  for (const report of reports) {
    at(report.startMs).started += 1;
    if (report.ok) at(report.endMs).succeeded += 1;
    else at(report.endMs).failed += 1;
  }
  return seconds;
}
