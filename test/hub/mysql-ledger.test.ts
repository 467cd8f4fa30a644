import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { mysqlLedgerUrlProblem, shownLedgerUrl } from '../../src/config/ledger-url.ts';
import { validateConfig } from '../../src/config/load-config.ts';
import { ReferenceDeployment } from '../../src/environment/embedded/reference-deployment.ts';
import { CallbackServer } from '../../src/fspiop/callback-server.ts';
import { PayerDfsp, type Exchange } from '../../src/fspiop/payer-dfsp.ts';
import { transferPrepare } from '../../src/fspiop/messages.ts';
import { QuotesPut } from '../../src/fspiop/payloads.ts';
import { toUnits } from '../../src/hub/ledger-amount.ts';
import { LedgerUnavailableError } from '../../src/hub/ledger-store.ts';
import { MySqlLedgerStore } from '../../src/hub/mysql-ledger.ts';
import { mariadbMissing, TestMariaDb } from '../helpers/mariadb.ts';

describe('--ledger URL checks', () => {
  it('names the flag\'s form and never the password', () => {
    for (const url of ['postgres://hub:s3cret@db:5432/ledger', 'mysql://hub:s3cret@db:3306/', 'mysql://:s3cret@db:3306/ledger', 'not a url s3cret']) {
      const problem = mysqlLedgerUrlProblem(url);
      assert.ok(problem, url);
      assert.match(problem, /mysql:\/\/USER:PASSWORD@HOST:PORT\/DATABASE/);
      assert.doesNotMatch(problem, /s3cret/);
    }
    assert.equal(mysqlLedgerUrlProblem('mysql://central_ledger:password@mysql:3306/central_ledger'), undefined);
    assert.equal(shownLedgerUrl('mysql://hub:s3cret@db:3306/ledger'), 'mysql://hub:***@db:3306/ledger');
  });
});

const missing = mariadbMissing();
const config = validateConfig({ timeouts: { callbackMs: 10_000, requestMs: 10_000 } });
const amount = { amount: '2.5', currency: 'USD' };

/** Quote then transfer, as a payer does; the transfer's exchange (its callback says how it ended). */
async function transfer(payer: PayerDfsp): Promise<Exchange> {
  const quote = await payer.requestQuote({ payer: config.participants.payer.party, payee: config.participants.payee.party, payeeFsp: 'payeefsp', amount });
  const terms = QuotesPut.safeParse(quote.callback?.body);
  assert.ok(terms.success, `quote answered: ${JSON.stringify(quote.callback?.body ?? quote.ack)}`);
  return payer.prepareTransfer({ payeeFsp: 'payeefsp', amount, terms: terms.data });
}

const stateOf = (exchange: Exchange) => (exchange.callback?.body as { transferState?: string } | undefined)?.transferState;
const errorCodeOf = (exchange: Exchange) => (exchange.callback?.body as { errorInformation?: { errorCode?: string } } | undefined)?.errorInformation?.errorCode;

if (missing && process.env.CI) {
  it('MariaDB is there in CI', () => {
    assert.fail(`CI is set but MariaDB cannot run: ${missing}; the MySQL ledger tests must not be skipped in CI`);
  });
} else {
  describe('the reference hub with its ledger in MariaDB (--ledger mysql://…)', { skip: missing ?? false }, () => {
    let db: TestMariaDb;
    before(async () => {
      db = await TestMariaDb.create();
    });
    after(async () => {
      await db?.stop();
    });

    it('books transfers double-entry, and a second hub on the same database finds them', async () => {
      const deployment = new ReferenceDeployment(config, { ledgerUrl: db.url });
      const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 65_536, addressing: { dfsps: ['payerfsp'], senders: ['Hub', 'payeefsp'] } });
      const committed: string[] = [];
      try {
        const { hubUrl } = await deployment.start();
        await callbacks.start();
        await deployment.connectPayer('payerfsp', callbacks.url);
        assert.match(deployment.hub.store.description, /^mysql \(127\.0\.0\.1:\d+\/refhub\)$/);
        const payer = new PayerDfsp({ hubUrl, fspId: 'payerfsp', callbacks, callbackTimeoutMs: 10_000, requestTimeoutMs: 10_000 });
        // 4 payers at once, 5 transfers each: concurrent transactions on the same rows.
        await Promise.all(Array.from({ length: 4 }, async () => {
          for (let i = 0; i < 5; i += 1) {
            const exchange = await transfer(payer);
            assert.equal(stateOf(exchange), 'COMMITTED', JSON.stringify(exchange.callback?.body ?? exchange.ack));
            committed.push((exchange.requestBody as { transferId: string }).transferId);
          }
        }));
      } finally {
        await callbacks.stop();
        await deployment.stop();
      }

      // Another store on the same database: the schema is there already (created if missing, idempotent).
      const store = new MySqlLedgerStore(db.url);
      try {
        await store.open();
        assert.ok(store.directory.hasParticipant('payerfsp') && store.directory.hasParticipant('payeefsp'), 'participants kept');
        const accounts = await store.allAccounts();
        assert.equal(accounts.reduce((sum, account) => sum + toUnits(account.position), 0n), 0n, 'every account together sums to zero');
        const payerPosition = toUnits(accounts.find((account) => account.participant === 'payerfsp')!.position);
        assert.equal(payerPosition, toUnits('2.5') * 20n, 'the payer owes the 20 commits');
        for (const transferId of committed) assert.equal((await store.transfer(transferId))?.state, 'COMMITTED', transferId);
      } finally {
        await store.close();
      }
    });

    it('keeps the parties DFSPs registered, for a hub restarted on the same database', async () => {
      const store = new MySqlLedgerStore(db.url);
      try {
        await store.open();
        await store.recordParty('MSISDN/27799900102', 'conformancepayee');
        await store.recordParty('MSISDN/27799900102', 'otherfsp');
      } finally {
        await store.close();
      }
      const again = new MySqlLedgerStore(db.url);
      try {
        await again.open();
        assert.deepEqual((await again.parties()).filter((p) => p.key === 'MSISDN/27799900102'), [{ key: 'MSISDN/27799900102', owner: 'otherfsp' }]);
      } finally {
        await again.close();
      }
    });

    it('lets concurrent prepares through only as far as the net debit cap allows', async () => {
      const store = new MySqlLedgerStore(db.url);
      try {
        await store.open();
        const [payer, payee] = [`capfsp${randomUUID().slice(0, 8)}`, `capee${randomUUID().slice(0, 8)}`];
        for (const name of [payer, payee]) {
          await store.ensureParticipant(name, ['USD'], '100');
          await store.setInitialPositionAndLimit(name, 'USD', '100', '0');
          const [accounts] = await store.dfspAccounts(name);
          assert.equal((await store.recordFundsIn(name, accounts!.settlement.id, randomUUID(), { amount: '1000', currency: 'USD' })).kind, 'done');
        }
        const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.prepare({
          transferId: randomUUID(), payerFsp: payer, payeeFsp: payee, amount: { amount: '20', currency: 'USD' }, condition: 'c'.repeat(43), expiration: new Date(Date.now() + 60_000).toISOString(),
        }, 'h'.repeat(64))));
        assert.deepEqual(outcomes.map((outcome) => outcome.kind).sort(), [...Array(5).fill('limit-exceeded'), ...Array(5).fill('reserved')]);
        assert.equal((await store.accountsOf(payer)).find((account) => account.currency === 'USD')?.position, '100');
      } finally {
        await store.close();
      }
    });

    it('aborts on the database too: a payee\'s rejection and an expiry release the payer\'s reservation', async () => {
      const deployment = new ReferenceDeployment(config, { ledgerUrl: db.url });
      const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 65_536, addressing: { dfsps: ['payerfsp'], senders: ['Hub', 'payeefsp'] } });
      try {
        const { hubUrl } = await deployment.start();
        await callbacks.start();
        await deployment.connectPayer('payerfsp', callbacks.url);
        const payer = new PayerDfsp({ hubUrl, fspId: 'payerfsp', callbacks, callbackTimeoutMs: 10_000, requestTimeoutMs: 10_000 });
        const position = async () => (await deployment.hub.store.accountsOf('payerfsp')).find((account) => account.currency === 'USD')!.position;
        const before = await position();
        for (const role of ['rejecting', 'silent'] as const) {
          const party = deployment.controlledPayee[role]!;
          const quote = await payer.requestQuote({ payer: config.participants.payer.party, payee: party, payeeFsp: 'payeefsp', amount });
          const terms = QuotesPut.safeParse(quote.callback?.body);
          assert.ok(terms.success, role);
          // The silent party never answers: the transfer must expire, 1.5 s from now (waited for up to 10 s).
          const body = { ...transferPrepare({ transferId: randomUUID(), payerFsp: 'payerfsp', payeeFsp: 'payeefsp', amount, terms: terms.data }), expiration: new Date(Date.now() + 1500).toISOString() };
          const exchange = await payer.sendTransfer(body);
          assert.equal(errorCodeOf(exchange), role === 'rejecting' ? '5105' : '3303', `${role}: ${JSON.stringify(exchange.callback?.body ?? exchange.ack)}`);
          assert.equal((await deployment.hub.store.transfer(body.transferId))?.state, 'ABORTED', role);
        }
        assert.equal(await position(), before, 'both reservations released');
      } finally {
        await callbacks.stop();
        await deployment.stop();
      }
    });

    it('answers 2001 while the database is down, without crashing, and books again once it is back', async () => {
      const deployment = new ReferenceDeployment(config, { ledgerUrl: db.url });
      const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 65_536, addressing: { dfsps: ['payerfsp'], senders: ['Hub', 'payeefsp'] } });
      try {
        const { hubUrl, adminUrl } = await deployment.start();
        await callbacks.start();
        await deployment.connectPayer('payerfsp', callbacks.url);
        const payer = new PayerDfsp({ hubUrl, fspId: 'payerfsp', callbacks, callbackTimeoutMs: 10_000, requestTimeoutMs: 10_000 });
        assert.equal(stateOf(await transfer(payer)), 'COMMITTED');

        await db.kill();
        // Either the hub already noticed (its idle connections dropped) and refuses at once, 503 with
        // 2001, or it accepts (202) and, failing to book, tells the payer by an error callback: never
        // a payer left waiting for an answer that does not come.
        const quote = await payer.requestQuote({ payer: config.participants.payer.party, payee: config.participants.payee.party, payeeFsp: 'payeefsp', amount });
        const ack = 'status' in quote.ack ? quote.ack : undefined;
        const code = ack?.status === 503 ? (JSON.parse(ack.body) as { errorInformation: { errorCode: string } }).errorInformation.errorCode : errorCodeOf(quote);
        assert.equal(code, '2001', JSON.stringify(quote.callback?.body ?? quote.ack));
        await assert.rejects(deployment.hub.store.transfer(randomUUID()), LedgerUnavailableError);
        // From now on refused at once: 503 with 2001, and /health says the ledger is down.
        const refused = await fetch(`${hubUrl}/parties/MSISDN/1`);
        assert.equal(refused.status, 503);
        assert.equal(((await refused.json()) as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '2001');
        const health = await fetch(`${hubUrl}/health`);
        assert.equal(health.status, 503);
        assert.equal(((await health.json()) as { ledger: { status: string } }).ledger.status, 'DOWN');
        // The admin API's /health too, as central-ledger's reports its datastore (a compose health check reads it).
        assert.equal((await fetch(`${adminUrl}/health`)).status, 503);

        await db.start();
        // The store asks the database every second: back within a bound, not at a moment.
        const deadline = Date.now() + 30_000;
        while ((await fetch(`${hubUrl}/health`)).status !== 200) {
          assert.ok(Date.now() < deadline, 'the hub did not see its database back within 30 s');
          await sleep(200);
        }
        assert.equal(stateOf(await transfer(payer)), 'COMMITTED', 'booking again after the database came back');
        assert.equal((await fetch(`${adminUrl}/health`)).status, 200);
      } finally {
        await callbacks.stop();
        await deployment.stop();
      }
    });
  });
}
