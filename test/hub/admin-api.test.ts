import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { HubAdminClient, HubAdminError } from '../../src/fspiop/hub-admin-client.ts';
import { HubAdminApi } from '../../src/hub/admin-api.ts';
import { HubLedger } from '../../src/hub/ledger.ts';
import type { LedgerStore } from '../../src/hub/ledger-store.ts';
import { MySqlLedgerStore } from '../../src/hub/mysql-ledger.ts';
import { mariadbMissing, TestMariaDb } from '../helpers/mariadb.ts';

/**
 * The same behaviour whichever store keeps the books: SQLite (HubLedger, the embedded hub) and
 * MySQL/MariaDB (`--ledger mysql://…`, the reference harness) — a MariaDB of this test's own.
 */
const stores: [string, () => Promise<{ store: HubLedger | LedgerStore; close(): Promise<void> }>][] = [
  ['SQLite', async () => {
    const ledger = new HubLedger();
    return { store: ledger, close: async () => ledger.close() };
  }],
];
const missingMariaDb = mariadbMissing();
if (!missingMariaDb || process.env.CI) {
  stores.push(['MariaDB', async () => {
    // With CI=true a missing MariaDB fails here (never skipped): CI installs it (scripts/central-ledger.sh).
    if (missingMariaDb) throw new Error(`CI is set but MariaDB cannot run: ${missingMariaDb}`);
    const db = await TestMariaDb.create();
    const store = new MySqlLedgerStore(db.url);
    await store.open();
    return { store, close: async () => { await store.close(); await db.stop(); } };
  }]);
}

for (const [kind, open] of stores) describe(`the hub's admin API, in central-ledger's shape, through the client the probes use (ledger: ${kind})`, () => {
  let api: HubAdminApi;
  let closeStore: () => Promise<void>;
  let url: string;
  let client: HubAdminClient;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  before(async () => {
    const opened = await open();
    closeStore = opened.close;
    api = new HubAdminApi(opened.store);
    url = await api.start(0, '127.0.0.1');
    client = new HubAdminClient(url, 5000);
  });
  after(async () => {
    await api?.stop();
    await closeStore?.();
  });

  it('onboards a participant as a provisioning collection does: hub accounts, settlement model, participant, initial position and limit, funds in, endpoint', async () => {
    const refused = await call('POST', '/participants', { name: 'dfspa', currency: 'USD' });
    assert.deepEqual([refused.status, refused.body.errorInformation.errorCode], [400, '3003'], 'no hub accounts for USD yet');
    for (const type of ['HUB_RECONCILIATION', 'HUB_MULTILATERAL_SETTLEMENT']) assert.equal((await call('POST', '/participants/Hub/accounts', { type, currency: 'USD' })).status, 201);
    const twice = await call('POST', '/participants/Hub/accounts', { type: 'HUB_RECONCILIATION', currency: 'USD' });
    assert.deepEqual([twice.status, twice.body.errorInformation.errorDescription], [400, 'Add Party information error - Hub account has already been registered.']);
    const noModel = await call('POST', '/participants', { name: 'dfspa', currency: 'USD' });
    assert.deepEqual([noModel.status, noModel.body.errorInformation.errorCode], [400, '6000'], 'no settlement model covers USD');
    const model = { name: 'DEFERREDNETUSD', settlementGranularity: 'NET', settlementInterchange: 'MULTILATERAL', settlementDelay: 'DEFERRED', currency: 'USD', requireLiquidityCheck: true, ledgerAccountType: 'POSITION', autoPositionReset: true, settlementAccountType: 'SETTLEMENT' };
    assert.equal((await call('POST', '/settlementModels', model)).status, 201);
    assert.equal((await call('GET', '/settlementModels')).body[0].currency, 'USD');

    const created = await call('POST', '/participants', { name: 'dfspa', currency: 'USD' });
    assert.equal(created.status, 201);
    const [position, settlement] = created.body.accounts;
    assert.deepEqual([position.ledgerAccountType, position.isActive, settlement.ledgerAccountType, settlement.isActive], ['POSITION', 0, 'SETTLEMENT', 0], 'created inactive, as central-ledger does');
    assert.deepEqual((await call('GET', '/participants/dfspa/accounts')).body, [], 'no balances listed before the initial position');
    const fundsIn = { transferId: randomUUID(), externalReference: 'test', action: 'recordFundsIn', reason: 'test', amount: { amount: '500', currency: 'USD' } };
    const inactive = await call('POST', `/participants/dfspa/accounts/${settlement.id}`, fundsIn);
    assert.deepEqual([inactive.status, inactive.body.errorInformation.errorDescription], [500, 'Internal server error - Account is currently set inactive: dfspa\'s USD settlement account is inactive until initialPositionAndLimits']);
    assert.equal((await call('PUT', `/participants/dfspa/accounts/${settlement.id}`, { isActive: true })).status, 500, 'only position accounts are switched by hand');

    assert.equal((await call('POST', '/participants/dfspa/initialPositionAndLimits', { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 1000 }, initialPosition: 0 })).status, 201);
    const again = await call('POST', '/participants/dfspa/initialPositionAndLimits', { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 1000 }, initialPosition: 0 });
    assert.deepEqual([again.status, again.body.errorInformation.errorDescription], [500, 'Internal server error - Participant Limit or Initial Position already set']);
    assert.equal((await call('POST', `/participants/dfspa/accounts/${settlement.id}`, fundsIn)).status, 202);
    assert.equal(await client.liquidity('dfspa', 'USD'), 500);
    const balances = (await call('GET', '/participants/dfspa/accounts')).body;
    assert.deepEqual(balances.map((a: { ledgerAccountType: string; value: number; isActive: number }) => [a.ledgerAccountType, a.value, a.isActive]), [['POSITION', 0, 1], ['SETTLEMENT', -500, 1]]);

    assert.equal((await call('POST', '/participants/dfspa/endpoints', { type: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT', value: 'http://127.0.0.1:4100/transfers/{{transferId}}' })).status, 201);
    const unknownType = await call('POST', '/participants/dfspa/endpoints', { type: 'FSPIOP_CALLBACK_URL_NOSUCH', value: 'http://127.0.0.1:4100' });
    assert.deepEqual([unknownType.status, unknownType.body.errorInformation.errorCode], [500, '2001'], 'an endpoint type central-ledger lacks');
    assert.deepEqual((await call('GET', '/participants/dfspa/endpoints')).body, [{ type: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT', value: 'http://127.0.0.1:4100/transfers/{{transferId}}' }]);
    assert.deepEqual((await call('GET', '/participants')).body.map((p: { name: string }) => p.name), ['Hub', 'dfspa']);
    assert.equal(await client.position('dfspa', 'USD'), 0);
    assert.equal(await client.netDebitCap('dfspa', 'USD'), 1000);
  });

  it('takes funds out in two steps: reserved at once, then committed or aborted', async () => {
    const id = (await call('GET', '/participants/dfspa')).body.accounts.find((a: { ledgerAccountType: string }) => a.ledgerAccountType === 'SETTLEMENT').id;
    const transferId = randomUUID();
    const reserve = await call('POST', `/participants/dfspa/accounts/${id}`, { transferId, externalReference: 'x', action: 'recordFundsOutPrepareReserve', reason: 'test', amount: { amount: '200', currency: 'USD' } });
    assert.equal(reserve.status, 202);
    assert.equal(await client.liquidity('dfspa', 'USD'), 300);
    assert.equal((await call('PUT', `/participants/dfspa/accounts/${id}/transfers/${transferId}`, { action: 'recordFundsOutAbort', reason: 'test' })).status, 202);
    assert.equal(await client.liquidity('dfspa', 'USD'), 500);
    const unknown = await call('PUT', `/participants/dfspa/accounts/${id}/transfers/${randomUUID()}`, { action: 'recordFundsOutCommit', reason: 'test' });
    assert.deepEqual([unknown.status, unknown.body.errorInformation.errorCode], [500, '2001']);
  });

  it('reads and sets the net debit cap, and shows positions as a list or, for one currency, an object', async () => {
    await client.setNetDebitCap('dfspa', 'USD', 0);
    assert.equal(await client.netDebitCap('dfspa', 'USD'), 0, 'a cap lowered to 0 is still listed');
    await client.setNetDebitCap('dfspa', 'USD', 250.5);
    assert.equal(await client.netDebitCap('dfspa', 'USD'), 250.5);
    const one = await call('GET', '/participants/dfspa/positions?currency=USD');
    assert.equal(one.body.currency, 'USD');
    assert.equal(one.body.value, 0);
  });

  it('answers mistakes as central-ledger does: 3101 for an invalid body, 3200 for an unknown participant, 3000 for a currency registered twice', async () => {
    const invalid = await call('PUT', '/participants/dfspa/limits', { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: -1 } });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.errorInformation.errorCode, '3101');
    assert.match(invalid.body.errorInformation.errorDescription, /limit\.value/);
    const unknown = await call('GET', '/participants/nosuch/positions');
    assert.deepEqual([unknown.status, unknown.body.errorInformation.errorCode], [400, '3200']);
    const twice = await call('POST', '/participants', { name: 'dfspa', currency: 'USD' });
    assert.deepEqual([twice.status, twice.body.errorInformation.errorCode], [400, '3000']);
    await assert.rejects(client.position('nosuch', 'USD'), (error: unknown) => error instanceof HubAdminError && /HTTP 400: .*3200/.test(error.message));
    await assert.rejects(client.position('dfspa', 'EUR'), /gave no EUR position for dfspa/);
  });

  it('names the admin URL when it cannot be reached', async () => {
    const gone = new HubAdminClient('http://127.0.0.1:9', 2000);
    await assert.rejects(gone.position('dfspa', 'USD'), /GET http:\/\/127\.0\.0\.1:9\/participants\/dfspa\/positions failed/);
  });
});

describe('the admin API\'s amounts', () => {
  it('reads a float to 4 decimals and refuses what the ledger cannot book, naming the field (400, not 500)', async () => {
    const ledger = new HubLedger();
    const api = new HubAdminApi(ledger);
    try {
      const url = await api.start(0, '127.0.0.1');
      ledger.ensureParticipant('dfspa', ['USD'], '1');
      const put = (value: unknown) => fetch(`${url}/participants/dfspa/limits`, {
        method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value, alarmPercentage: 10 } }),
      }).then(async (response) => ({ status: response.status, body: await response.json() as { errorInformation?: { errorDescription: string } } }));
      assert.equal((await put(0.1 + 0.2)).status, 200);
      assert.equal(ledger.accountsOf('dfspa')[0]!.netDebitCap, '0.3');
      for (const value of [1e21, '999999999999999999.9999']) {
        const refused = await put(value);
        assert.equal(refused.status, 400, JSON.stringify(value));
        assert.match(refused.body.errorInformation!.errorDescription, /limit\.value/);
      }
    } finally {
      await api.stop();
      ledger.close();
    }
  });
});
