import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDirectory } from '../../support/files.ts';
import { renderReportHtml } from './render-report-html.ts';
import type { ReportInput } from './report-input.ts';

/**
 * Writes `dir/report.html` atomically (a temporary file renamed over it), so a reader — or a digest
 * taken over the folder — never sees half a page, even when the run is killed while it is written.
 */
export async function writeReportHtml(dir: string, input: ReportInput): Promise<string> {
  await ensureDirectory(dir);
  const file = join(dir, 'report.html');
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, renderReportHtml(input));
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return file;
}
