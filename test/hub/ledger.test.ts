import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fromUnits, toUnits } from '../../src/hub/ledger-amount.ts';
import { HubLedger, IN_FLIGHT_ACCOUNT, SETTLEMENT_ACCOUNT, type TransferTerms } from '../../src/hub/ledger.ts';
import { tempDir } from '../helpers/cli.ts';
import { fundLiquidity } from '../helpers/liquidity.ts';

const terms = (amount: string, transferId = randomUUID()): TransferTerms => ({
  transferId, payerFsp: 'payerfsp', payeeFsp: 'payeefsp', amount: { amount, currency: 'USD' },
  condition: 'GRzLaTP7DJ9t4P-a_BA0WA9wzzlsugf00-Tn6kESAfM', expiration: new Date(Date.now() + 60_000).toISOString(),
});

function ledgerWithTwo(file?: string, cap = '100'): HubLedger {
  const ledger = new HubLedger(file);
  for (const fsp of ['payerfsp', 'payeefsp']) {
    for (const currency of ledger.ensureParticipant(fsp, ['USD'], cap)) {
      ledger.setInitialPositionAndLimit(fsp, currency, cap, '0');
      fundLiquidity(ledger, fsp, '1000000');
    }
  }
  return ledger;
}

const position = (ledger: HubLedger, participant: string) => ledger.allAccounts().find((a) => a.participant === participant && a.currency === 'USD')?.position;
const sum = (ledger: HubLedger) => ledger.allAccounts().reduce((total, account) => total + toUnits(account.position), 0n);

describe('ledger amounts', () => {
  it('counts FSPIOP amounts exactly, in 1/10 000 units', () => {
    for (const amount of ['0', '1', '12.5', '0.0001', '123456789012345.6789', '-3.25']) assert.equal(fromUnits(toUnits(amount)), amount);
    assert.equal(toUnits('0.1') + toUnits('0.2'), toUnits('0.3'), 'no float drift');
    assert.throws(() => toUnits('1.23456'), /at most 4 decimals/);
  });
});

describe('HubLedger', () => {
  it('reserves on prepare, moves to the payee on commit, and every account of a currency sums to zero throughout', () => {
    const ledger = ledgerWithTwo();
    const prepared = ledger.prepare(terms('30'), 'hash');
    assert.equal(prepared.kind, 'reserved');
    assert.deepEqual([position(ledger, 'payerfsp'), position(ledger, IN_FLIGHT_ACCOUNT), position(ledger, 'payeefsp')], ['30', '-30', '0']);
    assert.equal(sum(ledger), 0n);
    const committed = ledger.commit(prepared.kind === 'reserved' ? prepared.transfer.transferId : '', 'fulfilment', new Date().toISOString());
    assert.equal(committed?.state, 'COMMITTED');
    assert.deepEqual([position(ledger, 'payerfsp'), position(ledger, IN_FLIGHT_ACCOUNT), position(ledger, 'payeefsp')], ['30', '0', '-30']);
    assert.equal(sum(ledger), 0n);
    assert.equal(ledger.commit(committed!.transferId, 'again', ''), undefined, 'a transfer commits once');
    ledger.close();
  });

  it('releases the reservation on abort, once', () => {
    const ledger = ledgerWithTwo();
    const { transferId } = terms('12.5');
    ledger.prepare({ ...terms('12.5'), transferId }, 'hash');
    assert.equal(ledger.abort(transferId, 'expired')?.reason, 'expired');
    assert.equal(ledger.abort(transferId, 'expired'), undefined);
    assert.deepEqual([position(ledger, 'payerfsp'), position(ledger, IN_FLIGHT_ACCOUNT)], ['0', '0']);
    ledger.close();
  });

  it('refuses a prepare beyond the net debit cap: recorded ABORTED, nothing moved', () => {
    const ledger = ledgerWithTwo(undefined, '50');
    assert.equal(ledger.prepare(terms('40'), 'h').kind, 'reserved');
    const refused = ledger.prepare(terms('10.0001'), 'h');
    assert.equal(refused.kind, 'limit-exceeded');
    assert.deepEqual(refused.kind === 'limit-exceeded' && [refused.position, refused.netDebitCap, refused.transfer.state], ['40', '50', 'ABORTED']);
    assert.equal(ledger.prepare(terms('10'), 'h').kind, 'reserved', 'exactly up to the cap is allowed');
    assert.equal(position(ledger, 'payerfsp'), '50');
    assert.equal(ledger.prepare(terms('1'), 'h', { ignoreNetDebitCap: true }).kind, 'reserved', 'the fault that ignores the cap');
    ledger.close();
  });

  it('refuses a prepare its liquidity cover does not back (before looking at the cap), recorded ABORTED, nothing moved', () => {
    const ledger = new HubLedger();
    for (const fsp of ['payerfsp', 'payeefsp']) {
      ledger.ensureParticipant(fsp, ['USD'], '100');
      ledger.setInitialPositionAndLimit(fsp, 'USD', '100', '0');
    }
    fundLiquidity(ledger, 'payerfsp', '30');
    assert.equal(ledger.prepare(terms('20'), 'h').kind, 'reserved');
    const refused = ledger.prepare(terms('200'), 'h');
    assert.equal(refused.kind, 'insufficient-liquidity', 'beyond both cover (30) and cap (100): the cover is checked first');
    assert.deepEqual(refused.kind === 'insufficient-liquidity' && [refused.position, refused.liquidity, refused.transfer.state], ['20', '30', 'ABORTED']);
    assert.equal(ledger.prepare(terms('10'), 'h').kind, 'reserved', 'exactly up to the cover is allowed');
    assert.equal(position(ledger, 'payerfsp'), '30');
    assert.equal(sum(ledger), 0n);
    ledger.close();
  });

  it('moves liquidity in and out against the hub\'s reconciliation account, keeping every currency at zero', () => {
    const ledger = ledgerWithTwo();
    const settlement = ledger.dfspAccounts('payerfsp')[0]!.settlement;
    assert.equal(ledger.dfspAccounts('payerfsp')[0]!.liquidityCover, '1000000');
    assert.equal(settlement.value, '-1000000', 'central-ledger\'s sign: a funded settlement account is negative');
    const out = randomUUID();
    assert.equal(ledger.recordFundsOutPrepareReserve('payerfsp', settlement.id, out, { amount: '400', currency: 'USD' }).kind, 'done');
    assert.equal(ledger.dfspAccounts('payerfsp')[0]!.liquidityCover, '999600', 'reserved funds out back no transfer');
    assert.equal(ledger.finishFundsOut('payerfsp', out, 'recordFundsOutAbort').kind, 'done');
    assert.equal(ledger.dfspAccounts('payerfsp')[0]!.liquidityCover, '1000000', 'an aborted funds out comes back');
    assert.equal(ledger.finishFundsOut('payerfsp', out, 'recordFundsOutCommit').kind, 'unknown-transfer', 'finished already');
    assert.equal(ledger.recordFundsOutPrepareReserve('payerfsp', settlement.id, randomUUID(), { amount: '1000001', currency: 'USD' }).kind, 'insufficient');
    const again = randomUUID();
    ledger.recordFundsIn('payerfsp', settlement.id, again, { amount: '5', currency: 'USD' });
    assert.equal(ledger.recordFundsIn('payerfsp', settlement.id, again, { amount: '5', currency: 'USD' }).kind, 'done');
    assert.equal(ledger.dfspAccounts('payerfsp')[0]!.liquidityCover, '1000005', 'a funds in sent twice is booked once');
    assert.equal(ledger.recordFundsIn('payerfsp', ledger.dfspAccounts('payerfsp')[0]!.position.id, randomUUID(), { amount: '5', currency: 'USD' }).kind, 'not-settlement');
    assert.equal(sum(ledger), 0n);
    ledger.close();
  });

  it('balances an initial position against the settlement account', () => {
    const ledger = ledgerWithTwo();
    ledger.setInitialPositionAndLimit('payerfsp', 'USD', '100', '25');
    assert.deepEqual([position(ledger, 'payerfsp'), position(ledger, SETTLEMENT_ACCOUNT)], ['25', '-25']);
    assert.equal(sum(ledger), 0n);
    ledger.close();
  });

  it('keeps transfers and positions in its file: a reopened ledger carries on, and onboarding again resets nothing', async () => {
    const file = join(await tempDir('ledger'), 'hub.sqlite');
    const first = ledgerWithTwo(file);
    const reserved = terms('5');
    first.prepare(reserved, 'h');
    const done = terms('7');
    first.prepare(done, 'h');
    first.commit(done.transferId, 'f', 't');
    first.close();
    const second = new HubLedger(file);
    assert.deepEqual(second.ensureParticipant('payerfsp', ['USD'], '100'), [], 'the account exists: nothing new to set up');
    assert.equal(second.transfer(done.transferId)?.state, 'COMMITTED');
    assert.deepEqual(second.reservedTransfers().map((t) => t.transferId), [reserved.transferId]);
    assert.deepEqual([position(second, 'payerfsp'), position(second, 'payeefsp')], ['12', '-7']);
    second.close();
  });
});
