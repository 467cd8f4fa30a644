import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfig } from '../../src/config/load-config.ts';
import type { ControlledParty } from '../../src/config/schema.ts';
import { ReferenceDeployment } from '../../src/environment/embedded/reference-deployment.ts';
import { CallbackServer } from '../../src/fspiop/callback-server.ts';
import { PayerDfsp } from '../../src/fspiop/payer-dfsp.ts';
import { QuotesPut } from '../../src/fspiop/payloads.ts';
import { toUnits } from '../../src/hub/ledger-amount.ts';
import { IN_FLIGHT_ACCOUNT } from '../../src/hub/ledger.ts';
import { waitFor } from '../helpers/wait.ts';

const config = validateConfig({ timeouts: { callbackMs: 15_000, requestMs: 15_000 } });

describe('the reference hub\'s positions under concurrent load', () => {
  it('sum to zero at every moment, and at rest the payer owes exactly what was committed', async (t) => {
    const deployment = new ReferenceDeployment(config);
    const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 65_536, addressing: { dfsps: ['payerfsp'], senders: ['Hub', 'payeefsp'] } });
    const { hubUrl } = await deployment.start();
    await callbacks.start();
    await deployment.connectPayer('payerfsp', callbacks.url);
    const payer = new PayerDfsp({ hubUrl, fspId: 'payerfsp', callbacks, callbackTimeoutMs: 15_000, requestTimeoutMs: 15_000 });
    const ledger = deployment.hub.ledger;

    // Sampled between events of the hub's thread, every millisecond or so. Each booking is one synchronous
    // SQLite transaction, so this catches a booking split across an await — and double-entry rules broken.
    let samples = 0;
    const broken: string[] = [];
    let sampling = true;
    const sample = () => {
      if (!sampling) return;
      const totals = new Map<string, bigint>();
      for (const account of ledger.allAccounts()) totals.set(account.currency, (totals.get(account.currency) ?? 0n) + toUnits(account.position));
      for (const [currency, total] of totals) if (total !== 0n) broken.push(`${currency} accounts sum to ${total} units after ${samples} samples`);
      samples += 1;
      setTimeout(sample, 1);
    };
    sample();

    const { controlledPayee } = deployment;
    const parties: [ControlledParty, number | undefined][] = [
      [config.participants.payee.party, undefined],
      [controlledPayee.invalidFulfilment!, undefined],
      [controlledPayee.rejecting!, undefined],
      [controlledPayee.silent!, 1500],
    ];
    let committed = 0n;
    const sent: string[] = [];
    const outcomes = new Map<string, number>();
    const transfer = async (n: number) => {
      const [party, expiresInMs] = parties[n % parties.length]!;
      const amount = { amount: `${1 + (n % 7)}.25`, currency: 'USD' };
      const quote = await payer.requestQuote({ payer: config.participants.payer.party, payee: party, payeeFsp: 'payeefsp', amount });
      const terms = QuotesPut.parse(quote.callback?.body);
      const exchange = await payer.prepareTransfer({
        payeeFsp: 'payeefsp', amount,
        terms: expiresInMs === undefined ? terms : { ...terms, expiration: new Date(Date.now() + expiresInMs).toISOString() },
      });
      sent.push((exchange.requestBody as { transferId: string }).transferId);
      const outcome = exchange.callback?.kind === 'success' ? (exchange.callback.body as { transferState: string }).transferState : `error ${(exchange.callback?.body as { errorInformation?: { errorCode: string } })?.errorInformation?.errorCode}`;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (outcome === 'COMMITTED') committed += toUnits(amount.amount);
    };
    try {
      // 200 transfers, 40 in flight at a time: fulfilled, wrongly fulfilled, rejected and expiring ones interleaved.
      for (let wave = 0; wave < 5; wave += 1) await Promise.all(Array.from({ length: 40 }, (_, i) => transfer(wave * 40 + i)));
      sampling = false;
      assert.deepEqual(broken, []);
      assert.ok(samples > 100, `sampled ${samples} times`);
      t.diagnostic(`positions sampled ${samples} times during the load, every currency summing to zero each time`);
      assert.deepEqual(Object.fromEntries(outcomes), { COMMITTED: 50, 'error 3100': 50, 'error 5105': 50, 'error 3303': 50 });
      const at = (participant: string) => toUnits(ledger.allAccounts().find((a) => a.participant === participant)!.position);
      assert.equal(at(IN_FLIGHT_ACCOUNT), 0n, 'nothing left in flight');
      assert.equal(at('payerfsp'), committed, 'the payer owes exactly the committed amounts');
      assert.equal(at('payeefsp'), -committed);
      // A transfer aborted after it reached the payee is told to the payee too (a wrong fulfilment, an expiry).
      const toldPayee = sent.filter((id) => ['invalid fulfilment', 'expired'].includes(ledger.transfer(id)?.reason ?? '')).length;
      assert.ok(toldPayee >= 50, `${toldPayee} transfers aborted after reaching the payee`);
      await waitFor(() => deployment.payee.received.notifications >= toldPayee, {
        timeoutMs: 10_000, intervalMs: 20, what: `the payee to be told of the ${toldPayee} aborts`, describe: () => `told ${deployment.payee.received.notifications}`,
      });
      assert.equal(deployment.payee.received.notifications, toldPayee);
    } finally {
      sampling = false;
      await callbacks.stop();
      await deployment.stop();
    }
  });
});
