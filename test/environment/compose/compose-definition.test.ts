import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../src/config/errors.ts';
import { durationMs, interpolate, parseEnvFile, readComposeDefinition, selectServices } from '../../../src/environment/compose/compose-definition.ts';
import { withImages } from '../../../src/environment/compose/compose-environment.ts';
import { inventoryFromDefinition } from '../../../src/environment/compose/definition-inventory.ts';
import { componentKindsWith, findComponentsOfKind } from '../../../src/inventory/component-kinds.ts';
import { InventoryProbe } from '../../../src/probes/inventory-probe.ts';
import { ROOT } from '../../helpers/cli.ts';

/** The harness's real files (fixtures/upstream: a verbatim copy; any newer revision must pass too). */
const UPSTREAM = join(ROOT, 'fixtures', 'upstream', 'ml-core-test-harness');
const DEFAULT_PROFILES = ['all-services', 'ttk-provisioning'];
const CORE = ['central-ledger', 'ml-api-adapter', 'quoting-service', 'account-lookup-service'];

describe('the Core Test Harness compose definition (real upstream files)', async () => {
  const definition = await readComposeDefinition({ dir: UPSTREAM, environment: {} });

  it('reads every service, the env file and the profiles the harness offers', () => {
    assert.deepEqual(definition.files, ['docker-compose.yml']);
    assert.equal(definition.envFile, 'dot-env');
    for (const name of [...CORE, 'mysql', 'kafka', 'ttk-provisioning', 'ttk-tests']) assert.ok(definition.services.some((s) => s.name === name), name);
    for (const profile of ['all-services', 'ttk-provisioning', 'ttk-tests', 'finance-portal']) assert.ok(definition.declaredProfiles.includes(profile), profile);
  });

  it('interpolates image tags from the env file (${VAR}) and defaults (${VAR:-default})', () => {
    const env = parseEnvFile(`CENTRAL_LEDGER_VERSION=${'v1'}`);
    assert.equal(env.CENTRAL_LEDGER_VERSION, 'v1');
    const ledger = definition.services.find((s) => s.name === 'central-ledger')!;
    assert.match(ledger.image!, /^mojaloop\/central-ledger:v\d+\.\d+\.\d+/);
    assert.ok(!ledger.image!.endsWith(':'), 'the tag came from dot-env');
    // Every image of a service the default profiles start has a tag: nothing interpolated to "".
    for (const service of selectServices(definition, DEFAULT_PROFILES)) {
      if (service.image) assert.match(service.image, /:[^:/]+$/, `${service.name}: ${service.image}`);
    }
  });

  it('keeps the shell environment first, as compose does', async () => {
    const overridden = await readComposeDefinition({ dir: UPSTREAM, environment: { CENTRAL_LEDGER_VERSION: 'v99.0.0-rc1' } });
    assert.equal(overridden.services.find((s) => s.name === 'central-ledger')!.image, 'mojaloop/central-ledger:v99.0.0-rc1');
  });

  it('selects by profile: a service with profiles only when one is selected, one without profiles always', async () => {
    const selected = selectServices(definition, DEFAULT_PROFILES).map((s) => s.name);
    for (const name of [...CORE, 'mysql', 'kafka', 'ttk-provisioning']) assert.ok(selected.includes(name), name);
    assert.ok(!selected.includes('ttk-tests'), 'ttk-tests is in its own profile');
    assert.ok(!selected.includes('fp-proxy'), 'the portals are in finance-portal');
    assert.ok(selectServices(definition, ['ttk-tests']).some((s) => s.name === 'ttk-tests'));
    // The monitoring file's services declare no profile: always on once the file is included.
    const withMonitoring = await readComposeDefinition({ dir: UPSTREAM, extraFiles: ['docker-compose-monitoring.yml'], environment: {} });
    const monitoring = selectServices(withMonitoring, []).map((s) => s.name);
    for (const name of ['prometheus', 'grafana']) assert.ok(monitoring.includes(name), name);
    assert.ok(!monitoring.includes('central-ledger'));
  });

  it('reads health checks, published ports, networks, volumes and depends_on', () => {
    const ledger = definition.services.find((s) => s.name === 'central-ledger')!;
    assert.match(ledger.healthcheck!.test, /3001\/health/);
    assert.ok(ledger.healthcheck!.intervalMs! > 0);
    assert.ok(ledger.networks.includes('mojaloop-net'));
    assert.ok(ledger.dependsOn.some((d) => d.service === 'mysql' && d.condition === 'service_healthy'));
    const ttk = definition.services.find((s) => s.name === 'mojaloop-testing-toolkit')!;
    assert.ok(ttk.ports.some((p) => p.published === 9440 && p.target === 4040));
    const mysql = definition.services.find((s) => s.name === 'mysql')!;
    assert.ok(mysql.volumes.some((v) => v.type === 'bind' && v.target === '/docker-entrypoint-initdb.d/'));
    assert.equal(definition.networks['mojaloop-net']!.name, 'mojaloop-net');
  });

  it('becomes an inventory whose every component names its file and service, with health unknown', () => {
    const inventory = inventoryFromDefinition(definition, DEFAULT_PROFILES);
    assert.equal(inventory.observedFrom, 'definition');
    assert.match(inventory.source, /compose definition .*ml-core-test-harness \(docker-compose\.yml; env dot-env; profiles all-services, ttk-provisioning\)/);
    assert.ok(inventory.components.every((c) => c.kind === 'service' && c.definedIn === 'docker-compose.yml' && c.health === 'unknown'));
    assert.ok(inventory.networks!.includes('mojaloop-net'));
  });

  it('evaluates what the definition shows and leaves health to a running harness', () => {
    const probe = new InventoryProbe(inventoryFromDefinition(definition, DEFAULT_PROFILES));
    for (const finding of [probe.nodeCount({ atLeast: 1, atMost: 1 }), probe.orchestratedByCompose(), probe.configurableProfiles(), probe.noHelm(),
      probe.noneOfKind('gateway'), probe.noneOfKind('ingress'), probe.noneOfKind('egress'), probe.noneOfKind('IAM')]) {
      assert.ok(Array.isArray(finding) && finding.every((m) => m.ok), JSON.stringify(finding));
    }
    const core = probe.servicesHealthy(CORE);
    assert.ok(!Array.isArray(core) && 'notEvaluated' in core);
    assert.match(core.notEvaluated, /central-ledger.*whether they are healthy needs the running containers/);
    const job = probe.jobSucceeded('ttk-provisioning');
    assert.ok(!Array.isArray(job) && 'notEvaluated' in job);
    // A core service the selected profiles leave out is measured absent from the definition: FAIL.
    const narrow = new InventoryProbe(inventoryFromDefinition(definition, ['ml-api-adapter']));
    const missing = narrow.servicesHealthy(['ml-api-adapter', 'quoting-service']);
    assert.ok(Array.isArray(missing));
    assert.deepEqual(missing.map((m) => [m.name, m.value, m.ok]), [
      ['service ml-api-adapter', 'deployed by the selected profiles (health not observed)', true],
      ['service quoting-service', 'not deployed', false],
    ]);
  });

  it('puts candidate images in place of the harness\'s (--image)', () => {
    const candidate = withImages(definition, { 'central-ledger': 'mojaloop/central-ledger:v19.5.0-rc1' });
    const inventory = inventoryFromDefinition(candidate, DEFAULT_PROFILES);
    assert.deepEqual(inventory.components.find((c) => c.name === 'central-ledger')!.images, ['mojaloop/central-ledger:v19.5.0-rc1']);
    assert.notEqual(inventory.components.find((c) => c.name === 'central-handler-position-batch')!.images[0], 'mojaloop/central-ledger:v19.5.0-rc1');
    assert.throws(() => withImages(definition, { nope: 'x:y' }), /the harness has no service "nope"/);
  });

  it('recognises components by patterns a config can replace', () => {
    const inventory = inventoryFromDefinition(definition, DEFAULT_PROFILES);
    assert.deepEqual(findComponentsOfKind(inventory, 'gateway'), []);
    // A site that calls the TTK its "gateway" says so in config; the match is data, not code.
    const kinds = componentKindsWith({ gateway: { names: ['^mojaloop-testing-toolkit$'] } });
    assert.deepEqual(findComponentsOfKind(inventory, 'gateway', kinds).map((m) => m.evidence), ['service mojaloop-testing-toolkit (docker-compose.yml) (name)']);
  });
});

describe('compose interpolation and syntax', () => {
  const lookup = (vars: Record<string, string>) => (name: string) => vars[name];

  it('follows compose: ${VAR}, ${VAR:-default}, ${VAR-default}, $VAR, $$', () => {
    const unset = new Set<string>();
    assert.equal(interpolate('a:${TAG}', lookup({ TAG: 'v1' })), 'a:v1');
    assert.equal(interpolate('${U:-central_ledger}', lookup({})), 'central_ledger');
    assert.equal(interpolate('${E:-d}', lookup({ E: '' })), 'd');
    assert.equal(interpolate('${E-d}', lookup({ E: '' })), '');
    assert.equal(interpolate('$TAG/$$HOME', lookup({ TAG: 'x' })), 'x/$HOME');
    assert.equal(interpolate('img:${MISSING}', lookup({}), unset), 'img:');
    assert.deepEqual([...unset], ['MISSING']);
    assert.throws(() => interpolate('${REQ:?set it}', lookup({})), ConfigError);
  });

  it('reads durations and env files as compose writes them', () => {
    assert.equal(durationMs('1m30s'), 90_000);
    assert.equal(durationMs('500ms'), 500);
    assert.deepEqual(parseEnvFile('# c\nA=1\nexport B="two words"\nC=3 # note\n\nbad line'), { A: '1', B: 'two words', C: '3' });
  });

  it('reads short and long port syntax, and overrides across files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'compose-def-'));
    await writeFile(join(dir, 'compose.yaml'), [
      'services:',
      '  web:',
      '    image: busybox:${TAG:-1}',
      '    ports: ["127.0.0.1:8080:80", "9000-9001:9000-9001/udp", "3000", { target: 5000, published: "5001", host_ip: "0.0.0.0" }]',
      '    healthcheck: { test: ["CMD-SHELL", "wget -q -O- http://127.0.0.1/"], interval: 2s }',
      '    extra_hosts: ["host.docker.internal:host-gateway"]',
    ].join('\n'));
    await writeFile(join(dir, 'override.yaml'), 'services:\n  web:\n    image: busybox:candidate\n    restart: always\n');
    const definition = await readComposeDefinition({ dir, extraFiles: ['override.yaml'], environment: {} });
    const [web] = definition.services;
    assert.equal(web!.image, 'busybox:candidate');
    assert.equal(web!.file, 'override.yaml');
    assert.equal(web!.restart, 'always');
    assert.deepEqual(web!.ports.map((p) => [p.hostIp, p.published, p.target, p.protocol]), [
      ['127.0.0.1', 8080, 80, 'tcp'], [undefined, 9000, 9000, 'udp'], [undefined, 9001, 9001, 'udp'], [undefined, undefined, 3000, 'tcp'], ['0.0.0.0', 5001, 5000, 'tcp'],
    ]);
    assert.equal(web!.healthcheck!.test, 'wget -q -O- http://127.0.0.1/');
    assert.deepEqual(web!.extraHosts, ['host.docker.internal:host-gateway']);
    assert.equal(definition.projectName, dir.split('/').pop()!.toLowerCase().replace(/[^a-z0-9_-]/g, ''));
  });

  it('names the folder or file that is missing, as a config error', async () => {
    await assert.rejects(readComposeDefinition({ dir: join(ROOT, 'no-such-harness') }), (error: Error) => error instanceof ConfigError && /compose\.harness ".*no-such-harness" does not exist/.test(error.message));
    await assert.rejects(readComposeDefinition({ dir: join(ROOT, 'docs') }), /holds no compose file/);
    await assert.rejects(readComposeDefinition({ dir: UPSTREAM, extraFiles: ['nope.yml'] }), /compose file "nope.yml" does not exist/);
  });
});
