import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpServer, readBody, sendJson } from '../support/http-server.ts';
import type { FspiopResource } from '../fspiop/headers.ts';
import { sendFspiop, type OutboundTransport } from '../fspiop/outbound.ts';

export interface StubHubOptions {
  /** Where the payer's callbacks go (its callback server). */
  payerCallbackUrl: string;
  payeeFsp: string;
  /** How long a callback may take to deliver. Default 10 s. */
  callbackTimeoutMs?: number;
  /** What its FSPIOP messages present (certificate, token, signature): a secured hub's; default none. */
  transport?: OutboundTransport | undefined;
}

/** A well-formed ILP packet for the quote callback: the stub's only packet (nothing decodes it). */
const ILP_PACKET = Buffer.from('conformance stub hub: no ledger, no validation; one packet for every quote').toString('base64url');

/**
 * A hub that is nothing but fast: every FSPIOP request is acknowledged with 202 and answered at
 * once with the callback the payer expects — the payee's party, terms for the amount asked, the
 * transfer COMMITTED with a fulfilment of the condition — with no ledger, no validation and no
 * payee behind it. What a load runner achieves against it is the runner's own capacity (the
 * bench), and `stall` makes it stop answering on demand (tests of a runner under a stalled hub).
 */
export class StubHub {
  readonly #options: StubHubOptions;
  readonly #server: HttpServer;
  /** One fulfilment for every transfer: the runner checks SHA-256(fulfilment) = condition, nothing more. */
  readonly #fulfilment = randomBytes(32).toString('base64url');
  readonly #condition = createHash('sha256').update(Buffer.from(this.#fulfilment, 'base64url')).digest('base64url');
  #stalledUntil = 0;
  #requests = 0;

  constructor(options: StubHubOptions) {
    this.#options = options;
    this.#server = new HttpServer((request, response) => this.#handle(request, response), (error) => ({ errorInformation: { errorCode: '2001', errorDescription: String(error) } }));
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    return this.#server.start(port, host);
  }

  get url(): string {
    return this.#server.url;
  }

  /** FSPIOP requests received so far. */
  get requests(): number {
    return this.#requests;
  }

  /** From now on, for `ms`, no request is acknowledged: each waits, unanswered, until the stall ends. */
  stall(ms: number): void {
    this.#stalledUntil = Date.now() + ms;
  }

  stop(): Promise<void> {
    return this.#server.stop();
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.#requests += 1;
    const text = await readBody(request, 65_536);
    const waitMs = this.#stalledUntil - Date.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    const path = new URL(request.url ?? '/', 'http://stub').pathname;
    const source = String(request.headers['fspiop-source'] ?? '');
    const callback = this.#callbackFor(request.method ?? 'GET', path, text ? JSON.parse(text) as Record<string, unknown> : {});
    if (!callback) return sendJson(response, 404, { errorInformation: { errorCode: '3002', errorDescription: `the stub hub serves GET /parties, POST /quotes and POST /transfers, not ${request.method} ${path}` } });
    sendJson(response, 202);
    this.#server.background(() => this.#deliver(callback, source).then(() => undefined));
  }

  #callbackFor(method: string, path: string, body: Record<string, unknown>): { resource: FspiopResource; path: string; body: unknown } | undefined {
    const party = /^\/parties\/([^/]+)\/([^/]+)$/.exec(path);
    if (method === 'GET' && party) {
      const [, type, id] = party;
      return { resource: 'parties', path, body: { party: { partyIdInfo: { partyIdType: decodeURIComponent(type!), partyIdentifier: decodeURIComponent(id!), fspId: this.#options.payeeFsp } } } };
    }
    if (method === 'POST' && path === '/quotes') {
      const expiration = new Date(Date.now() + 60_000).toISOString();
      return { resource: 'quotes', path: `/quotes/${String(body.quoteId)}`, body: { transferAmount: body.amount, expiration, ilpPacket: ILP_PACKET, condition: this.#condition } };
    }
    if (method === 'POST' && path === '/transfers') {
      return { resource: 'transfers', path: `/transfers/${String(body.transferId)}`, body: { transferState: 'COMMITTED', fulfilment: this.#fulfilment, completedTimestamp: new Date().toISOString() } };
    }
    return undefined;
  }

  #deliver(callback: { resource: FspiopResource; path: string; body: unknown }, payerFsp: string) {
    return sendFspiop({
      method: 'PUT', url: `${this.#options.payerCallbackUrl.replace(/\/+$/, '')}${callback.path}`, resource: callback.resource,
      source: this.#options.payeeFsp, destination: payerFsp, body: callback.body, timeoutMs: this.#options.callbackTimeoutMs ?? 10_000, signal: this.#server.signal,
    }, this.#options.transport);
  }
}
