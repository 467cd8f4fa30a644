import { createHash } from 'node:crypto';
import type { RecordedGuarantee, RecordedRun } from '../runs/recorded-run.ts';

export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const TEST_RESULT_PREDICATE_TYPE = 'https://in-toto.io/attestation/test-result/v0.1';

/** An in-toto ResourceDescriptor: at least one of `uri`, `digest`, `content`. */
export interface ResourceDescriptor {
  name?: string;
  uri?: string;
  digest?: Record<string, string>;
  /** base64 */
  content?: string;
  mediaType?: string;
  annotations?: Record<string, unknown>;
}

export interface Subject {
  name: string;
  digest: { sha256: string };
}

export type TestRunResult = 'PASSED' | 'WARNED' | 'FAILED';

export interface TestResultPredicate {
  result: TestRunResult;
  configuration: ResourceDescriptor[];
  url?: string;
  passedTests: string[];
  warnedTests: string[];
  failedTests: string[];
}

export interface TestResultStatement {
  _type: typeof STATEMENT_TYPE;
  subject: Subject[];
  predicateType: typeof TEST_RESULT_PREDICATE_TYPE;
  predicate: TestResultPredicate;
}

/**
 * Which list of the predicate a guarantee lands in. `warnedTests` is the predicate's "passed with
 * warnings": a verifier reading only `failedTests` must not take a guarantee that was never proven
 * for a pass, so NOT EVALUATED is warned, and so is a PASS judged below the tier's full threshold
 * (an SLA under a profile that does not certify): it was not proven at what the tier asks.
 */
export function testListOf(guarantee: RecordedGuarantee): 'passedTests' | 'warnedTests' | 'failedTests' {
  if (guarantee.verdict === 'FAIL') return 'failedTests';
  if (guarantee.verdict === 'PASS' && guarantee.fullThreshold !== false) return 'passedTests';
  return 'warnedTests';
}

/**
 * The run as a whole: FAILED when any guarantee failed; PASSED only when there were guarantees,
 * every one passed at full threshold, the run was not interrupted and the certificate is not
 * INCOMPLETE; WARNED otherwise — a run that proved nothing is never PASSED.
 */
export function runResultOf(run: RecordedRun): TestRunResult {
  const lists = run.guarantees.map(testListOf);
  if (lists.includes('failedTests')) return 'FAILED';
  if (run.guarantees.length === 0 || lists.includes('warnedTests') || run.interrupted === true || run.certificate.status === 'INCOMPLETE') return 'WARNED';
  return 'PASSED';
}

/** "sha256:ab…" or "ab…" (64 hex) as bare hex; undefined for anything else. */
function sha256Hex(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const hex = value.replace(/^sha256:/, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}

/**
 * What the run was configured with. The predicate requires a configuration; the run's settings
 * (tool, tier, profile, target, and the environment fingerprint when the document has one) are
 * carried as content, and the config's own digest (secrets removed), when the fingerprint holds one,
 * as a second descriptor a policy can pin.
 */
function configurationOf(run: RecordedRun): ResourceDescriptor[] {
  const settings = {
    tool: run.tool, tier: run.tier, profile: run.profile, target: run.target,
    ...(run.runId ? { runId: run.runId } : {}),
    ...(run.fingerprint ? { fingerprint: run.fingerprint } : {}),
  };
  const content = Buffer.from(JSON.stringify(settings), 'utf8');
  const descriptors: ResourceDescriptor[] = [{
    name: 'run settings',
    mediaType: 'application/json',
    content: content.toString('base64'),
    digest: { sha256: createHash('sha256').update(content).digest('hex') },
  }];
  const configDigest = sha256Hex((run.fingerprint as Record<string, unknown> | undefined)?.['configDigest']);
  if (configDigest) descriptors.push({ name: 'configuration (secrets removed)', digest: { sha256: configDigest } });
  return descriptors;
}

/** The in-toto test-result statement of a run over the digests of the files it wrote. Test names are guarantee ids. */
export function testResultStatement(run: RecordedRun, subject: readonly Subject[], options: { url?: string } = {}): TestResultStatement {
  const lists: Record<ReturnType<typeof testListOf>, string[]> = { passedTests: [], warnedTests: [], failedTests: [] };
  for (const guarantee of run.guarantees) lists[testListOf(guarantee)].push(guarantee.id);
  return {
    _type: STATEMENT_TYPE,
    subject: [...subject].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    predicateType: TEST_RESULT_PREDICATE_TYPE,
    predicate: {
      result: runResultOf(run),
      configuration: configurationOf(run),
      ...(options.url ? { url: options.url } : {}),
      ...lists,
    },
  };
}

/** Whether `value` has the shape of a test-result statement (what the verifier trusts it to be, nothing more). */
export function isTestResultStatement(value: unknown): value is TestResultStatement {
  if (typeof value !== 'object' || value === null) return false;
  const statement = value as Partial<TestResultStatement>;
  return statement._type === STATEMENT_TYPE
    && statement.predicateType === TEST_RESULT_PREDICATE_TYPE
    && Array.isArray(statement.subject)
    && statement.subject.every((s) => typeof s?.name === 'string' && typeof s.digest?.sha256 === 'string')
    && typeof statement.predicate === 'object' && statement.predicate !== null;
}
