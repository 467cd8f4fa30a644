import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { keyIdOf } from '../../../src/reports/attestation/dsse-envelope.ts';
import { loadVerificationKey, signingKeyFromEnvironment, SIGNING_KEY_VARIABLE } from '../../../src/reports/attestation/signing-key.ts';
import { tempDir } from '../../helpers/cli.ts';

const pem = (kind: 'ed25519' | 'ec' | 'rsa') => {
  const pair = kind === 'ed25519' ? generateKeyPairSync('ed25519') : kind === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 1024 });
  return { privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: pair.publicKey };
};

describe('the signing key of a run', () => {
  it('is none when CONFORMANCE_SIGNING_KEY is unset or empty', async () => {
    assert.equal(await signingKeyFromEnvironment({}), undefined);
    assert.equal(await signingKeyFromEnvironment({ [SIGNING_KEY_VARIABLE]: ' ' }), undefined);
  });

  it('is read from the PEM file it names, or from the PEM it holds (a CI secret)', async () => {
    const dir = await tempDir('signing-key');
    const ec = pem('ec');
    const ed = pem('ed25519');
    writeFileSync(join(dir, 'key.pem'), ec.privatePem);

    const fromFile = await signingKeyFromEnvironment({ [SIGNING_KEY_VARIABLE]: join(dir, 'key.pem') });
    const inline = await signingKeyFromEnvironment({ [SIGNING_KEY_VARIABLE]: ed.privatePem });

    assert.equal(keyIdOf(fromFile!), keyIdOf(ec.publicKey));
    assert.equal(keyIdOf(inline!), keyIdOf(ed.publicKey));
  });

  it('refuses an unusable key in one line that never quotes it', async () => {
    const dir = await tempDir('signing-key');
    const rsa = pem('rsa');
    writeFileSync(join(dir, 'rsa.pem'), rsa.privatePem);
    const garbled = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END PRIVATE KEY-----\n';
    const secretLine = rsa.privatePem.split('\n')[1]!;

    const cases: Array<[string, RegExp]> = [
      [join(dir, 'missing.pem'), /^cannot read the signing key CONFORMANCE_SIGNING_KEY names ".*missing\.pem" \(ENOENT\)$/],
      [join(dir, 'rsa.pem'), /^the signing key ".*rsa\.pem" \(CONFORMANCE_SIGNING_KEY\) is rsa; use Ed25519 or ECDSA P-256$/],
      [garbled, /^CONFORMANCE_SIGNING_KEY is not a PEM private key/],
      [rsa.privatePem, /^CONFORMANCE_SIGNING_KEY is rsa; use Ed25519 or ECDSA P-256$/],
    ];
    for (const [value, message] of cases) {
      await assert.rejects(signingKeyFromEnvironment({ [SIGNING_KEY_VARIABLE]: value }), (error: Error) => {
        assert.equal(error.name, 'UserError');
        assert.match(error.message, message);
        assert.ok(!error.message.includes('c2VjcmV0') && !error.message.includes(secretLine));
        return true;
      });
    }
  });

  it('verifies with a public key, or the public half of a private one', async () => {
    const dir = await tempDir('signing-key');
    const ed = pem('ed25519');
    writeFileSync(join(dir, 'private.pem'), ed.privatePem);

    assert.equal(keyIdOf(await loadVerificationKey(join(dir, 'private.pem'))), keyIdOf(ed.publicKey));
  });
});
