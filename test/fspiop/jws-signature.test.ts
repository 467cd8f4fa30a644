import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { fspiopUri, signatureProblem, signFspiop, stableStringify } from '../../src/fspiop/jws-signature.ts';

const keys = () => generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const payer = keys();
const other = keys();
const silent = { debug() {}, info() {}, warn() {}, error() {}, log() {}, isDebugEnabled: false, child() { return silent; }, push() { return silent; } };

interface SdkJws {
  signer: new (config: { logger: unknown; signingKey: string }) => { sign(request: { method: string; url: string; headers: Record<string, string>; body: unknown }): void };
  validator: new (config: { logger: unknown; validationKeys: Record<string, string> }) => { validate(request: { headers: Record<string, string>; body: unknown }): true };
}

async function sdkJws(): Promise<SdkJws> {
  const sdk = await import('@mojaloop/sdk-standard-components') as unknown as { Jws: SdkJws; default?: { Jws: SdkJws } };
  return sdk.Jws ?? sdk.default!.Jws;
}

const body = { quoteId: 'b51ec534-ee48-4575-b6a9-ead2955b8069', amount: { currency: 'USD', amount: '10' }, payee: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '1' } } };
const headers = () => ({ 'fspiop-source': 'payerfsp', 'fspiop-destination': 'payeefsp', date: 'Sat, 05 Dec 2026 11:00:00 GMT', 'content-type': 'application/vnd.interoperability.quotes+json;version=1.1' });

describe('FSPIOP signatures (JWS)', () => {
  it('signs so that Mojaloop\'s own validator (sdk-standard-components) accepts the message', async () => {
    const { validator } = await sdkJws();
    const signed = { ...headers(), ...signFspiop({ method: 'POST', path: 'https://hub.example/quotes', headers: headers(), body }, payer.privateKey) };
    assert.equal(signed['fspiop-uri'], '/quotes');
    assert.equal(new validator({ logger: silent, validationKeys: { payerfsp: payer.publicKey } }).validate({ headers: signed, body }), true);
  });

  it('verifies what Mojaloop\'s own signer signs, and refuses it under another key, with another body or another destination', async () => {
    const { signer } = await sdkJws();
    const request = { method: 'PUT', url: 'https://hub.example/quotes/1', headers: headers(), body: structuredClone(body) as unknown };
    new signer({ logger: silent, signingKey: payer.privateKey }).sign(request);
    const received = JSON.parse(request.body as string) as unknown;
    assert.equal(signatureProblem({ headers: request.headers, body: received }, { payerfsp: payer.publicKey }), undefined);
    assert.match(signatureProblem({ headers: request.headers, body: received }, { payerfsp: other.publicKey })!, /does not verify/);
    assert.match(signatureProblem({ headers: request.headers, body: { ...body, quoteId: 'changed' } }, { payerfsp: payer.publicKey })!, /does not verify/);
    assert.match(signatureProblem({ headers: { ...request.headers, 'fspiop-destination': 'elsewhere' }, body: received }, { payerfsp: payer.publicKey })!, /FSPIOP-Destination/);
  });

  it('counts a missing signature, an unknown sender and a header that is not the prescribed JSON as failures', () => {
    assert.match(signatureProblem({ headers: headers(), body }, { payerfsp: payer.publicKey })!, /required/);
    assert.match(signatureProblem({ headers: headers(), body }, {})!, /no signature key is registered for FSPIOP-Source "payerfsp"/);
    const spoilt = { ...headers(), 'fspiop-signature': 'not json', 'fspiop-uri': '/quotes', 'fspiop-http-method': 'POST' };
    assert.match(signatureProblem({ headers: spoilt, body }, { payerfsp: payer.publicKey })!, /not the JSON/);
  });

  it('covers the body with its keys sorted, whatever order it was written in', () => {
    assert.equal(stableStringify({ b: 1, a: [{ d: 2, c: undefined }, null] }), '{"a":[{"d":2},null],"b":1}');
    const signed = { ...headers(), ...signFspiop({ method: 'POST', path: '/quotes', headers: headers(), body: { b: 1, a: 2 } }, payer.privateKey) };
    assert.equal(signatureProblem({ headers: signed, body: { a: 2, b: 1 } }, { payerfsp: payer.publicKey }), undefined);
  });

  it('names the resource path in FSPIOP-URI, as the sdk does', () => {
    assert.equal(fspiopUri('https://hub.example:4000/base/transfers/123/error'), '/transfers/123/error');
    assert.equal(fspiopUri('/parties/MSISDN/1'), '/parties/MSISDN/1');
  });
});
