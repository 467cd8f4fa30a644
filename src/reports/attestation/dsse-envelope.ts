import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { keyKindOf } from './signing-key.ts';

/** The payload type of an in-toto statement inside a DSSE envelope. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DsseSignature {
  /** sha256 of the public key (SPKI, DER) in hex: which key to try first, never trusted on its own. */
  keyid: string;
  /** base64 */
  sig: string;
}

/** A DSSE envelope (github.com/secure-systems-lab/dsse, envelope.md). */
export interface DsseEnvelope {
  payloadType: string;
  /** base64 of the serialized statement */
  payload: string;
  signatures: DsseSignature[];
}

/**
 * DSSE's pre-authentication encoding, what is signed: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body,
 * lengths in bytes. The type is inside the signed bytes, so a signature over one payload type never
 * verifies as another.
 */
export function preAuthenticationEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** ECDSA signatures are DER-encoded, as cosign and the DSSE reference implementations write them. */
function algorithmOf(key: KeyObject): { algorithm: string | null; dsaEncoding?: 'der' } {
  return keyKindOf(key) === 'ed25519' ? { algorithm: null } : { algorithm: 'sha256', dsaEncoding: 'der' };
}

export function signPayload(payloadType: string, payload: Buffer, privateKey: KeyObject): DsseSignature {
  const { algorithm, dsaEncoding } = algorithmOf(privateKey);
  const signature = sign(algorithm, preAuthenticationEncoding(payloadType, payload), dsaEncoding ? { key: privateKey, dsaEncoding } : privateKey);
  return { keyid: keyIdOf(privateKey), sig: signature.toString('base64') };
}

/** A new envelope over `payload`, or `envelope` with one more signature (a second signer countersigning the same bytes). */
export function signEnvelope(payload: Buffer, privateKey: KeyObject, envelope?: DsseEnvelope): DsseEnvelope {
  const signature = signPayload(IN_TOTO_PAYLOAD_TYPE, payload, privateKey);
  const others = (envelope?.signatures ?? []).filter((existing) => existing.keyid !== signature.keyid);
  return { payloadType: IN_TOTO_PAYLOAD_TYPE, payload: payload.toString('base64'), signatures: [...others, signature] };
}

/** Whether any signature of the envelope verifies with `publicKey` over exactly the bytes it carries. */
export function envelopeSignedBy(envelope: DsseEnvelope, publicKey: KeyObject): boolean {
  const payload = Buffer.from(envelope.payload, 'base64');
  const signed = preAuthenticationEncoding(envelope.payloadType, payload);
  const { algorithm, dsaEncoding } = algorithmOf(publicKey);
  return envelope.signatures.some((signature) => {
    try {
      return verify(algorithm, signed, dsaEncoding ? { key: publicKey, dsaEncoding } : publicKey, Buffer.from(signature.sig, 'base64'));
    } catch {
      return false; // a signature of the wrong shape for this key is simply not this key's
    }
  });
}

export function isDsseEnvelope(value: unknown): value is DsseEnvelope {
  if (typeof value !== 'object' || value === null) return false;
  const envelope = value as Partial<DsseEnvelope>;
  return typeof envelope.payloadType === 'string' && typeof envelope.payload === 'string' && Array.isArray(envelope.signatures)
    && envelope.signatures.every((s) => typeof s?.sig === 'string');
}
