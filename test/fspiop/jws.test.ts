import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { canonicalJson, FspiopSignatureVerifier, FspiopSigner, fspiopUri } from '../../src/fspiop/jws.ts';

// Mojaloop's own signer and validator, the reference our JWS must match (its lib only: the whole sdk takes seconds to import).
const require = createRequire(import.meta.url);
const Jws = require('@mojaloop/sdk-standard-components/src/lib/jws/index.js') as {
  signer: new (config: { signingKey: string; logger: unknown }) => { sign(options: { method: string; uri: string; headers: Record<string, string>; body: unknown }): void };
  validator: new (config: { validationKeys: Record<string, string>; logger: unknown }) => { validate(request: { headers: Record<string, string>; body: unknown }): true };
};
const silent = { debug: () => undefined, error: () => undefined, isDebugEnabled: false };
const logger = { child: () => silent };

const pem = (modulusLength = 2048) => generateKeyPairSync('rsa', { modulusLength, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const payer = pem();
const payee = pem();
const stranger = pem();

const body = { transferId: 'b51ec534-ee48-4575-b6a9-ead2955b8069', payerFsp: 'payerfsp', payeeFsp: 'payeefsp', amount: { currency: 'USD', amount: '10' }, expiration: '2026-12-05T12:00:00.000Z' };
const baseHeaders = () => ({
  'content-type': 'application/vnd.interoperability.transfers+json;version=1.1', date: 'Sat, 05 Dec 2026 11:00:00 GMT', 'fspiop-source': 'payerfsp', 'fspiop-destination': 'payeefsp',
});

describe('FSPIOP JWS', () => {
  it('takes FSPIOP-URI as the sdk does: the FSPIOP path, a gateway prefix and the query left off', () => {
    assert.equal(fspiopUri('https://gw.example/fspiop/transfers/abc?apikey=k'), '/transfers/abc');
    assert.equal(fspiopUri('http://hub:3000/parties/MSISDN/123'), '/parties/MSISDN/123');
    assert.equal(fspiopUri('http://hub/quotes'), '/quotes');
  });

  it('serialises a signed body with sorted keys, the form the sdk re-serialises to', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
  });

  it('signs what the sdk\'s validator accepts, and its signer\'s messages verify here', () => {
    const headers: Record<string, string> = baseHeaders();
    const text = canonicalJson(body);
    Object.assign(headers, new FspiopSigner(payer.privateKey).sign('POST', 'http://hub/fspiop/transfers', headers, text));
    assert.equal(headers['fspiop-uri'], '/transfers');
    assert.equal(headers['fspiop-http-method'], 'POST');
    assert.deepEqual(Object.keys(JSON.parse(headers['fspiop-signature']!) as object).sort(), ['protectedHeader', 'signature']);
    assert.equal(new Jws.validator({ validationKeys: { payerfsp: payer.publicKey }, logger }).validate({ headers, body: JSON.parse(text) }), true);
    assert.deepEqual(new FspiopSignatureVerifier({ payerfsp: payer.publicKey }).check('POST', '/transfers', headers, text), { outcome: 'verified' });

    const sdkSigned = { method: 'PUT', uri: 'http://hub/transfers/abc', headers: { ...baseHeaders(), 'fspiop-source': 'payeefsp', 'fspiop-destination': 'payerfsp' }, body: { transferState: 'COMMITTED', completedTimestamp: '2026-12-05T11:00:01.000Z' } };
    new Jws.signer({ signingKey: payee.privateKey, logger }).sign(sdkSigned);
    assert.deepEqual(new FspiopSignatureVerifier({ payeefsp: payee.publicKey }).check('PUT', '/transfers/abc', sdkSigned.headers, sdkSigned.body as unknown as string), { outcome: 'verified' });
  });

  it('refuses a changed body, another key, a missing signature, a replay to another resource; leaves a sender without a key unverifiable', () => {
    const verifier = new FspiopSignatureVerifier({ payerfsp: payer.publicKey });
    const text = canonicalJson(body);
    const signed = { ...baseHeaders(), ...new FspiopSigner(payer.privateKey).sign('PUT', 'http://hub/transfers/abc', baseHeaders(), text) };
    const outcome = (method: string, path: string, headers: Record<string, string>, payload: string) => verifier.check(method, path, headers, payload).outcome;
    assert.equal(outcome('PUT', '/transfers/abc', signed, text), 'verified');
    assert.equal(outcome('PUT', '/transfers/abc', signed, text.replace('"10"', '"1000"')), 'refused');
    assert.equal(outcome('PUT', '/transfers/other', signed, text), 'refused');
    assert.equal(outcome('PUT', '/transfers/abc', { ...signed, 'fspiop-destination': 'bystander' }, text), 'refused');
    const unsigned = baseHeaders();
    assert.match(JSON.stringify(verifier.check('PUT', '/transfers/abc', unsigned, text)), /no FSPIOP-Signature/);
    const forged = { ...baseHeaders(), ...new FspiopSigner(stranger.privateKey).sign('PUT', 'http://hub/transfers/abc', baseHeaders(), text) };
    assert.equal(outcome('PUT', '/transfers/abc', forged, text), 'refused');
    assert.equal(outcome('PUT', '/transfers/abc', { ...signed, 'fspiop-source': 'someonefsp' }, text), 'unverifiable');
  });
});
