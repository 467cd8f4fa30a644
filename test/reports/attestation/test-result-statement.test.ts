import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseRecordedRun, type RecordedRun } from '../../../src/reports/runs/recorded-run.ts';
import { runResultOf, testResultStatement, TEST_RESULT_PREDICATE_TYPE, STATEMENT_TYPE } from '../../../src/reports/attestation/test-result-statement.ts';
import { noRunDocument } from '../../../src/reports/result-document.ts';
import { ROOT } from '../../helpers/cli.ts';

const fixture = (name: string): RecordedRun => {
  const file = join(ROOT, 'fixtures', 'reports', name, 'result.json');
  return parseRecordedRun(readFileSync(file, 'utf8'), file);
};
const digest = { sha256: '0'.repeat(64) };

describe('the in-toto test-result statement of a run', () => {
  it('is a Statement v1 of the test-result predicate whose lists are the guarantee ids by verdict', () => {
    const statement = testResultStatement(fixture('regressed'), [{ name: 'summary.md', digest }, { name: 'result.json', digest }]);

    assert.equal(statement._type, STATEMENT_TYPE);
    assert.equal(statement.predicateType, TEST_RESULT_PREDICATE_TYPE);
    assert.deepEqual(statement.subject.map((s) => s.name), ['result.json', 'summary.md'], 'sorted, so the same files give the same bytes');
    assert.equal(statement.predicate.result, 'FAILED');
    assert.deepEqual(statement.predicate.passedTests, ['HELM-FUNC-01']);
    assert.deepEqual(statement.predicate.failedTests, ['HELM-FUNC-02']);
    assert.deepEqual(statement.predicate.warnedTests, ['HELM-SLA-01'], 'NOT EVALUATED is warned: never counted as passed');
  });

  it('carries the run settings and the config digest of the fingerprint as its configuration', () => {
    const [settings, config] = testResultStatement(fixture('baseline'), []).predicate.configuration;

    const content = JSON.parse(Buffer.from(settings!.content!, 'base64').toString('utf8')) as Record<string, unknown>;
    assert.deepEqual({ tier: content.tier, profile: content.profile, runId: content.runId }, { tier: 'helm', profile: 'smoke', runId: '20261201T090000000Z-aaaaaa' });
    assert.deepEqual(config, { name: 'configuration (secrets removed)', digest: { sha256: 'ab'.repeat(32) } });
    assert.equal(testResultStatement(fixture('schema-v1'), []).predicate.configuration.length, 1, 'a document without fingerprint still has a configuration');
  });

  it('is PASSED only when every guarantee passed at full threshold in a finished run', () => {
    const base = fixture('baseline');
    const pass = (id: string) => ({ id, verdict: 'PASS' as const, fullThreshold: true });
    const certified = { ...base, certificate: { status: 'CERTIFIED' as const } };

    assert.equal(runResultOf({ ...certified, guarantees: [pass('A'), pass('B')] }), 'PASSED');
    assert.equal(runResultOf({ ...certified, guarantees: [pass('A'), { ...pass('B'), fullThreshold: false }] }), 'WARNED', 'a pass under a profile that does not certify proves less');
    assert.equal(runResultOf({ ...certified, guarantees: [] }), 'WARNED', 'a run that proved nothing');
    assert.equal(runResultOf({ ...certified, interrupted: true, guarantees: [pass('A')] }), 'WARNED');
    assert.equal(runResultOf(base), 'WARNED');
  });

  it('takes the run\'s own result document as it is: one that never started is WARNED with no test in any list', () => {
    const statement = testResultStatement(noRunDocument({ name: 'mojaloop-conformance', version: '0.1.0' }, 'the run did not start: bad flag', 2), []);

    assert.equal(statement.predicate.result, 'WARNED');
    assert.deepEqual([statement.predicate.passedTests, statement.predicate.warnedTests, statement.predicate.failedTests], [[], [], []]);
  });
});
