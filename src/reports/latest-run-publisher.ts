import { join } from 'node:path';
import type { Reporter, RunEvidence, RunStarted, WrittenFile } from './reporter.ts';
import { LATEST, publishLatest } from './runs/run-directory.ts';

/**
 * `reports/latest`, pointed at this run's folder: once its in-progress result.json is written (so
 * `latest` never shows an older run's verdict while this one runs, or after it was killed), and
 * again when every file is written, removing the oldest runs beyond the bound (docs/evidence.md).
 * After the file reporters in the list, before the terminal, which names it.
 */
export class LatestRunPublisher implements Reporter {
  readonly name = 'latest';

  async onRunStarted(run: RunStarted): Promise<void> {
    await publishLatest(run.reportsDir, run.runId);
  }

  async onRunFinished(evidence: RunEvidence): Promise<WrittenFile[]> {
    const published = await publishLatest(evidence.reportsDir, evidence.document.runId);
    const removed = published.removed.length > 0 ? `; ${published.removed.length} older run${published.removed.length > 1 ? 's' : ''} removed` : '';
    return [{ path: join(evidence.reportsDir, LATEST), note: `${published.latestAs === 'link' ? 'a link to' : 'a copy of'} this run's folder${removed}` }];
  }
}
