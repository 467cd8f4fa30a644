import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PROFILES } from '../../src/config/schema.ts';
import { loadProfile, offerFor } from '../../src/load/load-profiles.ts';
import { ROOT } from '../helpers/cli.ts';
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

describe('load profiles (scenarios/*.yaml)', () => {
  it('exist for every profile the config accepts, and only a certifying one offers the asked load unchanged', async () => {
    const files = (await readdir(join(ROOT, 'scenarios'))).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();
    assert.deepEqual(files, [...PROFILES].sort());
    const asked = { ratePerSecond: 1000, durationMs: 3_600_000 };
    assert.deepEqual(offerFor(loadProfile('certify'), asked), asked);
    assert.deepEqual(offerFor(loadProfile('smoke'), asked), { ratePerSecond: 20, durationMs: 60_000 });
    assert.deepEqual(offerFor(loadProfile('soak'), asked), { ratePerSecond: 250, durationMs: 28_800_000 });
    assert.deepEqual(PROFILES.filter((p) => loadProfile(p).certifies), ['certify']);
  });
});
