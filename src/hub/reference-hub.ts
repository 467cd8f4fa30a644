import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ZodType } from 'zod';
import { errorInformation, FspiopErrorCode, type FspiopError } from '../fspiop/error-codes.ts';
import { parseFspiopMediaType, type FspiopResource } from '../fspiop/headers.ts';
import { fulfilmentMatchesCondition } from '../fspiop/ilp-condition.ts';
import { sendFspiop } from '../fspiop/outbound.ts';
import { describeZodError, QuotesPost, TransfersPost, TransfersPut } from '../fspiop/payloads.ts';
import { Router } from '../fspiop/router.ts';
import { systemClock, type Clock, type ClockTimer } from '../support/clock.ts';
import { BodyTooLargeError, HttpServer, readBody, sendJson } from '../support/http-server.ts';
import { joinUrl } from '../support/url.ts';
import { ParticipantRegistry, type Participant } from './participant-registry.ts';
import { PartyOracle } from './party-oracle.ts';
import { TransferBook, type TransferRecord } from './transfer-book.ts';

export interface ReferenceHubOptions {
  host?: string;
  port?: number;
  /** Timeout of each callback the hub delivers to a participant. */
  deliveryTimeoutMs?: number;
  maxBodyBytes?: number;
  /** Decides when reserved transfers expire (tests advance it by hand). */
  clock?: Clock;
  /** Holds every callback (PUT) the hub delivers this long: a known latency, to measure a load runner's own overhead. */
  callbackDelayMs?: number;
}

interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  params: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  source: Participant;
}

type Handler = (exchange: Exchange) => void | Promise<void>;

const MAX_TIMER_MS = 2 ** 31 - 1;

interface RouteSpec {
  resource: FspiopResource;
  handler: Handler;
}

/**
 * A reference Mojaloop switch for FSPIOP v1.1: account lookup, quotes and transfers, each
 * acknowledged with 202 and completed by an asynchronous PUT callback relayed between the
 * payer and payee DFSPs. The hub validates headers and bodies, keeps transfer state and checks
 * the fulfilment against the condition before it commits, as central-ledger does.
 */
export class ReferenceHub {
  readonly participants = new ParticipantRegistry();
  readonly oracle = new PartyOracle();
  readonly transfers = new TransferBook();

  readonly #options: Required<Omit<ReferenceHubOptions, 'clock'>>;
  readonly #router = new Router<RouteSpec>();
  readonly #server = new HttpServer((request, response) => this.#handle(request, response),
    (error) => errorInformation(FspiopErrorCode.internalServerError, String(error)));
  /** Reserved transfers awaiting their fulfil, each with a timer at its expiration (central-ledger's timeout handler). */
  readonly #expiryTimers = new Map<string, ClockTimer>();
  readonly #clock: Clock;

  constructor(options: ReferenceHubOptions = {}) {
    this.#options = {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      deliveryTimeoutMs: options.deliveryTimeoutMs ?? 10_000,
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
      callbackDelayMs: options.callbackDelayMs ?? 0,
    };
    this.#clock = options.clock ?? systemClock;
    this.#router
      .on('GET', '/parties/{type}/{id}', { resource: 'parties', handler: (x) => this.#getParties(x) })
      .on('PUT', '/parties/{type}/{id}', { resource: 'parties', handler: (x) => this.#relayCallback(x, 'parties') })
      .on('PUT', '/parties/{type}/{id}/error', { resource: 'parties', handler: (x) => this.#relayCallback(x, 'parties') })
      .on('POST', '/quotes', { resource: 'quotes', handler: (x) => this.#postQuotes(x) })
      .on('PUT', '/quotes/{id}', { resource: 'quotes', handler: (x) => this.#relayCallback(x, 'quotes') })
      .on('PUT', '/quotes/{id}/error', { resource: 'quotes', handler: (x) => this.#relayCallback(x, 'quotes') })
      .on('POST', '/transfers', { resource: 'transfers', handler: (x) => this.#postTransfers(x) })
      .on('GET', '/transfers/{id}', { resource: 'transfers', handler: (x) => this.#getTransfer(x) })
      .on('PUT', '/transfers/{id}', { resource: 'transfers', handler: (x) => this.#putTransfer(x) })
      .on('PUT', '/transfers/{id}/error', { resource: 'transfers', handler: (x) => this.#putTransferError(x) });
  }

  get url(): string {
    return this.#server.url;
  }

  start(): Promise<string> {
    return this.#server.start(this.#options.port, this.#options.host);
  }

  async stop(): Promise<void> {
    for (const timer of this.#expiryTimers.values()) this.#clock.clearTimeout(timer);
    this.#expiryTimers.clear();
    await this.#server.stop();
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://hub').pathname;
    if (request.method === 'GET' && path === '/health') {
      sendJson(response, 200, { status: 'OK', participants: this.participants.list().length });
      return;
    }
    const match = this.#router.match(request.method ?? 'GET', path);
    if (match === undefined) return this.#reject(response, 404, FspiopErrorCode.unknownUri, `${request.method} ${path}`);
    if (match === 'method-not-allowed') return this.#reject(response, 405, FspiopErrorCode.genericClientError, `${request.method} not allowed on ${path}`);
    if (match === 'bad-uri') return this.#reject(response, 400, FspiopErrorCode.malformedSyntax, `malformed percent escape in ${path}`);

    const headers = normaliseHeaders(request);
    const problem = checkHeaders(headers, match.handler.resource, request.method ?? 'GET');
    if (problem) return this.#reject(response, 400, problem.error, problem.detail);
    const source = this.participants.get(headers['fspiop-source']);
    if (!source) return this.#reject(response, 400, FspiopErrorCode.payerFspIdNotFound, `FSPIOP-Source "${headers['fspiop-source']}" is not a participant of this hub`);

    let body: unknown;
    if (request.method !== 'GET') {
      try {
        body = JSON.parse(await readBody(request, this.#options.maxBodyBytes));
      } catch (error) {
        if (error instanceof BodyTooLargeError) return this.#reject(response, 413, FspiopErrorCode.genericValidationError, error.message);
        return this.#reject(response, 400, FspiopErrorCode.malformedSyntax, 'body is not valid JSON');
      }
    }
    await match.handler.handler({ request, response, params: match.params, headers, body, source });
  }

  #reject(response: ServerResponse, status: number, error: FspiopError, detail: string): void {
    sendJson(response, status, errorInformation(error, detail));
  }

  #parse<T>(exchange: Exchange, schema: ZodType<T>): T | undefined {
    const result = schema.safeParse(exchange.body);
    if (result.success) return result.data;
    this.#reject(exchange.response, 400, FspiopErrorCode.genericValidationError, describeZodError(result.error));
    return undefined;
  }

  /** Runs after the synchronous answer; tracked so `stop()` can wait for it. */
  #later(work: () => Promise<void>): void {
    this.#server.background(work);
  }

  async #deliver(to: Participant, method: 'GET' | 'POST' | 'PUT', path: string, resource: FspiopResource,
    headers: Record<string, string>, body?: unknown): Promise<void> {
    if (this.#server.signal.aborted) return;
    if (!to.endpoint) throw new Error(`participant ${to.fspId} has no callback endpoint`);
    if (method === 'PUT' && this.#options.callbackDelayMs > 0) await sleep(this.#options.callbackDelayMs, undefined, { signal: this.#server.signal });
    await sendFspiop({
      method, url: joinUrl(to.endpoint, path), resource, body,
      source: headers['fspiop-source'] ?? 'switch',
      destination: headers['fspiop-destination'],
      headers: pick(headers, ['content-type', 'accept', 'date', 'fspiop-source', 'fspiop-destination']),
      timeoutMs: this.#options.deliveryTimeoutMs,
      signal: this.#server.signal,
    });
  }

  /** The hub itself reports an error to a participant: PUT {resource}/{id}/error from the switch. */
  async #sendError(to: Participant, path: string, resource: FspiopResource, error: FspiopError, detail?: string): Promise<void> {
    await this.#deliver(to, 'PUT', `${path}/error`, resource,
      { 'fspiop-source': 'switch', 'fspiop-destination': to.fspId, date: new Date().toUTCString(), 'content-type': `application/vnd.interoperability.${resource}+json;version=1.1` },
      errorInformation(error, detail));
  }

  #getParties({ response, params, headers, source }: Exchange): void {
    sendJson(response, 202);
    const path = `/parties/${encodeURIComponent(params.type!)}/${encodeURIComponent(params.id!)}`;
    this.#later(async () => {
      const owner = this.participants.get(this.oracle.ownerOf(params.type!, params.id!));
      if (!owner) return this.#sendError(source, path, 'parties', FspiopErrorCode.partyNotFound);
      await this.#deliver(owner, 'GET', path, 'parties', { ...headers, 'fspiop-destination': owner.fspId });
    });
  }

  /** PUT callbacks from one DFSP are relayed unchanged to the DFSP named in FSPIOP-Destination. */
  #relayCallback({ request, response, headers, body }: Exchange, resource: FspiopResource): void {
    const destination = this.participants.get(headers['fspiop-destination']);
    if (!destination) {
      return this.#reject(response, 400, FspiopErrorCode.destinationFspError, `FSPIOP-Destination "${headers['fspiop-destination'] ?? ''}" is not a participant of this hub`);
    }
    sendJson(response, 200);
    const path = new URL(request.url ?? '/', 'http://hub').pathname;
    this.#later(() => this.#deliver(destination, 'PUT', path, resource, headers, body));
  }

  #postQuotes(exchange: Exchange): void {
    const quote = this.#parse(exchange, QuotesPost);
    if (!quote) return;
    const { response, headers, source } = exchange;
    sendJson(response, 202);
    this.#later(async () => {
      const payee = this.participants.get(headers['fspiop-destination'] ?? quote.payee.partyIdInfo.fspId);
      if (!payee) return this.#sendError(source, `/quotes/${quote.quoteId}`, 'quotes', FspiopErrorCode.payeeFspIdNotFound, `"${headers['fspiop-destination'] ?? ''}"`);
      await this.#deliver(payee, 'POST', '/quotes', 'quotes', { ...headers, 'fspiop-destination': payee.fspId }, quote);
    });
  }

  #postTransfers(exchange: Exchange): void {
    const transfer = this.#parse(exchange, TransfersPost);
    if (!transfer) return;
    const { response, headers, source } = exchange;
    sendJson(response, 202);
    const path = `/transfers/${transfer.transferId}`;
    this.#later(async () => {
      const existing = this.transfers.get(transfer.transferId);
      if (existing) {
        if (existing.requestHash !== TransferBook.hash(transfer)) {
          return this.#sendError(source, path, 'transfers', FspiopErrorCode.modifiedRequest, 'a different transfer with this id exists');
        }
        // A resent prepare of a finished transfer gets its final state again; one in flight is ignored.
        if (existing.state === 'COMMITTED' || existing.state === 'ABORTED') await this.#notifyState(source, existing);
        return;
      }
      if (transfer.payerFsp !== source.fspId) {
        return this.#sendError(source, path, 'transfers', FspiopErrorCode.genericValidationError, `payerFsp "${transfer.payerFsp}" does not match FSPIOP-Source "${source.fspId}"`);
      }
      const payee = this.participants.get(transfer.payeeFsp);
      if (!payee) return this.#sendError(source, path, 'transfers', FspiopErrorCode.payeeFspIdNotFound, `"${transfer.payeeFsp}"`);
      const currency = transfer.amount.currency;
      if (!source.currencies.includes(currency) || !payee.currencies.includes(currency)) {
        return this.#sendError(source, path, 'transfers', FspiopErrorCode.genericValidationError, `currency ${currency} is not enabled for both participants`);
      }
      if (Date.parse(transfer.expiration) <= this.#clock.now()) {
        return this.#sendError(source, path, 'transfers', FspiopErrorCode.transferExpired);
      }
      this.#armExpiry(this.transfers.reserve(transfer));
      await this.#deliver(payee, 'POST', '/transfers', 'transfers', { ...headers, 'fspiop-destination': payee.fspId }, transfer);
    });
  }

  #putTransfer(exchange: Exchange): void {
    const fulfil = this.#parse(exchange, TransfersPut);
    if (!fulfil) return;
    const { response, params, source } = exchange;
    const record = this.transfers.get(params.id!);
    const path = `/transfers/${params.id}`;
    sendJson(response, 200);
    this.#later(async () => {
      if (!record || record.request.payeeFsp !== source.fspId) {
        return this.#sendError(source, path, 'transfers', FspiopErrorCode.transferIdNotFound);
      }
      if (record.state !== 'RESERVED') {
        return this.#sendError(source, path, 'transfers', FspiopErrorCode.genericValidationError, `transfer is already ${record.state}`);
      }
      const payer = this.participants.get(record.request.payerFsp)!;
      if (fulfil.transferState !== 'COMMITTED') {
        return this.#sendError(source, path, 'transfers', FspiopErrorCode.genericValidationError, `transferState ${fulfil.transferState} is not a fulfil; reject with PUT ${path}/error`);
      }
      this.#disarmExpiry(record);
      if (Date.parse(record.request.expiration) <= this.#clock.now()) {
        this.transfers.abort(record);
        await Promise.all([
          this.#sendError(source, path, 'transfers', FspiopErrorCode.transferExpired),
          this.#sendError(payer, path, 'transfers', FspiopErrorCode.transferExpired),
        ]);
        return;
      }
      if (!fulfil.fulfilment || !fulfilmentMatchesCondition(fulfil.fulfilment, record.request.condition)) {
        this.transfers.abort(record);
        await Promise.all([
          this.#sendError(source, path, 'transfers', FspiopErrorCode.genericValidationError, 'invalid fulfilment'),
          this.#sendError(payer, path, 'transfers', FspiopErrorCode.genericValidationError, 'invalid fulfilment'),
        ]);
        return;
      }
      this.transfers.commit(record, fulfil.fulfilment, fulfil.completedTimestamp ?? new Date().toISOString());
      await this.#notifyState(payer, record);
    });
  }

  #putTransferError({ response, params, source, headers, body }: Exchange): void {
    const record = this.transfers.get(params.id!);
    if (!record || record.request.payeeFsp !== source.fspId) {
      return this.#reject(response, 404, FspiopErrorCode.transferIdNotFound, params.id!);
    }
    sendJson(response, 200);
    if (record.state !== 'RESERVED') return;
    this.#disarmExpiry(record);
    this.transfers.abort(record);
    const payer = this.participants.get(record.request.payerFsp)!;
    this.#later(() => this.#deliver(payer, 'PUT', `/transfers/${params.id}/error`, 'transfers', { ...headers, 'fspiop-destination': payer.fspId }, body));
  }

  #getTransfer({ response, params, source }: Exchange): void {
    sendJson(response, 202);
    const record = this.transfers.get(params.id!);
    this.#later(async () => {
      if (!record || (record.request.payerFsp !== source.fspId && record.request.payeeFsp !== source.fspId)) {
        return this.#sendError(source, `/transfers/${params.id}`, 'transfers', FspiopErrorCode.transferIdNotFound);
      }
      await this.#notifyState(source, record);
    });
  }

  #armExpiry(record: TransferRecord): void {
    if (this.#server.signal.aborted) return;
    const remaining = Date.parse(record.request.expiration) - this.#clock.now();
    // setTimeout cannot wait longer than 2^31-1 ms (~24.8 days): wait in steps until the expiration.
    if (remaining > MAX_TIMER_MS) {
      this.#expiryTimers.set(record.request.transferId, this.#clock.setTimeout(() => this.#armExpiry(record), MAX_TIMER_MS));
      return;
    }
    this.#expiryTimers.set(record.request.transferId, this.#clock.setTimeout(() => {
      this.#expiryTimers.delete(record.request.transferId);
      if (record.state !== 'RESERVED') return;
      this.transfers.abort(record);
      const path = `/transfers/${record.request.transferId}`;
      const parties = [record.request.payerFsp, record.request.payeeFsp].map((fsp) => this.participants.get(fsp)).filter((p) => p !== undefined);
      this.#later(async () => {
        await Promise.all(parties.map((party) => this.#sendError(party, path, 'transfers', FspiopErrorCode.transferExpired)));
      });
    }, Math.max(0, remaining)));
  }

  #disarmExpiry(record: TransferRecord): void {
    this.#clock.clearTimeout(this.#expiryTimers.get(record.request.transferId));
    this.#expiryTimers.delete(record.request.transferId);
  }

  async #notifyState(to: Participant, record: TransferRecord): Promise<void> {
    const body = {
      transferState: record.state,
      ...(record.fulfilment ? { fulfilment: record.fulfilment } : {}),
      ...(record.completedTimestamp ? { completedTimestamp: record.completedTimestamp } : {}),
    };
    await this.#deliver(to, 'PUT', `/transfers/${record.request.transferId}`, 'transfers',
      { 'fspiop-source': 'switch', 'fspiop-destination': to.fspId, date: new Date().toUTCString(), 'content-type': 'application/vnd.interoperability.transfers+json;version=1.1' },
      body);
  }
}

function normaliseHeaders(request: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') out[name.toLowerCase()] = value;
    else if (Array.isArray(value) && value[0] !== undefined) out[name.toLowerCase()] = value[0];
  }
  return out;
}

function checkHeaders(headers: Record<string, string>, resource: FspiopResource, method: string): { error: FspiopError; detail: string } | undefined {
  const missing = ['content-type', 'date', 'fspiop-source'].filter((name) => !headers[name]);
  if (method !== 'PUT' && !headers.accept) missing.push('accept');
  if (missing.length > 0) return { error: FspiopErrorCode.missingMandatoryElement, detail: `header ${missing.join(', ')}` };
  const type = parseFspiopMediaType(headers['content-type']);
  if (!type || type.resource !== resource || type.major !== 1) {
    return { error: FspiopErrorCode.malformedSyntax, detail: `Content-Type "${headers['content-type']}" is not application/vnd.interoperability.${resource}+json;version=1.x` };
  }
  if (Number.isNaN(Date.parse(headers.date!))) return { error: FspiopErrorCode.malformedSyntax, detail: `Date "${headers.date}" is not an HTTP date` };
  return undefined;
}

function pick(headers: Record<string, string>, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) if (headers[name] !== undefined) out[name] = headers[name];
  return out;
}
