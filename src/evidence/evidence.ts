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
}

export interface OfferedLoad {
  ratePerSecond: number;
  durationMs: number;
}

export type EvidenceRecord =
  | { type: 'measurements'; measurements: Measurement[] }
  | { type: 'not-evaluated'; reason: string; capability?: string }
  /** The profile offered less load than the scenario asked for: the verdict is not at full threshold. */
  | { type: 'reduced-load'; asked: OfferedLoad; offered: OfferedLoad };

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
