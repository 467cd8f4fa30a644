import type { ResultDocument } from '../result-document.ts';

/** One load as result.json keeps it (`LoadEvidence` written as JSON: absent keys rather than undefined ones). */
export type RecordedLoad = ResultDocument['loads'][number];

/**
 * What the HTML report is drawn from: a run's `result.json`. A version 1 document (before issue 18)
 * has no `runId`, `fingerprint` or `loads`: the page says what a document lacks rather than
 * inventing it, so `npm run report:html` draws older results too.
 */
export type ReportInput = Omit<ResultDocument, 'runId' | 'fingerprint' | 'loads'> & Partial<Pick<ResultDocument, 'runId' | 'fingerprint' | 'loads'>>;
