import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { FSPIOP_CALLBACK_ENDPOINT_TYPES } from '../../src/fspiop/callback-endpoint-types.ts';
import { HubAdminClient, HubAdminError } from '../../src/fspiop/hub-admin-client.ts';
import { HubProvisioner } from '../../src/provisioning/hub-provisioner.ts';
import { ProvisioningError } from '../../src/provisioning/provisioning-error.ts';

/**
 * The provisioner against central-ledger's REAL admin API (scripts/central-ledger.sh: MariaDB, no
 * Kafka). Without Kafka, central-ledger answers every call that only touches its database and
 * hangs on those that publish an event first (initialPositionAndLimits, funds in and out): this
 * holds the provisioner to the shapes and codes of the real thing for the first kind, and to a
 * bounded, clear error for the second.
 */
const adminUrl = process.env.CENTRAL_LEDGER_ADMIN_URL;
const HOW = 'start it with `npm run central-ledger` (scripts/central-ledger.sh) and export the CENTRAL_LEDGER_ADMIN_URL it prints';

if (!adminUrl && process.env.CI) {
  it('central-ledger\'s real admin API is there in CI', () => {
    assert.fail(`CI is set but CENTRAL_LEDGER_ADMIN_URL is not: these tests must not be skipped in CI; ${HOW}`);
  });
}

describe('HubProvisioner against central-ledger\'s real admin API', { skip: adminUrl ? false : `CENTRAL_LEDGER_ADMIN_URL is not set: ${HOW}` }, () => {
  // The database outlives a run: fresh names each time, so "created" means created by this run.
  const suffix = randomBytes(4).toString('hex');
  const payer = { fspId: `cfpayer${suffix}`, callbackUrl: 'http://127.0.0.1:4100' };
  const payee = { fspId: `cfpayee${suffix}`, callbackUrl: 'http://127.0.0.1:4200', parties: [] };
  const noOracle = { holderOf: async () => undefined, register: async () => undefined };
  // Short enough to keep the suite fast, long enough for a loaded machine to answer what it does answer.
  const client = () => new HubAdminClient(adminUrl!, 4000);
  const provisioner = () => new HubProvisioner({ admin: client(), parties: noOracle, currency: 'USD', payer, payee, initialPosition: 0, netDebitCap: 10000, liquidity: 10000 });

  it('makes what needs no Kafka (hub accounts, settlement model, participants, every endpoint), then stops with a bounded error at initialPositionAndLimits', async () => {
    const failure = await provisioner().provision().catch((error: unknown) => error);
    assert.ok(failure instanceof ProvisioningError, String(failure));
    assert.match(failure.message, new RegExp(`POST .*/participants/${payer.fspId}/initialPositionAndLimits failed \\(TIMEOUT\\)\\. central-ledger answers this call only after publishing it to Kafka`));
    const admin = client();
    const hubAccounts = await admin.hubAccounts();
    for (const type of ['HUB_RECONCILIATION', 'HUB_MULTILATERAL_SETTLEMENT']) assert.ok(hubAccounts.some((account) => account.type === type && account.currency === 'USD'), type);
    assert.ok((await admin.settlementModels()).some((model) => model.currency === 'USD' || model.currency === null));
    for (const dfsp of [payer, payee]) {
      const participant = await admin.participant(dfsp.fspId);
      assert.deepEqual(participant?.accounts.map((account) => [account.ledgerAccountType, account.currency, account.isActive]).sort(), [['POSITION', 'USD', 0], ['SETTLEMENT', 'USD', 0]]);
      assert.equal((await admin.endpoints(dfsp.fspId)).length, FSPIOP_CALLBACK_ENDPOINT_TYPES.length, 'central-ledger 19.5 knows every type we register, FX included');
      assert.deepEqual(await admin.limits(dfsp.fspId), [], 'no limit: initialPositionAndLimits never got past Kafka');
    }
  });

  it('runs again without creating anything twice: the plan holds only what waits for Kafka', async () => {
    const calls = (await provisioner().plan()).map((call) => `${call.method} ${call.path.replace(/\/\d+$/, '/{id}').replace(/\{settlementAccountId\}$/, '{id}')}`);
    assert.deepEqual(calls, [
      `POST /participants/${payer.fspId}/initialPositionAndLimits`, `POST /participants/${payee.fspId}/initialPositionAndLimits`,
      `POST /participants/${payer.fspId}/accounts/{id}`, `POST /participants/${payee.fspId}/accounts/{id}`,
    ]);
  });

  it('answers as the reference hub does: 3000 for a currency registered twice, 3101 for a short name, 3200 for an unknown participant', async () => {
    const admin = client();
    const twice = await admin.createParticipant(payer.fspId, 'USD').catch((error: unknown) => error);
    assert.ok(twice instanceof HubAdminError);
    assert.deepEqual([twice.status, twice.errorInformation?.errorCode], [400, '3000']);
    const short = await admin.createParticipant('x', 'USD').catch((error: unknown) => error);
    assert.ok(short instanceof HubAdminError);
    assert.deepEqual([short.status, short.errorInformation?.errorCode], [400, '3101']);
    assert.equal(await admin.participant(`nosuch${suffix}`), undefined);
  });

  it('activates a position account by hand, refuses a settlement account, and refuses funds in while the settlement account is inactive', async () => {
    const admin = client();
    const accounts = (await admin.participant(payee.fspId))!.accounts;
    const position = accounts.find((account) => account.ledgerAccountType === 'POSITION')!;
    const settlement = accounts.find((account) => account.ledgerAccountType === 'SETTLEMENT')!;
    await admin.setAccountActive(payee.fspId, position.id!, true);
    assert.equal((await admin.participant(payee.fspId))!.accounts.find((account) => account.id === position.id)!.isActive, 1);
    const settlementSwitch = await admin.setAccountActive(payee.fspId, settlement.id!, true).catch((error: unknown) => error);
    assert.ok(settlementSwitch instanceof HubAdminError);
    assert.deepEqual([settlementSwitch.status, settlementSwitch.errorInformation?.errorDescription], [500, 'Internal server error - Only position account update is permitted']);
    const fundsIn = await admin.recordFundsIn(payee.fspId, 'USD', 100, 'test').catch((error: unknown) => error);
    assert.ok(fundsIn instanceof HubAdminError);
    assert.deepEqual([fundsIn.status, fundsIn.errorInformation?.errorDescription], [500, 'Internal server error - Account is currently set inactive']);
  });
});
