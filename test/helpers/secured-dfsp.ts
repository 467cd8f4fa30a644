import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { DfspCredentials } from '../../src/fspiop/credentials.ts';
import { contentType, fspiopHeaders, type FspiopResource } from '../../src/fspiop/headers.ts';
import { canonicalJson, FspiopSignatureVerifier, FspiopSigner } from '../../src/fspiop/jws.ts';
import { OAuth2TokenSource } from '../../src/fspiop/oauth2-token-source.ts';
import { createAgents, sendHttp, type OutboundResult } from '../../src/fspiop/outbound.ts';
import { joinUrl } from '../../src/support/url.ts';

export interface ReceivedSecuredCallback {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /** Why its signature does not hold against the verification keys, or undefined when it does. */
  signatureProblem: string | undefined;
  /** The CN of the client certificate the caller presented. */
  callerCertificate: string | undefined;
}

/**
 * A DFSP of a test talking to the secured hub with plain node https (not the driver's transport):
 * it presents what it is told to (certificate, token, signature — each can be left out or spoilt),
 * and its callback endpoint is an https server demanding a certificate of the hub's CA, recording
 * what arrives with its signature checked.
 */
export class SecuredTestDfsp {
  readonly received: ReceivedSecuredCallback[] = [];
  readonly #fspId: string;
  readonly #credentials: DfspCredentials;
  readonly #token: OAuth2TokenSource;
  readonly #withCertificate;
  readonly #withoutCertificate;
  readonly #server: Server;
  url = '';

  constructor(fspId: string, credentials: DfspCredentials) {
    this.#fspId = fspId;
    this.#credentials = credentials;
    this.#token = new OAuth2TokenSource(credentials.oauth2!, { tls: { caPem: credentials.tls!.caPem } });
    this.#withCertificate = { agents: createAgents(credentials.tls) };
    this.#withoutCertificate = { agents: createAgents({ caPem: credentials.tls!.caPem }) };
    const verifier = new FspiopSignatureVerifier(credentials.jws!.verificationKeys);
    const served = credentials.callbackTls!;
    this.#server = createServer({ cert: served.certPem, key: served.keyPem, ca: served.caPem, requestCert: true, rejectUnauthorized: true }, (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
        const text = Buffer.concat(chunks).toString('utf8');
        const body = text ? JSON.parse(text) as unknown : undefined;
        const check = request.method === 'GET' ? undefined : verifier.check(request.method ?? 'PUT', request.url ?? '/', request.headers, text);
        const peer = (request.socket as import('node:tls').TLSSocket).getPeerCertificate();
        this.received.push({
          method: request.method ?? '', path: request.url ?? '', headers, body,
          signatureProblem: check && check.outcome !== 'verified' ? check.reason : undefined,
          callerCertificate: peer?.subject?.CN as string | undefined,
        });
        response.writeHead(request.method === 'PUT' ? 200 : 202).end();
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const transport of [this.#withCertificate, this.#withoutCertificate]) for (const agent of Object.values(transport.agents)) agent.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Sends one FSPIOP request to the hub with what `present` leaves in (everything by default). */
  async send(hubUrl: string, method: 'GET' | 'POST' | 'PUT', path: string, resource: FspiopResource, body: unknown,
    present: { certificate?: boolean; token?: boolean | string; signature?: boolean | 'wrong-key'; destination?: string } = {}): Promise<OutboundResult> {
    const url = joinUrl(hubUrl, path);
    const headers: Record<string, string> = fspiopHeaders({ resource, source: this.#fspId, destination: present.destination, isCallback: method === 'PUT' });
    headers['content-type'] = contentType(resource);
    if (present.token !== false) headers.authorization = typeof present.token === 'string' ? present.token : `Bearer ${await this.#token.token()}`;
    const text = body === undefined ? undefined : canonicalJson(body);
    if (text !== undefined && present.signature !== false) {
      const signer = present.signature === 'wrong-key' ? WRONG_SIGNER : new FspiopSigner(this.#credentials.jws!.privateKeyPem);
      Object.assign(headers, signer.sign(method, url, headers, text));
    }
    const transport = present.certificate === false ? this.#withoutCertificate : this.#withCertificate;
    // Sent as signed: the body text is what the signature covers.
    return sendHttp({ method, url, body: text === undefined ? undefined : JSON.parse(text), timeoutMs: 5000 }, headers, transport);
  }
}

/** A key no FSP registered: a signature with it is a forgery. */
const WRONG_SIGNER = new FspiopSigner(generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey);
