import { join } from 'node:path';
import { writeFileAtomically } from './atomic-file.ts';
import { renderJunitNoRun } from './junit-reporter.ts';
import { writeResultDocument, type NoRunDocument } from './result-document.ts';
import { renderSummaryMarkdownNoRun } from './summary-markdown-reporter.ts';

/**
 * What `reports/latest/` says when a command is refused before its run starts: result.json,
 * junit.xml and summary.md each saying why — never an earlier run's files read as this one's.
 * Only replaced, never removed: the folder comes from a refused command line or config.
 */
export async function writeNoRunOutputs(reportsDir: string, document: NoRunDocument): Promise<void> {
  await writeResultDocument(reportsDir, document);
  await writeFileAtomically(join(reportsDir, 'latest', 'junit.xml'), renderJunitNoRun(document));
  await writeFileAtomically(join(reportsDir, 'latest', 'summary.md'), renderSummaryMarkdownNoRun(document));
}
