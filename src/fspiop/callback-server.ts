import type { IncomingMessage, ServerResponse } from 'node:http';
import { EnvironmentUnavailableError } from '../config/errors.ts';
import { BodyTooLargeError, HttpServer, readBody, sendJson } from '../support/http-server.ts';
import { errorInformation, FspiopErrorCode, type FspiopError } from './error-codes.ts';
import { parseFspiopMediaType } from './headers.ts';
import { CallbackCorrelator, type ReceivedCallback } from './callback-correlator.ts';
import { partyKey } from './messages.ts';
import { Router } from './router.ts';
import type { CallbackSecurity } from './fspiop-transport.ts';

export type RejectionReason = 'malformed-json' | 'oversized' | 'unsupported-media-type' | 'unknown-path' | 'unknown-id' | 'forged';

export interface CallbackStats {
  accepted: number;
  /** Valid callbacks for requests that had already timed out (acknowledged, then dropped). */
  late: number;
  /** Valid callbacks for requests already answered (acknowledged, then dropped): a hub's resend, or another sender. */
  duplicate: number;
  rejected: Record<RejectionReason, number>;
  /** The first rejection of each reason, in words: what to look at when a count is not zero. */
  examples: Partial<Record<RejectionReason | 'duplicate', string>>;
  /**
   * Signature checks (FSPIOP-Signature), only when verification keys are configured: `verified`
   * callbacks were signed by the key we hold for their sender; `refused` ones were unsigned or did
   * not verify, from a sender whose key we hold (also counted as forged, answered 3105); `unverifiable`
   * ones came from a sender we hold no key for (accepted unchecked).
   */
  signatures?: { verified: number; refused: number; unverifiable: number };
}

export interface CallbackServerOptions {
  host: string;
  port: number;
  maxBodyBytes: number;
  /** What the hub must call, when it differs from http://host:port (NAT, ingress, container). */
  publicUrl?: string | undefined;
  /**
   * Who may call back: every callback must be addressed to one of our DFSPs sharing this server
   * (FSPIOP-Destination: the payer, and the bystander where the hub knows it) and come from the hub
   * itself or a counterparty of our requests (FSPIOP-Source). Anything else is forged and never
   * reaches the request it claims to answer.
   */
  addressing: { dfsps: readonly string[]; senders: readonly string[] };
  /** What the transport serves callbacks with: TLS, and signature checks with the keys we hold (`FspiopTransport.callbackSecurity`). */
  security?: CallbackSecurity | undefined;
}

type KeyOf = (params: Record<string, string>) => string;

/**
 * The payer DFSP's callback endpoint. It accepts the PUT callbacks of FSPIOP v1.1, hands each to
 * the request waiting for it, and rejects — with an FSPIOP error body and a count, never a crash —
 * callbacks that are not JSON, too large, of the wrong media type, or for an id nobody awaits.
 */
export class CallbackServer {
  readonly correlator = new CallbackCorrelator();
  readonly stats: CallbackStats = {
    accepted: 0,
    late: 0,
    duplicate: 0,
    rejected: { 'malformed-json': 0, oversized: 0, 'unsupported-media-type': 0, 'unknown-path': 0, 'unknown-id': 0, forged: 0 },
    examples: {},
  };

  readonly #options: CallbackServerOptions;
  readonly #router = new Router<{ kind: 'success' | 'error'; keyOf: KeyOf }>();
  readonly #server: HttpServer;
  #listenUrl: string | undefined;

  constructor(options: CallbackServerOptions) {
    this.#options = options;
    this.#server = new HttpServer((request, response) => this.#handle(request, response), () => errorInformation(FspiopErrorCode.internalServerError),
      { tls: options.security?.tls });
    if (options.security?.verifier) this.stats.signatures = { verified: 0, refused: 0, unverifiable: 0 };
    const party: KeyOf = (p) => CallbackCorrelator.key('parties', partyKey({ type: p.type!, id: p.id!, subId: p.subId }));
    const quote: KeyOf = (p) => CallbackCorrelator.key('quotes', p.id!);
    const transfer: KeyOf = (p) => CallbackCorrelator.key('transfers', p.id!);
    // Answers to the account-lookup service's GET /participants (who holds a party): the provisioner asks before it registers one.
    const holder: KeyOf = (p) => CallbackCorrelator.key('participants', partyKey({ type: p.type!, id: p.id!, subId: p.subId }));
    this.#router
      .on('PUT', '/participants/{type}/{id}', { kind: 'success', keyOf: holder })
      .on('PUT', '/participants/{type}/{id}/error', { kind: 'error', keyOf: holder })
      .on('PUT', '/participants/{type}/{id}/{subId}', { kind: 'success', keyOf: holder })
      .on('PUT', '/participants/{type}/{id}/{subId}/error', { kind: 'error', keyOf: holder })
      .on('PUT', '/parties/{type}/{id}', { kind: 'success', keyOf: party })
      .on('PUT', '/parties/{type}/{id}/error', { kind: 'error', keyOf: party })
      .on('PUT', '/parties/{type}/{id}/{subId}', { kind: 'success', keyOf: party })
      .on('PUT', '/parties/{type}/{id}/{subId}/error', { kind: 'error', keyOf: party })
      .on('PUT', '/quotes/{id}', { kind: 'success', keyOf: quote })
      .on('PUT', '/quotes/{id}/error', { kind: 'error', keyOf: quote })
      .on('PUT', '/transfers/{id}', { kind: 'success', keyOf: transfer })
      .on('PUT', '/transfers/{id}/error', { kind: 'error', keyOf: transfer });
  }

  /** Handles HTTP upgrades on the callback port (the WebSocket notification channel); register before `start()`. */
  onUpgrade(handler: Parameters<HttpServer['onUpgrade']>[0]): void {
    this.#server.onUpgrade(handler);
  }

  /** The URL to register with the hub as this DFSP's callback endpoint. */
  get url(): string {
    if (!this.#listenUrl) throw new Error('the callback server has not been started');
    return this.#options.publicUrl ?? this.#listenUrl;
  }

  async start(): Promise<string> {
    try {
      this.#listenUrl = await this.#server.start(this.#options.port, this.#options.host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new EnvironmentUnavailableError(code === 'EADDRINUSE'
        ? `callback port ${this.#options.port} on ${this.#options.host} is already in use; choose another with --callback-port and point the hub's payer endpoint at it`
        : `callback server cannot listen on ${this.#options.host}:${this.#options.port} (${code ?? String(error)})`, [], { cause: error });
    }
    return this.url;
  }

  async stop(): Promise<void> {
    this.correlator.rejectAll(new Error('callback server stopped'));
    await this.#server.stop();
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://callbacks').pathname;
    const route = this.#router.match(request.method ?? 'GET', path);
    if (!route || route === 'method-not-allowed' || route === 'bad-uri') {
      request.resume();
      return this.#reject(response, 'unknown-path', 404, FspiopErrorCode.unknownUri, `${request.method} ${path}`);
    }
    if (!parseFspiopMediaType(request.headers['content-type'])) {
      request.resume();
      return this.#reject(response, 'unsupported-media-type', 415, FspiopErrorCode.malformedSyntax, `Content-Type "${request.headers['content-type'] ?? ''}"`);
    }
    let body: unknown;
    let text: string;
    try {
      text = await readBody(request, this.#options.maxBodyBytes);
      body = JSON.parse(text);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return this.#reject(response, 'oversized', 413, FspiopErrorCode.genericValidationError, error.message);
      }
      return this.#reject(response, 'malformed-json', 400, FspiopErrorCode.malformedSyntax, 'body is not valid JSON');
    }
    const misaddressed = this.#misaddressed(request.headers['fspiop-source'], request.headers['fspiop-destination']);
    if (misaddressed) return this.#reject(response, 'forged', 400, FspiopErrorCode.genericValidationError, misaddressed);
    const verifier = this.#options.security?.verifier;
    let signature: ReceivedCallback['signature'];
    if (verifier) {
      // Before delivery: a callback that fails here never reaches the request it claims to answer.
      const check = verifier.check(request.method ?? 'PUT', path, request.headers, text);
      this.stats.signatures![check.outcome] += 1;
      if (check.outcome === 'refused') return this.#reject(response, 'forged', 400, FspiopErrorCode.invalidSignature, check.reason);
      signature = check.outcome;
    }
    const callback: ReceivedCallback = {
      key: route.handler.keyOf(route.params),
      kind: route.handler.kind,
      path,
      headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)])),
      body,
      receivedAt: performance.now(),
      ...(signature ? { signature } : {}),
    };
    const delivered = this.correlator.deliver(callback);
    if (delivered === 'unknown') {
      return this.#reject(response, 'unknown-id', 404, FspiopErrorCode.genericValidationError, `no request awaits ${callback.key}`);
    }
    if (delivered === 'late') this.stats.late += 1;
    else if (delivered === 'duplicate') {
      this.stats.duplicate += 1;
      this.stats.examples.duplicate ??= `${callback.key} again, from FSPIOP-Source "${callback.headers['fspiop-source']}"`;
    } else this.stats.accepted += 1;
    sendJson(response, 200);
  }

  /** Why the FSPIOP-Source / FSPIOP-Destination of a callback do not fit an answer to one of our DFSPs, if they do not. */
  #misaddressed(source: string | string[] | undefined, destination: string | string[] | undefined): string | undefined {
    const { dfsps, senders } = this.#options.addressing;
    if (typeof destination !== 'string' || !dfsps.includes(destination)) {
      return `FSPIOP-Destination ${JSON.stringify(destination ?? null)} is none of the DFSPs this server answers for (${dfsps.map((dfsp) => `"${dfsp}"`).join(', ')})`;
    }
    if (typeof source !== 'string' || !senders.includes(source)) {
      return `FSPIOP-Source ${JSON.stringify(source ?? null)} is neither the hub nor a counterparty of this DFSP (${senders.join(', ')})`;
    }
    return undefined;
  }

  #reject(response: ServerResponse, reason: RejectionReason, status: number, error: FspiopError, detail: string): void {
    this.stats.rejected[reason] += 1;
    this.stats.examples[reason] ??= detail.slice(0, 200);
    // Close rather than drain: an oversized or hostile sender must not keep the socket busy.
    sendJson(response, status, errorInformation(error, detail), reason === 'oversized' ? { connection: 'close' } : {});
  }
}
