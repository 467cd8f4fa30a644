import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Envelope } from '@cucumber/messages';
import { EVIDENCE_MEDIA_TYPE } from '../../src/evidence/evidence.ts';
import { ScenarioCollector } from '../../src/run/scenario-collector.ts';

const pickle = (id: string, name: string, tags: string[]): Envelope =>
  ({ pickle: { id, name, uri: 'features/t.feature', language: 'en', steps: [], astNodeIds: [`ast-${id}`], tags: tags.map((t) => ({ name: t, astNodeId: '' })) } }) as unknown as Envelope;

describe('ScenarioCollector', () => {
  it('keeps the worst step status, the evidence and the feature line; unfinished scenarios are NOT_RUN', () => {
    const collector = new ScenarioCollector();
    const seen: string[] = [];
    collector.onOutcome((o) => seen.push(o.id));
    const envelopes = [
      { gherkinDocument: { feature: { children: [{ scenario: { id: 'ast-p1', location: { line: 7 } } }] } } },
      pickle('p1', 'golden path', ['@guarantee:CTH-FUN-01']),
      pickle('p2', 'second', ['@guarantee:CTH-FUN-02']),
      { testCase: { id: 'tc1', pickleId: 'p1', testSteps: [] } },
      { testCase: { id: 'tc2', pickleId: 'p2', testSteps: [] } },
      { testCaseStarted: { id: 's1', testCaseId: 'tc1', attempt: 0 } },
      { attachment: { testCaseStartedId: 's1', mediaType: EVIDENCE_MEDIA_TYPE, body: JSON.stringify({ type: 'measurements', measurements: [{ name: 'n', value: 1, threshold: 't', ok: false, source: 's' }] }) } },
      { attachment: { testCaseStartedId: 's1', mediaType: 'text/plain', body: 'ignored' } },
      { testStepFinished: { testCaseStartedId: 's1', testStepResult: { status: 'PASSED' } } },
      { testStepFinished: { testCaseStartedId: 's1', testStepResult: { status: 'FAILED', message: 'boom\nstack' } } },
      { testStepFinished: { testCaseStartedId: 's1', testStepResult: { status: 'SKIPPED' } } },
      { testCaseFinished: { testCaseStartedId: 's1', willBeRetried: false } },
      { testCaseStarted: { id: 's2', testCaseId: 'tc2', attempt: 0 } },
    ] as unknown as Envelope[];
    for (const envelope of envelopes) collector.consume(envelope);

    const [first, second] = collector.outcomes();
    assert.deepEqual(seen, ['CTH-FUN-01']);
    assert.equal(first!.status, 'FAILED');
    assert.equal(first!.message, 'boom');
    assert.equal(first!.location, 'features/t.feature:7');
    assert.equal(first!.evidence.length, 1);
    assert.equal(second!.id, 'CTH-FUN-02');
    assert.equal(second!.status, 'NOT_RUN');
  });
});
