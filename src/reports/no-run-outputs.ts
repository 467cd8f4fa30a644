import { join } from 'node:path';
import { writeFileAtomically } from './atomic-file.ts';
import { renderJunitNoRun } from './junit-reporter.ts';
import { writeResultDocument, type NoRunDocument } from './result-document.ts';
import { allocateRunDirectory, publishLatest } from './runs/run-directory.ts';
import { renderSummaryMarkdownNoRun } from './summary-markdown-reporter.ts';

/**
 * What `reports/latest/` says when a command is refused before its run starts: a run folder of its
 * own with result.json, junit.xml and summary.md each saying why, published as the latest — never
 * an earlier run's files read as this one's, and never written over them.
 */
export async function writeNoRunOutputs(reportsDir: string, document: NoRunDocument): Promise<void> {
  // A folder of its own: `latest` may be a link to a finished run, whose attested files must never be written through it.
  const { runId, dir } = await allocateRunDirectory(reportsDir);
  await writeResultDocument(dir, { ...document, runId });
  await writeFileAtomically(join(dir, 'junit.xml'), renderJunitNoRun(document));
  await writeFileAtomically(join(dir, 'summary.md'), renderSummaryMarkdownNoRun(document));
  await publishLatest(reportsDir, runId);
}
