// @peculiar/x509 resolves its ASN.1 types through tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

/**
 * A private certificate authority made in memory at start, for a hub that must be served over
 * mutual TLS on a machine with nothing to download from: the secured embedded hub, and tests of
 * TLS probes. ECDSA P-256 throughout (signing a certificate takes about a millisecond). Nothing is
 * written to disk; a caller that must hand a file to another process writes it itself.
 */

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** A certificate and its private key, both PEM. */
export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

export interface CertificateUse {
  /** DNS names and IP addresses a server certificate is valid for (subjectAltName). */
  serverNames?: readonly string[];
  /** May authenticate a client (extendedKeyUsage clientAuth). */
  client?: boolean;
  /** Validity; by default from an hour ago (clock skew) for a year. An expired certificate is what some tests need. */
  notBefore?: Date;
  notAfter?: Date;
}

export class CertificateAuthority {
  readonly certPem: string;
  readonly #certificate: x509.X509Certificate;
  readonly #keys: CryptoKeyPair;

  private constructor(certificate: x509.X509Certificate, keys: CryptoKeyPair) {
    this.#certificate = certificate;
    this.#keys = keys;
    this.certPem = certificate.toString('pem');
  }

  static async create(commonName = 'Mojaloop conformance test CA'): Promise<CertificateAuthority> {
    const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']) as CryptoKeyPair;
    const { notBefore, notAfter } = validity({});
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serialNumber(), name: `CN=${escapeDn(commonName)}`, notBefore, notAfter, signingAlgorithm: algorithm, keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return new CertificateAuthority(certificate, keys);
  }

  /** A certificate for `commonName` signed by this authority, with a fresh key pair. */
  async issue(commonName: string, use: CertificateUse): Promise<IssuedCertificate> {
    const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']) as CryptoKeyPair;
    const { notBefore, notAfter } = validity(use);
    const purposes = [...(use.serverNames?.length ? [x509.ExtendedKeyUsage.serverAuth] : []), ...(use.client ? [x509.ExtendedKeyUsage.clientAuth] : [])];
    if (purposes.length === 0) throw new Error(`a certificate for ${commonName} needs serverNames, client, or both`);
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension(purposes),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(this.#keys.publicKey),
    ];
    if (use.serverNames?.length) {
      extensions.push(new x509.SubjectAlternativeNameExtension(use.serverNames.map((name) => ({ type: isIP(name) ? 'ip' : 'dns', value: name }))));
    }
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(), subject: `CN=${escapeDn(commonName)}`, issuer: this.#certificate.subject,
      notBefore, notAfter, signingAlgorithm: algorithm, publicKey: keys.publicKey, signingKey: this.#keys.privateKey, extensions,
    });
    return { certPem: certificate.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
  }
}

function validity(use: Pick<CertificateUse, 'notBefore' | 'notAfter'>): { notBefore: Date; notAfter: Date } {
  const notBefore = use.notBefore ?? new Date(Date.now() - 3_600_000);
  return { notBefore, notAfter: use.notAfter ?? new Date(notBefore.getTime() + 365 * 86_400_000) };
}

// Positive and 16 bytes, as RFC 5280 asks (at most 20 octets, no leading sign bit).
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f | 0x01;
  return bytes.toString('hex');
}

function escapeDn(value: string): string {
  return value.replace(/[,+="\\<>;]/g, (c) => `\\${c}`);
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}
