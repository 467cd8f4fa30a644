import { join } from 'node:path';
import { writeFileAtomically } from '../atomic-file.ts';
import { renderReportHtml } from './render-report-html.ts';
import type { ReportInput } from './report-input.ts';

/**
 * Writes `dir/report.html` atomically (a temporary file renamed over it), so a reader — or a digest
 * taken over the folder — never sees half a page, even when the run is killed while it is written.
 */
export async function writeReportHtml(dir: string, input: ReportInput): Promise<string> {
  const file = join(dir, 'report.html');
  await writeFileAtomically(file, renderReportHtml(input));
  return file;
}
