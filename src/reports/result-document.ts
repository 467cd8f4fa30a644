import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Profile, TargetKind, Tier } from '../config/schema.ts';
import type { EnvironmentDescription } from '../environment/environment.ts';
import type { OperationTimings } from '../fspiop/exchange-log.ts';
import type { CallbackStats } from '../fspiop/callback-server.ts';
import type { Operation } from '../fspiop/payer-dfsp.ts';
import type { Certificate } from '../verdict/certificate.ts';
import type { GuaranteeVerdict } from '../verdict/guarantee-verdict.ts';
import { ensureDirectory } from '../support/files.ts';

/** The machine-readable result CI and release tooling read: `reports/latest/result.json`. */
export interface ResultDocument {
  schemaVersion: 1;
  tool: { name: string; version: string };
  tier: Tier;
  target: TargetKind;
  /** The FSPIOP endpoint the run tested (credentials and query values redacted); null if none was reached or named. */
  hubUrl: string | null;
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
  /** What went wrong with the run as a whole (no callback at all, not an FSPIOP hub, hub gone), with what to check. */
  diagnosis: string[];
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
 * What `result.json` holds when no run result exists (yet): while a run is in progress (and if it
 * is killed before it finishes), or when the command line or config was wrong. Same fields as a
 * run's result, empty — a reader gating on `exitCode` or `certificate.status` never mistakes an
 * earlier run's result for this one's.
 */
export interface NoRunDocument {
  schemaVersion: 1;
  tool: { name: string; version: string };
  tier: null;
  target: null;
  hubUrl: null;
  profile: null;
  startedAt: null;
  finishedAt: string;
  durationMs: 0;
  interrupted: false;
  error: string;
  environment: null;
  certificate: { status: 'INCOMPLETE'; scope: null; statement: string };
  summary: ResultDocument['summary'];
  guarantees: [];
  callbacks: null;
  operations: Record<string, never>;
  diagnosis: [];
  /** null while the run is in progress. */
  exitCode: number | null;
}

export function noRunDocument(tool: NoRunDocument['tool'], error: string, exitCode: number | null): NoRunDocument {
  return {
    schemaVersion: 1, tool, tier: null, target: null, hubUrl: null, profile: null, startedAt: null,
    finishedAt: new Date().toISOString(), durationMs: 0, interrupted: false, error, environment: null,
    certificate: { status: 'INCOMPLETE', scope: null, statement: `INCOMPLETE: ${error}` },
    summary: { total: 0, passed: 0, failed: 0, notEvaluated: 0 }, guarantees: [], callbacks: null, operations: {}, diagnosis: [], exitCode,
  };
}

/** Writes the result atomically, so a reader never sees half a file — even when the run was interrupted. */
export async function writeResultDocument(reportsDir: string, result: ResultDocument | NoRunDocument): Promise<string> {
  const dir = join(reportsDir, 'latest');
  await ensureDirectory(dir);
  const file = join(dir, 'result.json');
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(result, null, 2)}\n`);
  await rename(temporary, file);
  return file;
}
