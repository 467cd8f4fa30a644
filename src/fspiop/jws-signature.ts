import { createPrivateKey, createPublicKey, sign as rsaSign, verify as rsaVerify, type KeyObject } from 'node:crypto';

/**
 * FSPIOP message signatures (the API's JWS profile), as Mojaloop's sdk-standard-components signs
 * and validates them (`Jws.signer`, `Jws.validator`; tested against both): a detached JWS over the
 * body, serialised with its keys sorted (safe-stable-stringify), whose protected header binds
 * FSPIOP-URI, FSPIOP-HTTP-Method, FSPIOP-Source and, when the request carries them,
 * FSPIOP-Destination and Date. Sent as three headers: FSPIOP-Signature (JSON with `signature` and
 * `protectedHeader`), FSPIOP-URI and FSPIOP-HTTP-Method. RS256 with Node's crypto: the sdk's signer
 * costs a 2 s import and several times the CPU per message.
 */

export interface SignableMessage {
  method: string;
  /** The request's path (what FSPIOP-URI names), e.g. `/quotes` or `/transfers/{id}`; a full URL is reduced to it. */
  path: string;
  /** Lower-case header names: fspiop-source is required; fspiop-destination and date are signed when present. */
  headers: Record<string, string | undefined>;
  body: unknown;
}

export type SignatureHeaders = { 'fspiop-signature': string; 'fspiop-uri': string; 'fspiop-http-method': string };

const keyCache = new Map<string, KeyObject>();

function cachedKey(pem: string, kind: 'private' | 'public'): KeyObject {
  let key = keyCache.get(pem);
  if (!key) {
    key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
    keyCache.set(pem, key);
  }
  return key;
}

/** The three headers that sign `message` with `privateKeyPem` (RSA, RS256). */
export function signFspiop(message: SignableMessage, privateKeyPem: string): SignatureHeaders {
  const source = message.headers['fspiop-source'];
  if (!source) throw new Error('an FSPIOP message is signed in the name of its FSPIOP-Source, and this one has none');
  const uri = fspiopUri(message.path);
  const method = message.method.toUpperCase();
  const header: Record<string, string> = { alg: 'RS256', 'FSPIOP-URI': uri, 'FSPIOP-HTTP-Method': method, 'FSPIOP-Source': source };
  if (message.headers['fspiop-destination']) header['FSPIOP-Destination'] = message.headers['fspiop-destination'];
  if (message.headers.date) header.Date = message.headers.date;
  const protectedHeader = base64url(JSON.stringify(header));
  const signingInput = `${protectedHeader}.${base64url(stableStringify(message.body))}`;
  const signature = rsaSign('sha256', Buffer.from(signingInput), cachedKey(privateKeyPem, 'private')).toString('base64url');
  return { 'fspiop-signature': JSON.stringify({ signature, protectedHeader }), 'fspiop-uri': uri, 'fspiop-http-method': method };
}

/**
 * Why the signature of a received message does not hold, or undefined when it does: checked with
 * the public key of its FSPIOP-Source in `publicKeys`, the protected header against the headers
 * received, as the sdk's validator checks them (a missing signature is a failure too).
 */
export function signatureProblem(message: Omit<SignableMessage, 'path' | 'method'>, publicKeys: Readonly<Record<string, string>>): string | undefined {
  const { headers } = message;
  const source = headers['fspiop-source'];
  if (!source) return 'no FSPIOP-Source to verify the signature for';
  const publicKey = publicKeys[source];
  if (!publicKey) return `no signature key is registered for FSPIOP-Source "${source}"`;
  if (!headers['fspiop-signature'] || !headers['fspiop-uri'] || !headers['fspiop-http-method']) {
    return 'FSPIOP-Signature, FSPIOP-URI and FSPIOP-HTTP-Method are all required';
  }
  let parts: { signature?: unknown; protectedHeader?: unknown };
  let header: Record<string, unknown>;
  try {
    parts = JSON.parse(headers['fspiop-signature']) as typeof parts;
    if (typeof parts.signature !== 'string' || typeof parts.protectedHeader !== 'string') return 'FSPIOP-Signature lacks signature or protectedHeader';
    header = JSON.parse(Buffer.from(parts.protectedHeader, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return 'FSPIOP-Signature is not the JSON the specification prescribes';
  }
  if (header.alg !== 'RS256' && header.alg !== 'ES256') return `protected header alg ${JSON.stringify(header.alg)} is not RS256`;
  const signingInput = `${parts.protectedHeader}.${base64url(stableStringify(message.body))}`;
  const key = cachedKey(publicKey, 'public');
  const valid = header.alg === 'RS256'
    ? rsaVerify('sha256', Buffer.from(signingInput), key, Buffer.from(parts.signature, 'base64url'))
    : rsaVerify('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts.signature, 'base64url'));
  if (!valid) return `the signature does not verify with ${source}'s key`;
  const bound: Array<[string, string]> = [['FSPIOP-URI', 'fspiop-uri'], ['FSPIOP-HTTP-Method', 'fspiop-http-method'], ['FSPIOP-Source', 'fspiop-source']];
  for (const [name, httpName] of bound) {
    if (header[name] !== headers[httpName]) return `${name} of the protected header does not match the request's`;
  }
  if (header.Date !== undefined && header.Date !== headers.date) return 'Date of the protected header does not match the request\'s';
  if ((headers['fspiop-destination'] ?? undefined) !== (header['FSPIOP-Destination'] ?? undefined)) return 'FSPIOP-Destination of the protected header does not match the request\'s';
  return undefined;
}

/** What FSPIOP-URI holds for a request to `pathOrUrl`: the path from the resource on (the sdk's rule). */
export function fspiopUri(pathOrUrl: string): string {
  const path = /^https?:\/\//.test(pathOrUrl) ? new URL(pathOrUrl).pathname : pathOrUrl;
  const match = /(\/(participants|parties|quotes|bulkQuotes|transfers|bulkTransfers|transactionRequests|thirdpartyRequests|authorizations|consents|consentRequests|fxQuotes|fxTransfers)(\/.*)*)$/.exec(path);
  return match ? match[1]! : path;
}

/** JSON with object keys sorted at every level, as safe-stable-stringify writes JSON data (what the signature covers). */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return stableStringify((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined || typeof item === 'function' ? 'null' : stableStringify(item))).join(',')}]`;
  const entries = Object.keys(value).sort()
    .filter((key) => { const item = (value as Record<string, unknown>)[key]; return item !== undefined && typeof item !== 'function'; })
    .map((key) => `${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
