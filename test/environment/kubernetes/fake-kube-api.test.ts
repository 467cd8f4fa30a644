import assert from 'node:assert/strict';
import { Agent, request } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { FakeKubeApi, testCertificateAuthority } from '../../helpers/fake-kube-api.ts';

/** The fake's own contract, the parts kubectl and the inventory do not already exercise. */
describe('FakeKubeApi', () => {
  let fake: FakeKubeApi;
  let agent: Agent;
  before(async () => {
    fake = await (await FakeKubeApi.fromFixture('helm-hardened', { token: 't' })).start();
    agent = new Agent({ ca: await testCertificateAuthority() });
  });
  after(() => fake.stop());

  const get = (path: string, headers: Record<string, string> = { authorization: 'Bearer t' }) => new Promise<{ status: number; body: any }>((resolve, reject) => {
    request(`${fake.url}${path}`, { agent, headers }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => { text += chunk; });
      response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
    }).on('error', reject).end();
  });

  it('serves one object by name, and 404 with the API server\'s words for one that is not there', async () => {
    const found = await get('/apis/apps/v1/namespaces/mojaloop/statefulsets/kafka');
    assert.equal(found.status, 200);
    assert.equal(found.body.spec.replicas, 3);
    const missing = await get('/apis/apps/v1/namespaces/mojaloop/statefulsets/nope');
    assert.deepEqual([missing.status, missing.body.reason, missing.body.message], [404, 'NotFound', 'statefulsets.apps "nope" not found']);
  });

  it('never serves a Secret\'s data, listed or got', async () => {
    const listed = await get('/api/v1/namespaces/mojaloop/secrets');
    assert.equal(listed.body.items.length, 3);
    assert.ok(listed.body.items.every((s: { data?: unknown; type: string }) => s.data === undefined && s.type === 'helm.sh/release.v1'));
    const one = await get(`/api/v1/namespaces/mojaloop/secrets/${listed.body.items[0].metadata.name}`);
    assert.equal(one.body.data, undefined);
  });

  it('lists custom resources its CRDs declare, with discovery for their group, and honours selectors', async () => {
    const discovery = await get('/apis/velero.io/v1');
    assert.deepEqual(discovery.body.resources.map((r: { name: string }) => r.name).sort(), ['backupstoragelocations', 'schedules']);
    const schedules = await get('/apis/velero.io/v1/schedules');
    assert.deepEqual(schedules.body.items.map((s: { metadata: { name: string } }) => s.metadata.name), ['mojaloop-daily']);
    const superseded = await get('/api/v1/secrets?labelSelector=owner%3Dhelm,status%3Dsuperseded');
    assert.deepEqual(superseded.body.items.map((s: { metadata: { name: string } }) => s.metadata.name), ['sh.helm.release.v1.moja.v2']);
    const helmType = await get('/api/v1/secrets?fieldSelector=type%3Dhelm.sh%2Frelease.v1&limit=1');
    assert.equal(helmType.body.items.length, 1);
    assert.ok(helmType.body.metadata.continue);
  });

  it('answers 401 without the token, and an unknown continue token 410 as a real server does', async () => {
    assert.equal((await get('/api/v1/pods', {})).status, 401);
    assert.equal((await get('/api/v1/pods?continue=not-a-token')).status, 410);
  });

  it('moves the snapshot\'s times to the present', async () => {
    const cron = await get('/apis/batch/v1/namespaces/mojaloop/cronjobs/ledger-archiver');
    const age = Date.now() - Date.parse(cron.body.status.lastSuccessfulTime);
    assert.ok(age > 9 * 3_600_000 && age < 10 * 3_600_000, `${age} ms`);
  });
});
