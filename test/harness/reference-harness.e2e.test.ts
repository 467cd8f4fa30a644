import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { validateConfig } from '../../src/config/load-config.ts';
import { CallbackServer } from '../../src/fspiop/callback-server.ts';
import { PayerDfsp, type Exchange } from '../../src/fspiop/payer-dfsp.ts';
import { QuotesPut } from '../../src/fspiop/payloads.ts';
import { ROOT } from '../helpers/cli.ts';

// The reference harness for real: its images built locally (no registry), `docker compose up` with
// the real harness's default profiles, one FSPIOP round trip from the host through the hub to the
// simulator container and back, the database container killed under the hub and started again,
// and a teardown that leaves nothing behind. Needs a Docker engine (scripts/docker-engine.sh).

const HARNESS = join(ROOT, 'fixtures', 'harness');
const PROFILES = ['--profile', 'all-services', '--profile', 'ttk-provisioning'];
const config = validateConfig({ timeouts: { callbackMs: 15_000, requestMs: 15_000 } });
const amount = { amount: '2.5', currency: 'USD' };

function sh(command: string, args: string[], timeoutMs = 120_000): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd: HARNESS, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, HARNESS_IMAGE_TAG: 'local' } });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? String(result.error ?? '') };
}

const engine = sh('docker', ['info'], 15_000).status === 0 && sh('docker', ['compose', 'version'], 15_000).status === 0;

function resources(project: string): string[] {
  const label = `com.docker.compose.project=${project}`;
  return [
    ...sh('docker', ['ps', '-a', '--filter', `label=${label}`, '--format', 'container {{.Names}}']).stdout.split('\n'),
    ...sh('docker', ['network', 'ls', '--filter', `label=${label}`, '--format', 'network {{.Name}}']).stdout.split('\n'),
    ...sh('docker', ['volume', 'ls', '--filter', `label=${label}`, '--format', 'volume {{.Name}}']).stdout.split('\n'),
  ].filter(Boolean);
}

async function quoteAndTransfer(payer: PayerDfsp): Promise<Exchange> {
  const quote = await payer.requestQuote({ payer: config.participants.payer.party, payee: config.participants.payee.party, payeeFsp: 'payeefsp', amount });
  const terms = QuotesPut.safeParse(quote.callback?.body);
  if (!terms.success) return quote;
  return payer.prepareTransfer({ payeeFsp: 'payeefsp', amount, terms: terms.data });
}

const stateOf = (exchange: Exchange) => (exchange.callback?.body as { transferState?: string } | undefined)?.transferState;

/** The FSPIOP error code of an exchange: from a synchronous refusal or from its error callback. */
function errorCodeOf(exchange: Exchange): string | undefined {
  if ('status' in exchange.ack && exchange.ack.status >= 400) return (JSON.parse(exchange.ack.body) as { errorInformation?: { errorCode?: string } }).errorInformation?.errorCode;
  return (exchange.callback?.body as { errorInformation?: { errorCode?: string } } | undefined)?.errorInformation?.errorCode;
}

if (!engine && process.env.CI) {
  it('a Docker engine with compose v2 is there in CI', () => {
    assert.fail('CI is set but `docker info` or `docker compose version` fails: .ci/run starts the engine with scripts/docker-engine.sh; this test must not be skipped in CI');
  });
} else {
  describe('fixtures/harness: the reference harness in Docker', { skip: engine ? false : 'no Docker engine with compose v2 (scripts/docker-engine.sh installs and starts one, as root)' }, () => {
    it('comes up healthy, serves a transfer end to end, survives its database being killed, and leaves nothing behind', { timeout: 15 * 60_000 }, async () => {
      const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-harness-images.ts')], { encoding: 'utf8', timeout: 15 * 60_000 });
      assert.equal(build.status, 0, `building the images: ${build.stderr}`);

      const project = `refharness${randomUUID().slice(0, 8)}`;
      const compose = (args: string[], timeoutMs?: number) => sh('docker', ['compose', '-p', project, '-f', 'docker-compose.yml', ...PROFILES, ...args], timeoutMs);
      const callbacks = new CallbackServer({ host: '0.0.0.0', port: 0, maxBodyBytes: 65_536, addressing: { dfsps: ['payerfsp'], senders: ['Hub', 'switch', 'payeefsp'] } });
      try {
        // The long-running services first: compose 2.26's `up --wait` fails when any container of the
        // project exits, a one-shot job's exit 0 included, which would make this test race the job.
        const up = compose(['up', '-d', '--wait', '--wait-timeout', '180', 'mysql', 'central-ledger', 'simulator'], 240_000);
        assert.equal(up.status, 0, `docker compose up: ${up.stderr.trim().split('\n').slice(-5).join(' | ')}`);
        const job = compose(['up', '-d', 'ttk-provisioning'], 120_000);
        assert.equal(job.status, 0, `docker compose up ttk-provisioning: ${job.stderr.trim().split('\n').slice(-5).join(' | ')}`);
        // Its provisioning job's exit code is a result of its own (the real harness's wait script ignores it).
        // `up --wait` waits for the services, not for the one-shot job: wait for it to end (bounded).
        let jobs = '';
        for (const deadline = Date.now() + 60_000; ; await sleep(500)) {
          jobs = compose(['ps', '-a', '--format', '{{.Service}} {{.State}} {{.ExitCode}}']).stdout;
          if (/^ttk-provisioning exited/m.test(jobs) || Date.now() > deadline) break;
        }
        assert.match(jobs, /^ttk-provisioning exited 0$/m, jobs);
        for (const service of ['mysql', 'central-ledger', 'simulator']) assert.match(jobs, new RegExp(`^${service} running 0$`, 'm'), jobs);

        const published = (service: string, port: number) => {
          const address = compose(['port', service, String(port)]).stdout.trim();
          assert.match(address, /^127\.0\.0\.1:\d+$/, `${service}:${port} is published on loopback only`);
          return `http://${address}`;
        };
        // What the container stands for is evidence the container runtime gives (an inventory reads it).
        const standsFor = sh('docker', ['inspect', '-f', '{{index .Config.Labels "org.mojaloop.conformance.harness.stands-for"}}', `${project}-central-ledger-1`]).stdout;
        assert.match(standsFor, /central-ledger admin API .*ml-api-adapter, quoting-service and account-lookup-service/);
        const hubUrl = published('central-ledger', 3000);
        const adminUrl = published('central-ledger', 3001);

        // Callbacks reach the host through host.docker.internal (host-gateway): point the payer's there.
        await callbacks.start();
        const port = new URL(callbacks.url).port;
        const endpoint = await fetch(`${adminUrl}/participants/payerfsp/endpoints`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'FSPIOP_CALLBACK_URL', value: `http://host.docker.internal:${port}` }),
        });
        assert.equal(endpoint.status, 201);

        const payer = new PayerDfsp({ hubUrl, fspId: 'payerfsp', callbacks, callbackTimeoutMs: 15_000, requestTimeoutMs: 15_000 });
        const lookup = await payer.lookupParty(config.participants.payee.party);
        assert.equal((lookup.callback?.body as { party?: { partyIdInfo?: { fspId?: string } } } | undefined)?.party?.partyIdInfo?.fspId, 'payeefsp',
          `the simulator container answered the lookup through the hub: ${JSON.stringify(lookup.callback?.body ?? lookup.ack)}`);
        const before = await quoteAndTransfer(payer);
        assert.equal(stateOf(before), 'COMMITTED', JSON.stringify(before.callback?.body ?? before.ack));

        // The data tier fails: the database container is killed under the hub.
        assert.equal(sh('docker', ['kill', `${project}-mysql-1`]).status, 0);
        const during = await quoteAndTransfer(payer);
        assert.equal(errorCodeOf(during), '2001', `while the database is down: ${JSON.stringify(during.callback?.body ?? during.ack)}`);
        const hub = sh('docker', ['inspect', '-f', '{{.State.Status}}', `${project}-central-ledger-1`]).stdout.trim();
        assert.equal(hub, 'running', 'the hub did not crash');

        assert.equal(sh('docker', ['start', `${project}-mysql-1`]).status, 0);
        const deadline = Date.now() + 90_000;
        while ((await fetch(`${hubUrl}/health`).catch(() => undefined))?.status !== 200) {
          assert.ok(Date.now() < deadline, 'the hub did not see its database back within 90 s');
          await sleep(500);
        }
        const after = await quoteAndTransfer(payer);
        assert.equal(stateOf(after), 'COMMITTED', `after the database came back: ${JSON.stringify(after.callback?.body ?? after.ack)}`);
        // Nothing committed before the kill was lost (the database's own durability: RPO 0).
        const asked = await payer.queryTransfer((before.requestBody as { transferId: string }).transferId);
        assert.equal(stateOf(asked), 'COMMITTED');
      } finally {
        await callbacks.stop();
        const down = compose(['down', '--volumes', '--remove-orphans', '--timeout', '5'], 120_000);
        assert.equal(down.status, 0, `docker compose down: ${down.stderr}`);
      }
      assert.deepEqual(resources(project), [], 'no container, network or volume of the project is left');
    });
  });
}
