import { Given, Then, When } from '@cucumber/cucumber';
import type { ConformanceWorld } from './world.ts';

Given('a party no DFSP holds', function (this: ConformanceWorld) {
  this.p2p.usePayee(this.session.config.parties.unknown);
});

Given('a payee party whose DFSP answers transfers with a wrong fulfilment', function (this: ConformanceWorld) {
  return this.record(this.p2p.usePayeeIn('invalidFulfilment', this.session.provider('controlled-payee')));
});

Given('a payee party whose DFSP rejects every transfer', function (this: ConformanceWorld) {
  return this.record(this.p2p.usePayeeIn('rejecting', this.session.provider('controlled-payee')));
});

Given('a payee party whose DFSP never answers transfers', function (this: ConformanceWorld) {
  return this.record(this.p2p.usePayeeIn('silent', this.session.provider('controlled-payee')));
});

Given('a payee party whose name is written in non-Latin script', function (this: ConformanceWorld) {
  return this.record(this.p2p.usePayeeIn('nonLatinName', this.session.provider('controlled-payee')));
});

Given('a payee party addressed with a sub-id', function (this: ConformanceWorld) {
  return this.record(this.p2p.usePayeeIn('withSubId', this.session.provider('controlled-payee')));
});

When('the payer DFSP looks up the party', async function (this: ConformanceWorld) {
  await this.record(await this.p2p.lookup());
});

Then('the lookup callback names the party and the payee DFSP that holds it', async function (this: ConformanceWorld) {
  await this.record(this.p2p.lookupFound());
});

Then('the party\'s name arrives exactly as its DFSP holds it', async function (this: ConformanceWorld) {
  return this.record(this.p2p.nameIntact());
});

Then('the lookup ends with error callback {fspiopErrorCode}', async function (this: ConformanceWorld, code: string) {
  await this.record(this.p2p.lookupFailed(code));
});

When('the payer DFSP requests a quote to send {fspiopAmount} to the party', async function (this: ConformanceWorld, amount: string) {
  await this.record(await this.p2p.requestQuote(amount));
});

When('the payer DFSP requests a quote to send {fspiopAmount} to the party at DFSP {string}', async function (this: ConformanceWorld, amount: string, fsp: string) {
  await this.record(await this.p2p.requestQuote(amount, fsp));
});

When('the payer DFSP requests a quote with the {quoteField} {string}', async function (this: ConformanceWorld, field: 'amount' | 'currency', value: string) {
  await this.record(await this.p2p.requestInvalidQuote(field, value));
});

Then('the quote callback agrees to that amount with an ILP packet and a condition for the party', async function (this: ConformanceWorld) {
  await this.record(await this.p2p.quoteAgreed());
});

Then('the quote ends with error callback {fspiopErrorCode}', async function (this: ConformanceWorld, code: string) {
  await this.record(this.p2p.quoteFailed(code));
});

Then('the quote is refused with error {fspiopErrorCode} or {fspiopErrorCode}', async function (this: ConformanceWorld, code: string, alternative: string) {
  await this.record(this.p2p.quoteRefused([code, alternative]));
});

When('the payer DFSP asks for the quote again', async function (this: ConformanceWorld) {
  await this.record(await this.p2p.queryQuote());
});

Then('the answer repeats the quote\'s terms', async function (this: ConformanceWorld) {
  await this.record(this.p2p.quoteRepeated());
});

When('the payer DFSP prepares the transfer on the agreed terms', async function (this: ConformanceWorld) {
  await this.record(await this.p2p.prepareTransfer());
});

When('the payer DFSP prepares the transfer on the agreed terms, expiring in {duration}', async function (this: ConformanceWorld, expiresInMs: number) {
  await this.record(await this.p2p.prepareTransfer(expiresInMs));
});

Then('the transfer callback reports COMMITTED with a fulfilment that matches the condition', async function (this: ConformanceWorld) {
  await this.record(await this.p2p.committed());
});

Then('the transfer ends with error callback {fspiopErrorCode}', async function (this: ConformanceWorld, code: string) {
  return this.record(await this.p2p.rejected(code));
});

Then('the payee DFSP is told the transfer ended with error {fspiopErrorCode}', async function (this: ConformanceWorld, code: string) {
  // The @needs:payee-observation gate ran first: the target can tell what its payee was told.
  const payee = this.session.provider('payee-observation');
  await this.record(await this.p2p.payeeTold(code, (transferId) => payee.transferErrors(transferId)));
});

When('the payer DFSP sends the same transfer again', async function (this: ConformanceWorld) {
  await this.record(await this.p2p.resendTransfer());
});

When('the payer DFSP sends a transfer with the same id and a different amount', async function (this: ConformanceWorld) {
  await this.record(await this.p2p.resendModifiedTransfer());
});

Then('the resend is answered with the state and fulfilment the transfer first got', async function (this: ConformanceWorld) {
  await this.record(this.p2p.resendAnsweredWithState());
});

Then('the resend ends with error callback {fspiopErrorCode}', async function (this: ConformanceWorld, code: string) {
  await this.record(this.p2p.resendFailed(code));
});

Then('the hub reports the transfer as {transferState}', async function (this: ConformanceWorld, state: 'ABORTED' | 'COMMITTED') {
  await this.record(await this.p2p.hubStateIs(state));
});

When('the payer DFSP asks the hub for a transfer it never sent', async function (this: ConformanceWorld) {
  await this.record(await this.p2p.queryUnknownTransfer());
});

Then('the query ends with error callback {fspiopErrorCode}', async function (this: ConformanceWorld, code: string) {
  await this.record(this.p2p.queryFailed(code));
});

When('a DFSP that is not a party to the transfer asks the hub for it', async function (this: ConformanceWorld) {
  await this.record(await this.p2p.queryAsStranger());
});

Then('that DFSP is refused with error callback {fspiopErrorCode} and told neither the transfer\'s state nor its fulfilment', async function (this: ConformanceWorld, code: string) {
  await this.record(this.p2p.strangerRefused(code));
});

Then('every callback came in an FSPIOP version its request accepted', async function (this: ConformanceWorld) {
  await this.record(await this.p2p.versionsNegotiated());
});
