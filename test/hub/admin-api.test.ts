import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HubAdminClient, HubAdminError } from '../../src/fspiop/hub-admin-client.ts';
import { HubAdminApi } from '../../src/hub/admin-api.ts';
import { HubLedger } from '../../src/hub/ledger.ts';

describe('the hub\'s admin API, in central-ledger\'s shape, through the client the probes use', () => {
  const ledger = new HubLedger();
  const api = new HubAdminApi(ledger);
  let url: string;
  let client: HubAdminClient;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  before(async () => {
    url = await api.start(0, '127.0.0.1');
    client = new HubAdminClient(url, 5000);
  });
  after(async () => {
    await api.stop();
    ledger.close();
  });

  it('onboards a participant as an onboarding collection does: create, initial position and limit, endpoint', async () => {
    assert.equal((await call('POST', '/participants', { name: 'dfspa', currency: 'USD' })).status, 201);
    assert.equal((await call('POST', '/participants/dfspa/initialPositionAndLimits', { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 1000 }, initialPosition: 0 })).status, 201);
    assert.equal((await call('POST', '/participants/dfspa/endpoints', { type: 'FSPIOP_CALLBACK_URL', value: 'http://127.0.0.1:4100' })).status, 201);
    assert.deepEqual((await call('GET', '/participants/dfspa/endpoints')).body, [{ type: 'FSPIOP_CALLBACK_URL', value: 'http://127.0.0.1:4100' }]);
    assert.deepEqual((await call('GET', '/participants/dfspa')).body, { name: 'dfspa', isActive: 1, accounts: [{ ledgerAccountType: 'POSITION', currency: 'USD', isActive: 1 }] });
    assert.equal(await client.position('dfspa', 'USD'), 0);
    assert.equal(await client.netDebitCap('dfspa', 'USD'), 1000);
  });

  it('reads and sets the net debit cap, and shows positions as a list or, for one currency, an object', async () => {
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
