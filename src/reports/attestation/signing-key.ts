import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UserError } from '../../config/errors.ts';

/**
 * The environment variable holding the signing key: the path of a PEM file, or the PEM itself (how
 * CI systems hand secrets to a job). When set, a run signs its statement.
 */
export const SIGNING_KEY_VARIABLE = 'CONFORMANCE_SIGNING_KEY';

/**
 * The key kinds a statement is signed with: Ed25519, or ECDSA on P-256 (what cosign and most
 * hardware tokens make). Others are refused by name rather than signed with something a
 * verifier may not support.
 */
export function keyKindOf(key: KeyObject): 'ed25519' | 'ecdsa-p256' | undefined {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ecdsa-p256';
  return undefined;
}

function describeKind(key: KeyObject): string {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return `${key.asymmetricKeyType ?? 'unknown'}${curve ? ` (${curve})` : ''}`;
}

async function readPem(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new UserError(`cannot read the ${what} "${path}" (${(error as NodeJS.ErrnoException).code ?? String(error)})`, [], { cause: error });
  }
}

/**
 * A private key from a PEM file. Errors name the file and never quote it: the file is a secret,
 * and Node's own messages for a bad key can carry its bytes.
 */
export async function loadSigningKey(path: string): Promise<KeyObject> {
  return signingKeyOf(await readPem(path, 'signing key'), `the signing key "${path}"`);
}

function signingKeyOf(pem: Buffer | string, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new UserError(`${what} is not a PEM private key (unencrypted PKCS#8 or SEC1; Ed25519 or ECDSA P-256)`);
  }
  if (!keyKindOf(key)) throw new UserError(`${what} is ${describeKind(key)}; use Ed25519 or ECDSA P-256`);
  return key;
}

/** A public key from a PEM file (a private key is accepted too: its public half is used). */
export async function loadVerificationKey(path: string): Promise<KeyObject> {
  const pem = await readPem(path, 'public key');
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new UserError(`the key "${path}" is not a PEM public key (SPKI; Ed25519 or ECDSA P-256)`);
  }
  if (!keyKindOf(key)) throw new UserError(`the key "${path}" is ${describeKind(key)}; use Ed25519 or ECDSA P-256`);
  return key;
}

/** The signing key the environment holds or names, if any — what a run's attestation reporter is given. */
export async function signingKeyFromEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<KeyObject | undefined> {
  const value = env[SIGNING_KEY_VARIABLE]?.trim();
  if (value === undefined || value === '') return undefined;
  if (value.startsWith('-----BEGIN')) return signingKeyOf(value, SIGNING_KEY_VARIABLE);
  return signingKeyOf(await readPem(value, `signing key ${SIGNING_KEY_VARIABLE} names`), `the signing key "${value}" (${SIGNING_KEY_VARIABLE})`);
}
