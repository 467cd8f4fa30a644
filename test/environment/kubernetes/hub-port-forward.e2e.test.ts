import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validateConfig } from '../../../src/config/load-config.ts';
import { ReferenceDeployment } from '../../../src/environment/embedded/reference-deployment.ts';
import { tempDir } from '../../helpers/cli.ts';
import { FakeKubeApi } from '../../helpers/fake-kube-api.ts';
import { functionalIds, runInProcess } from '../../helpers/run.ts';
import { freePort } from '../../helpers/servers.ts';

// A whole run of the kubernetes target whose hub is reached only through port-forwards: a reference
// hub (FSPIOP and admin API) plays the Miniloop fixture's ml-api-adapter and central-ledger pods,
// the fake API server streams pods/portforward to it, and nothing tells the run the hub's URL.
// Provisioning our DFSPs, the callback round trip and the functional guarantees all go that way.

describe('--target kubernetes with the hub reached through port-forwards, end to end', () => {
  it('provisions our test DFSPs through the admin forward and passes functional guarantees through the FSPIOP forward', { timeout: 5 * 60_000 }, async () => {
    const dir = await tempDir('port-forward-e2e');
    const hub = new ReferenceDeployment(validateConfig({ embedded: { dataDir: join(dir, 'hub') } }));
    const urls = await hub.start();
    const fake = await (await FakeKubeApi.fromFixture('miniloop-k3s')).start();
    fake.servePodPort('default', 'ml-api-adapter-7d9f8b6c4-ax0q', 3000, { host: '127.0.0.1', port: Number(new URL(urls.hubUrl).port) });
    fake.servePodPort('default', 'centralledger-7d9f8b6c4-ax0q', 3001, { host: '127.0.0.1', port: Number(new URL(urls.adminUrl).port) });
    try {
      const kubeconfig = await fake.writeKubeconfig(join(dir, 'kubeconfig'));
      const ids = functionalIds('ML', [1, 2, 4]);
      const { byId, output, result } = await runInProcess({
        target: 'kubernetes', tier: 'miniloop',
        kubernetes: { kubeconfig, readinessTimeoutMs: 0, portForward: { fspiop: { service: 'ml-api-adapter', port: 3000 }, admin: { service: 'centralledger', port: 3001 } } },
        callback: { port: await freePort() }, provision: { payee: { port: await freePort() } },
      }, { tags: ids.map((id) => `@guarantee:${id}`).join(' or ') });
      for (const id of ids) assert.equal(byId[id]!.verdict, 'PASS', `${id}: ${byId[id]!.reason ?? ''}\n${output}`);
      const notes = (result.environment!.notes ?? []).join('\n');
      assert.match(notes, /the hub's FSPIOP API through a port-forward: http:\/\/127\.0\.0\.1:\d+ → Service default\/ml-api-adapter port 3000 → pod default\/ml-api-adapter-7d9f8b6c4-ax0q port 3000/);
      assert.match(notes, /the hub's admin API through a port-forward: http:\/\/127\.0\.0\.1:\d+ → Service default\/centralledger port 3001/);
      assert.match(result.environment!.summary, /; FSPIOP: /);
      // Provisioning went through the admin forward, the transfers through the FSPIOP one: many streams each.
      const opened = fake.portForwards.filter((f) => f.status === 101);
      assert.ok(opened.some((f) => f.port === 3001) && opened.some((f) => f.port === 3000), JSON.stringify(fake.portForwards));
      console.log(`port-forward run: ${opened.filter((f) => f.port === 3000).length} FSPIOP streams, ${opened.filter((f) => f.port === 3001).length} admin streams`);
    } finally {
      await fake.stop();
      await hub.stop();
    }
  });
});
