import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoadSummary } from '../../src/load/load-runner.ts';
import { SlaProbe } from '../../src/probes/sla-probe.ts';

// The Mojaloop performance workstream's best plaintext run (chart v17.1.0), as a load summary.
const published: LoadSummary = {
  source: 'fixture: published plaintext run, 650 TPS target',
  offeredRate: 650,
  windowMs: 3_180_000,
  achievedRate: 649.6,
  droppedIterations: 0,
  phases: {
    lookups: { count: 2_065_728, failures: 0, percentilesMs: { 99: 79 } },
    quotes: { count: 2_065_728, failures: 0, percentilesMs: { 99: 249 } },
    transfers: { count: 2_065_728, failures: 620, percentilesMs: { 99: 755 } },
  },
};

describe('SlaProbe', () => {
  const probe = new SlaProbe(published);

  it('fails the HELM tier throughput of 1000 transfers per second on the best published run', () => {
    const [throughput, dropped] = probe.throughputAtLeast(1000);
    assert.equal(throughput!.ok, false);
    assert.equal(throughput!.value, 649.6);
    assert.equal(throughput!.threshold, '≥ 1000 transfers/s');
    assert.equal(dropped!.ok, true);
  });

  it('passes p99 latency within 1 second per phase, and names the percentile', () => {
    for (const phase of ['lookups', 'quotes', 'transfers'] as const) {
      const [latency] = probe.latencyWithin(phase, 99, 1000);
      assert.equal(latency!.ok, true, phase);
    }
    assert.equal(probe.latencyWithin('transfers', 99, 1000)[0]!.name, 'p99 transfers latency');
  });

  it('fails a percentile the runner did not record rather than guessing', () => {
    const [latency] = probe.latencyWithin('transfers', 99.9, 1000);
    assert.equal(latency!.ok, false);
    assert.equal(latency!.value, 'not recorded');
  });

  it('fails availability of 99.99% when 0.03% of transfers failed', () => {
    const [availability] = probe.successAtLeast('transfers', 99.99);
    assert.equal(availability!.ok, false);
    assert.match(String(availability!.value), /^99\.970% of 2065728$/);
  });

  it('counts dropped iterations as not delivering the offered rate', () => {
    const [, dropped] = new SlaProbe({ ...published, droppedIterations: 4265 }).throughputAtLeast(600);
    assert.equal(dropped!.ok, false);
  });

  it('never passes recovery without an injected fault', () => {
    assert.equal(probe.recoveredWithin(30_000)[0]!.ok, false);
    assert.equal(probe.noCommittedTransferLost()[0]!.ok, false);
    const recovered = new SlaProbe({ ...published, recovery: { fault: 'pod centralledger-0', outageMs: 12_000, committedChecked: 5000, committedLost: 0 } });
    assert.ok(recovered.recoveredWithin(30_000)[0]!.ok);
    assert.ok(recovered.noCommittedTransferLost()[0]!.ok);
  });
});
