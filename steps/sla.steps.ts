import { Given, Then, When } from '@cucumber/cucumber';
import type { Phase } from '../src/load/load-runner.ts';
import type { ConformanceWorld } from './world.ts';

Given('P2P transfers are offered at {throughput} for {duration}', function (this: ConformanceWorld, ratePerSecond: number, durationMs: number) {
  this.offer = { ratePerSecond, durationMs };
});

When('one pod of {string} is killed during the run', function (this: ConformanceWorld, component: string) {
  this.fault = component;
});

Then('the achieved throughput is at least {throughput} in every interval with no dropped iterations, allowing for transfers up to {latency} late at an interval\'s edge',
  function (this: ConformanceWorld, rate: number, edgeLatencyMs: number) {
    return this.recordUnderLoad((probe) => probe.throughputAtLeast(rate, edgeLatencyMs));
  });

Then('{percentage} of {phase} complete within {latency}', function (this: ConformanceWorld, percentage: number, phase: Phase, maxMs: number) {
  return this.recordUnderLoad((probe) => probe.latencyWithin(phase, percentage, maxMs));
});

Then('at least {percentage} of {phase} succeed', function (this: ConformanceWorld, percentage: number, phase: Phase) {
  return this.recordUnderLoad((probe) => probe.successAtLeast(phase, percentage));
});

Then('transfers succeed again within {latency}, the recovery time objective of {string}', function (this: ConformanceWorld, maxMs: number, why: string) {
  // A deployment's own objective replaces the feature's, and names its own source.
  const configured = this.session.config.resilience.rto;
  const objective = configured
    ? { maxMs: configured.maxMs, source: `config resilience.rto: ${configured.source}` }
    : { maxMs, source: `the feature text: ${why}` };
  return this.recordUnderLoad((probe) => probe.recoveredWithin(objective));
});

Then('every transfer reported COMMITTED is still COMMITTED afterwards', function (this: ConformanceWorld) {
  return this.recordUnderLoad((probe) => probe.noCommittedTransferLost());
});
