import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { FspiopSigner } from '../fspiop/jws.ts';
import type { PlainRequest } from './credentialed-client.ts';

/**
 * Signs `request` exactly as a Mojaloop DFSP does (the transport's `FspiopSigner`, which matches
 * sdk-standard-components' `Jws.signer`: FSPIOP-Signature, FSPIOP-URI, FSPIOP-HTTP-Method, RS256)
 * but with an RSA key made here and now, which no hub can hold: a hub that enforces signatures
 * must refuse it. Returns a signed copy.
 */
export async function signedWithUnknownKey(request: PlainRequest & { body: string }): Promise<PlainRequest> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const signature = new FspiopSigner(privateKey).sign(request.method, request.url, request.headers, request.body);
  return { ...request, headers: { ...request.headers, ...signature } };
}
