import type { IterationReport } from '../../fspiop/notification-channel.ts';
import type { IterationRecord } from '../load-accounting.ts';
import { FAILURE_REASONS, ITERATION_TREND, PHASE_TRENDS, PHASES, SUMMARY_FORMAT, type Phase } from '../load-contract.ts';

/**
 * What the k6 scripts under load/ write, and what of it the runner reads: the iterations come one
 * by one as reports over the notification channel (and go into LoadAccounting like the builtin
 * runner's); k6's own end-of-test counts say how many arrivals it dropped and how many steady-state
 * iterations it ran, which the reports must account for. The names come from the contract module
 * the scripts bundle too (the script test checks every sub-metric read here is one they declare).
 */
export { SUMMARY_FORMAT };

/** The steady-state sub-metrics this mapping reads (each must be declared by the scripts, or k6 does not compute it). */
export function steadySubmetrics(): string[] {
  return [
    ...Object.values(PHASE_TRENDS).map((trend) => `${trend}{scenario:steady}`),
    `${ITERATION_TREND}{scenario:steady}`,
    'dropped_iterations{scenario:steady}',
    ...PHASES.flatMap((phase) => FAILURE_REASONS.map((reason) => failureMetric(phase, reason))),
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

/** k6's own counts over the steady state: the arrivals it dropped, and the iterations it ran (succeeded or failed). */
export function k6Counts(document: K6SummaryDocument): { dropped: number; steadyIterations: number } {
  const metrics = document.data.metrics!;
  const count = (name: string) => metrics[name]?.values?.count ?? 0;
  const failed = PHASES.reduce((sum, phase) => sum + FAILURE_REASONS.reduce((n, reason) => n + count(failureMetric(phase, reason)), 0), 0);
  return { dropped: count('dropped_iterations{scenario:steady}'), steadyIterations: count(`${ITERATION_TREND}{scenario:steady}`) + failed };
}

/** One report from the notification channel as the accounting takes it: k6's scenario says whether it is of the steady state. */
export function iterationRecord(report: IterationReport): IterationRecord {
  const phasesMs: Partial<Record<Phase, number>> = {};
  for (const phase of PHASES) {
    const ms = report.phasesMs?.[phase];
    if (typeof ms === 'number') phasesMs[phase] = ms;
  }
  const failedPhase = PHASES.find((phase) => phase === report.phase);
  return {
    startMs: report.startMs,
    endMs: report.endMs,
    ok: report.ok,
    inWindow: report.scenario === 'steady',
    phasesMs,
    ...(report.ok ? {} : { failure: { phase: failedPhase ?? 'lookups', reason: report.reason ?? 'failed (no reason reported)' } }),
    ...(report.iterationMs !== undefined ? { iterationMs: report.iterationMs } : {}),
    ...(report.committedTransferId ? { committedTransferId: report.committedTransferId } : {}),
  };
}
