import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { HubFaultsConfig } from '../config/schema.ts';
import { errorInformation, FspiopErrorCode, type FspiopError } from '../fspiop/error-codes.ts';
import { contentType, definitionFor, FSPIOP_VERSION, parseAcceptHeader, parseFspiopMediaType, versionOf, type FspiopResource, type FspiopVersion } from '../fspiop/headers.ts';
import { fulfilmentMatchesCondition } from '../fspiop/ilp-condition.ts';
import { partyKey, partyPath } from '../fspiop/messages.ts';
import { sendFspiop, type OutboundTransport } from '../fspiop/outbound.ts';
import { describeZodError, QuotesPost, TransfersPost, TransfersPut } from '../fspiop/payloads.ts';
import { Router } from '../fspiop/router.ts';
import { systemClock, type Clock, type ClockTimer } from '../support/clock.ts';
import { BodyTooLargeError, HttpServer, readBody, sendJson } from '../support/http-server.ts';
import { CALLBACK_BASE_URL, callbackUrl } from './callback-routing.ts';
import { HubFaults } from './hub-faults.ts';
import { HUB_SCOPES, type HubSecurity } from './hub-security.ts';
import { bookable, fromUnits, MAX_AMOUNT, toUnits } from './ledger-amount.ts';
import { HUB_ACCOUNT_TYPES, HubLedger, type LedgerTransfer } from './ledger.ts';
import { LedgerUnavailableError, SqliteLedgerStore, type LedgerStore } from './ledger-store.ts';
import { PartyOracle } from './party-oracle.ts';

export interface ReferenceHubOptions {
  /** What its FSPIOP messages present (certificate, token, signature): a secured hub's; default none. */
  transport?: OutboundTransport | undefined;
  host?: string;
  port?: number;
  /** Timeout of each callback the hub delivers to a participant. */
  deliveryTimeoutMs?: number;
  maxBodyBytes?: number;
  /** Decides when reserved transfers expire (tests advance it by hand). */
  clock?: Clock;
  /** Holds every callback (PUT) the hub delivers this long: a known latency, to measure a load runner's own overhead. */
  callbackDelayMs?: number;
  /** The books in SQLite; by default a fresh one in memory. */
  ledger?: HubLedger;
  /** The books anywhere else (MySQL: `--ledger mysql://…`); wins over `ledger`. */
  store?: LedgerStore;
  faults?: HubFaultsConfig;
  /** What a `crashAfterTransfers` fault does; by default the process dies at once, as under kill -9. */
  crash?: () => void;
  /** The version the hub writes its own callbacks in (errors, expiries, GET answers), as Mojaloop's PROTOCOL_VERSIONS.CONTENT.DEFAULT; default 1.1. */
  fspiopVersion?: FspiopVersion;
  /** Serve fully secured (mutual TLS, bearer tokens, JWS; `HubSecurity`); absent, plain and open as the development tiers run it. */
  security?: HubSecurity;
}

export { CALLBACK_BASE_URL } from './callback-routing.ts';

/** The FSPIOP-Source the hub sends its own callbacks with (errors, state notifications): central-ledger's default HUB_NAME. */
export const HUB_SOURCE = 'Hub';

interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  params: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  source: string;
}

type Handler = (exchange: Exchange) => void | Promise<void>;

const MAX_TIMER_MS = 2 ** 31 - 1;

interface RouteSpec {
  resource: FspiopResource;
  handler: Handler;
}

/**
 * A reference Mojaloop switch for FSPIOP v1.1: account lookup, quotes and transfers, each
 * acknowledged with 202 and completed by an asynchronous PUT callback relayed between the payer
 * and payee DFSPs. Transfers are two-phase, as in central-ledger: the prepare reserves the payer's
 * position within its net debit cap (or is refused, 4200), the fulfil is checked against the
 * condition and commits, a rejection or the expiry aborts and releases. Resent requests follow
 * the specification's duplicate rules. Its books are a `HubLedger` (SQLite).
 */
export class ReferenceHub {
  readonly oracle = new PartyOracle();
  readonly store: LedgerStore;
  readonly faults: HubFaults;

  readonly #options: Required<Omit<ReferenceHubOptions, 'clock' | 'ledger' | 'store' | 'faults' | 'crash' | 'security' | 'transport'>>;
  readonly #transport: OutboundTransport | undefined;
  readonly #router = new Router<RouteSpec>();
  readonly #security: HubSecurity | undefined;
  readonly #server: HttpServer;
  /** Reserved transfers awaiting their fulfil, each with a timer at its expiration (central-ledger's timeout handler). */
  readonly #expiryTimers = new Map<string, ClockTimer>();
  readonly #clock: Clock;
  readonly #crash: () => void;
  /** Deliveries that finally failed, per participant, with the last reason: shown on /health, never silently dropped. */
  readonly #failedDeliveries = new Map<string, { count: number; last: string }>();

  /** The SQLite books, read synchronously by tests and probes of the embedded target; a hub on MySQL has none. */
  get ledger(): HubLedger {
    if (!(this.store instanceof SqliteLedgerStore)) throw new Error(`this hub keeps its books in ${this.store.description}: read them through its store`);
    return this.store.ledger;
  }

  /** The version the hub writes its own callbacks in. */
  get fspiopVersion(): FspiopVersion {
    return this.#options.fspiopVersion;
  }

  constructor(options: ReferenceHubOptions = {}) {
    this.#options = {
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      deliveryTimeoutMs: options.deliveryTimeoutMs ?? 10_000,
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
      callbackDelayMs: options.callbackDelayMs ?? 0,
      fspiopVersion: options.fspiopVersion ?? FSPIOP_VERSION,
    };
    // Secured, the hub calls DFSPs with its own certificate and signs what it writes itself.
    this.#transport = options.security?.transport ?? options.transport;
    this.#clock = options.clock ?? systemClock;
    this.#security = options.security;
    this.#server = new HttpServer((request, response) => this.#handle(request, response),
      (error) => errorInformation(FspiopErrorCode.internalServerError, String(error)), { tls: options.security?.mutualTls });
    this.store = options.store ?? new SqliteLedgerStore(options.ledger ?? new HubLedger());
    this.faults = new HubFaults(options.faults);
    this.#crash = options.crash ?? (() => process.kill(process.pid, 'SIGKILL'));
    const parties = (suffix: string, handler: Handler): [string, RouteSpec][] => [
      [`/parties/{type}/{id}${suffix}`, { resource: 'parties', handler }],
      [`/parties/{type}/{id}/{subId}${suffix}`, { resource: 'parties', handler }],
    ];
    for (const [path, spec] of parties('', (x) => this.#getParties(x))) this.#router.on('GET', path, spec);
    for (const [path, spec] of [...parties('', (x) => this.#relayCallback(x, 'parties')), ...parties('/error', (x) => this.#relayCallback(x, 'parties'))]) this.#router.on('PUT', path, spec);
    const participants = (suffix: string): string[] => [`/participants/{type}/{id}${suffix}`, `/participants/{type}/{id}/{subId}${suffix}`];
    for (const path of participants('')) {
      this.#router.on('GET', path, { resource: 'participants', handler: (x) => this.#getParticipants(x) });
      this.#router.on('POST', path, { resource: 'participants', handler: (x) => this.#postParticipants(x) });
      this.#router.on('PUT', path, { resource: 'participants', handler: (x) => this.#relayCallback(x, 'participants') });
    }
    for (const path of participants('/error')) this.#router.on('PUT', path, { resource: 'participants', handler: (x) => this.#relayCallback(x, 'participants') });
    this.#router
      .on('POST', '/quotes', { resource: 'quotes', handler: (x) => this.#postQuotes(x) })
      .on('GET', '/quotes/{id}', { resource: 'quotes', handler: (x) => this.#getQuote(x) })
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

  /** Takes back the parties DFSPs registered with an earlier run of the same ledger. */
  async restoreParties(): Promise<void> {
    this.oracle.restore(await this.store.parties());
  }

  /**
   * Watches the expiry of the transfers an earlier run of the same ledger left reserved. Called once
   * the participants are onboarded and reachable: one already expired is told to both sides at once.
   */
  async resumeExpiries(): Promise<void> {
    for (const transfer of await this.store.reservedTransfers()) this.#armExpiry(transfer);
  }

  async stop(): Promise<void> {
    for (const timer of this.#expiryTimers.values()) this.#clock.clearTimeout(timer);
    this.#expiryTimers.clear();
    await this.#server.stop();
  }

  /**
   * Onboards a DFSP as a provisioning collection would: the hub's accounts for its currencies, its
   * accounts (net debit cap, initial position), liquidity funded up to `liquidity` (by default as
   * much as its cap lets it owe, so the cap binds unless the caller says otherwise), and where it
   * receives callbacks. Accounts a persisted ledger already holds keep their positions and caps: a
   * restarted hub carries on; only missing liquidity is funded.
   */
  async onboard(participant: { fspId: string; currencies: readonly string[]; netDebitCap: string; initialPosition?: string; liquidity?: string; endpoint?: string | undefined }): Promise<void> {
    for (const currency of participant.currencies) for (const type of HUB_ACCOUNT_TYPES) await this.store.addHubAccount(type, currency);
    for (const currency of await this.store.ensureParticipant(participant.fspId, participant.currencies, participant.netDebitCap)) {
      await this.store.setInitialPositionAndLimit(participant.fspId, currency, participant.netDebitCap, participant.initialPosition ?? '0');
    }
    const wanted = toUnits(participant.liquidity ?? participant.netDebitCap);
    for (const accounts of await this.store.dfspAccounts(participant.fspId)) {
      const missing = wanted - toUnits(accounts.liquidityCover);
      if (missing <= 0n || !participant.currencies.includes(accounts.currency)) continue;
      await this.store.recordFundsIn(participant.fspId, accounts.settlement.id, `onboarding-${randomUUID()}`, { amount: fromUnits(missing), currency: accounts.currency });
    }
    if (participant.endpoint) await this.connect(participant.fspId, participant.endpoint);
  }

  async connect(fspId: string, endpoint: string): Promise<void> {
    if (!this.store.directory.hasParticipant(fspId)) throw new Error(`participant "${fspId}" is not registered`);
    await this.store.setEndpoint(fspId, CALLBACK_BASE_URL, endpoint);
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://hub').pathname;
    if (request.method === 'GET' && path === '/health') {
      // Down while its books are unreachable, as central-ledger's /health reports its database.
      const ledger = this.store.available ? 'OK' : 'DOWN';
      sendJson(response, ledger === 'OK' ? 200 : 503, { status: ledger, ledger: { store: this.store.description, status: ledger }, participants: this.store.directory.participantNames().length, failedDeliveries: Object.fromEntries(this.#failedDeliveries) });
      return;
    }
    // As an API gateway does: no valid token, nothing of the API is reached (not even a 404).
    if (this.#security?.refuseUnauthorized(request, response, HUB_SCOPES.fspiop)) return;
    if (!this.store.available) {
      // Work the hub could not book must not be accepted (202) and then lost: refused at once, the sender may retry.
      request.resume();
      return this.#reject(response, 503, FspiopErrorCode.internalServerError, 'the hub\'s ledger (database) is unavailable; retry later');
    }
    if (this.faults.failsRequest()) {
      request.resume();
      return this.#reject(response, 500, FspiopErrorCode.internalServerError, 'fault injected: serverErrors');
    }
    const match = this.#router.match(request.method ?? 'GET', path);
    if (match === undefined) return this.#reject(response, 404, FspiopErrorCode.unknownUri, `${request.method} ${path}`);
    if (match === 'method-not-allowed') return this.#reject(response, 405, FspiopErrorCode.genericClientError, `${request.method} not allowed on ${path}`);
    if (match === 'bad-uri') return this.#reject(response, 400, FspiopErrorCode.malformedSyntax, `malformed percent escape in ${path}`);

    const headers = normaliseHeaders(request);
    const problem = checkHeaders(headers, match.handler.resource, request.method ?? 'GET');
    if (problem) return this.#reject(response, 400, problem.error, problem.detail);
    const source = headers['fspiop-source']!;
    if (!this.store.directory.hasParticipant(source)) return this.#reject(response, 400, FspiopErrorCode.payerFspIdNotFound, `FSPIOP-Source "${source}" is not a participant of this hub`);

    let body: unknown;
    if (request.method !== 'GET') {
      let text: string;
      try {
        text = await readBody(request, this.#options.maxBodyBytes);
        body = JSON.parse(text);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return this.#reject(response, 413, FspiopErrorCode.genericValidationError, error.message);
        return this.#reject(response, 400, FspiopErrorCode.malformedSyntax, 'body is not valid JSON');
      }
      // Mojaloop validates the JWS of what changes state (POST, PUT), not of GET.
      const problem = this.#security?.signatureProblem(request.method ?? 'POST', path, request.headers, text);
      if (problem) return this.#reject(response, 400, FspiopErrorCode.invalidSignature, problem);
    }
    await match.handler.handler({ request, response, params: match.params, headers, body, source });
  }

  #reject(response: ServerResponse, status: number, error: FspiopError, detail: string): void {
    sendJson(response, status, errorInformation(error, detail));
  }

  #parse<T>(exchange: Exchange, schema: z.ZodType<T>): T | undefined {
    const result = schema.safeParse(exchange.body);
    if (result.success) return result.data;
    this.#reject(exchange.response, 400, FspiopErrorCode.genericValidationError, describeZodError(result.error));
    return undefined;
  }

  /**
   * Runs after the synchronous answer; tracked so `stop()` can wait for it. When the books cannot be
   * reached meanwhile, the requester (`replyTo`) is told so by an error callback (2001) rather than
   * left waiting for an answer that never comes.
   */
  #later(work: () => Promise<void>, replyTo?: { source: string; path: string; resource: FspiopResource }): void {
    this.#server.background(work, (error) => {
      if (error instanceof LedgerUnavailableError && replyTo) {
        this.#later(() => this.#sendError(replyTo.source, replyTo.path, replyTo.resource, FspiopErrorCode.internalServerError, error.message));
        return;
      }
      const to = (error as { participant?: string }).participant ?? 'unknown';
      const failed = this.#failedDeliveries.get(to) ?? { count: 0, last: '' };
      this.#failedDeliveries.set(to, { count: failed.count + 1, last: String((error as Error).message ?? error).slice(0, 200) });
    });
  }

  async #deliver(to: string, method: 'GET' | 'POST' | 'PUT', path: string, resource: FspiopResource,
    headers: Record<string, string>, body?: unknown): Promise<void> {
    if (this.#server.signal.aborted) return;
    const url = callbackUrl((type) => this.store.directory.endpoint(to, type), method, path);
    if (!url) throw Object.assign(new Error(`participant ${to} has no callback endpoint for ${method} ${path}`), { participant: to });
    if (method === 'PUT') {
      const delay = this.#options.callbackDelayMs + this.faults.callbackDelayMs();
      if (delay > 0) await sleep(delay, undefined, { signal: this.#server.signal });
      if (this.faults.dropsCallback()) return;
    }
    // Secured, the hub's transport signs a callback the hub writes itself; a relayed one keeps its sender's signature.
    const send = () => sendFspiop({
      method, url, resource, body,
      source: headers['fspiop-source'] ?? HUB_SOURCE,
      destination: headers['fspiop-destination'],
      headers: pick(headers, RELAYED_HEADERS),
      timeoutMs: this.#options.deliveryTimeoutMs,
      signal: this.#server.signal,
    }, this.#transport).catch((error: unknown) => {
      throw Object.assign(error as Error, { participant: to });
    });
    await send();
    const resendAfterMs = method === 'PUT' ? this.faults.resendCallbacksAfterMs : undefined;
    if (resendAfterMs !== undefined) {
      this.#later(async () => {
        await sleep(resendAfterMs, undefined, { signal: this.#server.signal });
        await send();
      });
    }
  }

  /** Headers of a callback the hub itself writes to a participant. */
  #ownHeaders(to: string, resource: FspiopResource): Record<string, string> {
    return {
      'fspiop-source': this.faults.callbackSource ?? HUB_SOURCE, 'fspiop-destination': to,
      date: new Date(Date.now() - this.faults.callbackDateOffsetMs).toUTCString(), 'content-type': contentType(resource, this.#options.fspiopVersion),
    };
  }

  /** The hub itself reports an error to a participant: PUT {resource}/{id}/error from the switch. */
  async #sendError(to: string, path: string, resource: FspiopResource, error: FspiopError, detail?: string): Promise<void> {
    await this.#deliver(to, 'PUT', `${path}/error`, resource, this.#ownHeaders(to, resource), errorInformation(error, detail));
  }

  #getParties({ response, params, headers, source }: Exchange): void {
    sendJson(response, 202);
    const path = partyPath({ type: params.type!, id: params.id!, subId: params.subId });
    this.#later(async () => {
      const owner = this.oracle.ownerOf({ type: params.type!, id: params.id!, subId: params.subId });
      if (!owner || !this.store.directory.hasParticipant(owner)) return this.#sendError(source, path, 'parties', FspiopErrorCode.partyNotFound);
      await this.#deliver(owner, 'GET', path, 'parties', { ...headers, 'fspiop-destination': owner });
    });
  }

  /** The account-lookup service's GET /participants: which FSP holds the party, told to the asker by callback. */
  #getParticipants({ response, params, source }: Exchange): void {
    sendJson(response, 202);
    const party = { type: params.type!, id: params.id!, subId: params.subId };
    const path = participantPath(party);
    this.#later(async () => {
      const owner = this.oracle.ownerOf(party);
      if (!owner) return this.#sendError(source, path, 'participants', FspiopErrorCode.partyNotFound);
      await this.#deliver(source, 'PUT', path, 'participants', this.#ownHeaders(source, 'participants'), { fspId: owner });
    });
  }

  /**
   * The account-lookup service's POST /participants: the FSP registers a party it holds. A party
   * another FSP holds is not re-pointed (3003), so one DFSP cannot take another's customers.
   */
  #postParticipants(exchange: Exchange): void {
    const registration = this.#parse(exchange, ParticipantRegistration);
    if (!registration) return;
    const { response, params, source } = exchange;
    sendJson(response, 202);
    const party = { type: params.type!, id: params.id!, subId: params.subId };
    const path = participantPath(party);
    this.#later(async () => {
      if (registration.fspId !== source) {
        return this.#sendError(source, path, 'participants', FspiopErrorCode.genericValidationError, `fspId "${registration.fspId}" does not match FSPIOP-Source "${source}"`);
      }
      const owner = this.oracle.ownerOf(party);
      if (owner && owner !== source) {
        return this.#sendError(source, path, 'participants', FspiopErrorCode.addPartyInfoError, `the party is held by ${owner}`);
      }
      // Written down before it is answered: a restarted hub must still know whom the party is with.
      await this.store.recordParty(partyKey(party), source);
      this.oracle.register(party, source);
      await this.#deliver(source, 'PUT', path, 'participants', this.#ownHeaders(source, 'participants'), { fspId: source });
    }, { source, path, resource: 'participants' });
  }

  /** PUT callbacks from one DFSP are relayed unchanged to the DFSP named in FSPIOP-Destination. */
  #relayCallback({ request, response, headers, body }: Exchange, resource: FspiopResource): void {
    const destination = headers['fspiop-destination'];
    if (!this.store.directory.hasParticipant(destination)) {
      return this.#reject(response, 400, FspiopErrorCode.destinationFspError, `FSPIOP-Destination "${destination ?? ''}" is not a participant of this hub`);
    }
    sendJson(response, 200);
    const path = new URL(request.url ?? '/', 'http://hub').pathname;
    this.#later(() => this.#deliver(destination!, 'PUT', path, resource, headers, body));
  }

  /**
   * Routes a quote to the payee DFSP, as the quoting service does. A resent quote with the same body
   * is routed again (the payee answers it again); one with the same id and another body is 3106.
   */
  #postQuotes(exchange: Exchange): void {
    if (this.faults.on('skipQuoteValidation')) return this.#forwardQuoteUnchecked(exchange);
    const quote = this.#parse(exchange, QuotesPost);
    if (!quote) return;
    const { response, headers, source } = exchange;
    sendJson(response, 202);
    const path = `/quotes/${quote.quoteId}`;
    this.#later(async () => {
      const payee = headers['fspiop-destination'] ?? quote.payee.partyIdInfo.fspId;
      if (!payee || !this.store.directory.hasParticipant(payee)) {
        return this.#sendError(source, path, 'quotes', FspiopErrorCode.destinationFspError, `payee FSP "${payee ?? ''}" is not a participant of this hub`);
      }
      if (!this.store.directory.holdsCurrency(payee, quote.amount.currency)) {
        return this.#sendError(source, path, 'quotes', FspiopErrorCode.genericValidationError, `currency ${quote.amount.currency} is not enabled for ${payee}`);
      }
      const hash = requestHash(quote);
      if (!(await this.store.recordQuote(quote.quoteId, source, payee, hash)) && !this.faults.on('skipDuplicateCheck')) {
        const existing = (await this.store.quote(quote.quoteId))!;
        if (existing.requestHash !== hash) return this.#sendError(source, path, 'quotes', FspiopErrorCode.modifiedRequest, 'a different quote with this id exists');
      }
      await this.#deliver(payee, 'POST', '/quotes', 'quotes', { ...headers, 'fspiop-destination': payee }, quote);
    }, { source, path, resource: 'quotes' });
  }

  /** The skipQuoteValidation fault: the quote goes to the DFSP it names, whatever it holds. */
  #forwardQuoteUnchecked({ response, headers, body }: Exchange): void {
    sendJson(response, 202);
    const payee = headers['fspiop-destination'];
    this.#later(async () => {
      if (payee && this.store.directory.hasParticipant(payee)) await this.#deliver(payee, 'POST', '/quotes', 'quotes', headers, body);
    });
  }

  /** GET /quotes/{id} is routed to the payee DFSP, which answers with the quote's terms again (the quoting service's pass-through mode). */
  #getQuote({ response, params, headers, source }: Exchange): void {
    sendJson(response, 202);
    if (this.faults.on('ignoreQuoteQueries')) return;
    const path = `/quotes/${encodeURIComponent(params.id!)}`;
    this.#later(async () => {
      const quote = await this.store.quote(params.id!);
      if (!quote || (quote.payer !== source && quote.payee !== source)) return this.#sendError(source, path, 'quotes', FspiopErrorCode.quoteIdNotFound);
      const other = quote.payer === source ? quote.payee : quote.payer;
      await this.#deliver(other, 'GET', path, 'quotes', { ...headers, 'fspiop-destination': other });
    }, { source, path, resource: 'quotes' });
  }

  #postTransfers(exchange: Exchange): void {
    const transfer = this.#parse(exchange, TransfersPost);
    if (!transfer) return;
    const { response, headers, source } = exchange;
    sendJson(response, 202);
    const path = `/transfers/${transfer.transferId}`;
    this.#later(async () => {
      const hash = requestHash(transfer);
      const existing = await this.store.transfer(transfer.transferId);
      if (existing && !this.faults.on('skipDuplicateCheck')) {
        if (existing.requestHash !== hash) {
          return this.#sendError(source, path, 'transfers', FspiopErrorCode.modifiedRequest, 'a different transfer with this id exists');
        }
        // A resent prepare gets the transfer's current state again (central-ledger's PREPARE_DUPLICATE): never a second booking.
        if (this.faults.on('doubleBookResends')) {
          const { payerFsp, payeeFsp, amount, condition, expiration } = existing;
          await this.store.prepare({ transferId: bookedAgain(existing.transferId), payerFsp, payeeFsp, amount, condition, expiration }, hash);
        }
        return this.#notifyState(source, existing);
      }
      if (transfer.payerFsp !== source) {
        return this.#sendError(source, path, 'transfers', FspiopErrorCode.genericValidationError, `payerFsp "${transfer.payerFsp}" does not match FSPIOP-Source "${source}"`);
      }
      if (!this.store.directory.hasParticipant(transfer.payeeFsp)) {
        // central-ledger's prepare validation: 3100 "Participant … not found", by error callback.
        return this.#sendError(source, path, 'transfers', FspiopErrorCode.genericValidationError, `payee FSP "${transfer.payeeFsp}" is not a participant of this hub`);
      }
      const currency = transfer.amount.currency;
      if (!this.store.directory.holdsCurrency(source, currency) || !this.store.directory.holdsCurrency(transfer.payeeFsp, currency)) {
        return this.#sendError(source, path, 'transfers', FspiopErrorCode.genericValidationError, `currency ${currency} is not enabled for both participants`);
      }
      if (Date.parse(transfer.expiration) <= this.#clock.now()) {
        return this.#sendError(source, path, 'transfers', FspiopErrorCode.transferExpired);
      }
      if (!bookable(transfer.amount.amount)) {
        return this.#sendError(source, path, 'transfers', FspiopErrorCode.genericValidationError, `amount ${transfer.amount.amount} is above ${MAX_AMOUNT}, the most this hub books`);
      }
      const { transferId, payerFsp, payeeFsp, amount, condition, expiration } = transfer;
      // Only with the duplicate check skipped (a fault) does a transfer with a known id get here: it is booked a second time.
      const bookedId = existing ? bookedAgain(transferId) : transferId;
      const outcome = await this.store.prepare({ transferId: bookedId, payerFsp, payeeFsp, amount, condition, expiration }, hash, { ignoreNetDebitCap: this.faults.on('ignoreNetDebitCap') });
      if (outcome.kind === 'insufficient-liquidity') {
        return this.#sendError(source, path, 'transfers', FspiopErrorCode.payerFspInsufficientLiquidity,
          `position ${outcome.position} + ${amount.amount} would exceed the liquidity cover ${outcome.liquidity} ${currency}`);
      }
      if (outcome.kind === 'limit-exceeded') {
        return this.#sendError(source, path, 'transfers', FspiopErrorCode.payerLimitError,
          `position ${outcome.position} + ${amount.amount} would exceed the net debit cap ${outcome.netDebitCap} ${currency}`);
      }
      if (outcome.kind === 'no-account') {
        return this.#sendError(source, path, 'transfers', FspiopErrorCode.genericValidationError, `${outcome.participant} has no ${outcome.currency} account`);
      }
      this.#armExpiry(outcome.transfer);
      if (this.faults.crashesAfterThisPrepare()) this.#crash();
      await this.#deliver(payeeFsp, 'POST', '/transfers', 'transfers', { ...headers, 'fspiop-destination': payeeFsp }, transfer);
    }, { source, path, resource: 'transfers' });
  }

  #putTransfer(exchange: Exchange): void {
    const fulfil = this.#parse(exchange, TransfersPut);
    if (!fulfil) return;
    const { response, params, source } = exchange;
    const path = `/transfers/${params.id}`;
    sendJson(response, 200);
    this.#later(async () => {
      const record = await this.store.transfer(params.id!);
      if (!record || record.payeeFsp !== source) {
        return this.#sendError(source, path, 'transfers', FspiopErrorCode.transferIdNotFound);
      }
      if (record.state !== 'RESERVED') {
        return this.#sendError(source, path, 'transfers', FspiopErrorCode.genericValidationError, `transfer is already ${record.state}`);
      }
      if (fulfil.transferState !== 'COMMITTED') {
        return this.#sendError(source, path, 'transfers', FspiopErrorCode.genericValidationError, `transferState ${fulfil.transferState} is not a fulfil; reject with PUT ${path}/error`);
      }
      this.#disarmExpiry(record.transferId);
      if (Date.parse(record.expiration) <= this.#clock.now() && !this.faults.on('skipExpiry')) {
        if (await this.#abort(record.transferId, 'fulfilled after its expiration')) await this.#tellBoth(record, FspiopErrorCode.transferExpired);
        return;
      }
      const fulfilmentOk = !!fulfil.fulfilment && fulfilmentMatchesCondition(fulfil.fulfilment, record.condition);
      if (!fulfilmentOk && !this.faults.on('acceptWrongFulfilment')) {
        if (await this.#abort(record.transferId, 'invalid fulfilment')) await this.#tellBoth(record, FspiopErrorCode.genericValidationError, 'invalid fulfilment');
        return;
      }
      const committed = await this.store.commit(record.transferId, fulfil.fulfilment ?? '', fulfil.completedTimestamp ?? new Date().toISOString());
      if (committed) await this.#notifyState(record.payerFsp, committed);
    }, { source, path, resource: 'transfers' });
  }

  /** The payee rejects the transfer: the reservation is released and the payee's error relayed to the payer. */
  async #putTransferError({ response, params, source, headers, body }: Exchange): Promise<void> {
    const record = await this.store.transfer(params.id!);
    if (!record || record.payeeFsp !== source) {
      return this.#reject(response, 404, FspiopErrorCode.transferIdNotFound, params.id!);
    }
    sendJson(response, 200);
    this.#disarmExpiry(record.transferId);
    if (!(await this.#abort(record.transferId, 'rejected by the payee'))) return;
    this.#later(() => this.#deliver(record.payerFsp, 'PUT', `/transfers/${params.id}/error`, 'transfers', { ...headers, 'fspiop-destination': record.payerFsp }, body));
  }

  #getTransfer({ response, params, source }: Exchange): void {
    sendJson(response, 202);
    this.#later(async () => {
      const record = await this.store.transfer(params.id!);
      if (!record) return this.#sendError(source, `/transfers/${params.id}`, 'transfers', FspiopErrorCode.transferIdNotFound);
      // As central-ledger does (mojaloop/central-ledger src/handlers/transfers/handler.js, getTransfer: when
      // Validator.validateParticipantTransferId finds the requester is neither payer nor payee, FSPIOPErrorCodes.CLIENT_ERROR):
      // 3000, never the transfer's state or fulfilment.
      if (record.payerFsp !== source && record.payeeFsp !== source && !this.faults.on('answerAnyTransferQuery')) {
        return this.#sendError(source, `/transfers/${params.id}`, 'transfers', FspiopErrorCode.genericClientError, `${source} is neither payer nor payee of this transfer`);
      }
      await this.#notifyState(source, record);
    }, { source, path: `/transfers/${params.id}`, resource: 'transfers' });
  }

  #armExpiry(record: LedgerTransfer): void {
    if (this.#server.signal.aborted || this.faults.on('skipExpiry')) return;
    const remaining = Date.parse(record.expiration) - this.#clock.now();
    // setTimeout cannot wait longer than 2^31-1 ms (~24.8 days): wait in steps until the expiration.
    if (remaining > MAX_TIMER_MS) {
      this.#expiryTimers.set(record.transferId, this.#clock.setTimeout(() => this.#armExpiry(record), MAX_TIMER_MS));
      return;
    }
    this.#expiryTimers.set(record.transferId, this.#clock.setTimeout(() => {
      this.#expiryTimers.delete(record.transferId);
      this.#later(async () => {
        if (!(await this.#abort(record.transferId, 'expired'))) return;
        await this.#tellBoth(record, FspiopErrorCode.transferExpired);
      });
    }, Math.max(0, remaining)));
  }

  #abort(transferId: string, reason: string): Promise<LedgerTransfer | undefined> {
    return this.store.abort(transferId, reason, { keepReservation: this.faults.on('leakReservations') });
  }

  #disarmExpiry(transferId: string): void {
    this.#clock.clearTimeout(this.#expiryTimers.get(transferId));
    this.#expiryTimers.delete(transferId);
  }

  /** An aborted transfer is reported to both sides, each by its own error callback. */
  async #tellBoth(record: LedgerTransfer, error: FspiopError, detail?: string): Promise<void> {
    const path = `/transfers/${record.transferId}`;
    const told = this.faults.on('skipPayeeNotification') ? [record.payerFsp] : [record.payerFsp, record.payeeFsp];
    await Promise.all(told.map((fsp) => this.#sendError(fsp, path, 'transfers', error, detail)));
  }

  async #notifyState(to: string, record: LedgerTransfer): Promise<void> {
    const body: Record<string, string> = {
      transferState: record.state,
      ...(record.fulfilment ? { fulfilment: record.fulfilment } : {}),
      ...(record.completedTimestamp ? { completedTimestamp: record.completedTimestamp } : {}),
    };
    if (this.faults.omitsField) delete body[this.faults.omitsField];
    await this.#deliver(to, 'PUT', `/transfers/${record.transferId}`, 'transfers', this.#ownHeaders(to, 'transfers'), body);
  }
}

const ParticipantRegistration = z.object({ fspId: z.string().min(1).max(32), currency: z.string().regex(/^[A-Z]{3}$/).optional() });

function participantPath(party: { type: string; id: string; subId?: string | undefined }): string {
  return partyPath(party).replace(/^\/parties\//, '/participants/');
}

/** The id a transfer is booked under a second time, by a duplicate fault: never one a DFSP can send. */
function bookedAgain(transferId: string): string {
  return `${transferId}#booked-again-${randomUUID()}`;
}

function requestHash(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
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
  // As central-services-shared's header validation, which every Mojaloop API service runs: Content-Type
  // of the resource in a supported version (1.0, 1.1, 2.0); Accept a list of the resource's media
  // types of which one names a supported version, else 3001.
  const type = parseFspiopMediaType(headers['content-type']);
  if (!type || type.resource !== resource || type.minor === undefined) {
    return { error: FspiopErrorCode.malformedSyntax, detail: `Content-Type "${headers['content-type']}" is not application/vnd.interoperability.${resource}+json;version=<major.minor>` };
  }
  if (!definitionFor(versionOf(type))) return { error: FspiopErrorCode.unacceptableVersion, detail: `Content-Type version ${versionOf(type)} is not supported (1.0, 1.1, 2.0)` };
  if (headers.accept !== undefined) {
    const accepted = parseAcceptHeader(resource, headers.accept);
    if (!accepted) return { error: FspiopErrorCode.malformedSyntax, detail: `Accept "${headers.accept}" is not a list of application/vnd.interoperability.${resource}+json media types` };
    if (!accepted.some((version) => version === '*' || definitionFor(version))) {
      return { error: FspiopErrorCode.unacceptableVersion, detail: `Accept names no supported version (1, 1.0, 1.1, 2, 2.0): ${headers.accept}` };
    }
  }
  if (Number.isNaN(Date.parse(headers.date!))) return { error: FspiopErrorCode.malformedSyntax, detail: `Date "${headers.date}" is not an HTTP date` };
  return undefined;
}

/** What the hub passes on of a message it routes: the FSPIOP headers, the sender's signature among them. */
const RELAYED_HEADERS = ['content-type', 'accept', 'date', 'fspiop-source', 'fspiop-destination', 'fspiop-signature', 'fspiop-uri', 'fspiop-http-method'];

function pick(headers: Record<string, string>, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) if (headers[name] !== undefined) out[name] = headers[name];
  return out;
}
