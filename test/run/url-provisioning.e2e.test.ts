import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { validateConfig, validateConfigFor } from '../../src/config/load-config.ts';
import type { ConfigInput } from '../../src/config/schema.ts';
import { missingCapability } from '../../src/catalogue/capabilities.ts';
import { capabilitySource, serves } from '../../src/environment/capability-providers.ts';
import { ReferenceDeployment } from '../../src/environment/embedded/reference-deployment.ts';
import { UrlEnvironment } from '../../src/environment/url/url-environment.ts';
import { HubAdminClient } from '../../src/fspiop/hub-admin-client.ts';
import { HubChangeJournal } from '../../src/provisioning/hub-change-journal.ts';
import { tempDir } from '../helpers/cli.ts';
import { functionalIds, runInProcess } from '../helpers/run.ts';
import { closeServer, freePort, listen } from '../helpers/servers.ts';

/** A reference hub standing in for a real one: the run knows only its URLs, as it would know a real hub's. */
async function withHub(faults: ConfigInput['embedded'], test: (urls: { hubUrl: string; adminUrl: string }) => Promise<void>): Promise<void> {
  const hub = new ReferenceDeployment(validateConfig({ embedded: { fspiopVersion: '2.0', ...faults } }));
  const { hubUrl, adminUrl } = await hub.start();
  try {
    await test({ hubUrl, adminUrl });
  } finally {
    await hub.stop();
  }
}

/** A run config that names only the hub and the ports our DFSPs listen on. */
async function attach(urls: { hubUrl: string; adminUrl: string }, extra: ConfigInput = {}): Promise<ConfigInput> {
  return { hub: { url: urls.hubUrl, adminUrl: urls.adminUrl }, callback: { port: await freePort() }, ...extra, provision: { payee: { port: await freePort() }, ...extra.provision } };
}

describe('a url run provisions its own test DFSPs on the hub under test', () => {
  it('a dry run prints the calls and makes none', async () => {
    await withHub({}, async (urls) => {
      const { exitCode, output, result } = await runInProcess({ ...(await attach(urls)), provision: { dryRun: true, payee: { port: await freePort() } } });
      assert.equal(exitCode, 0, output);
      assert.match(output, /provisioning plan: \d+ calls \(none made\):\n/);
      assert.match(output, /\n {4}POST \/participants \{name: conformancepayer, currency: USD\} — the hub has no participant conformancepayer\n/);
      assert.ok(result.guarantees.length > 0 && result.guarantees.every((g) => g.verdict === 'NOT_EVALUATED' && /dry run/.test(g.reason!)));
      const names = (await new HubAdminClient(urls.adminUrl, 5000).participants()).map((participant) => participant.name);
      assert.ok(!names.includes('conformancepayer'), `nothing was created: ${names.join(', ')}`);
    });
  });

  it('puts back a cap an interrupted run left lowered, says so, and blames the hub for nothing', async () => {
    await withHub({}, async (urls) => {
      const reportsDir = await tempDir('reports');
      const config = await attach(urls, { reportsDir });
      const first = await runInProcess(config, { tags: '@guarantee:CTH-FUN-01' });
      assert.equal(first.exitCode, 0, first.output);
      // What FUN-08 does, killed before its After hook: the cap lowered to the position, journaled, never put back.
      const admin = new HubAdminClient(urls.adminUrl, 5000);
      const cap = await admin.netDebitCap('conformancepayer', 'USD');
      await admin.changeNetDebitCap('conformancepayer', 'USD', await admin.position('conformancepayer', 'USD'), new HubChangeJournal(join(reportsDir, '.hub-changes.json')));
      const next = await runInProcess(config, { tags: '@guarantee:CTH-FUN-01' });
      assert.equal(next.exitCode, 0, next.output);
      assert.match(next.output, /put back what an interrupted run left changed on the hub: net debit cap of conformancepayer in USD back to \d+/);
      assert.equal(next.byId['CTH-FUN-01']!.verdict, 'PASS');
      assert.equal(await admin.netDebitCap('conformancepayer', 'USD'), cap);
    });
  });

  it('catches a hub that moves money wrongly, which a url run without DFSPs of its own could only leave NOT EVALUATED', async () => {
    await withHub({ faults: { ignoreNetDebitCap: true } }, async (urls) => {
      const { exitCode, byId } = await runInProcess(await attach(urls), { tags: '@guarantee:CTH-FUN-08' });
      assert.equal(exitCode, 1);
      assert.match(byId['CTH-FUN-08']!.reason!, /transfer callback was success callback .*expected error callback/);
    });
  });

  it('a hub whose admin API wants credentials: exit 4, naming the call and what to do', async () => {
    await withHub({}, async (urls) => {
      const guarded = createServer((request, response) => {
        request.resume();
        response.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Unauthorized"}');
      });
      const adminUrl = await listen(guarded);
      try {
        const { exitCode, result } = await runInProcess(await attach({ hubUrl: urls.hubUrl, adminUrl }));
        assert.equal(exitCode, 4);
        assert.match(result.error!, /^our test DFSPs cannot be provisioned on the hub: .*401.*credentials/);
        assert.ok(result.guarantees.length > 0 && result.guarantees.every((g) => g.verdict === 'NOT_EVALUATED'));
      } finally {
        await closeServer(guarded);
      }
    });
  });

  it('provisions our bystander DFSP, and FUN-19 asks as it: refused with 3000 PASSes, a hub answering anyone FAILs', async () => {
    await withHub({}, async (urls) => {
      const { exitCode, byId, output } = await runInProcess(await attach(urls), { tags: '@guarantee:CTH-FUN-19' });
      assert.equal(exitCode, 0, output);
      assert.equal(byId['CTH-FUN-19']!.verdict, 'PASS');
      assert.match(byId['CTH-FUN-19']!.measured!, /non-party transfer state query error code: 3000/);
      const admin = new HubAdminClient(urls.adminUrl, 5000);
      assert.ok((await admin.participants()).some((participant) => participant.name === 'conformanceother'));
      assert.ok((await admin.endpoints('conformanceother')).some((e) => e.type === 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR'), 'its callbacks are pointed at our callback server');
    });
    await withHub({ faults: { answerAnyTransferQuery: true } }, async (urls) => {
      const { exitCode, byId } = await runInProcess(await attach(urls), { tags: '@guarantee:CTH-FUN-19' });
      assert.equal(exitCode, 1);
      assert.match(byId['CTH-FUN-19']!.reason!, /transfer state and fulfilment told conformanceother \(party to neither side\) was transferState "COMMITTED", fulfilment "/);
    });
  });

  it('without the admin API there is no bystander of ours on the hub: FUN-19 is NOT EVALUATED, saying what to set', async () => {
    await withHub({}, async (urls) => {
      const environment = await new UrlEnvironment(validateConfigFor('url', { hub: { url: urls.hubUrl } })).start();
      try {
        assert.ok(!serves(environment, 'bystander-dfsp'));
        assert.match(missingCapability(['@needs:bystander-dfsp'], capabilitySource(environment))!.notEvaluated,
          /^needs a third DFSP of ours on the hub, .*; the hub knows no third DFSP of ours: set hub\.adminUrl so the run provisions participants\.bystander/);
      } finally {
        await environment.stop();
      }
    });
  });

  it('evaluates every functional guarantee of every tier\'s list on a hub answering in 2.0', async () => {
    await withHub({}, async (urls) => {
      const { exitCode, result, output } = await runInProcess(await attach(urls), { tags: '@concern:functional and @needs:fspiop-api' });
      assert.equal(exitCode, 0, output);
      assert.deepEqual(result.guarantees.filter((g) => g.verdict === 'PASS').map((g) => g.id), functionalIds('CTH'));
    });
  });
});
