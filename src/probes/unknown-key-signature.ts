import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { PlainRequest } from './credentialed-client.ts';

interface SdkSigner { sign(request: { method: string; url: string; headers: Record<string, string>; body: string }): void }
type SignerClass = new (config: { logger: unknown; signingKey: string }) => SdkSigner;

/** The signer asks its logger for a child and debug output only; a probe has nothing to log. */
const silentLogger = { child: () => silentLogger, isDebugEnabled: false, debug: () => undefined, error: () => undefined };

/**
 * Signs `request` exactly as a Mojaloop DFSP does (sdk-standard-components' `Jws.signer`:
 * FSPIOP-Signature, FSPIOP-URI, FSPIOP-HTTP-Method, RS256) but with an RSA key made here and now,
 * which no hub can hold: a hub that enforces signatures must refuse it. Returns a signed copy.
 */
export async function signedWithUnknownKey(request: PlainRequest & { body: string }): Promise<PlainRequest> {
  const [{ Jws }, { privateKey }] = await Promise.all([
    import('@mojaloop/sdk-standard-components') as Promise<unknown> as Promise<{ Jws: { signer: SignerClass } }>,
    promisify(generateKeyPair)('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }),
  ]);
  const signed = { method: request.method, url: request.url, headers: { ...request.headers }, body: request.body };
  new Jws.signer({ logger: silentLogger, signingKey: privateKey }).sign(signed);
  return { method: request.method, url: request.url, headers: signed.headers, body: signed.body };
}
