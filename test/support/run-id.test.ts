import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newRunId } from '../../src/support/run-id.ts';

describe('newRunId', () => {
  it('sorts as the runs started and differs for runs started in the same millisecond', () => {
    const earlier = newRunId(new Date('2026-12-05T09:59:59.999Z'));
    const later = newRunId(new Date('2026-12-05T10:00:00.000Z'));
    assert.match(later, /^20261205T100000000Z-[0-9a-f]{6}$/);
    assert.ok(earlier < later);
    const same = new Date();
    assert.notEqual(newRunId(same), newRunId(same));
  });
});
