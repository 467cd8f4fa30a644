import type { CatalogueEntry } from '../catalogue/feature-catalogue.ts';
import type { ResultDocument } from './result-document.ts';

/**
 * Where a run's outputs go: the run's own folder `reportsDir/runs/<run id>/` for its files
 * (`reportsDir/latest` is published as a link to it), `reportsDir/allure-results/` for Allure's.
 */
export interface ReportPaths {
  reportsDir: string;
  runDir: string;
  allureDir: string;
}

/** A run beginning, before anything is evaluated: a reporter says the run has not finished, clears what an earlier run left in a shared folder (Allure's), or reads what it needs before an hour of load rather than after. */
export interface RunStarted extends ReportPaths {
  runId: string;
  startedAt: Date;
  tool: { name: string; version: string };
}

/**
 * Everything a run found, as every reporter receives it: the result document (verdicts,
 * certificate, fingerprint, each load's series and histograms), the catalogue of the tier, and the
 * files the reporters before this one wrote (a statement over their digests, a summary naming them).
 */
export interface RunEvidence extends ReportPaths {
  document: ResultDocument;
  catalogue: readonly CatalogueEntry[];
  written: readonly WrittenFile[];
}

export interface WrittenFile {
  path: string;
  /** What a person does with it, when it is not read as it is ("npm run report → HTML"). */
  note?: string;
}

/**
 * One output of a run — the terminal, `result.json`, Allure, JUnit, `summary.md`, the HTML report,
 * the in-toto statement. Each is fed the same evidence; the run calls them in the order of the list
 * in `reporters.ts`, so adding one is one line there. A reporter that cannot write its file throws:
 * the run says so and exits as for any unwritable reports folder.
 */
export interface Reporter {
  readonly name: string;
  onRunStarted?(run: RunStarted): Promise<void>;
  onRunFinished(evidence: RunEvidence): Promise<WrittenFile[]>;
}
