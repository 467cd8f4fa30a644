/**
 * Evidence is what a probe saw, recorded while a scenario runs. It travels from step definitions to
 * the run as Cucumber attachments of this media type, so it is also visible in every Cucumber
 * formatter and in Allure, exactly as the verdict engine read it.
 */
export const EVIDENCE_MEDIA_TYPE = 'application/vnd.mojaloop-conformance.evidence+json';

/** One observed quantity compared with what the guarantee demands. */
export interface Measurement {
  /** What was measured, e.g. "transfer state", "lookup callback". */
  name: string;
  value: string | number | boolean | null;
  unit?: string | undefined;
  /** What the guarantee demands, in words: "= COMMITTED", "within 10000 ms". */
  threshold: string;
  ok: boolean;
  /** Where the value came from, e.g. "PUT /transfers/{id} callback relayed by http://127.0.0.1:4001". */
  source: string;
  /** Recorded beside what is judged, never deciding the verdict (always `ok`), e.g. the p99 of successes beside the share of attempts within 1 s. */
  informational?: true;
}

export interface OfferedLoad {
  ratePerSecond: number;
  durationMs: number;
}

export type EvidenceRecord =
  | { type: 'measurements'; measurements: Measurement[] }
  | { type: 'not-evaluated'; reason: string; capability?: string }
  /** The profile offered less load than the scenario asked for: a pass proves nothing about the asked load, a failure stands. */
  | { type: 'reduced-load'; asked: OfferedLoad; offered: OfferedLoad };

/** "20 transfers/s for 60 s", "1000 transfers/s for 1 h". */
export function describeLoad(load: OfferedLoad): string {
  const seconds = load.durationMs / 1000;
  const duration = seconds % 3600 === 0 ? `${seconds / 3600} h` : seconds % 60 === 0 && seconds >= 600 ? `${seconds / 60} min` : `${seconds} s`;
  return `${load.ratePerSecond} transfers/s for ${duration}`;
}

export function formatMeasuredValue(measurement: Measurement): string {
  const value = measurement.value === null ? 'none' : String(measurement.value);
  return measurement.unit ? `${value} ${measurement.unit}` : value;
}

/** "transfer state was ABORTED, expected = COMMITTED; …" — how an out-of-threshold measurement reads everywhere. */
export function describeFailures(failed: readonly Measurement[]): string {
  return failed.map((m) => `${m.name} was ${formatMeasuredValue(m)}, expected ${m.threshold}`).join('; ');
}

export function isEvidenceRecord(value: unknown): value is EvidenceRecord {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'measurements' || type === 'not-evaluated' || type === 'reduced-load';
}
