import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNotEvaluated } from '../../src/evidence/finding.ts';
import { LoadAccounting } from '../../src/load/load-accounting.ts';
import { exhaustionCode } from '../../src/load/load-contract.ts';
import type { LoadRequest } from '../../src/load/load-runner.ts';
import { SlaProbe } from '../../src/probes/sla-probe.ts';
import { diagnoseLoads } from '../../src/reports/diagnosis.ts';

const request: LoadRequest = { flow: 'p2p', profile: 'test', ratePerSecond: 10, durationMs: 10_000, warmupMs: 2000, drainMs: 2000, intervalMs: 2000 };
const ok = (startMs: number, endMs: number, id = `t-${startMs}`) => ({ startMs, endMs, ok: true, phasesMs: { lookups: 10, quotes: 20, transfers: endMs - startMs - 30 }, committedTransferId: id });
const summaryOf = (books: LoadAccounting) => books.summary({ runner: 'test runner', source: 'test', scheduled: 100 });

describe('LoadAccounting', () => {
  it('counts an iteration in the steady state by its start, and its completion in the second it ended', () => {
    const books = new LoadAccounting(request);
    books.record(ok(1900, 2100)); // started in the warm-up: no steady-state figures, but the series counts it
    books.record(ok(2000, 2500));
    books.record({ startMs: 3000, endMs: 3100, ok: false, failure: { phase: 'quotes', reason: 'error callback 3201' }, phasesMs: { lookups: 40 } });
    books.record(ok(7900, 8300)); // started before the drain, ended in it
    const summary = summaryOf(books);
    assert.equal(summary.iterations.attempts, 3);
    assert.equal(summary.iterations.successes, 2);
    assert.deepEqual(summary.iterations.failures, { 'quotes: error callback 3201': 1 });
    assert.equal(summary.phases.lookups.attempts, 3);
    assert.deepEqual(summary.phases.quotes.failures, { 'error callback 3201': 1 });
    assert.equal(Math.round(summary.iterations.percentilesMs['99']!), 500);
    assert.deepEqual(summary.series.slice(0, 9).map((s) => [s.succeeded, s.failed]), [[0, 0], [0, 0], [2, 0], [0, 1], [0, 0], [0, 0], [0, 0], [0, 0], [1, 0]]);
    // Completions inside the window, by completion time: 2100 and 2500 (8300 is past the window's end).
    assert.equal(summary.achievedRate, 2 / 6);
    assert.deepEqual(summary.intervals.map((i) => i.succeeded), [2, 0, 0]);
    assert.deepEqual(summary.committedSample.sort(), ['t-2000', 't-7900']);
  });

  it('counts dropped arrivals with the moments they started and stopped being dropped', () => {
    const books = new LoadAccounting(request);
    books.limitedBy({ maxInFlight: 5, maxInFlightSource: 'load.maxInFlight' });
    for (const atMs of [4000, 4100, 5900]) books.dropped(atMs);
    const summary = summaryOf(books);
    assert.equal(summary.dropped, 3);
    assert.deepEqual(summary.drops, { firstMs: 4000, lastMs: 5900 });
    assert.deepEqual(summary.series.map((s) => s.dropped ?? 0), [0, 0, 0, 0, 2, 1]);
    assert.deepEqual(summary.limits, { maxInFlight: 5, maxInFlightSource: 'load.maxInFlight' });
  });

  it('keeps every transfer committed within 5 s of the fault for the RPO check, beside the random sample', () => {
    const books = new LoadAccounting({ ...request, fault: { atMs: 5000, inject: async () => ({ broke: 'x', atMs: 5000 }) } }, { sampleSize: 1 });
    for (let ms = 2000; ms < 8000; ms += 500) books.record(ok(ms, ms + 100));
    const { committedSample } = summaryOf(books);
    const near = committedSample.filter((id) => Math.abs(Number(id.slice(2)) + 100 - 5000) <= 5000);
    assert.equal(near.length, 12);
  });

  it('tells the load generator running out from the hub failing: the SLA is not evaluated and the diagnosis says whose limit it was', () => {
    const books = new LoadAccounting(request);
    books.limitedBy({ maxInFlight: 448, maxInFlightSource: 'ulimit -n 2048 (…)' });
    books.record(ok(2000, 2200));
    books.record({ startMs: 3000, endMs: 3001, ok: false, failure: { phase: 'lookups', reason: 'no HTTP answer (EMFILE)' }, phasesMs: {} });
    books.record({ startMs: 3100, endMs: 3101, ok: false, failure: { phase: 'lookups', reason: 'no HTTP answer (EMFILE)' }, phasesMs: {} });
    const summary = summaryOf(books);
    assert.deepEqual(summary.generatorExhaustion, [{ code: 'EMFILE', count: 2, firstAtMs: 3001 }]);
    const finding = new SlaProbe(summary).latencyWithin('lookups', 99, 1000);
    assert.ok(isNotEvaluated(finding));
    assert.match(finding.notEvaluated, /^the load generator, not the hub, was the limit: its own process ran out \(EMFILE ×2 from 3 s\)/);
    assert.match(diagnoseLoads([summary])[0] ?? '', /^The load generator, not the hub, was the limit in the p2p load at 10\/s \(test runner\): its process ran out \(EMFILE ×2 from 3\.0 s into the load\)/);
  });

  it('tells a generator too starved of CPU to keep time from a slow hub: the SLA is not evaluated when its event loop ran late', () => {
    const books = new LoadAccounting(request);
    books.record(ok(2000, 2200));
    books.lagged({ p99Ms: 30, maxMs: 80 });
    assert.ok(!isNotEvaluated(new SlaProbe(summaryOf(books)).latencyWithin('lookups', 99, 1000)), 'a little lag is noise inside a 1 s bound');
    assert.deepEqual(diagnoseLoads([summaryOf(books)]), []);
    books.lagged({ p99Ms: 361.2, maxMs: 472.6 });
    const summary = summaryOf(books);
    assert.deepEqual(summary.generatorLag, { p99Ms: 361.2, maxMs: 472.6 });
    const finding = new SlaProbe(summary).throughputAtLeast(10, 1000);
    assert.ok(isNotEvaluated(finding));
    assert.match(finding.notEvaluated, /^the load generator, not the hub, was the limit: its event loop ran late by 361 ms at p99 \(max 473 ms; more than 200 ms\)/);
    assert.match(diagnoseLoads([summary])[0] ?? '', /^The load generator, not the hub, was the limit in the p2p load at 10\/s \(test runner\): its event loop ran 361 ms late at p99/);
  });

  it('counts the drops of the steady state apart, and says why a governed runner dropped: the hub\'s pace, the cap it set and when', () => {
    const books = new LoadAccounting(request);
    books.dropped(1500); // warm-up
    books.dropped(2500);
    books.dropped(7999);
    books.dropped(8000); // drain
    books.record(ok(2000, 2200));
    books.governed({ firstBelowAtMs: 3000, lowest: 15, lowestAtMs: 5000, paceAtLowest: 10.2, targetMs: 15_000 });
    const summary = summaryOf(books);
    assert.equal(summary.dropped, 4);
    assert.equal(summary.droppedInWindow, 2);
    assert.match(diagnoseLoads([summary])[0] ?? '', /^4 arrivals of the p2p load at 10\/s \(test runner\) were dropped from 1\.5 s into the load to 8\.0 s into the load: the hub completed 10 iterations\/s, and at that pace more than 15 in flight would wait longer than 15\.0 s \(a quarter of their timeouts\), so from 3\.0 s into the load the runner let the hub hold fewer \(15 at 5\.0 s into the load\) rather than pile up requests that would time out\./);
    const k6 = new LoadAccounting(request);
    k6.droppedInTotal(7);
    assert.equal(summaryOf(k6).droppedInWindow, 7, 'drops known only in total all count against the steady state');
  });

  it('knows the generator running out by its code or in k6\'s words', () => {
    assert.equal(exhaustionCode('no HTTP answer (EMFILE)'), 'EMFILE');
    assert.equal(exhaustionCode('no HTTP answer (dial tcp 127.0.0.1:4000: socket: too many open files)'), 'EMFILE');
    assert.equal(exhaustionCode('no HTTP answer (open /etc/hosts: too many open files in system)'), 'ENFILE');
    assert.equal(exhaustionCode('no HTTP answer (dial tcp 10.0.0.1:443: connect: cannot assign requested address)'), 'EADDRNOTAVAIL');
    assert.equal(exhaustionCode('no HTTP answer (ECONNREFUSED)'), undefined, 'a refused connection is the hub\'s side');
  });

  it('reports progress over the last seconds: the rate of whole seconds and the p99 of recent iterations', () => {
    const books = new LoadAccounting(request);
    for (let ms = 0; ms < 3000; ms += 100) books.record(ok(ms, ms + 50));
    const progress = books.progress(3000);
    assert.equal(progress.achievedRate, 10);
    assert.equal(Math.round(progress.p99Ms.lookups!), 10);
    assert.equal(progress.failed, 0);
    assert.equal(progress.dropped, 0);
  });
});
