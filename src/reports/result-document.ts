import { join } from 'node:path';
import { isReducedLoadResult, type GuaranteeVerdict } from '../verdict/guarantee-verdict.ts';
import { writeFileAtomically } from './atomic-file.ts';
import { RESULT_SCHEMA_VERSION, type NoRunResult, type RunResult } from './result-schema.ts';

/** The machine-readable result CI and release tooling read: `reports/latest/result.json` (its shape: result-schema.ts). */
export type ResultDocument = RunResult;
export type NoRunDocument = NoRunResult;

export function summarise(verdicts: readonly GuaranteeVerdict[]): ResultDocument['summary'] {
  return {
    total: verdicts.length,
    passed: verdicts.filter((v) => v.verdict === 'PASS').length,
    failed: verdicts.filter((v) => v.verdict === 'FAIL').length,
    notEvaluated: verdicts.filter((v) => v.verdict === 'NOT_EVALUATED' && !isReducedLoadResult(v)).length,
    reducedLoad: verdicts.filter(isReducedLoadResult).length,
  };
}

/** The document of a run that has no result (yet): see `NoRunResultSchema`. */
export function noRunDocument(tool: NoRunDocument['tool'], error: string, exitCode: number | null, run: { runId: string; startedAt: Date } | null = null): NoRunDocument {
  return {
    schemaVersion: RESULT_SCHEMA_VERSION, runId: run?.runId ?? null, tool, tier: null, target: null, hubUrl: null, profile: null, startedAt: run?.startedAt.toISOString() ?? null,
    finishedAt: new Date().toISOString(), durationMs: 0, interrupted: false, error, fingerprint: null, environment: null,
    certificate: { status: 'INCOMPLETE', scope: null, statement: `INCOMPLETE: ${error}` },
    summary: { total: 0, passed: 0, failed: 0, notEvaluated: 0, reducedLoad: 0 }, guarantees: [], loads: [], callbacks: null, operations: {}, diagnosis: [], exitCode,
  };
}

/** Writes the result atomically, so a reader never sees half a file — even when the run was interrupted. */
export async function writeResultDocument(dir: string, result: ResultDocument | NoRunDocument): Promise<string> {
  const file = join(dir, 'result.json');
  await writeFileAtomically(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
