import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../../config/errors.ts';
import { readRecordedRun, type RecordedRun } from './recorded-run.ts';
import { isRunId, RUNS_FOLDER } from './run-directory.ts';

export interface ResolvedRun {
  /** As the user named it. */
  reference: string;
  resultFile: string;
  run: RecordedRun;
}

/**
 * A run as a user names it on a command line: a run's folder (`reports/latest`, a stored
 * baseline), a `result.json` path, or a run id under `REPORTS/runs/`. Paths are relative to `cwd`
 * (the folder npm was run from).
 */
export async function resolveRun(reference: string, options: { cwd: string; reportsDir: string }): Promise<ResolvedRun> {
  const path = resolve(options.cwd, reference);
  const found = await stat(path).catch(() => undefined);
  if (found?.isDirectory()) {
    const resultFile = join(path, 'result.json');
    if (!(await stat(resultFile).catch(() => undefined))?.isFile()) throw new UserError(`no result.json in "${reference}": name a run's folder, a result.json, or a run id under ${join(options.reportsDir, RUNS_FOLDER)}`);
    return { reference, resultFile, run: await readRecordedRun(resultFile) };
  }
  if (found?.isFile()) return { reference, resultFile: path, run: await readRecordedRun(path) };
  if (isRunId(reference) && basename(reference) === reference) {
    const resultFile = join(resolve(options.cwd, options.reportsDir), RUNS_FOLDER, reference, 'result.json');
    if ((await stat(resultFile).catch(() => undefined))?.isFile()) return { reference, resultFile, run: await readRecordedRun(resultFile) };
  }
  throw new UserError(`no run "${reference}": not a folder, a result.json, or a run id under ${join(resolve(options.cwd, options.reportsDir), RUNS_FOLDER)}`);
}
