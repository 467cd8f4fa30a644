import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatencyTimeline, MAX_TIMELINE_POINTS } from '../../src/load/latency-timeline.ts';
import { LoadAccounting } from '../../src/load/load-accounting.ts';
import type { LoadRequest } from '../../src/load/load-runner.ts';

describe('LatencyTimeline', () => {
  it('gives p50/p95/p99 per second and stage, never below the true latency and at most 5 % above it', () => {
    const timeline = new LatencyTimeline(10_000);
    for (let i = 1; i <= 100; i += 1) timeline.record('transfers', 2500, i * 10); // 10 … 1000 ms in second 2
    timeline.record('lookups', 4100, 0.4);
    const { resolutionSeconds, points } = timeline.summary();
    assert.equal(resolutionSeconds, 1);
    assert.deepEqual(points.map((p) => p.second), [2, 4]);
    const transfers = points[0]!.stages.transfers!;
    assert.equal(transfers.count, 100);
    for (const [p, truth] of [[transfers.p50, 500], [transfers.p95, 950], [transfers.p99, 990]] as const) {
      assert.ok(p >= truth && p <= truth * 1.05, `${p} for a true ${truth}`);
    }
    assert.equal(points[1]!.stages.lookups!.p99, 1, 'a latency below 1 ms reads as "below 1 ms"');
    assert.equal(points[1]!.stages.transfers, undefined);
  });

  it('widens its points for long loads, so an 8-hour soak keeps at most MAX_TIMELINE_POINTS of them', () => {
    const eightHours = 8 * 3600_000;
    const timeline = new LatencyTimeline(eightHours);
    for (let ms = 0; ms < eightHours; ms += 1000) timeline.record('iterations', ms, 100);
    const { resolutionSeconds, points } = timeline.summary();
    assert.equal(resolutionSeconds, 48);
    assert.equal(points.length, MAX_TIMELINE_POINTS);
    assert.equal(points[1]!.second, 48);
    assert.equal(points[1]!.stages.iterations!.count, 48);
  });

  it('keeps its bound when a load overruns its plan: late completions merge into the last point allowed', () => {
    const timeline = new LatencyTimeline(1000);
    for (let s = 0; s < 5000; s += 1) timeline.record('quotes', s * 1000, 5);
    const { points } = timeline.summary();
    assert.equal(points.length, 2 * MAX_TIMELINE_POINTS + 1);
    assert.equal(points.at(-1)!.stages.quotes!.count, 5000 - 2 * MAX_TIMELINE_POINTS);
  });
});

describe('LoadAccounting: latency over time', () => {
  it('carries every runner\'s latency over time in the LoadSummary, warm-up and drain included, by completion second', () => {
    const request: LoadRequest = { flow: 'p2p', profile: 'test', ratePerSecond: 10, durationMs: 10_000, warmupMs: 2000, drainMs: 2000, intervalMs: 2000 };
    const books = new LoadAccounting(request);
    books.record({ startMs: 500, endMs: 700, ok: true, phasesMs: { lookups: 50, quotes: 50, transfers: 100 } });
    books.record({ startMs: 5000, endMs: 5400, ok: true, phasesMs: { lookups: 100, quotes: 100, transfers: 200 } });
    books.record({ startMs: 5000, endMs: 5100, ok: false, failure: { phase: 'quotes', reason: 'timeout' }, phasesMs: { lookups: 90 } });
    const { latencyOverTime } = books.summary({ runner: 'test', source: 'test', scheduled: 3 });
    assert.deepEqual(latencyOverTime!.points.map((p) => [p.second, Object.keys(p.stages).sort()]), [
      [0, ['iterations', 'lookups', 'quotes', 'transfers']],
      [5, ['iterations', 'lookups', 'quotes', 'transfers']],
    ]);
    // Only successes are timed: the failed iteration's lookup counts, its iteration does not.
    assert.equal(latencyOverTime!.points[1]!.stages.lookups!.count, 2);
    assert.equal(latencyOverTime!.points[1]!.stages.iterations!.count, 1);
    assert.ok(latencyOverTime!.points[1]!.stages.iterations!.p99 >= 400);
  });
});
