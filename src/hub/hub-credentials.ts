import { generateKeyPair as generateKeyPairCallback, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { DfspCredentials } from '../fspiop/credentials.ts';
import { CertificateAuthority, type IssuedCertificate } from '../support/pki.ts';

const generateKeyPair = promisify(generateKeyPairCallback);

/** The scopes the secured hub's token endpoint grants: the FSPIOP API, and the admin API. */
export const HUB_SCOPES = { fspiop: 'fspiop', admin: 'admin' } as const;

/** The names the hub's certificates are valid for: it listens on loopback. */
export const LOOPBACK_NAMES = ['127.0.0.1', 'localhost'] as const;

/** What the secured hub issued one DFSP: a certificate (client, and server for its callback endpoint), a JWS key pair, OAuth2 client credentials. */
export interface IssuedDfsp {
  tls: IssuedCertificate;
  jws: { privateKeyPem: string; publicKeyPem: string };
  clientId: string;
  clientSecret: string;
}

/**
 * Everything the fully secured embedded hub is made of, as PEM text and strings, so that it
 * crosses to the hub's worker thread (structured clone) and survives the hub being killed and
 * restarted (the same certificates, keys and token key). A secret as a whole: never logged.
 */
export interface HubSecurityMaterial {
  caPem: string;
  /** The hub's server certificate (FSPIOP API, admin API, token endpoint). */
  server: IssuedCertificate;
  /** The hub's client certificate, presented when it calls a DFSP's callback endpoint over https. */
  hubClient: IssuedCertificate;
  /** The key the hub signs the callbacks it originates with (errors, its own answers). */
  hubJws: { privateKeyPem: string; publicKeyPem: string };
  /** By FSP id. */
  dfsps: Record<string, IssuedDfsp>;
  /** The operator's client for the admin API (scope `admin`). */
  admin: { clientId: string; clientSecret: string };
  /** HMAC key of the access tokens: tokens need no state in the hub, and one issued before a restart still holds. */
  tokenKey: string;
}

/**
 * Makes the secured hub's material at start with Node's crypto, nothing downloaded: a CA, the
 * hub's server and client certificates (ECDSA P-256), and for each DFSP a certificate, an RSA 2048
 * JWS key pair (RS256, as the FSPIOP API prescribes) and a client id and secret.
 */
export async function issueHubSecurity(fspIds: readonly string[], options: {
  serverNames?: readonly string[];
  /**
   * DFSPs that present another's credentials (FSP id → whose): the bystander DFSP is ours as the
   * payer is, sends through the payer's transport, and so holds the payer's certificate and keys.
   */
  sameAs?: Readonly<Record<string, string>>;
} = {}): Promise<HubSecurityMaterial> {
  const serverNames = options.serverNames ?? LOOPBACK_NAMES;
  const ca = await CertificateAuthority.create('Mojaloop conformance embedded hub CA');
  const names = [...new Set([...LOOPBACK_NAMES, ...serverNames])];
  const [server, hubClient, hubJws] = await Promise.all([
    ca.issue('hub', { serverNames: names }),
    ca.issue('Hub', { client: true }),
    rsaKeyPair(),
  ]);
  const dfsps: Record<string, IssuedDfsp> = {};
  const sameAs = options.sameAs ?? {};
  await Promise.all(fspIds.filter((fspId) => sameAs[fspId] === undefined).map(async (fspId) => {
    // Client towards the hub, and server of its own callback endpoint on loopback, which the hub calls.
    const [tls, jws] = await Promise.all([ca.issue(fspId, { client: true, serverNames: LOOPBACK_NAMES }), rsaKeyPair()]);
    dfsps[fspId] = { tls, jws, clientId: fspId, clientSecret: secret() };
  }));
  for (const [fspId, owner] of Object.entries(sameAs)) {
    if (!dfsps[owner]) throw new Error(`"${fspId}" is to hold the credentials of "${owner}", which are not issued`);
    dfsps[fspId] = dfsps[owner]!;
  }
  return { caPem: ca.certPem, server, hubClient, hubJws, dfsps, admin: { clientId: 'hub-operator', clientSecret: secret() }, tokenKey: secret() };
}

/**
 * What a DFSP of ours presents to the secured hub and expects of it: its certificate, a token
 * from the hub's endpoint, its signing key and the keys of everyone who may sign a callback to it
 * (the other DFSPs and the hub, under each FSPIOP-Source the hub uses), and its callback server
 * over TLS demanding the hub's certificate.
 */
export function issuedDfspCredentials(material: HubSecurityMaterial, fspId: string, tokenUrl: string, hubSources: readonly string[]): DfspCredentials {
  const own = material.dfsps[fspId];
  if (!own) throw new Error(`the secured hub issued nothing to "${fspId}"`);
  const verificationKeys: Record<string, string> = {};
  for (const [other, issued] of Object.entries(material.dfsps)) if (issued !== own) verificationKeys[other] = issued.jws.publicKeyPem;
  for (const source of hubSources) verificationKeys[source] = material.hubJws.publicKeyPem;
  return {
    tls: { certPem: own.tls.certPem, keyPem: own.tls.keyPem, caPem: material.caPem },
    oauth2: { tokenUrl, clientId: own.clientId, clientSecret: own.clientSecret, scope: HUB_SCOPES.fspiop },
    jws: { privateKeyPem: own.jws.privateKeyPem, verificationKeys },
    callbackTls: { certPem: own.tls.certPem, keyPem: own.tls.keyPem, caPem: material.caPem, requireClientCertificate: true },
  };
}

/** What the run's admin client presents to the secured hub's admin API: the CA to trust and the operator's token client. */
export function issuedAdminCredentials(material: HubSecurityMaterial, tokenUrl: string): { caPem: string; oauth2: NonNullable<DfspCredentials['oauth2']> } {
  return {
    caPem: material.caPem,
    oauth2: { tokenUrl, clientId: material.admin.clientId, clientSecret: material.admin.clientSecret, scope: HUB_SCOPES.admin },
  };
}

async function rsaKeyPair(): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const { privateKey, publicKey } = await generateKeyPair('rsa', {
    modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

function secret(): string {
  return randomBytes(24).toString('base64url');
}
