import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCliArgs } from '../../src/cli/args.ts';
import { validateConfig } from '../../src/config/load-config.ts';

describe('parseCliArgs', () => {
  it('names the flag and lists the valid tiers', () => {
    assert.throws(() => parseCliArgs(['--tier', 'nosuchtier']), { message: '--tier "nosuchtier" is not one of: core-test-harness, miniloop, helm, iac' });
  });

  it('--hub-url alone means the url target, decided where the config is validated, so a target the config file names stays', () => {
    const options = parseCliArgs(['--hub-url', 'http://127.0.0.1:4000']);
    assert.equal(options.overrides.target, undefined, 'the flags imply no target themselves');
    assert.equal(options.overrides.hub?.url, 'http://127.0.0.1:4000');
    assert.equal(validateConfig(options.overrides).target, 'url');
    assert.equal(validateConfig({ ...options.overrides, target: 'kubernetes' }).target, 'kubernetes');
  });

  it('takes --hub-security for the embedded hub, names the flag for a level it does not know, and leaves the posture plain by default', () => {
    const { overrides } = parseCliArgs(['--hub-security', 'full']);
    assert.equal(overrides.hub?.security, 'full');
    const config = validateConfig(overrides);
    assert.ok(config.target === 'embedded' && config.hub.security === 'full');
    const plain = validateConfig(parseCliArgs([]).overrides);
    assert.ok(plain.target === 'embedded' && plain.hub.security === 'none');
    assert.throws(() => parseCliArgs(['--hub-security', 'some']), { message: '--hub-security "some" is not one of: none, full' });
    assert.throws(() => validateConfig(parseCliArgs(['--hub-url', 'http://127.0.0.1:4000', '--hub-security', 'full']).overrides), /hub\.security says how the embedded hub is served/);
  });

  it('takes --require-evaluated as a tag expression, and names the flag when it is none', () => {
    assert.equal(parseCliArgs(['--require-evaluated', '@concern:functional and not @needs:load']).requireEvaluated, '@concern:functional and not @needs:load');
    assert.throws(() => parseCliArgs(['--require-evaluated', '@concern:functional and']), /^UsageError: --require-evaluated "@concern:functional and" is not a tag expression/);
  });

  it('takes the kubernetes target\'s kubeconfig, context and namespaces (repeated or comma-separated)', () => {
    const { overrides } = parseCliArgs(['--target', 'kubernetes', '--kubeconfig', '/k/config', '--context', 'prod', '--namespace', 'mojaloop,ingress-nginx', '--namespace', 'velero']);
    assert.deepEqual(overrides.kubernetes, { kubeconfig: '/k/config', context: 'prod', namespaces: ['mojaloop', 'ingress-nginx', 'velero'] });
    assert.throws(() => parseCliArgs(['--namespace', 'Mojaloop_Prod']), /^UsageError: --namespace "Mojaloop_Prod" is not a namespace name \(lower-case letters, digits and "-", at most 63\); e\.g\. --namespace mojaloop$/);
  });

  it('rejects an unknown option with a pointer to --help', () => {
    assert.throws(() => parseCliArgs(['--teir', 'helm']), /Unknown option '--teir'.*see --help/);
  });

  it('rejects a callback port that is not a number', () => {
    assert.throws(() => parseCliArgs(['--callback-port', 'http']), /--callback-port "http" is not a port number/);
  });
});
