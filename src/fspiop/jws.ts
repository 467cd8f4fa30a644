import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * FSPIOP message signatures (the JWS profile of the FSPIOP API, section 5 "Signature"), written to
 * match `@mojaloop/sdk-standard-components` (Jws.signer / Jws.validator) exactly — tested against
 * both. A signed message carries three headers:
 * - `FSPIOP-Signature`: JSON `{"signature":…,"protectedHeader":…}`, the two outer parts of a
 *   compact JWS whose payload is the message body;
 * - `FSPIOP-URI`: the FSPIOP path (`/transfers/{id}`, without a gateway's prefix or query);
 * - `FSPIOP-HTTP-Method`: the method, upper case.
 * The protected header holds `alg`, FSPIOP-URI, FSPIOP-HTTP-Method, FSPIOP-Source, and
 * FSPIOP-Destination and Date when the message has them. Only messages with a body are signed
 * (POST, PUT): the sdk refuses to sign without one, and Mojaloop validates signatures on POST/PUT.
 */

/** The sdk's FSPIOP-URI rule: from the last path segment that names an FSPIOP resource, to the end. */
const FSPIOP_URI = /(?:^.*)(\/(participants|parties|quotes|bulkQuotes|transfers|bulkTransfers|transactionRequests|thirdpartyRequests|authorizations|consents|consentRequests|fxQuotes|fxTransfers|)(\/.*)*)$/;

export const SIGNATURE_HEADERS = ['fspiop-signature', 'fspiop-uri', 'fspiop-http-method'] as const;

/** The FSPIOP-URI of a request to `url`: its FSPIOP path (a gateway's prefix and the query left off). */
export function fspiopUri(url: string): string {
  const path = new URL(url).pathname;
  return FSPIOP_URI.exec(path)?.[1] ?? path;
}

/**
 * JSON with object keys in sorted order. The sdk's validator does not verify the bytes it
 * received: it verifies `safe-stable-stringify(JSON.parse(body))`, i.e. this form. A signed body is
 * sent in this form, so the bytes on the wire and what any validator re-serialises are the same.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
    return sorted;
  });
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

type Algorithm = 'RS256' | 'ES256';

function algorithmOf(key: KeyObject): Algorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') return 'ES256';
  throw new Error(`a JWS key must be RSA (RS256, what Mojaloop requires) or EC P-256 (ES256), not ${key.asymmetricKeyType ?? 'a symmetric key'}`);
}

/** Signs the exact bytes of a message body; holds the private key and never shows it. */
export class FspiopSigner {
  readonly #key: KeyObject;
  readonly #alg: Algorithm;

  /** Throws when the PEM is not a private key (the config loader names the file). */
  constructor(privateKeyPem: string) {
    this.#key = createPrivateKey(privateKeyPem);
    this.#alg = algorithmOf(this.#key);
  }

  get algorithm(): Algorithm {
    return this.#alg;
  }

  /**
   * The three signature headers for a message with these headers (lower-case names; FSPIOP-Source
   * required) and this body, exactly as it will be sent.
   */
  sign(method: string, url: string, headers: Readonly<Record<string, string | number>>, body: string): Record<(typeof SIGNATURE_HEADERS)[number], string> {
    const uri = fspiopUri(url);
    const protectedHeader: Record<string, string> = {
      alg: this.#alg, 'FSPIOP-URI': uri, 'FSPIOP-HTTP-Method': method.toUpperCase(), 'FSPIOP-Source': String(headers['fspiop-source'] ?? ''),
    };
    if (headers['fspiop-destination']) protectedHeader['FSPIOP-Destination'] = String(headers['fspiop-destination']);
    if (headers.date) protectedHeader.Date = String(headers.date);
    const encodedHeader = base64url(JSON.stringify(protectedHeader));
    const input = `${encodedHeader}.${base64url(body)}`;
    const signature = this.#alg === 'RS256'
      ? sign('sha256', Buffer.from(input), this.#key)
      : sign('sha256', Buffer.from(input), { key: this.#key, dsaEncoding: 'ieee-p1363' });
    return {
      'fspiop-signature': JSON.stringify({ signature: base64url(signature), protectedHeader: encodedHeader }),
      'fspiop-uri': uri,
      'fspiop-http-method': method.toUpperCase(),
    };
  }
}

/**
 * What a signature check found. `verified`: signed by the key we hold for its FSPIOP-Source, over
 * this body and these headers. `refused`: we hold a key for the sender and the message is unsigned
 * or its signature does not verify — a forgery as far as we can tell. `unverifiable`: we hold no
 * key for its sender, so nothing was checked.
 */
export type SignatureCheck = { outcome: 'verified' } | { outcome: 'refused'; reason: string } | { outcome: 'unverifiable'; reason: string };

/** Verifies FSPIOP-Signature with the public keys of the FSPs we know (FSP id → PEM key or certificate). */
export class FspiopSignatureVerifier {
  readonly #keys: Map<string, KeyObject>;

  /** Throws when a PEM is not a public key or certificate (the config loader names the file). */
  constructor(verificationKeys: Readonly<Record<string, string>>) {
    this.#keys = new Map(Object.entries(verificationKeys).map(([fsp, pem]) => [fsp, createPublicKey(pem)]));
  }

  /** The FSPs whose signatures are checked. */
  get fsps(): string[] {
    return [...this.#keys.keys()];
  }

  /**
   * Checks a received message: `headers` as Node gives them (lower-case), `body` the bytes as
   * received, `method` and `path` as the request came (FSPIOP-URI and FSPIOP-HTTP-Method must say
   * the same, so a signed message replayed to another resource does not verify).
   */
  check(method: string, path: string, headers: Readonly<Record<string, string | string[] | undefined>>, body: string): SignatureCheck {
    const source = header(headers, 'fspiop-source');
    const key = source === undefined ? undefined : this.#keys.get(source);
    if (!key) return { outcome: 'unverifiable', reason: `no verification key for FSPIOP-Source ${JSON.stringify(source ?? null)}` };
    const signatureHeader = header(headers, 'fspiop-signature');
    if (signatureHeader === undefined) return { outcome: 'refused', reason: `no FSPIOP-Signature, though ${source} signs its messages` };
    let parts: { signature?: unknown; protectedHeader?: unknown };
    try {
      parts = JSON.parse(signatureHeader) as typeof parts;
    } catch {
      return { outcome: 'refused', reason: 'FSPIOP-Signature is not JSON' };
    }
    if (typeof parts.signature !== 'string' || typeof parts.protectedHeader !== 'string') {
      return { outcome: 'refused', reason: 'FSPIOP-Signature lacks signature or protectedHeader' };
    }
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(parts.protectedHeader, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return { outcome: 'refused', reason: 'the protected header is not base64url JSON' };
    }
    const alg = claims.alg;
    if (alg !== 'RS256' && alg !== 'ES256') return { outcome: 'refused', reason: `protected header alg ${JSON.stringify(alg ?? null)} is not RS256 or ES256` };
    if (alg !== algorithmOf(key)) return { outcome: 'refused', reason: `protected header alg ${alg} does not fit ${source}'s key` };
    if (!this.#verifies(key, alg, parts.protectedHeader, parts.signature, body)) {
      return { outcome: 'refused', reason: `the signature does not verify with ${source}'s key over this body` };
    }
    const mismatch = protectedHeaderMismatch(claims, headers, method, path);
    return mismatch ? { outcome: 'refused', reason: mismatch } : { outcome: 'verified' };
  }

  #verifies(key: KeyObject, alg: 'RS256' | 'ES256', protectedHeader: string, signature: string, body: string): boolean {
    const signatureBytes = Buffer.from(signature, 'base64url');
    const options = alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
    const over = (payload: string) => verify('sha256', Buffer.from(`${protectedHeader}.${base64url(payload)}`), options, signatureBytes);
    if (over(body)) return true;
    // The sdk's validator checks the body as re-serialised with sorted keys; a signer that signed
    // that form and sent the body in another key order is accepted by Mojaloop, so by us too.
    try {
      const canonical = canonicalJson(JSON.parse(body));
      return canonical !== body && over(canonical);
    } catch {
      return false;
    }
  }
}

function header(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The sdk's protected-header rules, plus: FSPIOP-URI and FSPIOP-HTTP-Method name the request as it came. */
function protectedHeaderMismatch(claims: Record<string, unknown>, headers: Readonly<Record<string, string | string[] | undefined>>, method: string, path: string): string | undefined {
  const pairs: Array<[claim: string, headerName: string]> = [['FSPIOP-URI', 'fspiop-uri'], ['FSPIOP-HTTP-Method', 'fspiop-http-method'], ['FSPIOP-Source', 'fspiop-source']];
  for (const [claim, name] of pairs) {
    if (claims[claim] === undefined) return `the protected header lacks ${claim}`;
    if (claims[claim] !== header(headers, name)) return `${claim} ${JSON.stringify(header(headers, name) ?? null)} differs from the signed ${JSON.stringify(claims[claim])}`;
  }
  if (claims['FSPIOP-HTTP-Method'] !== method.toUpperCase()) return `signed for ${String(claims['FSPIOP-HTTP-Method'])}, sent as ${method.toUpperCase()}`;
  if (claims['FSPIOP-URI'] !== fspiopUri(`http://x${path}`)) return `signed for ${String(claims['FSPIOP-URI'])}, sent to ${path}`;
  const date = header(headers, 'date');
  if (claims.Date !== undefined && claims.Date !== date) return `Date ${JSON.stringify(date ?? null)} differs from the signed ${JSON.stringify(claims.Date)}`;
  const destination = header(headers, 'fspiop-destination');
  if (destination !== undefined && claims['FSPIOP-Destination'] !== destination) return `FSPIOP-Destination ${JSON.stringify(destination)} is not the signed ${JSON.stringify(claims['FSPIOP-Destination'] ?? null)}`;
  if (destination === undefined && claims['FSPIOP-Destination'] !== undefined) return 'the signed FSPIOP-Destination is missing from the headers';
  return undefined;
}
