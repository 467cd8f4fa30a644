import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CallbackCorrelator, CallbackTimeoutError, type ReceivedCallback } from './callback-correlator.ts';
import type { CallbackServer } from './callback-server.ts';
import { DEFAULT_ACCEPTED, FSPIOP_VERSION, fspiopHeaders, type FspiopResource, type FspiopVersion } from './headers.ts';
import { joinUrl, withoutQuery } from '../support/url.ts';
import { OutboundError } from './outbound.ts';
import { FspiopTransport } from './fspiop-transport.ts';
import { partyKey, partyPath, quoteRequest, transferPrepare, type AgreedTerms, type PartyId } from './messages.ts';
import type { Money } from './payloads.ts';
import type { ConformanceConfig } from '../config/schema.ts';

export type Operation = 'lookup' | 'quote' | 'quote-query' | 'transfer' | 'transfer-query';

/** One request and the callback that completed it (or did not), with its timings. */
export interface Exchange {
  operation: Operation;
  method: 'GET' | 'POST';
  url: string;
  /** The FSPIOP path of the request (`/quotes`), without the hub URL's own prefix. */
  path: string;
  /** The headers the request was sent with (its signature included once sent; a bearer token never). */
  requestHeaders: Record<string, string>;
  /** The id the callback is correlated by. */
  correlationKey: string;
  requestBody?: unknown;
  /** Wall-clock start, ISO 8601. */
  startedAt: string;
  ack: { status: number; body: string; contentType?: string | undefined; ms: number } | { error: string; ms: number; code?: string | undefined };
  callback?: ReceivedCallback;
  /** Request sent → callback received, in milliseconds. */
  endToEndMs?: number;
  timedOut: boolean;
  /** Why the request was sent twice (the hub closed the connection before answering), when it was. */
  resent?: string;
  /** For a state query: how its answer was told apart from earlier answers for the same id, which a hub may resend meanwhile. */
  answerToldApart?: string;
}

/** How an exchange waits for its callback, beyond the configured timeout. */
export interface ExchangeWait {
  callbackTimeoutMs?: number;
  /** Given the exchange as it stands once the hub accepted it: the same object the promise later resolves to, completed. */
  onAcknowledged?: (exchange: Exchange) => void;
}

export interface PayerDfspOptions {
  hubUrl: string;
  fspId: string;
  callbacks: CallbackServer;
  callbackTimeoutMs: number;
  requestTimeoutMs: number;
  /** The version our requests are written in (default 1.1) and the versions a callback may come in (default: majors 1 and 2). */
  versions?: { send: FspiopVersion; accept: readonly string[] };
  /** What our requests present (certificate, token, signature); default the plain transport. */
  transport?: FspiopTransport | undefined;
}

export interface QuoteRequestInput {
  payer: PartyId;
  payee: PartyId;
  payeeFsp: string;
  amount: Money;
}

/**
 * The payer DFSP as the framework plays it: it sends FSPIOP requests (v1.1 or v2.0) with the proper
 * headers to any hub by URL and waits for each asynchronous callback on its callback server.
 * Every exchange is returned with its timings and also offered to `onExchange` listeners,
 * which is how run-wide evidence (latency series, counts) is collected.
 */
export class PayerDfsp {
  readonly #options: PayerDfspOptions;
  readonly #listeners: Array<(exchange: Exchange) => void> = [];

  constructor(options: PayerDfspOptions) {
    this.#options = options;
  }

  /** One of our DFSPs as the config sets every DFSP up: its timeouts and the FSPIOP versions it sends and accepts. */
  static configured(config: ConformanceConfig, dfsp: { hubUrl: string; fspId: string; callbacks: CallbackServer; transport?: FspiopTransport | undefined }): PayerDfsp {
    return new PayerDfsp({
      ...dfsp, callbackTimeoutMs: config.timeouts.callbackMs, requestTimeoutMs: config.timeouts.requestMs,
      versions: { send: config.fspiop.version, accept: config.fspiop.accept },
    });
  }

  get fspId(): string {
    return this.#options.fspId;
  }

  get hubUrl(): string {
    return this.#options.hubUrl;
  }

  /**
   * This DFSP as a client without credentials: no client certificate, no bearer token, no
   * signature (`FspiopTransport.withoutCredentials`), and the hub URL's query (where gateways take
   * an API key) left off — what a probe of what the hub lets through anonymously sends.
   */
  withoutCredentials(): PayerDfsp {
    return this.#variant({ hubUrl: withoutQuery(this.#options.hubUrl), transport: this.#transport.withoutCredentials() });
  }

  /** This DFSP with every credential but its signature: what a hub that validates FSPIOP-Signature must refuse. */
  withoutSignature(): PayerDfsp {
    return this.#variant({ transport: this.#transport.withoutSignature() });
  }

  /** Whether this DFSP's requests carry an FSPIOP-Signature. */
  get signs(): boolean {
    return this.#transport.withoutSignature() !== this.#transport;
  }

  get #transport(): FspiopTransport {
    return this.#options.transport ?? FspiopTransport.plain();
  }

  #variant(changes: Partial<PayerDfspOptions>): PayerDfsp {
    const variant = new PayerDfsp({ ...this.#options, ...changes });
    for (const listener of this.#listeners) variant.onExchange(listener);
    return variant;
  }

  /**
   * Waits on our callback server for the callback `correlationKey` names, addressed to this DFSP:
   * for a request sent by other means than this driver (a probe's deliberately unsigned one).
   * Call before sending, so an early callback is not missed.
   */
  expectCallback(correlationKey: string, timeoutMs = this.#options.callbackTimeoutMs): { callback: Promise<ReceivedCallback>; cancel(): void } {
    return this.#options.callbacks.correlator.expect(correlationKey, timeoutMs, [], this.fspId);
  }

  onExchange(listener: (exchange: Exchange) => void): void {
    this.#listeners.push(listener);
  }

  lookupParty(party: PartyId): Promise<Exchange> {
    return this.#exchange('lookup', 'GET', partyPath(party), 'parties', CallbackCorrelator.key('parties', partyKey(party)));
  }

  requestQuote(input: QuoteRequestInput): Promise<Exchange> {
    const body = quoteRequest({ quoteId: randomUUID(), transactionId: randomUUID(), payerFsp: this.fspId, ...input });
    return this.#exchange('quote', 'POST', '/quotes', 'quotes', CallbackCorrelator.key('quotes', body.quoteId), body, input.payeeFsp);
  }

  /**
   * `wait.callbackTimeoutMs` replaces the configured wait, e.g. for a transfer whose only answer
   * comes when it expires; `wait.onAcknowledged` is told when the hub accepted the request (202),
   * so the state in between (a reservation) can be read while the callback is awaited.
   */
  prepareTransfer(input: { payeeFsp: string; amount: Money; terms: AgreedTerms }, wait: ExchangeWait = {}): Promise<Exchange> {
    return this.sendTransfer(transferPrepare({ transferId: randomUUID(), payerFsp: this.fspId, ...input }), wait);
  }

  /** POST /transfers with this body as it is: a resend of a transfer, or one with a changed body under a known id. */
  sendTransfer(body: ReturnType<typeof transferPrepare>, wait: ExchangeWait = {}): Promise<Exchange> {
    return this.#exchange('transfer', 'POST', '/transfers', 'transfers', CallbackCorrelator.key('transfers', body.transferId), body, body.payeeFsp, wait);
  }

  /**
   * GET /transfers/{id}. `earlierAnswers`: the callbacks already received for this transfer — a
   * copy of one of them arriving meanwhile is not the answer to this query.
   */
  queryTransfer(transferId: string, earlierAnswers: readonly (ReceivedCallback | undefined)[] = []): Promise<Exchange> {
    return this.#exchange('transfer-query', 'GET', `/transfers/${encodeURIComponent(transferId)}`, 'transfers', CallbackCorrelator.key('transfers', transferId),
      undefined, undefined, { earlierAnswers: present(earlierAnswers) });
  }

  /** GET /quotes/{id}: the hub routes it to the payee DFSP, which answers with the quote's terms again. `earlierAnswers` as for `queryTransfer`. */
  queryQuote(quoteId: string, payeeFsp: string, earlierAnswers: readonly (ReceivedCallback | undefined)[] = []): Promise<Exchange> {
    return this.#exchange('quote-query', 'GET', `/quotes/${encodeURIComponent(quoteId)}`, 'quotes', CallbackCorrelator.key('quotes', quoteId),
      undefined, payeeFsp, { earlierAnswers: present(earlierAnswers) });
  }

  async #exchange(operation: Operation, method: 'GET' | 'POST', path: string, resource: FspiopResource,
    correlationKey: string, requestBody?: unknown, destination?: string, wait: ExchangeWait & { earlierAnswers?: readonly ReceivedCallback[] } = {}): Promise<Exchange> {
    const { callbackTimeoutMs = this.#options.callbackTimeoutMs, earlierAnswers = [], onAcknowledged } = wait;
    await untilDatesDiffer(earlierAnswers);
    const url = joinUrl(this.#options.hubUrl, path);
    const expected = this.#options.callbacks.correlator.expect(correlationKey, callbackTimeoutMs, earlierAnswers, this.fspId);
    // The timeout may fire while the request is still in flight; it is read below, never left unhandled.
    expected.callback.catch(() => undefined);
    const startedAt = new Date().toISOString();
    const started = performance.now();
    const versions = this.#options.versions;
    const requestHeaders = fspiopHeaders({ resource, source: this.fspId, destination, version: versions?.send ?? FSPIOP_VERSION, accepted: versions?.accept ?? DEFAULT_ACCEPTED });
    const exchange: Exchange = { operation, method, url, path, requestHeaders, correlationKey, requestBody, startedAt, ack: { error: 'not sent', ms: 0 }, timedOut: false };
    if (earlierAnswers.length > 0) {
      exchange.answerToldApart = `a GET carries no request id: sent after the second of the Date of the ${earlierAnswers.length} earlier callback${earlierAnswers.length > 1 ? 's' : ''} for this id (allowing the hub's clock ${HUB_CLOCK_BEHIND_MS} ms behind), a callback with the same body and Date as one of them is a resent copy, not the answer`;
    }
    try {
      // A hub slow to acknowledge under load is measured as slow, never sent the request twice.
      const result = await this.#transport.send({
        method, url, resource, source: this.fspId, destination, headers: requestHeaders, body: requestBody, timeoutMs: this.#options.requestTimeoutMs, detectSilentPeer: false,
      });
      // As sent: a signature is made over the serialised body, after these headers were written.
      exchange.requestHeaders = result.sentHeaders;
      exchange.ack = { status: result.status, body: result.body.slice(0, 2048), contentType: result.contentType, ms: result.elapsedMs };
      if (result.resent) exchange.resent = result.resent;
      if (result.status !== 202) {
        expected.cancel();
        return this.#emit(exchange);
      }
      onAcknowledged?.(exchange);
      exchange.callback = await expected.callback;
      // A resent prepare (ours, on a dead connection) may be answered with the transfer's state while it
      // is still in flight — the specification's answer to a duplicate: the final state is still to come.
      while (operation === 'transfer' && isInFlightState(exchange.callback)) {
        const leftMs = callbackTimeoutMs - (performance.now() - started);
        if (leftMs <= 0) throw new CallbackTimeoutError(correlationKey, callbackTimeoutMs);
        exchange.callback = await this.#options.callbacks.correlator.expect(correlationKey, leftMs, [], this.fspId).callback;
      }
      exchange.endToEndMs = exchange.callback.receivedAt - started;
    } catch (error) {
      expected.cancel();
      if (error instanceof CallbackTimeoutError) exchange.timedOut = true;
      // Only a request that got no answer failed on the network; a wait for its callback cut short
      // (the run stopping) keeps the answer the hub gave.
      else if ('error' in exchange.ack) exchange.ack = { error: describeNetworkError(error, url), ms: performance.now() - started, code: errorCode(error) };
    }
    return this.#emit(exchange);
  }

  #emit(exchange: Exchange): Exchange {
    for (const listener of this.#listeners) listener(exchange);
    return exchange;
  }
}

/**
 * How far behind ours the hub's clock may be for a state query's answer to be told apart from an
 * earlier answer by its Date (which has a resolution of one second).
 */
const HUB_CLOCK_BEHIND_MS = 500;

/**
 * A state query's answer may repeat an earlier answer's body exactly (the same state): only its
 * Date shows it is a message of its own. Sent once the earlier Dates' second has passed on the
 * hub's clock too, a true answer carries a later Date than any copy of an earlier one.
 */
async function untilDatesDiffer(earlierAnswers: readonly ReceivedCallback[]): Promise<void> {
  const latest = Math.max(...earlierAnswers.map((answer) => Date.parse(answer.headers.date ?? '')).filter(Number.isFinite));
  if (!Number.isFinite(latest)) return;
  const waitMs = latest + 1000 + HUB_CLOCK_BEHIND_MS - Date.now();
  if (waitMs > 0) await sleep(waitMs);
}

function present(callbacks: readonly (ReceivedCallback | undefined)[]): ReceivedCallback[] {
  return callbacks.filter((callback): callback is ReceivedCallback => callback !== undefined);
}

function isInFlightState(callback: ReceivedCallback): boolean {
  const state = callback.kind === 'success' ? (callback.body as { transferState?: unknown } | null)?.transferState : undefined;
  return state === 'RECEIVED' || state === 'RESERVED';
}

function errorCode(error: unknown): string | undefined {
  return error instanceof OutboundError ? error.code : (error as NodeJS.ErrnoException).code;
}

function describeNetworkError(error: unknown, url: string): string {
  const code = errorCode(error);
  const host = new URL(url).host;
  if (code === 'ECONNREFUSED') return `connection refused by ${host} — is the hub running there?`;
  if (code === 'TIMEOUT') return `no answer from ${host} within the request timeout`;
  if (code === 'ECONNRESET' || code === 'EPIPE') return `connection to ${host} closed before an answer (${code})`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host ${new URL(url).hostname} not found`;
  if (code === 'RESPONSE_TOO_LARGE') return `the hub's ${(error as Error).message}`;
  return `${(error as Error).message}${code ? ` (${code})` : ''}`;
}
