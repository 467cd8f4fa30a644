import { connect as connectTcp } from 'node:net';
import { isIP } from 'node:net';
import { connect, type PeerCertificate, type SecureVersion, type TLSSocket } from 'node:tls';

/** A TLS alert, or the HTTP answer some proxies (nginx `ssl_verify_client on`) give instead, demanding a client certificate. */
const CLIENT_CERTIFICATE_DEMANDED = /CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|BAD_CERTIFICATE|No required SSL certificate|SSL certificate error/i;
/** What an answer may be read of; more is not needed to see a status line or an alert. */
const MAX_ANSWER_CHARS = 4096;

/** What a TLS client presents and trusts; everything optional (default: no certificate, this machine's trust store). */
export interface TlsClientOptions {
  clientCertificate?: { certPem: string; keyPem: string } | undefined;
  /** The CA bundle the server's certificate must chain to, instead of this machine's trust store. */
  caPem?: string | undefined;
  /** The name checked against the server's certificate, when not the URL's host. */
  serverName?: string | undefined;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  /** OpenSSL cipher list, e.g. `DEFAULT@SECLEVEL=0` to be able to offer TLS 1.0/1.1 at all. */
  ciphers?: string;
}

/** Connects without refusing the certificate, so what is wrong with it can be reported rather than only refused. */
function connectTls(url: URL, timeoutMs: number, options: TlsClientOptions, onSecure: (socket: TLSSocket) => void): TLSSocket {
  const serverName = options.serverName ?? (isIP(url.hostname) ? undefined : url.hostname);
  const socket = connect({
    host: url.hostname, port: Number(url.port || 443), rejectUnauthorized: false,
    ...(serverName ? { servername: serverName } : {}),
    ...(options.clientCertificate ? { cert: options.clientCertificate.certPem, key: options.clientCertificate.keyPem } : {}),
    ...(options.caPem ? { ca: options.caPem } : {}),
    ...(options.minVersion ? { minVersion: options.minVersion } : {}),
    ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
    ...(options.ciphers ? { ciphers: options.ciphers } : {}),
  }, () => onSecure(socket));
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
  return socket;
}

/** The server's certificate as a reviewer reads it. */
export interface ServedCertificate {
  subject: string;
  validFrom: Date;
  validTo: Date;
  /** Subjects from the server's certificate up to the last one the server sent or the trust store supplied. */
  chain: string[];
}

export interface TlsHandshake {
  /** 'TLSv1.3', …; undefined when the handshake failed. */
  protocol?: string;
  /** The certificate chains to the trust store (or the given CA) and names the server. */
  trusted: boolean;
  /** Why the certificate is not trusted, or why the handshake failed. */
  problem?: string;
  /** The error code of a failed handshake, e.g. ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION. */
  code?: string;
  certificate?: ServedCertificate;
}

/** One TLS handshake with the endpoint of `url`. */
export function tlsHandshake(url: URL, timeoutMs: number, options: TlsClientOptions = {}): Promise<TlsHandshake> {
  return new Promise((resolve) => {
    const socket = connectTls(url, timeoutMs, options, (connected) => {
      const peer = connected.getPeerCertificate(true);
      resolve({
        protocol: connected.getProtocol() ?? 'unknown', trusted: connected.authorized,
        ...(connected.authorizationError ? { problem: String(connected.authorizationError) } : {}),
        ...(peer && peer.subject ? { certificate: servedCertificate(peer) } : {}),
      });
      connected.end();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({
      trusted: false, problem: `handshake failed: ${describeTlsError(error)}`, ...(error.code ? { code: error.code } : {}),
    }));
  });
}

/**
 * OpenSSL's messages are "C0…:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert protocol
 * version:../deps/…": the code and the reason are what a reader needs.
 */
export function describeTlsError(error: NodeJS.ErrnoException): string {
  const fields = error.message.split(':');
  const reason = /^[0-9A-F]+$/i.test(fields[0] ?? '') && fields[1] === 'error' && fields.length >= 6 ? fields[5]!.trim() : error.message.split('\n')[0]!;
  return error.code ? `${error.code} (${reason})` : reason;
}

function servedCertificate(peer: PeerCertificate & { issuerCertificate?: PeerCertificate }): ServedCertificate {
  const chain: string[] = [];
  let current: (PeerCertificate & { issuerCertificate?: PeerCertificate }) | undefined = peer;
  const seen = new Set<string>();
  while (current && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(distinguishedName(current.subject));
    current = current.issuerCertificate;
  }
  return { subject: distinguishedName(peer.subject), validFrom: new Date(peer.valid_from), validTo: new Date(peer.valid_to), chain };
}

function distinguishedName(name: PeerCertificate['subject']): string {
  return Object.entries(name ?? {}).map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`).join(', ') || '(empty subject)';
}

/** What came back to one HTTP request over TLS: an answer (its status line), or the error or close that ended the connection. */
export type TlsAnswer =
  | { kind: 'answered'; statusLine: string; text: string }
  | { kind: 'error'; code: string; detail: string }
  | { kind: 'closed'; detail: string };

/**
 * `GET {path}` over TLS, answered or not. With TLS 1.3 a server checks the client's certificate
 * after the client considers the handshake done, so only asking for something shows whether the
 * connection is really accepted.
 */
export function askOverTls(url: URL, timeoutMs: number, options: TlsClientOptions = {}, path = '/health'): Promise<TlsAnswer> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = connectTls(url, timeoutMs, options, (connected) => {
      connected.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.length > MAX_ANSWER_CHARS) socket.destroy();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (!answer) resolve({ kind: 'error', code: error.code ?? 'error', detail: describeTlsError(error) });
    });
    socket.once('close', () => {
      if (!answer) return resolve({ kind: 'closed', detail: 'connection closed without an answer or a TLS alert' });
      resolve({ kind: 'answered', statusLine: answer.split('\r\n')[0] ?? '', text: answer });
    });
  });
}

export interface ClientCertificateDemand {
  /** `demanded`: a TLS alert (or nginx's 400) asked for a certificate; `answered`: served without one; `unclear`: reset or closed. */
  outcome: 'demanded' | 'answered' | 'unclear';
  detail: string;
}

/**
 * Asks for `/health` over TLS without a client certificate and reads the refusal. A refusal
 * naming the certificate is the server's word, but a TLS HANDSHAKE_FAILURE alert is also what a
 * cipher or protocol mismatch gives: proof of mutual TLS needs a connection that succeeds with a
 * certificate as well (`SecurityPostureProbe.mutualTls`). An HTTP answer disproves it.
 */
export async function probeClientCertificateDemand(url: URL, timeoutMs: number): Promise<ClientCertificateDemand> {
  const seen = await askOverTls(url, timeoutMs);
  if (seen.kind === 'closed') return { outcome: 'unclear', detail: seen.detail };
  if (seen.kind === 'error') return { outcome: CLIENT_CERTIFICATE_DEMANDED.test(seen.detail) ? 'demanded' : 'unclear', detail: seen.detail };
  // nginx answers a missing client certificate with HTTP 400 and says so in the body.
  const refusal = CLIENT_CERTIFICATE_DEMANDED.exec(seen.text);
  return refusal
    ? { outcome: 'demanded', detail: `handshake completed, then refused: ${seen.statusLine} (${refusal[0]})` }
    : { outcome: 'answered', detail: `handshake completed and the hub answered: ${seen.statusLine}` };
}

/** What a plaintext HTTP request to a port got. `refused` and `redirected-to-https` keep plaintext out; `served` does not. */
export interface PlaintextAttempt {
  outcome: 'refused' | 'redirected-to-https' | 'served';
  detail: string;
}

/** nginx's answer to plaintext on its TLS port: a refusal, though written in HTTP. */
const PLAIN_HTTP_ON_TLS_PORT = /plain HTTP request was sent to HTTPS port/i;

/**
 * `GET {path}` in plaintext to host:port. A TLS server answers with an alert, a close or nginx's
 * 400 — a refusal; nothing listening is a refusal too (a connection refused or never answered); a
 * redirect to an https URL keeps plaintext out; any other HTTP answer is plaintext served.
 */
export function plaintextAttempt(host: string, port: number, path: string, timeoutMs: number): Promise<PlaintextAttempt> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const socket = connectTcp({ host, port }, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host.includes(':') ? `[${host}]` : host}:${port}\r\nConnection: close\r\n\r\n`);
    });
    socket.setTimeout(timeoutMs, () => socket.destroy(Object.assign(new Error(`nothing answered within ${timeoutMs} ms`), { code: 'TIMEOUT' })));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > MAX_ANSWER_CHARS) socket.destroy();
    });
    let failure: NodeJS.ErrnoException | undefined;
    socket.once('error', (error: NodeJS.ErrnoException) => { failure = error; });
    socket.once('close', () => resolve(classifyPlaintextAnswer(Buffer.concat(chunks), failure)));
  });
}

function classifyPlaintextAnswer(answer: Buffer, failure: NodeJS.ErrnoException | undefined): PlaintextAttempt {
  // A TLS record of type 21 (alert): the port speaks only TLS.
  if (answer.length > 0 && answer[0] === 0x15) return { outcome: 'refused', detail: 'answered with a TLS alert (the port speaks only TLS)' };
  const text = answer.toString('latin1');
  if (!text.startsWith('HTTP/')) {
    if (text.length > 0) return { outcome: 'refused', detail: `answered with ${answer.length} bytes that are not HTTP` };
    if (!failure) return { outcome: 'refused', detail: 'connection closed without an answer' };
    if (failure.code === 'ECONNREFUSED') return { outcome: 'refused', detail: 'connection refused (nothing listens)' };
    return { outcome: 'refused', detail: `no answer: ${failure.code ?? ''} ${failure.message}`.replace(/\s+/g, ' ').trim() };
  }
  const statusLine = text.split('\r\n')[0] ?? '';
  const status = Number(statusLine.split(' ')[1]);
  const location = /\r\nlocation:\s*([^\r\n]*)/i.exec(text)?.[1]?.trim();
  if (status >= 300 && status < 400 && location?.toLowerCase().startsWith('https://')) {
    return { outcome: 'redirected-to-https', detail: `${statusLine}, Location ${location}` };
  }
  if (PLAIN_HTTP_ON_TLS_PORT.test(text)) return { outcome: 'refused', detail: `${statusLine} (the plain HTTP request was sent to HTTPS port)` };
  return { outcome: 'served', detail: `${statusLine}${location ? `, Location ${location}` : ''}` };
}
