import { ConfigError, EnvironmentUnavailableError } from '../config/errors.ts';
import type { DfspCredentials } from './credentials.ts';
import { FspiopSignatureVerifier, FspiopSigner, canonicalJson } from './jws.ts';
import { OAuth2TokenSource, TokenRequestError } from './oauth2-token-source.ts';
import { createAgents, PLAIN_TRANSPORT, sendFspiop, sendHttp, type OutboundAgents, type OutboundRequest, type OutboundResult, type OutboundTransport } from './outbound.ts';
import type { Clock } from '../support/clock.ts';
import type { ServerTls } from '../support/http-server.ts';

/** What our callback server needs of the transport: TLS to serve with, and who checks signatures. */
export interface CallbackSecurity {
  tls?: ServerTls;
  /** Present when we hold verification keys: callbacks from those FSPs must be signed by them. */
  verifier?: FspiopSignatureVerifier;
}

export interface FspiopTransportOptions {
  /** The token source's clock (tests advance one by hand). */
  clock?: Clock;
  /** How the OAuth2 client authenticates to the token endpoint (default HTTP Basic). */
  clientAuthentication?: 'basic' | 'body';
}

/**
 * Everything our DFSPs present to a hub and check of it, in one object built once per run from
 * `DfspCredentials`: connection pools with our client certificate and the CA the hub chains to, a
 * bearer token on every request (OAuth2 client credentials, cached), an FSPIOP-Signature over the
 * exact bytes of every POST/PUT, and what the callback server serves with (TLS, signature checks).
 * Every FSPIOP sender takes one; `FspiopTransport.plain()` is the process-wide one without
 * credentials, the zero-security tiers' — its requests cost what they always did (no extra step).
 *
 * A transport never shows a credential: `posture` names what is presented, never a value.
 */
export class FspiopTransport implements OutboundTransport {
  static #plain: FspiopTransport | undefined;

  readonly agents: OutboundAgents;
  readonly seal: OutboundTransport['seal'];
  readonly #credentials: DfspCredentials | undefined;
  readonly #options: FspiopTransportOptions;
  readonly #tokens: OAuth2TokenSource | undefined;
  readonly #signer: FspiopSigner | undefined;
  readonly #callbacks: CallbackSecurity;
  #withoutCredentials: FspiopTransport | undefined;
  #withoutSignature: FspiopTransport | undefined;

  private constructor(credentials: DfspCredentials | undefined, options: FspiopTransportOptions, agents?: OutboundAgents) {
    this.#credentials = credentials;
    this.#options = options;
    this.agents = agents ?? createAgents(credentials?.tls);
    const oauth2 = credentials?.oauth2;
    this.#tokens = oauth2 && new OAuth2TokenSource(oauth2, {
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.clientAuthentication ? { clientAuthentication: options.clientAuthentication } : {}),
      // The token endpoint sits behind the same gateway as a rule: same trust, same client certificate.
      ...(credentials?.tls ? { tls: credentials.tls } : {}),
    });
    this.#signer = credentials?.jws?.privateKeyPem ? new FspiopSigner(credentials.jws.privateKeyPem) : undefined;
    const keys = credentials?.jws?.verificationKeys ?? {};
    const tls = credentials?.callbackTls;
    this.#callbacks = {
      ...(tls ? {
        tls: {
          certPem: tls.certPem, keyPem: tls.keyPem, ...(tls.caPem ? { caPem: tls.caPem } : {}), requireClientCertificate: tls.requireClientCertificate ?? false,
        },
      } : {}),
      ...(Object.keys(keys).length > 0 ? { verifier: new FspiopSignatureVerifier(keys) } : {}),
    };
    // Without a token or a signer there is nothing to add: the plain path (JSON.stringify, headers as given).
    this.seal = this.#tokens || this.#signer ? (request, headers) => this.#seal(request, headers) : undefined;
  }

  /** The transport without credentials, shared by the process: today's behaviour, its pools shared by every plain sender. */
  static plain(): FspiopTransport {
    FspiopTransport.#plain ??= new FspiopTransport(undefined, {}, PLAIN_TRANSPORT.agents);
    return FspiopTransport.#plain;
  }

  /**
   * The transport for these credentials (the plain one without any). Throws when a PEM is not a
   * key of the kind its place needs; the config loader checks that first and names the file.
   */
  static from(credentials: DfspCredentials | undefined, options: FspiopTransportOptions = {}): FspiopTransport {
    if (!credentials || (!credentials.tls && !credentials.oauth2 && !credentials.jws && !credentials.callbackTls)) return FspiopTransport.plain();
    return new FspiopTransport(credentials, options);
  }

  /** Whether anything is presented or checked. */
  get secured(): boolean {
    return this !== FspiopTransport.#plain && this.#credentials !== undefined;
  }

  /** What our requests present, in words (client certificate, bearer token, signature); empty when nothing is. */
  get presented(): string[] {
    const c = this.#credentials;
    return [
      ...(c?.tls?.certPem ? ['a client certificate'] : []),
      ...(this.#tokens ? ['an OAuth2 bearer token'] : []),
      ...(this.#signer ? ['an FSPIOP-Signature'] : []),
    ];
  }

  /**
   * This transport as a client without credentials: no client certificate, no token, no signature.
   * It keeps what is trust, not a credential — the CA bundle and server name — so a refusal it
   * meets is the hub's, never our own failure to trust the hub's certificate.
   */
  withoutCredentials(): FspiopTransport {
    if (!this.secured) return this;
    const tls = this.#credentials?.tls;
    const trust = tls && (tls.caPem || tls.serverName) ? { tls: { certPem: '', keyPem: '', ...(tls.caPem ? { caPem: tls.caPem } : {}), ...(tls.serverName ? { serverName: tls.serverName } : {}) } } : {};
    this.#withoutCredentials ??= trust.tls ? new FspiopTransport({ tls: { ...trust.tls } }, this.#options) : FspiopTransport.plain();
    return this.#withoutCredentials;
  }

  /** This transport with its certificate and token but no FSPIOP-Signature: what a hub enforcing signatures must refuse (3105). */
  withoutSignature(): FspiopTransport {
    if (!this.#signer || !this.#credentials) return this;
    const { jws, ...rest } = this.#credentials;
    this.#withoutSignature ??= new FspiopTransport({ ...rest, ...(jws ? { jws: { privateKeyPem: '', verificationKeys: jws.verificationKeys } } : {}) }, this.#options, this.agents);
    return this.#withoutSignature;
  }

  /** What the callback server serves with: TLS when `callbackTls` is configured, signature checks when keys are. */
  get callbackSecurity(): CallbackSecurity {
    return this.#callbacks;
  }

  /** What is presented and checked, in words, never a value: the run's description of its posture. */
  get posture(): string[] {
    const c = this.#credentials;
    if (!this.secured || !c) return ['no credentials presented (plain FSPIOP: no client certificate, token or signature)'];
    const lines: string[] = [];
    if (c.tls?.certPem) lines.push(`mutual TLS: our client certificate presented${c.tls.caPem ? ', the hub checked against the configured CA bundle' : ''}${c.tls.serverName ? `, server name ${c.tls.serverName}` : ''}`);
    else if (c.tls?.caPem) lines.push('TLS: the hub checked against the configured CA bundle (no client certificate)');
    if (this.#tokens) lines.push(`OAuth2: a bearer token from ${this.#tokens.endpoint} on every request (client credentials, renewed before expiry)`);
    if (this.#signer) lines.push(`JWS: every POST/PUT signed (FSPIOP-Signature, ${this.#signer.algorithm})`);
    const verifier = this.#callbacks.verifier;
    if (verifier) lines.push(`JWS: callbacks from ${verifier.fsps.join(', ')} must carry a signature that verifies, or are refused (3105)`);
    if (this.#callbacks.tls) lines.push(`callbacks served over https${this.#callbacks.tls.requireClientCertificate ? ', the hub\'s client certificate required' : ''}`);
    return lines;
  }

  /**
   * Asks for the first token now, so a refused client credentials grant stops the run before any
   * scenario (one line naming the endpoint) rather than failing every exchange.
   */
  async prepare(): Promise<void> {
    try {
      await this.#tokens?.token();
    } catch (error) {
      if (!(error instanceof TokenRequestError)) throw error;
      // Refused: the client id or secret is wrong (the user's, exit 2); unreachable: the environment's (exit 4).
      throw error.refused ? new ConfigError(`security.oauth2: ${error.message}`, [], { cause: error }) : new EnvironmentUnavailableError(`security.oauth2: ${error.message}`, [], { cause: error });
    }
  }

  /** Sends one FSPIOP request through this transport. */
  async send(request: OutboundRequest): Promise<OutboundResult> {
    const result = await sendFspiop(request, this);
    // A token the API no longer takes (revoked, expired early) is not kept for the next request.
    if (result.status === 401) this.#tokens?.invalidate();
    return result;
  }

  /** A JSON request to a non-FSPIOP API of the hub (central-ledger's admin API): the token, never a signature. */
  async sendJson(request: { method: 'GET' | 'POST' | 'PUT'; url: string; body?: unknown; timeoutMs: number; maxResponseBytes?: number; signal?: AbortSignal }): Promise<OutboundResult> {
    const headers: Record<string, string> = { accept: 'application/json', ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) };
    // central-ledger has no duplicate rules for its admin calls: only a read is sent twice (on a fresh connection, when a kept-alive one was closed under it).
    const result = await sendHttp({ ...request, detectSilentPeer: false, resendOnClosedConnection: request.method === 'GET' }, headers, this);
    if (result.status === 401) this.#tokens?.invalidate();
    return result;
  }

  /** Closes this transport's pooled connections (not the shared plain pools). */
  close(): void {
    if (this === FspiopTransport.#plain) return;
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }

  async #seal(request: OutboundRequest, headers: Record<string, string>): Promise<{ body: string | undefined; privateHeaders?: Record<string, string> }> {
    const signer = this.#signer;
    // A signed body is sent in the form every Mojaloop validator re-serialises it to (sorted keys).
    const body = request.body === undefined ? undefined : signer ? canonicalJson(request.body) : JSON.stringify(request.body);
    // Only FSPIOP messages with a body; a relayed message keeps the signature of the FSP that wrote it.
    if (signer && body !== undefined && request.method !== 'GET' && headers['fspiop-source'] && headers['fspiop-signature'] === undefined) {
      Object.assign(headers, signer.sign(request.method, request.url, headers, body));
    }
    if (!this.#tokens) return { body };
    return { body, privateHeaders: { authorization: `Bearer ${await this.#tokens.token()}` } };
  }
}
