import { Given, Then, When } from '@cucumber/cucumber';
import type { Phase } from '../src/probes/sla-probe.ts';
import type { ConformanceWorld } from './world.ts';

Given('P2P transfers are offered at {throughput} for {duration}', function (this: ConformanceWorld, ratePerSecond: number, durationMs: number) {
  this.offer = { ratePerSecond, durationMs };
});

When('one pod of {string} is killed during the run', function (this: ConformanceWorld, component: string) {
  this.fault = component;
});

Then('the achieved throughput is at least {throughput} with no dropped iterations', async function (this: ConformanceWorld, rate: number) {
  const load = await this.sla();
  if (load === 'skipped') return load;
  // Under a reduced profile the hub can only achieve what was offered; the verdict is marked reduced.
  await this.record(load.probe.throughputAtLeast(Math.min(rate, load.offered.ratePerSecond)));
  return undefined;
});

Then('{percentage} of {phase} complete within {latency}', async function (this: ConformanceWorld, percentage: number, phase: Phase, maxMs: number) {
  const load = await this.sla();
  if (load === 'skipped') return load;
  await this.record(load.probe.latencyWithin(phase, percentage, maxMs));
  return undefined;
});

Then('at least {percentage} of {phase} succeed', async function (this: ConformanceWorld, percentage: number, phase: Phase) {
  const load = await this.sla();
  if (load === 'skipped') return load;
  await this.record(load.probe.successAtLeast(phase, percentage));
  return undefined;
});

Then('transfers succeed again within {latency}', async function (this: ConformanceWorld, maxMs: number) {
  const load = await this.sla();
  if (load === 'skipped') return load;
  await this.record(load.probe.recoveredWithin(maxMs));
  return undefined;
});

Then('every transfer reported COMMITTED is still COMMITTED afterwards', async function (this: ConformanceWorld) {
  const load = await this.sla();
  if (load === 'skipped') return load;
  await this.record(load.probe.noCommittedTransferLost());
  return undefined;
});
