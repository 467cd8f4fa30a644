import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Profile, TargetKind, Tier } from '../config/schema.ts';
import type { EnvironmentDescription } from '../environment/environment.ts';
import type { OperationTimings } from '../evidence/exchange-timings.ts';
import type { CallbackStats } from '../fspiop/callback-server.ts';
import type { Operation } from '../fspiop/payer-dfsp.ts';
import type { Certificate } from '../verdict/certificate.ts';
import type { GuaranteeVerdict } from '../verdict/guarantee-verdict.ts';

/** The machine-readable result CI and release tooling read: `reports/latest/result.json`. */
export interface ResultDocument {
  schemaVersion: 1;
  tool: { name: string; version: string };
  tier: Tier;
  target: TargetKind;
  profile: Profile;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  interrupted: boolean;
  /** Why the run could not evaluate anything (environment unavailable), if so. */
  error: string | null;
  environment: EnvironmentDescription | null;
  certificate: Certificate;
  summary: { total: number; passed: number; failed: number; notEvaluated: number };
  guarantees: GuaranteeVerdict[];
  callbacks: CallbackStats | null;
  /** Every FSPIOP exchange of the run, timed per operation. */
  operations: Partial<Record<Operation, OperationTimings>>;
  exitCode: number;
}

export function summarise(verdicts: readonly GuaranteeVerdict[]): ResultDocument['summary'] {
  return {
    total: verdicts.length,
    passed: verdicts.filter((v) => v.verdict === 'PASS').length,
    failed: verdicts.filter((v) => v.verdict === 'FAIL').length,
    notEvaluated: verdicts.filter((v) => v.verdict === 'NOT_EVALUATED').length,
  };
}

/**
 * What `result.json` holds when the command line or config was wrong and no run started: the
 * same top-level fields readers gate on (`exitCode`, `certificate.status`, `error`), so a stale
 * result of an earlier run is never mistaken for this one's.
 */
export interface StartFailureDocument {
  schemaVersion: 1;
  tool: { name: string; version: string };
  finishedAt: string;
  error: string;
  certificate: { status: 'INCOMPLETE'; statement: string };
  guarantees: [];
  exitCode: number;
}

export function startFailure(tool: StartFailureDocument['tool'], error: string, exitCode: number): StartFailureDocument {
  return {
    schemaVersion: 1, tool, finishedAt: new Date().toISOString(), error,
    certificate: { status: 'INCOMPLETE', statement: `INCOMPLETE: the run did not start (${error})` },
    guarantees: [], exitCode,
  };
}

/** Writes the result atomically, so a reader never sees half a file — even when the run was interrupted. */
export async function writeResultDocument(reportsDir: string, result: ResultDocument | StartFailureDocument): Promise<string> {
  const dir = join(reportsDir, 'latest');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'result.json');
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(result, null, 2)}\n`);
  await rename(temporary, file);
  return file;
}
