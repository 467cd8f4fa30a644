import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { FSPIOP_CALLBACK_ENDPOINT_TYPES } from '../../src/fspiop/callback-endpoint-types.ts';
import { HubAdminClient } from '../../src/fspiop/hub-admin-client.ts';
import type { PartyId } from '../../src/fspiop/messages.ts';
import { HubProvisioner, type HubProvisionerOptions } from '../../src/provisioning/hub-provisioner.ts';
import { FspiopPartyRegistry } from '../../src/provisioning/party-registry.ts';
import { ProvisioningError } from '../../src/provisioning/provisioning-error.ts';
import { planLines } from '../../src/provisioning/provisioning-text.ts';
import { ReferenceHubRig } from '../helpers/reference-hub-rig.ts';
import { closeServer, freePort, listen } from '../helpers/servers.ts';

const parties: PartyId[] = [{ type: 'MSISDN', id: '27710000001' }, { type: 'MSISDN', id: '27710000002', subId: 'savings' }];

function provisioner(rig: ReferenceHubRig, overrides: Partial<HubProvisionerOptions> = {}): HubProvisioner {
  return new HubProvisioner({
    admin: rig.client(),
    parties: new FspiopPartyRegistry({ hubUrl: rig.hubUrl, askingFsp: 'payerfsp', callbacks: rig.payerCallbacks.correlator, timeoutMs: 5000 }),
    currency: 'USD',
    payer: { fspId: 'payerfsp', callbackUrl: rig.payerCallbacks.url },
    payee: { fspId: 'payeefsp', callbackUrl: rig.payeeCallbackUrl, parties },
    initialPosition: 0, netDebitCap: 5000, liquidity: 10000,
    ...overrides,
  });
}

/** Registration is acknowledged (202) before the oracle records it: wait, boundedly, for the record. */
async function untilRegistered(rig: ReferenceHubRig, party: PartyId): Promise<string | undefined> {
  for (let tries = 0; tries < 200 && !rig.hub.oracle.ownerOf(party); tries++) await new Promise((resolve) => setImmediate(resolve));
  for (let waited = 0; waited < 5000 && !rig.hub.oracle.ownerOf(party); waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  return rig.hub.oracle.ownerOf(party);
}

describe('HubProvisioner against the reference hub\'s admin API', () => {
  const rig = new ReferenceHubRig();

  before(async () => {
    await rig.start();
    // A DFSP of the scheme that is not ours: provisioning must leave it exactly as it is.
    await rig.hub.onboard({ fspId: 'otherfsp', currencies: ['USD'], netDebitCap: '777', liquidity: '888', endpoint: 'http://127.0.0.1:9/other' });
  });
  after(() => rig.stop());

  it('plans without writing: lists each call with why, and the hub is unchanged', async () => {
    const calls = await provisioner(rig).plan();
    assert.deepEqual(rig.writes(), [], 'a plan reads only');
    assert.deepEqual(rig.ledger.participantNames(), ['otherfsp']);
    const paths = calls.map((call) => `${call.method} ${call.path}`);
    assert.equal(paths.filter((path) => path === 'POST /participants/Hub/accounts').length, 0, 'the embedded onboarding made the USD hub accounts already');
    assert.ok(paths.includes('POST /settlementModels'));
    assert.ok(paths.includes('POST /participants'));
    assert.equal(paths.filter((path) => path === 'POST /participants/payerfsp/endpoints').length, FSPIOP_CALLBACK_ENDPOINT_TYPES.length);
    assert.ok(paths.includes('POST /participants/payeefsp/initialPositionAndLimits'));
    assert.ok(paths.includes('POST /participants/MSISDN/27710000002/savings'));
    for (const call of calls) assert.ok(call.why.length > 10, `${call.method} ${call.path} says why`);
    assert.match(planLines(calls).join('\n'), /^POST \/settlementModels \{name: DEFERREDNETUSD, NET MULTILATERAL DEFERRED, currency: USD\} — no settlement model covers USD/m);
    assert.match(planLines(calls).join('\n'), /^POST \/participants\/MSISDN\/27710000001 \(FSPIOP\) /m);
  });

  it('provisions a fresh hub: settlement model, both DFSPs with cap, liquidity and every endpoint, the payee\'s parties', async () => {
    const report = await provisioner(rig).provision();
    const outcome = (subject: string) => report.entries.find((entry) => entry.subject === subject)?.outcome;
    assert.equal(outcome('hub account HUB_RECONCILIATION USD'), 'already there');
    assert.equal(outcome('settlement model for USD'), 'created');
    assert.equal(outcome('participant payerfsp USD'), 'created');
    assert.equal(outcome('liquidity payeefsp USD'), 'changed');
    const client = rig.client();
    for (const fsp of ['payerfsp', 'payeefsp']) {
      assert.equal(await client.netDebitCap(fsp, 'USD'), 5000);
      assert.equal(await client.liquidity(fsp, 'USD'), 10000);
      assert.equal((await client.endpoints(fsp)).length, FSPIOP_CALLBACK_ENDPOINT_TYPES.length);
    }
    assert.ok((await client.endpoints('payerfsp')).some((e) => e.type === 'FSPIOP_CALLBACK_URL_TRANSFER_PUT' && e.value === `${rig.payerCallbacks.url}/transfers/{{transferId}}`));
    for (const party of parties) assert.equal(await untilRegistered(rig, party), 'payeefsp');
    assert.ok(report.removal.some((line) => /payerfsp: central-ledger deletes no participant; switch it off with PUT .*\/participants\/payerfsp \{"isActive": false\}/.test(line)));
    assert.match(report.entries.find((entry) => entry.subject === 'settlement model for USD' && entry.outcome === 'created')!.detail, /"DEFERREDNETUSD"/);
  });

  it('runs again idempotently: no write, everything "already there" or "kept", the plan empty', async () => {
    const before = rig.writes().length;
    const report = await provisioner(rig, { netDebitCap: 9999, liquidity: 4000 }).provision();
    assert.deepEqual(rig.writes().slice(before), [], 'the second run wrote nothing');
    assert.deepEqual(report.entries.filter((entry) => entry.outcome !== 'already there' && entry.outcome !== 'kept'), []);
    assert.match(report.entries.find((entry) => entry.subject === 'net debit cap and initial position payerfsp USD')!.detail, /net debit cap 5000 kept \(wanted 9999\): a re-run keeps what is there/);
    assert.match(report.entries.find((entry) => entry.subject === 'liquidity payerfsp USD')!.detail, /liquidity cover 10000 \(wanted 4000\): nothing taken out/);
    assert.equal(report.entries.find((entry) => entry.subject === 'party MSISDN/27710000001')?.outcome, 'already there', 'asked the oracle through FSPIOP, answered at the payer\'s typed endpoint');
    assert.deepEqual(planLines(await provisioner(rig).plan()), ['the hub is provisioned: nothing to do']);
    assert.deepEqual(report.removal, [], 'nothing created, nothing to remove');
  });

  it('funds only the difference when liquidity was spent, and re-points an endpoint that moved', async () => {
    const client = rig.client();
    await client.recordFundsOut('payerfsp', 'USD', 2500, 'test');
    await client.setEndpoint('payerfsp', 'FSPIOP_CALLBACK_URL_QUOTES', 'http://127.0.0.1:9/old');
    const report = await provisioner(rig).provision();
    assert.match(report.entries.find((entry) => entry.subject === 'liquidity payerfsp USD')!.detail, /funded 2500 \(had 7500, wanted 10000\)/);
    const quotes = report.entries.find((entry) => entry.subject === 'endpoint payerfsp FSPIOP_CALLBACK_URL_QUOTES')!;
    assert.deepEqual([quotes.outcome, quotes.detail], ['changed', `http://127.0.0.1:9/old → ${rig.payerCallbacks.url}`]);
    assert.equal(await client.liquidity('payerfsp', 'USD'), 10000);
  });

  it('provisions a DFSP that only asks (our bystander) as a participant with every callback endpoint, and no cap or liquidity', async () => {
    const askers = [{ fspId: 'bystanderfsp', callbackUrl: rig.payerCallbacks.url }];
    const planned = (await provisioner(rig, { askers }).plan()).map((call) => `${call.method} ${call.path} ${call.body}`);
    assert.ok(planned.includes('POST /participants {name: bystanderfsp, currency: USD}'), planned.join('\n'));
    assert.equal(planned.filter((call) => call.startsWith('POST /participants/bystanderfsp/endpoints ')).length, FSPIOP_CALLBACK_ENDPOINT_TYPES.length);
    assert.deepEqual(planned.filter((call) => !call.includes('bystanderfsp')), [], 'the payer and payee are provisioned already: only the asker is planned');
    assert.ok(!planned.some((call) => /bystanderfsp\/(initialPositionAndLimits|accounts)/.test(call)), 'no cap, no funds in');

    const report = await provisioner(rig, { askers }).provision();
    assert.equal(report.entries.find((entry) => entry.subject === 'participant bystanderfsp USD')?.outcome, 'created');
    const client = rig.client();
    assert.ok((await client.endpoints('bystanderfsp')).some((e) => e.type === 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR' && e.value.startsWith(`${rig.payerCallbacks.url}/transfers/`)));
    assert.deepEqual(await client.limits('bystanderfsp'), []);
    assert.ok(report.removal.some((line) => line.startsWith('bystanderfsp: central-ledger deletes no participant')));
    assert.deepEqual(await provisioner(rig, { askers }).plan(), [], 'a re-run makes nothing');
  });

  it('leaves another participant untouched', async () => {
    const client = rig.client();
    assert.deepEqual(await client.endpoints('otherfsp'), [{ type: 'FSPIOP_CALLBACK_URL', value: 'http://127.0.0.1:9/other' }]);
    assert.equal(await client.netDebitCap('otherfsp', 'USD'), 777);
    assert.equal(await client.liquidity('otherfsp', 'USD'), 888);
    assert.deepEqual(rig.writes().filter((request) => request.path.includes('otherfsp')), []);
  });

  it('never re-points a party another FSP holds: refuses, naming the party and its holder', async () => {
    const taken: PartyId = { type: 'MSISDN', id: '27719999999' };
    rig.hub.oracle.register(taken, 'otherfsp');
    const failure = await provisioner(rig, { payee: { fspId: 'payeefsp', callbackUrl: rig.payeeCallbackUrl, parties: [taken] } }).provision().catch((error: unknown) => error);
    assert.ok(failure instanceof ProvisioningError);
    assert.match(failure.message, /party MSISDN\/27719999999: the hub's oracle says otherfsp holds it, not payeefsp\. A party another FSP holds is never re-pointed/);
    assert.equal(rig.hub.oracle.ownerOf(taken), 'otherfsp');
  });

  it('says which call was refused, with the hub\'s errorInformation and what to check (400)', async () => {
    const fresh = await new ReferenceHubRig().start();
    try {
      const failure = await provisioner(fresh, { settlementModelName: 'not-alphanumeric' }).provision().catch((error: unknown) => error);
      assert.ok(failure instanceof ProvisioningError);
      assert.equal(failure.status, 400);
      assert.equal(failure.errorInformation?.errorCode, '3101');
      assert.match(failure.message, /^provisioning settlement model for USD: POST http:\/\/127\.0\.0\.1:\d+\/settlementModels answered HTTP 400 \(errorInformation 3101: Malformed syntax - name: /);
      assert.match(failure.message, /settlement model names of letters and digits/);
    } finally {
      await fresh.stop();
    }
  });

  it('skips an endpoint type the hub does not know when P2P does not need it, and stops when P2P does', async () => {
    const fresh = await new ReferenceHubRig().start();
    try {
      for (const type of ['FSPIOP_CALLBACK_URL_FX_QUOTES', 'FSPIOP_CALLBACK_URL_FX_TRANSFER_PUT']) fresh.refusedEndpointTypes.add(type);
      const report = await provisioner(fresh).provision();
      const skipped = report.entries.filter((entry) => entry.outcome === 'skipped' && entry.subject.startsWith('endpoint payerfsp'));
      assert.deepEqual(skipped.map((entry) => entry.subject), ['endpoint payerfsp FSPIOP_CALLBACK_URL_FX_QUOTES', 'endpoint payerfsp FSPIOP_CALLBACK_URL_FX_TRANSFER_PUT']);
      assert.match(skipped[0]!.detail, /the hub refused the type \(HTTP 500, 2001 .*\): not needed for P2P, left out/);
      fresh.refusedEndpointTypes.add('FSPIOP_CALLBACK_URL_TRANSFER_PUT');
      const failure = await provisioner(fresh, { payer: { fspId: 'otherpayer', callbackUrl: fresh.payerCallbacks.url } }).provision().catch((error: unknown) => error);
      assert.ok(failure instanceof ProvisioningError);
      assert.match(failure.message, /^provisioning endpoint otherpayer FSPIOP_CALLBACK_URL_TRANSFER_PUT: POST .*\/participants\/otherpayer\/endpoints answered HTTP 500 \(errorInformation 2001/);
    } finally {
      await fresh.stop();
    }
  });

  it('gives a bounded, clear error when the hub does not answer a call it needs Kafka for', async () => {
    const fresh = await new ReferenceHubRig().start();
    fresh.hang = /initialPositionAndLimits/;
    try {
      const failure = await provisioner(fresh, { admin: fresh.client(1000) }).provision().catch((error: unknown) => error);
      assert.ok(failure instanceof ProvisioningError);
      assert.match(failure.message, /POST http:\/\/127\.0\.0\.1:\d+\/participants\/payerfsp\/initialPositionAndLimits failed \(TIMEOUT\)/);
      assert.match(failure.message, /only after publishing it to Kafka: is Kafka up/);
      assert.equal((await fresh.client().endpoints('payeefsp')).length, FSPIOP_CALLBACK_ENDPOINT_TYPES.length, 'what needs no Kafka was done first');
    } finally {
      await fresh.stop();
    }
  });
});

describe('HubProvisioner when the admin API cannot be used', () => {
  const registry = { holderOf: async () => undefined, register: async () => undefined };
  const options = (adminUrl: string): HubProvisionerOptions => ({
    admin: new HubAdminClient(adminUrl, 2000), parties: registry, currency: 'USD',
    payer: { fspId: 'payerfsp', callbackUrl: 'http://127.0.0.1:4100' }, payee: { fspId: 'payeefsp', callbackUrl: 'http://127.0.0.1:4200', parties: [] },
    initialPosition: 0, netDebitCap: 1000, liquidity: 1000,
  });

  it('401: says this hub wants credentials', async () => {
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Unauthorized"}');
    });
    const url = await listen(server);
    try {
      const failure = await new HubProvisioner(options(url)).plan().catch((error: unknown) => error);
      assert.ok(failure instanceof ProvisioningError);
      assert.equal(failure.status, 401);
      assert.match(failure.message, /GET http:\/\/127\.0\.0\.1:\d+\/participants\/Hub answered HTTP 401\. The admin API answered 401: this hub wants credentials/);
    } finally {
      await closeServer(server);
    }
  });

  it('connection refused: asks whether hub.adminUrl is central-ledger\'s admin API', async () => {
    const failure = await new HubProvisioner(options(`http://127.0.0.1:${await freePort()}`)).provision().catch((error: unknown) => error);
    assert.ok(failure instanceof ProvisioningError);
    assert.match(failure.message, /failed \(ECONNREFUSED\)\. Connection refused: is hub\.adminUrl central-ledger's admin API \(port 3001/);
  });

  it('refuses names central-ledger would refuse before calling anything, naming the value and the fix', () => {
    assert.throws(() => new HubProvisioner({ ...options('http://127.0.0.1:1'), payer: { fspId: 'p', callbackUrl: 'http://127.0.0.1:4100' } }),
      /participants\.payer\.fspId "p" cannot be a central-ledger participant name: use 2 to 30 letters, digits/);
    assert.throws(() => new HubProvisioner({ ...options('http://127.0.0.1:1'), liquidity: -1 }), /liquidity -1 is not an amount of 0 or more/);
    assert.throws(() => new HubProvisioner({ ...options('http://127.0.0.1:1'), askers: [{ fspId: 'a-name-far-longer-than-thirty-chars', callbackUrl: 'http://127.0.0.1:4100' }] }),
      /participants\.bystander\.fspId "a-name-far-longer-than-thirty-chars" cannot be a central-ledger participant name/);
  });

  it('refuses a bystander that is also the payer or the payee: it must be party to none of the transfers', () => {
    const base = options('http://127.0.0.1:1');
    assert.throws(() => new HubProvisioner({ ...base, askers: [{ fspId: base.payee.fspId, callbackUrl: 'http://127.0.0.1:4100' }] }),
      new RegExp(`participants\\.bystander\\.fspId "${base.payee.fspId}" is also the payee: the bystander must be party to none of the transfers; give it an id of its own`));
  });
});
