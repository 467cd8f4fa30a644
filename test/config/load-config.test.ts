import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/errors.ts';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { parseCliArgs } from '../../src/cli/args.ts';
import { loadConfig, validateConfig } from '../../src/config/load-config.ts';
import { ROOT, tempDir } from '../helpers/cli.ts';

describe('validateConfig', () => {
  it('fills every default from an empty config', () => {
    const config = validateConfig({});
    assert.equal(config.tier, 'core-test-harness');
    assert.equal(config.target, 'embedded');
    assert.equal(config.profile, 'smoke');
    assert.equal(config.participants.payer.fspId, 'payerfsp');
    assert.equal(config.participants.payer.currency, 'USD');
    assert.equal(config.timeouts.callbackMs, 10_000);
  });

  it('names the dotted path and the received type of a wrong type', () => {
    assert.throws(() => validateConfig({ participants: { payer: { currency: 840 } } }), (error: ConfigError) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /participants\.payer\.currency: expected string, got number 840/);
      return true;
    });
  });

  it('lists the allowed values of an enum', () => {
    assert.throws(() => validateConfig({ tier: 'gold' }), /tier: "gold" is not allowed; expected one of core-test-harness, miniloop, helm, iac/);
  });

  it('rejects unknown fields so a typo is not silently ignored', () => {
    assert.throws(() => validateConfig({ timeouts: { calbackMs: 5 } }), /timeouts: unknown field "calbackMs"/);
  });

  it('gives the bystander DFSP an id of its own, and refuses one that is also the payer or the payee', () => {
    assert.equal(validateConfig({}).participants.bystander.fspId, 'bystanderfsp');
    assert.equal(validateConfig({ hub: { url: 'http://127.0.0.1:4000', adminUrl: 'http://127.0.0.1:4001' } }).participants.bystander.fspId, 'conformanceother',
      'provisioned on a shared hub: an id no other DFSP there is likely to hold');
    assert.throws(() => validateConfig({ participants: { bystander: { fspId: 'payerfsp' } } }),
      /participants\.bystander\.fspId: "payerfsp" is also the payer's FSP id: the bystander asks about transfers it is no party to, so it needs an id of its own/);
  });

  it('requires hub.url for the url target', () => {
    assert.throws(() => validateConfig({ target: 'url' }), /hub\.url: required when target is "url"/);
  });

  it('takes a hub URL without a target as that hub, and refuses the embedded target with one', () => {
    assert.equal(validateConfig({ hub: { url: 'http://127.0.0.1:4000' } }).target, 'url');
    assert.throws(() => validateConfig({ target: 'embedded', hub: { url: 'http://127.0.0.1:4000' } }),
      /hub\.url: the embedded target starts its own hub and would ignore this URL/);
  });

  it('refuses an admin URL with the embedded target, whose own admin API is what its guarantees are about', () => {
    assert.throws(() => validateConfig({ hub: { adminUrl: 'http://127.0.0.1:3001' } }),
      /hub\.adminUrl: the embedded target has its own admin API and would probe this one instead of the hub under test/);
  });

  it('refuses a malformed URL in every URL field, naming the field, never crashing', () => {
    for (const [field, config] of [
      ['hub.url', { hub: { url: 'not a url' } }],
      ['hub.adminUrl', { hub: { adminUrl: 'ftp://admin.example' } }],
      ['callback.publicUrl', { callback: { publicUrl: 'notaurl' } }],
    ] as const) {
      assert.throws(() => validateConfig(config), (error: Error) => {
        assert.ok(error instanceof ConfigError, `${field}: ${error}`);
        assert.match(error.message, new RegExp(`${field.replace('.', '\\.')}: must be an http:// or https:// URL`));
        return true;
      });
    }
  });

  it('never echoes a secret or a pasted novel in an error', () => {
    for (const url of ['ftp://gw.example/?apikey=SECRET123', 'user:SECRET123@127.0.0.1:4000', 'http://user:SECRET123@[bad']) {
      assert.throws(() => validateConfig({ hub: { url } }), (error: Error) => {
        assert.match(error.message, /hub\.url: must be an http:\/\/ or https:\/\/ URL .* \(got (a "[a-z]+:" URL|text that is no URL)\)$/);
        assert.doesNotMatch(error.message, /SECRET123/);
        return true;
      }, url);
    }
    assert.throws(() => validateConfig({ participants: { payer: { fspId: 'x'.repeat(5000) } } }), (error: Error) => {
      assert.ok(error.message.length < 250, error.message);
      assert.match(error.message, /participants\.payer\.fspId: .* \(5000 characters\)\)$/);
      return true;
    });
  });

  it('counts further problems in the headline and keeps each in details', () => {
    assert.throws(() => validateConfig({ tier: 1, profile: 2 }), (error: ConfigError) => {
      assert.match(error.message, /\(and 1 more\)/);
      assert.equal(error.details.length, 2);
      return true;
    });
  });

  describe('one shape per target', () => {
    it('refuses a section that belongs to another target, naming it, whose it is, the target chosen and the fix', () => {
      for (const [config, expected] of [
        [{ compose: { keep: true } }, /^Invalid configuration: compose: `compose` is for target compose; you chose embedded — remove it, or choose --target compose/],
        [{ target: 'url', hub: { url: 'http://127.0.0.1:4000' }, embedded: { payeeDelayMs: 5 } }, /^Invalid configuration: embedded: `embedded` is for target embedded; you chose url — remove it, or choose --target embedded$/],
        [{ target: 'compose', compose: { harness: 'h' }, kubernetes: { context: 'prod' } }, /^Invalid configuration: kubernetes: `kubernetes` is for target kubernetes; you chose compose/],
        [{ provision: { dryRun: true } }, /^Invalid configuration: provision: `provision` is for targets url, compose, kubernetes; you chose embedded — .*use --target url with hub\.url and hub\.adminUrl$/],
        [{ target: 'compose', compose: { harness: 'h' }, hub: { url: 'http://127.0.0.1:4000' } }, /^Invalid configuration: hub\.url: the compose target reaches the hub inside the harness through the port it publishes/],
      ] as const) {
        assert.throws(() => validateConfig(config), (error: Error) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, expected);
          return true;
        }, JSON.stringify(config));
      }
    });

    it('names an unknown target with the targets there are', () => {
      assert.throws(() => validateConfig({ target: 'docker' }), /Invalid configuration: target: "docker" is not allowed; expected one of embedded, url, compose, kubernetes$/);
    });

    it('gives each target only its own sections', () => {
      const embedded = validateConfig({});
      assert.equal(embedded.target === 'embedded' && embedded.embedded.onboarding, 'fixtures/hub/onboarding.yaml');
      assert.equal('compose' in embedded && embedded.compose !== undefined, false);
      const cluster = validateConfig({ target: 'kubernetes', hub: { url: 'http://127.0.0.1:4000' } });
      assert.ok(cluster.target === 'kubernetes' && cluster.kubernetes.namespaces.length === 0 && cluster.provision.dryRun === false);
      assert.equal(cluster.hub.url, 'http://127.0.0.1:4000');
    });

    it('implies a target in one place, for a file and the flags merged: a target the file names is not overridden by --hub-url', async () => {
      const file = join(await tempDir('config'), 'cluster.yaml');
      await writeFile(file, 'target: kubernetes\nkubernetes: { context: prod }\n');
      const config = await loadConfig({ file, overrides: parseCliArgs(['--hub-url', 'http://127.0.0.1:4000']).overrides });
      assert.equal(config.target, 'kubernetes');
      assert.equal(config.hub.url, 'http://127.0.0.1:4000');
      assert.equal((await loadConfig({ overrides: parseCliArgs(['--hub-url', 'http://127.0.0.1:4000']).overrides })).target, 'url');
    });

    it('accepts every config example of the README and the docs as written', async () => {
      let examples = 0;
      for (const doc of ['README.md', 'docs/kubernetes.md', 'docs/compose.md', 'docs/architecture.md']) {
        const text = await readFile(join(ROOT, doc), 'utf8');
        for (const block of text.matchAll(/```yaml\n([\s\S]*?)```/g)) {
          const body = block[1]!.replace(/^ {3}/gm, '');
          // CI workflows and Kubernetes manifests are yaml too, some with templating: only config files count.
          let value: Record<string, unknown> | null;
          try {
            value = parseYaml(body) as Record<string, unknown> | null;
          } catch {
            continue;
          }
          if (!value || typeof value !== 'object' || !('tier' in value || 'target' in value)) continue;
          examples += 1;
          assert.doesNotThrow(() => validateConfig(value), `${doc}: ${body}`);
        }
      }
      assert.ok(examples >= 3, `found ${examples} config examples`);
    });
  });

  describe('attestations', () => {
    const review = { guarantee: 'CTH-DOC-01', reviewer: 'Release QA', date: '2026-11-01', reference: 'docs.mojaloop.io v17.1' };

    it('refuses a blank reviewer or reference, which would pass a documentation guarantee on a review nobody can trace', () => {
      assert.throws(() => validateConfig({ attestations: [{ ...review, reviewer: '   ' }] }), /attestations\.0\.reviewer: name who reviewed it/);
      assert.throws(() => validateConfig({ attestations: [{ ...review, reference: '' }] }), /attestations\.0\.reference: name what was reviewed/);
    });

    it('refuses a second attestation for one guarantee, naming the guarantee and the first', () => {
      assert.throws(() => validateConfig({ attestations: [review, { ...review, guarantee: 'HELM-DOC-01' }, { ...review, reviewer: 'Someone else' }] }),
        /attestations\.2\.guarantee: a second attestation for CTH-DOC-01 \(the first is attestations\.0\)/);
    });

    it('keeps a well-formed review as written, one per guarantee', () => {
      assert.deepEqual(validateConfig({ attestations: [review, { ...review, guarantee: 'HELM-DOC-01' }] }).attestations.map((a) => [a.guarantee, a.reviewer]),
        [['CTH-DOC-01', 'Release QA'], ['HELM-DOC-01', 'Release QA']]);
    });
  });
});

describe('loadConfig', () => {
  it('reads YAML and lets command-line overrides win', async () => {
    const dir = await tempDir('config');
    const file = join(dir, 'conformance.yaml');
    await writeFile(file, 'profile: certify\nparticipants:\n  payer:\n    currency: EUR\n');
    const config = await loadConfig({ file, overrides: { profile: 'smoke' } });
    assert.equal(config.participants.payer.currency, 'EUR');
    assert.equal(config.profile, 'smoke');
  });

  it('reads a TypeScript config with a default export', async () => {
    const dir = await tempDir('config');
    const file = join(dir, 'conformance.config.ts');
    await writeFile(file, "const config: { tier: string } = { tier: 'helm' };\nexport default config;\n");
    assert.equal((await loadConfig({ file })).tier, 'helm');
  });

  it('names the file that does not exist', async () => {
    await assert.rejects(loadConfig({ file: '/nonexistent/conformance.yaml' }), /Configuration file "\/nonexistent\/conformance.yaml" does not exist/);
  });

  it('names the file that does not parse', async () => {
    const dir = await tempDir('config');
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'tier: [unclosed\n');
    await assert.rejects(loadConfig({ file }), /Configuration file ".*broken.yaml" failed to parse/);
  });

  it('names the field path of a wrong type in a file', async () => {
    const dir = await tempDir('config');
    const file = join(dir, 'wrong.json');
    await writeFile(file, JSON.stringify({ callback: { port: 'eighty' } }));
    await assert.rejects(loadConfig({ file }), /Invalid configuration ".*wrong.json": callback\.port: expected number, got string "eighty"/);
  });
});
