import { z } from 'zod';
import { PROFILES, TARGETS, TIERS } from '../config/schema.ts';
import type { Certificate } from '../verdict/certificate.ts';
import type { GuaranteeVerdict } from '../verdict/guarantee-verdict.ts';
import type { LoadEvidence } from './load-evidence.ts';

/**
 * The shape of `reports/latest/result.json`, schema version 2: the one definition the run's type,
 * the exported JSON Schema (`schema/result.schema.json`, `npm run schema`) and the tests share. A
 * CI system validates a result against the JSON Schema before it gates on it; the HTML report, the
 * in-toto statement and `npm run compare` read the same document.
 */
export const RESULT_SCHEMA_VERSION = 2;

const Tool = z.object({ name: z.string(), version: z.string() });
const Offer = z.object({ ratePerSecond: z.number(), durationMs: z.number() });

export const MeasurementSchema = z.object({
  name: z.string(),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  unit: z.string().optional(),
  threshold: z.string(),
  ok: z.boolean(),
  source: z.string(),
  informational: z.literal(true).optional(),
});

export const GuaranteeVerdictSchema = z.object({
  id: z.string(),
  title: z.string(),
  verdict: z.enum(['PASS', 'FAIL', 'NOT_EVALUATED']),
  measured: z.string().nullable(),
  threshold: z.string().nullable(),
  reason: z.string().nullable(),
  fullThreshold: z.boolean(),
  concern: z.string().nullable(),
  location: z.string(),
  evidence: z.array(MeasurementSchema),
  reducedLoad: z.object({ profile: z.string(), asked: Offer, offered: Offer }).optional()
    .describe('present when the profile offered less load than the guarantee asks; a NOT_EVALUATED verdict with it is a pass held only at the reduced load (summary.reducedLoad)'),
});

const Scope = z.enum(['development and testing only', 'production']);

export const CertificateSchema = z.object({
  tier: z.enum(TIERS),
  profile: z.enum(PROFILES),
  status: z.enum(['CERTIFIED', 'NOT_CERTIFIED', 'INCOMPLETE']),
  scope: Scope.nullable().describe('what this certificate vouches for: production only when CERTIFIED; null when it vouches for nothing'),
  tierScope: Scope.describe('what a certificate of this tier can ever vouch for'),
  profileCertifies: z.boolean().describe('false: the profile reduced the load, so no SLA guarantee can be certified by this run'),
  reducedLoad: z.number().int().describe('guarantees judged under a load the profile reduced'),
  statement: z.string(),
});

export const SummarySchema = z.object({
  total: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  notEvaluated: z.number().int().describe('NOT_EVALUATED for a reason other than a reduced load'),
  reducedLoad: z.number().int().describe('NOT_EVALUATED because they passed only under a load the profile reduced: their own state, never a pass'),
});

const Stage = z.enum(['lookups', 'quotes', 'transfers', 'iterations']);
const StageEvidenceSchema = z.object({
  attempts: z.number(),
  successes: z.number(),
  failures: z.record(z.string(), z.number()),
  percentilesMs: z.record(z.string(), z.number()),
  histogram: z.array(z.tuple([z.number(), z.number()])),
});
const FaultReportSchema = z.object({
  broke: z.string().optional(),
  atMs: z.number(),
  problem: z.string().optional(),
  aftermath: z.object({ replacementReadyMs: z.number().optional(), replacement: z.string(), data: z.string() }).optional(),
});

export const LoadEvidenceSchema = z.object({
  id: z.string(),
  guarantees: z.array(z.string()),
  runner: z.string(),
  profile: z.string(),
  flow: z.enum(['p2p', 'clearing']),
  asked: Offer.describe('what the guarantee asked, before the profile scaled it'),
  offered: Offer.describe('the load really offered'),
  startedAt: z.string().optional(),
  window: z.object({ startMs: z.number(), endMs: z.number() }).describe('the steady-state window, ms from the start of the load'),
  achievedRate: z.number(),
  scheduled: z.number(),
  dropped: z.number(),
  droppedInWindow: z.number(),
  series: z.array(z.object({ second: z.number(), started: z.number(), succeeded: z.number(), failed: z.number(), dropped: z.number().optional() })),
  latencyOverTime: z.array(z.object({
    second: z.number(),
    seconds: z.number().optional(),
    stages: z.partialRecord(Stage, z.object({ count: z.number(), p50: z.number(), p95: z.number(), p99: z.number() })),
  })),
  stages: z.record(Stage, StageEvidenceSchema),
  fault: FaultReportSchema.optional(),
});

export const FingerprintSchema = z.object({
  tool: z.object({ name: z.string(), version: z.string(), gitCommit: z.string().nullable().describe('the checkout the tool ran from; null outside a git checkout') }),
  node: z.string(),
  platform: z.string(),
  target: z.object({
    kind: z.enum(TARGETS),
    description: z.string().describe('what the run said it tests on its first line'),
    summary: z.string().nullable().describe('the started environment\'s own words; null when it never started'),
    tested: z.record(z.string(), z.string()).describe('what the target knows of what was tested: hub build, images, chart versions, Kubernetes server version'),
  }),
  configDigest: z.string().describe('sha256 of the canonical JSON of the validated config, secrets removed'),
  startedAt: z.string(),
  finishedAt: z.string(),
  profile: z.string(),
  runner: z.string().nullable().describe('the load runner the loads ran on (each load names its own); the config\'s choice when no load ran'),
});

const EnvironmentSchema = z.object({
  kind: z.enum(TARGETS),
  summary: z.string(),
  endpoints: z.record(z.string(), z.string()),
  notes: z.array(z.string()).optional(),
  tested: z.record(z.string(), z.string()).optional(),
});

const CallbacksSchema = z.object({
  accepted: z.number(),
  late: z.number(),
  duplicate: z.number(),
  rejected: z.record(z.string(), z.number()),
  examples: z.record(z.string(), z.string()),
});

const OperationSchema = z.object({
  count: z.number(),
  completed: z.number(),
  timedOut: z.number(),
  endToEndMs: z.object({ min: z.number(), median: z.number(), max: z.number() }).nullable(),
});

/** A run's result. */
export const RunResultSchema = z.object({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  runId: z.string().describe('the start in UTC then random hex digits: sorts as runs started'),
  tool: Tool,
  tier: z.enum(TIERS),
  target: z.enum(TARGETS),
  hubUrl: z.string().nullable(),
  profile: z.enum(PROFILES),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  interrupted: z.boolean().describe('true: the run was stopped; every guarantee it did not reach is NOT_EVALUATED and says so'),
  error: z.string().nullable(),
  fingerprint: FingerprintSchema,
  environment: EnvironmentSchema.nullable(),
  certificate: CertificateSchema,
  summary: SummarySchema,
  guarantees: z.array(GuaranteeVerdictSchema),
  loads: z.array(LoadEvidenceSchema),
  callbacks: CallbacksSchema.nullable(),
  operations: z.partialRecord(z.enum(['lookup', 'quote', 'quote-query', 'transfer', 'transfer-query']), OperationSchema),
  diagnosis: z.array(z.string()),
  exitCode: z.number().int(),
});

/**
 * What `result.json` holds when no run result exists: while a run is in progress (and if it is
 * killed before it ends), or when the command line or config was wrong. A reader gating on
 * `exitCode` or `certificate.status` never mistakes an earlier run's result for this one's.
 */
export const NoRunResultSchema = z.object({
  schemaVersion: z.literal(RESULT_SCHEMA_VERSION),
  runId: z.string().nullable(),
  tool: Tool,
  tier: z.null(),
  target: z.null(),
  hubUrl: z.null(),
  profile: z.null(),
  startedAt: z.string().nullable(),
  finishedAt: z.string(),
  durationMs: z.literal(0),
  interrupted: z.boolean(),
  error: z.string(),
  fingerprint: z.null(),
  environment: z.null(),
  certificate: z.object({ status: z.literal('INCOMPLETE'), scope: z.null(), statement: z.string() }),
  summary: SummarySchema,
  guarantees: z.array(z.never()),
  loads: z.array(z.never()),
  callbacks: z.null(),
  operations: z.object({}),
  diagnosis: z.array(z.never()),
  exitCode: z.number().int().nullable().describe('null while the run is in progress'),
});

export const ResultDocumentSchema = z.union([RunResultSchema, NoRunResultSchema]);

export type RunResult = z.infer<typeof RunResultSchema>;
export type NoRunResult = z.infer<typeof NoRunResultSchema>;

/** JSON Schema of `result.json`, for CI systems that validate a result before gating on it. */
export function resultJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ResultDocumentSchema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>,
    $id: 'https://mojaloop.io/conformance/result.schema.json',
    title: 'Mojaloop conformance result (reports/latest/result.json)',
  };
}

/**
 * Holds when A and B are assignable both ways: the TypeScript shapes the run builds the document
 * from and this schema cannot drift apart (checked by tsc). `LoadEvidence` one way only: its fault
 * report's `broke` is a required key that may be undefined, which JSON writes as no key at all.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Fits<A, B> = [A] extends [B] ? true : false;
true satisfies Fits<LoadEvidence, z.infer<typeof LoadEvidenceSchema>>;
true satisfies Same<z.infer<typeof GuaranteeVerdictSchema>, GuaranteeVerdict>;
true satisfies Same<z.infer<typeof CertificateSchema>, Certificate>;
