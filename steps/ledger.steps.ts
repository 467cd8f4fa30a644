import { After, Given, Then } from '@cucumber/cucumber';
import type { ConformanceWorld } from './world.ts';

Given('the payer\'s position at the hub is noted', async function (this: ConformanceWorld) {
  await this.record(await this.ledger.notePosition());
});

Given('the payer\'s net debit cap leaves room for {fspiopAmount} only', async function (this: ConformanceWorld, headroom: string) {
  await this.record(await this.ledger.leaveHeadroom(headroom));
});

Given('the payer\'s liquidity at the hub covers {fspiopAmount}', async function (this: ConformanceWorld, amount: string) {
  return this.record(await this.ledger.liquidityCovers(amount));
});

Given('the payer\'s liquidity at the hub leaves room for {fspiopAmount} only', async function (this: ConformanceWorld, room: string) {
  return this.record(await this.ledger.leaveLiquidity(room));
});

Then('the payee\'s position moved by the transfer amount once, the other way', async function (this: ConformanceWorld) {
  await this.record(await this.ledger.payeePositionMovedOnce(this.p2p.transferAmount));
});

Then('the payer\'s position holds the transfer amount reserved before the transfer expires', async function (this: ConformanceWorld) {
  await this.record(await this.ledger.positionReserved(this.p2p.transferAmount, this.p2p.expiresAt));
});

Then('the payer\'s position is unchanged', async function (this: ConformanceWorld) {
  await this.record(await this.ledger.positionUnchanged());
});

Then('the payer\'s position moved by the transfer amount once', async function (this: ConformanceWorld) {
  await this.record(await this.ledger.positionMovedOnce(this.p2p.transferAmount));
});

// A cap lowered for one scenario must never outlive it, whatever the scenario's outcome.
After({ name: 'put back what the scenario changed at the hub' }, async function (this: ConformanceWorld) {
  await this.restoreLedger();
});
