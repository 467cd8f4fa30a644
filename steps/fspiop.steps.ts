import { Given, Then, When } from '@cucumber/cucumber';
import type { ConformanceWorld } from './world.ts';

Given('a party no DFSP holds', function (this: ConformanceWorld) {
  this.p2p.usePayee(this.session.config.parties.unknown);
});

Given('a payee party whose DFSP answers transfers with a wrong fulfilment', function (this: ConformanceWorld) {
  // The @needs:controlled-payee gate ran first: the target names such a party.
  this.p2p.usePayee(this.session.environment.controlledPayee!.invalidFulfilment);
});

When('the payer DFSP looks up the party', async function (this: ConformanceWorld) {
  await this.p2p.lookup();
});

Then('the lookup callback names the party and the payee DFSP that holds it', async function (this: ConformanceWorld) {
  await this.record(this.p2p.lookupFound());
});

Then('the lookup ends with error callback {fspiopErrorCode}', async function (this: ConformanceWorld, code: string) {
  await this.record(this.p2p.lookupFailed(code));
});

When('the payer DFSP requests a quote to send {fspiopAmount} to the party', async function (this: ConformanceWorld, amount: string) {
  await this.p2p.requestQuote(amount);
});

Then('the quote callback agrees to that amount with an ILP packet and a condition for the party', async function (this: ConformanceWorld) {
  await this.record(await this.p2p.quoteAgreed());
});

When('the payer DFSP prepares the transfer on the agreed terms', async function (this: ConformanceWorld) {
  await this.record(await this.p2p.prepareTransfer());
});

Then('the transfer callback reports COMMITTED with a fulfilment that matches the condition', async function (this: ConformanceWorld) {
  await this.record(this.p2p.committed());
});

Then('the transfer ends with error callback {fspiopErrorCode}', async function (this: ConformanceWorld, code: string) {
  await this.record(this.p2p.rejected(code));
});

Then('the hub reports the transfer as {transferState}', async function (this: ConformanceWorld, state: 'ABORTED' | 'COMMITTED') {
  await this.record(await this.p2p.hubStateIs(state));
});
