import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError } from './errors.ts';
import type { SecurityConfig, SecretSourceConfig } from './schema.ts';

/**
 * The `security` section resolved: PEM text and secrets read from their files and environment
 * variables, each checked to be what its place needs. The same shape as the protocol's
 * `DfspCredentials` (src/fspiop/credentials.ts), which this folder may not import. A value of it is
 * a secret as a whole: never printed, logged or stored.
 */
export interface ResolvedCredentials {
  tls?: { certPem: string; keyPem: string; caPem?: string; serverName?: string };
  oauth2?: { tokenUrl: string; clientId: string; clientSecret: string; scope?: string };
  jws?: { privateKeyPem: string; verificationKeys: Record<string, string> };
  callbackTls?: { certPem: string; keyPem: string; caPem?: string; requireClientCertificate?: boolean };
}

export interface SecretLookup {
  /** Relative paths are read from here (the directory the command ran in). */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads every credential the section names. A file that is missing or unreadable, a variable that
 * is unset or empty, a PEM that is not what its field needs (a certificate, a private key, a key
 * that is not the certificate's) is one ConfigError naming the config field and the file or
 * variable — never what it holds. Exit 2, before anything starts.
 */
export async function resolveSecurity(security: SecurityConfig | undefined, lookup: SecretLookup): Promise<ResolvedCredentials | undefined> {
  if (!security) return undefined;
  const credentials: ResolvedCredentials = {};
  if (security.tls) {
    const certPem = await certificates('security.tls.cert', security.tls.cert, lookup);
    const keyPem = await privateKey('security.tls.key', security.tls.key, lookup);
    matching('security.tls.key', security.tls.key, certPem, keyPem);
    credentials.tls = {
      certPem, keyPem,
      ...(security.tls.ca ? { caPem: await certificates('security.tls.ca', security.tls.ca, lookup) } : {}),
      ...(security.tls.serverName ? { serverName: security.tls.serverName } : {}),
    };
  }
  if (security.oauth2) {
    const { tokenUrl, clientId, clientSecret, scope } = security.oauth2;
    credentials.oauth2 = { tokenUrl, clientId, clientSecret: await secret('security.oauth2.clientSecret', clientSecret, lookup), ...(scope ? { scope } : {}) };
  }
  if (security.jws) {
    const verificationKeys: Record<string, string> = {};
    for (const [fsp, file] of Object.entries(security.jws.verificationKeys)) {
      const field = `security.jws.verificationKeys.${fsp}`;
      const pem = await readPem(field, { file }, lookup);
      parsed(field, { file }, 'a public key or certificate (PEM)', () => createPublicKey(pem));
      verificationKeys[fsp] = pem;
    }
    const privateKeyPem = security.jws.privateKey ? await privateKey('security.jws.privateKey', security.jws.privateKey, lookup, ['rsa', 'ec']) : '';
    credentials.jws = { privateKeyPem, verificationKeys };
  }
  if (security.callbackTls) {
    const tls = security.callbackTls;
    const certPem = await certificates('security.callbackTls.cert', tls.cert, lookup);
    const keyPem = await privateKey('security.callbackTls.key', tls.key, lookup);
    matching('security.callbackTls.key', tls.key, certPem, keyPem);
    credentials.callbackTls = {
      certPem, keyPem, requireClientCertificate: tls.requireClientCertificate,
      ...(tls.ca ? { caPem: await certificates('security.callbackTls.ca', tls.ca, lookup) } : {}),
    };
  }
  return credentials;
}

/** Where a value comes from, as a message may name it. */
function named(source: SecretSourceConfig): string {
  return 'file' in source ? `file "${source.file}"` : `environment variable ${source.env}`;
}

async function secret(field: string, source: SecretSourceConfig, lookup: SecretLookup): Promise<string> {
  let value: string | undefined;
  if ('env' in source) {
    value = lookup.env[source.env];
    if (value === undefined) throw new ConfigError(`${field}: environment variable ${source.env} is not set`);
  } else {
    try {
      value = await readFile(resolve(lookup.cwd, source.file), 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConfigError(`${field}: ${named(source)} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`}`);
    }
  }
  // A file written by an editor or `echo` ends with a newline that is no part of the secret.
  const trimmed = value.replace(/\r?\n$/, '');
  if (trimmed.trim() === '') throw new ConfigError(`${field}: ${named(source)} is empty`);
  return trimmed;
}

async function readPem(field: string, source: SecretSourceConfig, lookup: SecretLookup): Promise<string> {
  const pem = await secret(field, source, lookup);
  if (!pem.includes('-----BEGIN ')) throw new ConfigError(`${field}: ${named(source)} holds no PEM block (-----BEGIN …-----)`);
  return `${pem}\n`;
}

function parsed<T>(field: string, source: SecretSourceConfig, what: string, parse: () => T): T {
  try {
    return parse();
  } catch {
    throw new ConfigError(`${field}: ${named(source)} is not ${what}`);
  }
}

async function certificates(field: string, file: string, lookup: SecretLookup): Promise<string> {
  const pem = await readPem(field, { file }, lookup);
  parsed(field, { file }, 'a certificate (PEM)', () => new X509Certificate(pem));
  return pem;
}

async function privateKey(field: string, source: SecretSourceConfig, lookup: SecretLookup, kinds?: readonly string[]): Promise<string> {
  const pem = await readPem(field, source, lookup);
  const key: KeyObject = parsed(field, source, 'a private key (PEM, unencrypted)', () => createPrivateKey(pem));
  if (kinds && !kinds.includes(key.asymmetricKeyType ?? '')) {
    throw new ConfigError(`${field}: ${named(source)} is a ${key.asymmetricKeyType ?? 'symmetric'} key; FSPIOP signatures need an RSA key (RS256) or an EC P-256 key (ES256)`);
  }
  return pem;
}

function matching(field: string, source: SecretSourceConfig, certPem: string, keyPem: string): void {
  if (!new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem))) {
    throw new ConfigError(`${field}: the key in ${named(source)} is not the key of the certificate beside it`);
  }
}
