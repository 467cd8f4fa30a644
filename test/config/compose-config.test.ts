import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCliArgs } from '../../src/cli/args.ts';
import { validateConfig, validateConfigFor } from '../../src/config/load-config.ts';
import { COMPONENT_KIND_NAMES } from '../../src/config/schema.ts';
import { COMPONENT_KINDS } from '../../src/inventory/component-kinds.ts';

describe('the compose section of the config', () => {
  it('defaults to the profiles the harness README starts', () => {
    const config = validateConfigFor('compose', { compose: { harness: 'h' } });
    assert.deepEqual(config.compose.profiles, ['all-services', 'ttk-provisioning']);
    assert.equal(config.compose.keep, false);
    assert.deepEqual(config.compose.endpoints.fspiop, { service: 'ml-api-adapter', port: 3000 });
  });

  it('takes the compose flags, and a harness alone means the compose target', () => {
    const { overrides } = parseCliArgs(['--harness', 'fixtures/harness', '--compose-profile', 'all-services,ttk-tests', '--compose-file', 'docker-compose-monitoring.yml',
      '--image', 'central-ledger=mojaloop/central-ledger:v19.5.0-rc1', '--keep', '--compose-env-file', 'my.env']);
    assert.equal(validateConfig(overrides).target, 'compose');
    assert.deepEqual(overrides.compose, {
      harness: 'fixtures/harness', profiles: ['all-services', 'ttk-tests'], extraFiles: ['docker-compose-monitoring.yml'], envFile: 'my.env', keep: true,
      images: { 'central-ledger': 'mojaloop/central-ledger:v19.5.0-rc1' },
    });
    assert.equal(validateConfig(parseCliArgs(['--attach', 'harness-ci']).overrides).target, 'compose');
    // --profile stays the load profile.
    assert.equal(parseCliArgs(['--profile', 'smoke', '--harness', 'h']).overrides.profile, 'smoke');
  });

  it('names a bad image reference, and a component pattern that is no regular expression', () => {
    assert.throws(() => validateConfig({ target: 'compose', compose: { harness: 'h', images: { 'central-ledger': 'user:pw@registry/x' } } }), /compose\.images\.central-ledger: .*an image reference/);
    assert.throws(() => validateConfig({ components: { gateway: { names: ['(unclosed'] } } }), /components\.gateway\.names\.0: "\(unclosed" is not a regular expression/);
    assert.throws(() => validateConfig({ target: 'compose', compose: { harness: 'h', attach: 'p', definitionOnly: true } }), /compose\.attach: .*choose one/);
  });

  it('--minimal-core means the compose target without a harness, with the reference services by default', () => {
    const { overrides } = parseCliArgs(['--minimal-core', '--image', 'central-ledger=mojaloop/central-ledger:pr-7']);
    assert.equal(validateConfig(overrides).target, 'compose', '--minimal-core alone implies the compose target');
    const config = validateConfigFor('compose', overrides);
    assert.equal(config.compose.minimalCore.enabled, true);
    assert.deepEqual(Object.keys(config.compose.minimalCore.services), ['central-ledger', 'simulator']);
    assert.equal(config.compose.minimalCore.database.image, 'conformance-harness/mariadb:local');
    assert.deepEqual(config.compose.minimalCore.services['central-ledger']!.aliases, ['ml-api-adapter', 'quoting-service', 'account-lookup-service']);
    assert.equal(validateConfigFor('compose', { compose: { harness: 'h' } }).compose.minimalCore.enabled, false);
  });

  it('refuses a minimal core mixed with a harness, an image for a service it lacks, a health port it does not publish', () => {
    assert.throws(() => validateConfig({ target: 'compose', compose: { harness: 'h', minimalCore: { enabled: true } } }), /compose\.minimalCore\.enabled: .*--harness does not go with --minimal-core — choose one/);
    assert.throws(() => validateConfig({ target: 'compose', compose: { attach: 'p', minimalCore: { enabled: true } } }), /--attach does not go with --minimal-core/);
    assert.throws(() => validateConfig({ target: 'compose', compose: { images: { ledger: 'x/y:1' }, minimalCore: { enabled: true } } }),
      /compose\.images\.ledger: --image ledger=…: the minimal core has no service "ledger"; it has mysql, central-ledger, simulator/);
    assert.throws(() => validateConfig({ target: 'compose', compose: { minimalCore: { enabled: true, services: { hub: { image: 'x/hub:1', ports: [3000], health: { port: 3001, path: '/health' } } } } } }),
      /compose\.minimalCore\.services\.hub\.health\.port: port 3001 is not among the ports hub publishes \(3000\)/);
    assert.throws(() => validateConfig({ target: 'compose', compose: { minimalCore: { enabled: true, services: { mysql: { image: 'x/db:1', ports: [1], health: { port: 1, path: '/' } } } } } }),
      /compose\.minimalCore\.services\.mysql: mysql is the minimal core's database/);
    // Images of its database and of services of its own are accepted.
    assert.equal(validateConfigFor('compose', { compose: { images: { mysql: 'mysql:8.0' }, minimalCore: { enabled: true } } }).compose.images.mysql, 'mysql:8.0');
  });

  it('lists every component kind the inventory recognises', () => {
    assert.deepEqual([...COMPONENT_KIND_NAMES].sort(), Object.keys(COMPONENT_KINDS).sort());
  });
});
