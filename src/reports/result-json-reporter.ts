import { UserError } from '../config/errors.ts';
import { noRunDocument, writeResultDocument } from './result-document.ts';
import type { Reporter, RunEvidence, RunStarted, WrittenFile } from './reporter.ts';

/**
 * `result.json` in the run's folder (`reports/latest/result.json`). When a run starts it is replaced by a document saying the run has
 * not finished, so a run killed before its end never leaves an earlier run's verdict in place.
 */
export class ResultJsonReporter implements Reporter {
  readonly name = 'result.json';

  async onRunStarted(run: RunStarted): Promise<void> {
    const unfinished = `the run ${run.runId} started at ${run.startedAt.toISOString()} has not finished (or was killed before writing its result)`;
    await write(run.runDir, noRunDocument(run.tool, unfinished, null, run));
  }

  async onRunFinished(evidence: RunEvidence): Promise<WrittenFile[]> {
    return [{ path: await write(evidence.runDir, evidence.document) }];
  }
}

async function write(dir: string, document: Parameters<typeof writeResultDocument>[1]): Promise<string> {
  try {
    return await writeResultDocument(dir, document);
  } catch (error) {
    throw new UserError(`the result cannot be written under "${dir}" (${(error as NodeJS.ErrnoException).code ?? String(error)}); choose another --reports-dir`, [], { cause: error });
  }
}
