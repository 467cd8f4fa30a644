import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, secretFreeDigest, withoutSecrets } from '../../src/support/secrets.ts';

describe('withoutSecrets', () => {
  it('leaves out every field named like a secret, at any depth and in arrays, and keeps the rest', () => {
    const config = {
      tier: 'helm',
      hub: { url: 'http://hub:4000', apiKey: 'K', sourceIds: ['switch'] },
      jws: { signingKey: '-----BEGIN PRIVATE KEY-----', keyFile: '/k.pem' },
      users: [{ name: 'a', password: 'p', Token: 't' }, { name: 'b', clientSecret: 's', credentials: { x: 1 } }],
    };
    assert.deepEqual(withoutSecrets(config), {
      tier: 'helm',
      hub: { url: 'http://hub:4000', sourceIds: ['switch'] },
      jws: {},
      users: [{ name: 'a' }, { name: 'b' }],
    });
  });

  it('takes the credentials and query values out of every URL, wherever it stands', () => {
    assert.deepEqual(withoutSecrets({ hub: { url: 'https://user:pw@gw.example/fspiop/?apikey=K' }, urls: ['mysql://root:pw@db:3306/ledger'] }), {
      hub: { url: 'https://***@gw.example/fspiop/?apikey=***' },
      urls: ['mysql://***@db:3306/ledger'],
    });
  });

  it('keeps what is no object, string or array as it is', () => {
    assert.deepEqual(withoutSecrets({ n: 1, b: false, z: null }), { n: 1, b: false, z: null });
  });
});

describe('secretFreeDigest', () => {
  it('is the same for two configs differing only in their secrets or the order of their fields', () => {
    const one = secretFreeDigest({ tier: 'helm', hub: { url: 'https://a:1@gw/x?k=1', token: 'one' } });
    const two = secretFreeDigest({ hub: { token: 'two', url: 'https://b:2@gw/x?k=2' }, tier: 'helm' });
    assert.equal(one, two);
    assert.match(one, /^sha256:[0-9a-f]{64}$/);
  });

  it('differs when anything but a secret differs', () => {
    assert.notEqual(secretFreeDigest({ tier: 'helm' }), secretFreeDigest({ tier: 'iac' }));
  });

  it('is computed over canonical JSON: keys sorted at every level, arrays in their order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [2, 1], c: true } }), '{"a":{"c":true,"d":[2,1]},"b":1}');
  });
});
