import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inFlightCap } from '../../src/load/builtin/builtin-runner.ts';
import { descriptorLimit, openDescriptors, parseProcLimits } from '../../src/support/descriptor-limit.ts';

describe('descriptor limit', () => {
  it('reads the soft limit from /proc/self/limits', () => {
    const text = 'Limit                     Soft Limit           Hard Limit           Units\nMax processes             95144                95144                processes\nMax open files            2048                 524288               files\n';
    assert.equal(parseProcLimits(text), 2048);
    assert.equal(parseProcLimits('Max open files            unlimited            unlimited            files\n'), Number.MAX_SAFE_INTEGER);
    assert.equal(parseProcLimits('Max processes 10 10 processes\n'), undefined);
  });

  it('knows this process\'s limit and how many descriptors it holds', () => {
    const { limit, source } = descriptorLimit();
    assert.ok(limit > 0);
    assert.match(source, /ulimit -n|assumed/);
    const open = openDescriptors();
    if (process.platform === 'linux') assert.ok(open !== undefined && open > 0 && open < limit);
  });
});

describe('the builtin runner\'s in-flight cap', () => {
  it('is ten seconds of arrivals while the descriptors allow it', () => {
    assert.deepEqual(inFlightCap(100, undefined, { limit: 20_000, source: 'ulimit -n 20000' }), { maxInFlight: 1000, maxInFlightSource: '10 s of arrivals at 100/s (within ulimit -n 20000)' });
  });

  it('shrinks to what the descriptors can hold, and says so', () => {
    const cap = inFlightCap(1000, undefined, { limit: 2048, source: 'ulimit -n 2048' });
    assert.equal(cap.maxInFlight, 448);
    assert.match(cap.maxInFlightSource, /^ulimit -n 2048 \(4 descriptors per iteration in flight/);
  });

  it('is what the config says when it says', () => {
    assert.deepEqual(inFlightCap(1000, 20, { limit: 2048, source: 'ulimit -n 2048' }), { maxInFlight: 20, maxInFlightSource: 'load.maxInFlight' });
  });
});
