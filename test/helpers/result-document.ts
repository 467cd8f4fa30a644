// The validator a CI system would use on the exported JSON Schema (ajv 8, here through openapi-backend's dependency).
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { LoadEvidence } from '../../src/reports/load-evidence.ts';
import type { ResultDocument } from '../../src/reports/result-document.ts';
import { summarise } from '../../src/reports/result-document.ts';
import { resultJsonSchema } from '../../src/reports/result-schema.ts';
import { issueCertificate } from '../../src/verdict/certificate.ts';
import type { GuaranteeVerdict } from '../../src/verdict/guarantee-verdict.ts';

const asked = { ratePerSecond: 1000, durationMs: 3_600_000 };
const offered = { ratePerSecond: 20, durationMs: 60_000 };

/** A HELM smoke run's verdicts: a pass, a failure, a plain NOT EVALUATED and a pass held only under the reduced load. */
export const sampleVerdicts: GuaranteeVerdict[] = [
  {
    id: 'HELM-FUN-01', title: 'P2P golden path', verdict: 'PASS', measured: 'transfer state: COMMITTED', threshold: 'transfer state = COMMITTED', reason: null,
    fullThreshold: true, concern: 'functional', location: 'features/helm/functional.feature:10',
    evidence: [{ name: 'transfer state', value: 'COMMITTED', threshold: '= COMMITTED', ok: true, source: 'PUT /transfers/{id}' }],
  },
  {
    id: 'HELM-SEC-01', title: 'Admin API asks for credentials', verdict: 'FAIL', measured: 'admin API answer without credentials: 200', threshold: 'admin API answer without credentials = 401 or 403',
    reason: 'admin API answer without credentials was 200, expected = 401 or 403', fullThreshold: true, concern: 'security', location: 'features/helm/security.feature:4',
    evidence: [{ name: 'admin API answer without credentials', value: 200, threshold: '= 401 or 403', ok: false, source: 'GET /participants <a & "b">' }],
  },
  {
    id: 'HELM-DEP-01', title: 'Deployed by Helm', verdict: 'NOT_EVALUATED', measured: null, threshold: null,
    reason: 'needs a Kubernetes inventory; the embedded target has no Kubernetes cluster', fullThreshold: true, concern: 'deployment', location: 'features/helm/deployment.feature:3', evidence: [],
  },
  {
    id: 'HELM-SLA-01', title: 'Throughput: 1000 transfers per second sustained for 1 hour', verdict: 'NOT_EVALUATED',
    measured: 'achieved rate: 20 transfers/s', threshold: 'achieved rate ≥ 20 transfers/s — measured under the load profile smoke offered (20 transfers/s for 60 s); the guarantee asks 1000 transfers/s for 1 h',
    reason: 'held 20 transfers/s for 60 s (profile smoke): achieved rate: 20 transfers/s; the guarantee asks 1000 transfers/s for 1 h, so a pass at this load proves nothing about it',
    fullThreshold: false, concern: 'sla', location: 'features/helm/sla.feature:5', evidence: [{ name: 'achieved rate', value: 20, unit: 'transfers/s', threshold: '≥ 20 transfers/s', ok: true, source: 'builtin runner' }],
    reducedLoad: { profile: 'smoke', asked, offered },
  },
];

export const sampleLoad: LoadEvidence = {
  id: 'p2p-1000-3600000-smoke', guarantees: ['HELM-SLA-01'], runner: 'builtin runner', profile: 'smoke', flow: 'p2p', asked, offered,
  window: { startMs: 10_000, endMs: 70_000 }, achievedRate: 19.9, scheduled: 1500, dropped: 0, droppedInWindow: 0,
  series: [{ second: 0, started: 20, succeeded: 19, failed: 0 }],
  latencyOverTime: [{ second: 0, stages: { transfers: { count: 19, p50: 10, p95: 12, p99: 13 } } }],
  stages: Object.fromEntries(['lookups', 'quotes', 'transfers', 'iterations'].map((stage) => [stage, { attempts: 19, successes: 19, failures: {}, percentilesMs: { 50: 10 }, histogram: [[20, 19]] }])) as unknown as LoadEvidence['stages'],
};

/** A whole result document around `verdicts`, as a HELM smoke run on the embedded target writes it. */
export function sampleDocument(verdicts: GuaranteeVerdict[] = sampleVerdicts, overrides: Partial<ResultDocument> = {}): ResultDocument {
  return {
    schemaVersion: 2, runId: '20261205T110000000Z-abcdef', tool: { name: 'mojaloop-conformance', version: '0.1.0' },
    tier: 'helm', target: 'embedded', hubUrl: 'http://127.0.0.1:4000', profile: 'smoke',
    startedAt: '2026-12-05T11:00:00.000Z', finishedAt: '2026-12-05T11:02:00.000Z', durationMs: 120_000, interrupted: false, error: null,
    fingerprint: {
      tool: { name: 'mojaloop-conformance', version: '0.1.0', gitCommit: 'a'.repeat(40) }, node: 'v22.23.3', platform: 'linux x64',
      target: { kind: 'embedded', description: 'embedded (built-in reference hub on loopback)', summary: 'embedded reference hub', tested: { hub: 'reference hub' } },
      configDigest: `sha256:${'b'.repeat(64)}`, startedAt: '2026-12-05T11:00:00.000Z', finishedAt: '2026-12-05T11:02:00.000Z', profile: 'smoke', runner: 'builtin',
    },
    environment: { kind: 'embedded', summary: 'embedded reference hub', endpoints: { hub: 'http://127.0.0.1:4000' } },
    certificate: issueCertificate('helm', 'smoke', verdicts, { profileCertifies: false }),
    summary: summarise(verdicts), guarantees: verdicts, loads: [sampleLoad], callbacks: null, operations: {}, diagnosis: [], exitCode: 1,
    ...overrides,
  };
}

/** Validates a document against `schema/result.schema.json` as exported, the way a CI system would. */
export const validateResult = new Ajv2020({ allErrors: true, strict: false }).compile(resultJsonSchema());
