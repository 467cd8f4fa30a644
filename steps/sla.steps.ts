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
  await this.record((await this.sla()).throughputAtLeast(rate));
});

Then('{percentage} of {phase} complete within {latency}', async function (this: ConformanceWorld, percentage: number, phase: Phase, maxMs: number) {
  await this.record((await this.sla()).latencyWithin(phase, percentage, maxMs));
});

Then('at least {percentage} of {phase} succeed', async function (this: ConformanceWorld, percentage: number, phase: Phase) {
  await this.record((await this.sla()).successAtLeast(phase, percentage));
});

Then('transfers succeed again within {latency}', async function (this: ConformanceWorld, maxMs: number) {
  await this.record((await this.sla()).recoveredWithin(maxMs));
});

Then('every transfer reported COMMITTED is still COMMITTED afterwards', async function (this: ConformanceWorld) {
  await this.record((await this.sla()).noCommittedTransferLost());
});
