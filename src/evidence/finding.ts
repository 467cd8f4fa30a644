import { AssertionError } from 'node:assert';
import { describeFailures, type EvidenceRecord, type Measurement, type OfferedLoad } from './evidence.ts';

/** Why a probe could not measure on this target; becomes NOT EVALUATED with this reason. */
export interface NotEvaluated {
  notEvaluated: string;
  capability?: string;
}

/** What a probe step returns: measurements, the reason it could not measure, or measurements under a reduced load. */
export type Finding =
  | Measurement[]
  | NotEvaluated
  | { measurements: Measurement[]; reducedLoad: { asked: OfferedLoad; offered: OfferedLoad } };

export function isNotEvaluated(finding: unknown): finding is NotEvaluated {
  return typeof finding === 'object' && finding !== null && 'notEvaluated' in finding;
}

/** The evidence records a finding attaches to its scenario. */
export function evidenceOf(finding: Finding): EvidenceRecord[] {
  if (Array.isArray(finding)) return finding.length > 0 ? [{ type: 'measurements', measurements: finding }] : [];
  if (isNotEvaluated(finding)) {
    return [{ type: 'not-evaluated', reason: finding.notEvaluated, ...(finding.capability ? { capability: finding.capability } : {}) }];
  }
  return [
    ...(finding.reducedLoad.offered.ratePerSecond < finding.reducedLoad.asked.ratePerSecond
      || finding.reducedLoad.offered.durationMs < finding.reducedLoad.asked.durationMs
      ? [{ type: 'reduced-load' as const, ...finding.reducedLoad }] : []),
    ...evidenceOf(finding.measurements),
  ];
}

/**
 * Attaches a finding to the running scenario, then fails the step with an AssertionError if a
 * measurement is out of threshold — an assertion, so reports show a failed guarantee, not a broken
 * test. Returns 'skipped' (Cucumber's word) for a finding that could not be measured, and for one
 * within threshold under a reduced load: `judge` makes it NOT EVALUATED, and the step's status is
 * what Cucumber's formatters (Allure) show.
 */
export async function recordFinding(finding: Finding, attach: (record: EvidenceRecord) => Promise<void>): Promise<'skipped' | undefined> {
  const records = evidenceOf(finding);
  for (const record of records) await attach(record);
  if (isNotEvaluated(finding)) return 'skipped';
  const measurements = Array.isArray(finding) ? finding : finding.measurements;
  const failed = measurements.filter((m) => !m.ok);
  if (failed.length > 0) {
    throw new AssertionError({ message: failed.map((m) => `${describeFailures([m])} (${m.source})`).join('; ') });
  }
  return records.some((record) => record.type === 'reduced-load') ? 'skipped' : undefined;
}
