import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoadAccounting } from '../../src/load/load-accounting.ts';
import type { LoadRequest } from '../../src/load/load-runner.ts';
import { histogramOf, loadEvidenceOf } from '../../src/reports/load-evidence.ts';
import { LoadEvidenceSchema } from '../../src/reports/result-schema.ts';

const request: LoadRequest = { flow: 'p2p', profile: 'smoke', ratePerSecond: 20, durationMs: 10_000, warmupMs: 2000, drainMs: 2000, intervalMs: 2000 };

describe('loadEvidenceOf', () => {
  it('keeps what a report draws of a load: what was asked and offered, who asked, the series, latency over time and histograms', () => {
    const books = new LoadAccounting(request);
    for (let ms = 0; ms < 9000; ms += 100) books.started(ms);
    for (let ms = 0; ms < 9000; ms += 100) books.record({ startMs: ms, endMs: ms + 30 + (ms % 7), ok: true, phasesMs: { lookups: 5, quotes: 10, transfers: 15 + (ms % 7) }, committedTransferId: `t${ms}` });
    books.record({ startMs: 5000, endMs: 5200, ok: false, failure: { phase: 'transfers', reason: 'error callback 4001' }, phasesMs: { lookups: 5, quotes: 10 } });
    const summary = books.summary({ runner: 'builtin', source: 'test', scheduled: 91 });
    const evidence = loadEvidenceOf({ summary, asked: { ratePerSecond: 1000, durationMs: 3_600_000 }, offered: { ratePerSecond: 20, durationMs: 6000 }, guarantees: ['HELM-SLA-01', 'HELM-SLA-02'] });

    assert.equal(evidence.id, 'p2p-1000-3600000-smoke');
    assert.deepEqual(evidence.guarantees, ['HELM-SLA-01', 'HELM-SLA-02']);
    assert.deepEqual(evidence.offered, { ratePerSecond: 20, durationMs: 6000 });
    assert.deepEqual(evidence.window, { startMs: 2000, endMs: 8000 });
    assert.equal(evidence.series.length, 9);
    assert.deepEqual(evidence.latencyOverTime.map((point) => point.second), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.ok(evidence.latencyOverTime.every((point) => point.seconds === undefined), 'a short load is drawn per second');
    assert.deepEqual(evidence.stages.transfers.failures, { 'error callback 4001': 1 });
    assert.equal(evidence.stages.iterations.histogram.reduce((sum, [, n]) => sum + n, 0), evidence.stages.iterations.successes);
    assert.ok(LoadEvidenceSchema.safeParse(evidence).success, JSON.stringify(LoadEvidenceSchema.safeParse(evidence).error?.issues));
  });

  it('names a load with a fault by the component it broke', () => {
    const summary = new LoadAccounting(request).summary({ runner: 'k6', source: 'test', scheduled: 0 });
    assert.equal(loadEvidenceOf({ summary, asked: { ratePerSecond: 50, durationMs: 600_000 }, offered: { ratePerSecond: 20, durationMs: 60_000 }, faultIn: 'central ledger', guarantees: [] }).id,
      'p2p-50-600000-smoke-fault-central-ledger');
  });
});

describe('histogramOf', () => {
  it('buckets what completed below each 1-2-5 bound, up to the bucket holding the slowest', () => {
    // 3 below 1 ms, 2 more below 2 ms, 1 more below 5 ms, 4 more below 38 ms.
    const stats = { successes: 10, completedBelowMs: [[1, 3], [2, 5], [4, 6], [38, 10]] as Array<[number, number]> };
    assert.deepEqual(histogramOf(stats), [[1, 3], [2, 2], [5, 1], [10, 0], [20, 0], [50, 4]]);
  });

  it('is empty when nothing succeeded', () => {
    assert.deepEqual(histogramOf({ successes: 0, completedBelowMs: [] }), []);
  });
});
