import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { offerFor } from '../../src/load/load-profiles.ts';
import { parseDuration, parseMemoryGiB } from '../../src/config/quantities.ts';

describe('thresholds written in the feature text', () => {
  it('parses durations and latencies', () => {
    assert.equal(parseDuration('1 hour'), 3_600_000);
    assert.equal(parseDuration('10 minutes'), 600_000);
    assert.equal(parseDuration('1 second'), 1000);
    assert.equal(parseDuration('500 ms'), 500);
    assert.equal(parseDuration('7 days'), 604_800_000);
    assert.throws(() => parseDuration('soon'), /"soon" is not a duration/);
  });

  it('parses memory sizes', () => {
    assert.equal(parseMemoryGiB('8 GiB'), 8);
    assert.throws(() => parseMemoryGiB('8 GB'), /"8 GB" is not a memory size/);
  });
});

describe('offerFor', () => {
  it('offers the full load under certify and a capped one under smoke', () => {
    const asked = { ratePerSecond: 1000, durationMs: 3_600_000 };
    assert.deepEqual(offerFor('certify', asked), asked);
    assert.deepEqual(offerFor('smoke', asked), { ratePerSecond: 20, durationMs: 60_000 });
  });
});
