import type { LoadEvidence } from '../load-evidence.ts';
import type { ResultDocument } from '../result-document.ts';

/**
 * What the HTML report is drawn from: a run's `result.json`. `runId`, `fingerprint` and `loads`
 * arrive with result.json v2 (issue 18); until every document carries them they are optional here,
 * and the page says what a document lacks rather than inventing it.
 */
export type ReportInput = ResultDocument & {
  runId?: string;
  fingerprint?: Record<string, unknown>;
  loads?: LoadEvidence[];
};
