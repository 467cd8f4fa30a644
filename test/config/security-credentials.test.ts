import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../src/config/errors.ts';
import { validateConfig } from '../../src/config/load-config.ts';
import { resolveSecurity } from '../../src/config/security-credentials.ts';
import type { ConfigFor } from '../../src/config/schema.ts';
import type { DfspCredentials } from '../../src/fspiop/credentials.ts';
import { CertificateAuthority } from '../../src/support/pki.ts';

const security = (section: unknown) => (validateConfig({ target: 'url', hub: { url: 'https://hub.example' }, security: section }) as ConfigFor<'url'>).security;

describe('the security section', () => {
  let dir = '';
  let files: Record<string, string> = {};
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'security-'));
    const ca = await CertificateAuthority.create();
    const ours = await ca.issue('payerfsp', { client: true });
    const other = await ca.issue('someone', { client: true });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const write = async (name: string, text: string) => {
      await writeFile(join(dir, name), text);
      return name;
    };
    files = {
      cert: await write('payer.crt', ours.certPem), key: await write('payer.key', ours.keyPem), otherKey: await write('other.key', other.keyPem), ca: await write('ca.crt', ca.certPem),
      jwsKey: await write('jws.key', rsa.privateKey), hubPub: await write('hub.pub', rsa.publicKey), secret: await write('client.secret', 's3cret-from-file\n'), notPem: await write('junk.pem', 'hello'),
    };
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const lookup = (env: Record<string, string> = {}) => ({ cwd: dir, env });

  it('resolves files and variables into the credentials the transport takes', async () => {
    const resolved: DfspCredentials | undefined = await resolveSecurity(security({
      tls: { cert: files.cert, key: files.key, ca: files.ca, serverName: 'hub.example' },
      oauth2: { tokenUrl: 'https://iam.example/token', clientId: 'payerfsp', clientSecret: { env: 'PAYER_SECRET' }, scope: 'fspiop' },
      jws: { privateKey: { file: files.jwsKey }, verificationKeys: { switch: files.hubPub } },
    }), lookup({ PAYER_SECRET: 'from-env' }));
    assert.equal(resolved?.oauth2?.clientSecret, 'from-env');
    assert.match(resolved?.tls?.keyPem ?? '', /BEGIN PRIVATE KEY/);
    assert.match(resolved?.jws?.verificationKeys.switch ?? '', /BEGIN PUBLIC KEY/);
    const fromFile = await resolveSecurity(security({ oauth2: { tokenUrl: 'https://iam.example/token', clientId: 'p', clientSecret: { file: files.secret } } }), lookup());
    assert.equal(fromFile?.oauth2?.clientSecret, 's3cret-from-file', 'the file\'s final newline is no part of the secret');
  });

  it('refuses a secret written in the config, saying how to give it', () => {
    assert.throws(() => security({ oauth2: { tokenUrl: 'https://iam.example/token', clientId: 'p', clientSecret: 'hunter2' } }),
      (error: unknown) => error instanceof ConfigError && /security\.oauth2\.clientSecret: expected \{ file: PATH \}.*\{ env: NAME \}/.test(error.message) && !error.message.includes('hunter2'));
  });

  it('refuses it on the embedded target, which issues its own', () => {
    assert.throws(() => validateConfig({ security: { jws: {} } }), /`security` is for targets url, compose, kubernetes.*hub\.security: full/);
  });

  it('names the field and the file or variable in one line, never what they hold', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ tls: { cert: files.cert, key: 'missing.key' } }, /^security\.tls\.key: file "missing\.key" does not exist$/],
      [{ tls: { cert: files.cert, key: { env: 'NOT_SET' } } }, /^security\.tls\.key: environment variable NOT_SET is not set$/],
      [{ tls: { cert: files.notPem, key: files.key } }, /^security\.tls\.cert: file "junk\.pem" holds no PEM block/],
      [{ tls: { cert: files.cert, key: files.otherKey } }, /^security\.tls\.key: the key in file "other\.key" is not the key of the certificate beside it$/],
      [{ tls: { cert: files.key, key: files.key } }, /^security\.tls\.cert: file "payer\.key" is not a certificate/],
      [{ jws: { privateKey: files.hubPub } }, /^security\.jws\.privateKey: file "hub\.pub" is not a private key/],
      [{ jws: { verificationKeys: { switch: files.secret } } }, /^security\.jws\.verificationKeys\.switch: file "client\.secret" holds no PEM block/],
    ];
    for (const [section, message] of cases) {
      const error = await resolveSecurity(security(section), lookup()).then(() => undefined, (caught: unknown) => caught);
      assert.ok(error instanceof ConfigError, `${JSON.stringify(section)} must be refused`);
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, /PRIVATE KEY|PUBLIC KEY|CERTIFICATE|s3cret/);
    }
  });
});
