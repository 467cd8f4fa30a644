import { writeReportHtml } from './html/write-report-html.ts';
import type { Reporter, RunEvidence, WrittenFile } from './reporter.ts';

/** `report.html` in the run's folder: the page a release manager opens (src/reports/html). */
export class HtmlReporter implements Reporter {
  readonly name = 'report.html';

  async onRunFinished(evidence: RunEvidence): Promise<WrittenFile[]> {
    return [{ path: await writeReportHtml(evidence.runDir, evidence.document), note: 'open in a browser; no network needed' }];
  }
}
