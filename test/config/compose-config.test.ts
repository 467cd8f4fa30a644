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

  it('lists every component kind the inventory recognises', () => {
    assert.deepEqual([...COMPONENT_KIND_NAMES].sort(), Object.keys(COMPONENT_KINDS).sort());
  });
});
