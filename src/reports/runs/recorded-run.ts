import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UserError } from '../../config/errors.ts';

/**
 * What the attestation and the comparison read of a `result.json`: only the fields they use, every
 * other field let through. Version 1 documents (no `runId`, `fingerprint` or `loads`) read as well
 * as version 2 ones, so a stored baseline from an older run still compares.
 */
const RecordedStage = z.looseObject({
  percentilesMs: z.record(z.string(), z.number()).optional(),
});

const RecordedLoad = z.looseObject({
  id: z.string(),
  flow: z.string().optional(),
  profile: z.string().optional(),
  offered: z.looseObject({ ratePerSecond: z.number(), durationMs: z.number().optional() }).optional(),
  achievedRate: z.number().optional(),
  stages: z.record(z.string(), RecordedStage).optional(),
});

const RecordedGuarantee = z.looseObject({
  id: z.string(),
  title: z.string().optional(),
  verdict: z.enum(['PASS', 'FAIL', 'NOT_EVALUATED']),
  /** Absent in a document older than the field: such a PASS is taken at face value. */
  fullThreshold: z.boolean().optional(),
  reason: z.string().nullable().optional(),
});

const RecordedRunSchema = z.looseObject({
  schemaVersion: z.number(),
  runId: z.string().optional(),
  tool: z.looseObject({ name: z.string(), version: z.string() }),
  tier: z.string().nullable(),
  target: z.string().nullable(),
  profile: z.string().nullable(),
  startedAt: z.string().nullable().optional(),
  interrupted: z.boolean().optional(),
  certificate: z.looseObject({ status: z.enum(['CERTIFIED', 'NOT_CERTIFIED', 'INCOMPLETE']), statement: z.string().optional() }),
  guarantees: z.array(RecordedGuarantee),
  fingerprint: z.record(z.string(), z.unknown()).optional(),
  loads: z.array(RecordedLoad).optional(),
});

/**
 * The same fields as interfaces with no index signature, so the run's own `ResultDocument` (and its
 * `LoadEvidence`, `Certificate`, …) can be handed to `writeRunAttestation` as they are.
 */
export interface RecordedRun {
  schemaVersion: number;
  runId?: string;
  tool: { name: string; version: string };
  tier: string | null;
  target: string | null;
  profile: string | null;
  startedAt?: string | null;
  interrupted?: boolean;
  certificate: { status: 'CERTIFIED' | 'NOT_CERTIFIED' | 'INCOMPLETE'; statement?: string };
  guarantees: readonly RecordedGuarantee[];
  /** The environment fingerprint (tool, commit, versions, `configDigest`, …): carried into the statement as it is. */
  fingerprint?: object;
  loads?: readonly RecordedLoad[];
}

export interface RecordedGuarantee {
  id: string;
  title?: string;
  verdict: 'PASS' | 'FAIL' | 'NOT_EVALUATED';
  fullThreshold?: boolean;
  reason?: string | null;
}

export interface RecordedLoad {
  id: string;
  flow?: string;
  profile?: string;
  offered?: { ratePerSecond: number; durationMs?: number };
  achievedRate?: number;
  stages?: Partial<Record<string, { percentilesMs?: Record<string, number> }>>;
}

/** Parses a result document, or says in one line why `file` is not one. */
export function parseRecordedRun(text: string, file: string): RecordedRun {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`"${file}" is not JSON (${(error as Error).message})`);
  }
  const parsed = RecordedRunSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`"${file}" is not a result.json of this tool: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}

export async function readRecordedRun(file: string): Promise<RecordedRun> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read "${file}" (${(error as NodeJS.ErrnoException).code ?? String(error)})`, [], { cause: error });
  }
  return parseRecordedRun(text, file);
}
