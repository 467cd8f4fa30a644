import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { envelopeSignedBy, IN_TOTO_PAYLOAD_TYPE, keyIdOf, preAuthenticationEncoding, signEnvelope } from '../../../src/reports/attestation/dsse-envelope.ts';

describe('DSSE envelope', () => {
  it('signs the pre-authentication encoding of the DSSE specification (its test vector)', () => {
    assert.equal(preAuthenticationEncoding('http://example.com/HelloWorld', Buffer.from('hello world')).toString(), 'DSSEv1 29 http://example.com/HelloWorld 11 hello world');
    assert.equal(preAuthenticationEncoding('t', Buffer.from('é')).toString(), 'DSSEv1 1 t 2 é', 'lengths in bytes, not characters');
  });

  for (const [kind, pair] of [
    ['Ed25519', () => generateKeyPairSync('ed25519')],
    ['ECDSA P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' })],
  ] as const) {
    it(`verifies with the ${kind} key that signed it, and with no other key or payload`, () => {
      const { privateKey, publicKey } = pair();
      const other = pair().publicKey;
      const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');

      const envelope = signEnvelope(payload, privateKey);

      assert.equal(envelope.payloadType, IN_TOTO_PAYLOAD_TYPE);
      assert.equal(envelope.signatures[0]!.keyid, keyIdOf(publicKey));
      assert.ok(envelopeSignedBy(envelope, publicKey));
      assert.ok(!envelopeSignedBy(envelope, other));
      assert.ok(!envelopeSignedBy({ ...envelope, payload: Buffer.from('{"_type":"other"}').toString('base64') }, publicKey));
      assert.ok(!envelopeSignedBy({ ...envelope, payloadType: 'application/json' }, publicKey), 'the type is signed too');
    });
  }

  it('keeps earlier signers when another signs the same payload', () => {
    const ci = generateKeyPairSync('ed25519');
    const releaseManager = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const payload = Buffer.from('{}');

    const envelope = signEnvelope(payload, releaseManager.privateKey, signEnvelope(payload, ci.privateKey));

    assert.equal(envelope.signatures.length, 2);
    assert.ok(envelopeSignedBy(envelope, ci.publicKey));
    assert.ok(envelopeSignedBy(envelope, releaseManager.publicKey));
  });
});
