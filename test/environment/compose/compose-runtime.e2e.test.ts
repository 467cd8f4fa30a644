import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { EnvironmentUnavailableError } from '../../../src/config/errors.ts';
import { validateConfigFor } from '../../../src/config/load-config.ts';
import type { ConfigInput } from '../../../src/config/schema.ts';
import { providerOf } from '../../../src/environment/capability-providers.ts';
import { ComposeEnvironment } from '../../../src/environment/compose/compose-environment.ts';
import type { StartedComposeEnvironment } from '../../../src/environment/compose/compose-runtime.ts';
import { tempDir } from '../../helpers/cli.ts';
import { buildMiniImage, composeDown, dockerOrSkip, leftovers, MINI_HARNESS, MINI_IMAGE } from '../../helpers/compose-mini.ts';

const run = promisify(execFile);
const skip = await dockerOrSkip();

async function environment(compose: NonNullable<ConfigInput['compose']>, lines: string[] = []) {
  const config = validateConfigFor('compose', { reportsDir: await tempDir('reports'), compose: { harness: MINI_HARNESS, ...compose } });
  return { config, environment: new ComposeEnvironment(config, { progress: (line) => lines.push(line) }) };
}

describe('the compose target on a real Docker engine (fixtures/compose-mini)', { skip: skip ?? false }, () => {
  const projects: string[] = [];
  const project = () => {
    const name = `ctest-${randomBytes(3).toString('hex')}`;
    projects.push(name);
    return name;
  };

  before(async () => {
    await buildMiniImage();
    await run('docker', ['tag', MINI_IMAGE, 'conformance-test/mini:candidate']);
  });

  after(async () => {
    for (const name of projects) await composeDown(name);
  });

  it('brings the harness up with a candidate image, inventories it from the engine, faults its containers and leaves nothing behind', async () => {
    const name = project();
    const lines: string[] = [];
    const { environment: env } = await environment({ projectName: name, profiles: ['all-services'], images: { 'quoting-service': 'conformance-test/mini:candidate' } }, lines);
    const started = await env.start() as StartedComposeEnvironment;
    try {
      assert.ok(lines.some((l) => l.includes(`compose ${name}: quoting-service healthy`)), lines.join('\n'));
      const inventory = await providerOf(started, 'compose-inventory').inventory();
      assert.equal(inventory.observedFrom, 'runtime');
      assert.match(inventory.source, new RegExp(`docker compose project ${name} via Docker engine`));
      const byName = new Map(inventory.components.map((c) => [c.name, c]));
      assert.deepEqual([...byName.keys()].sort(), ['mysql', 'quoting-service', 'sidecar']);
      assert.deepEqual(byName.get('quoting-service')!.images, ['conformance-test/mini:candidate']);
      assert.deepEqual(byName.get('mysql')!.images, [MINI_IMAGE]);
      assert.equal(byName.get('quoting-service')!.health, 'healthy');
      const [port] = byName.get('quoting-service')!.ports!;
      assert.deepEqual({ container: port!.container, declared: port!.declared, reachable: port!.reachable, hostIp: port!.hostIp }, { container: 3002, declared: true, reachable: true, hostIp: '127.0.0.1' });
      assert.equal(byName.get('mysql')!.restartPolicy, 'unless-stopped');
      assert.ok(byName.get('mysql')!.mounts!.some((m) => m.type === 'volume' && m.source === `${name}_mini-data` && m.target === '/data'));
      assert.ok(inventory.networks!.includes(`${name}_mini-net`));
      assert.ok(inventory.usage && inventory.usage.memoryBytes > 0, JSON.stringify(inventory.usage));

      assert.equal(await started.faults.killOne('no-such-service'), undefined);
      assert.match((await started.faults.killOne('mysql'))!, new RegExp(`^container ${name}-mysql-1 \\(service mysql, id [0-9a-f]{12}\\) killed with SIGKILL and started again by the run \\(restart policy unless-stopped\\)`));
      assert.equal((await run('docker', ['inspect', '-f', '{{.State.Running}}', `${name}-mysql-1`])).stdout.trim(), 'true');
      // "quotingservice", as a feature names a component, finds the service "quoting-service".
      assert.match((await started.faults.pauseOne('quotingservice'))!, new RegExp(`^container ${name}-quoting-service-1 .* paused`));
      assert.equal((await run('docker', ['inspect', '-f', '{{.State.Paused}}', `${name}-quoting-service-1`])).stdout.trim(), 'true');
      await started.faults.unpauseOne('quoting-service');
      assert.match((await started.faults.isolateOne('quoting-service'))!, new RegExp(`cut off ${name}_mini-net`));
      assert.equal((await run('docker', ['inspect', '-f', '{{len .NetworkSettings.Networks}}', `${name}-quoting-service-1`])).stdout.trim(), '0');
      await started.faults.reconnectAll();
      assert.equal((await run('docker', ['inspect', '-f', '{{len .NetworkSettings.Networks}}', `${name}-quoting-service-1`])).stdout.trim(), '1');
      assert.match((await started.faults.stopOne('sidecar'))!, /stopped$/);
    } finally {
      await started.stop();
    }
    assert.deepEqual(await leftovers(name), []);
  });

  it('tears a harness that does not come up down, with the failing service named and its logs kept', async () => {
    const name = project();
    const { config, environment: env } = await environment({ projectName: name, profiles: ['broken'], startupMs: 60_000 });
    await assert.rejects(env.start(), (error: Error) => {
      assert.ok(error instanceof EnvironmentUnavailableError, String(error));
      assert.match(error.message, new RegExp(`did not come up \\(project ${name}\\): .*torn down$`));
      return true;
    });
    const log = await readFile(`${config.reportsDir}/compose-logs/sick.log`, 'utf8').catch(() => '');
    assert.match(log, /sick listening on 8080/);
    assert.deepEqual(await leftovers(name), []);
  });

  it('--keep leaves it running, --attach reads it and leaves it running too', async () => {
    const name = project();
    const { environment: kept } = await environment({ projectName: name, profiles: ['all-services'], keep: true });
    await (await kept.start()).stop();
    assert.ok((await leftovers(name)).some((l) => l === `container ${name}-mysql-1`));
    const { environment: attaching } = await environment({ attach: name });
    const attached = await attaching.start();
    assert.ok((await providerOf(attached, 'compose-inventory').inventory()).components.some((c) => c.name === 'mysql' && c.health === 'healthy'));
    await attached.stop();
    assert.ok((await leftovers(name)).length > 0, 'attached projects are not ours to stop');
    await composeDown(name);
    assert.deepEqual(await leftovers(name), []);
  });

  it('refuses to attach to a project that does not run, on one line', async () => {
    const { environment: env } = await environment({ attach: 'no-such-project-here' });
    await assert.rejects(env.start(), /no compose project "no-such-project-here" runs on the Docker engine .*docker compose ls/);
  });
});
