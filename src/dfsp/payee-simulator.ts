import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseErrorInformation } from '../fspiop/answer.ts';
import { errorInformation, FspiopErrorCode } from '../fspiop/error-codes.ts';
import { contentType, definitionFor, parseFspiopMediaType, versionOf, type FspiopResource } from '../fspiop/headers.ts';
import { partyKey, partyPath } from '../fspiop/messages.ts';
import type { DfspCredentials } from '../fspiop/credentials.ts';
import { FspiopTransport } from '../fspiop/fspiop-transport.ts';
import { sendFspiop, type OutboundTransport } from '../fspiop/outbound.ts';
import { describeZodError, QuotesPost, TransfersPost } from '../fspiop/payloads.ts';
import { Router } from '../fspiop/router.ts';
import { HttpServer, readBody, sendJson } from '../support/http-server.ts';
import { joinUrl } from '../support/url.ts';
import type { IlpCodec } from './ilp-codec.ts';

/**
 * How the simulated payee DFSP treats transfers to one of its parties: fulfil them, answer with a
 * fulfilment that does not match, reject them (5105), or never answer (they must expire).
 */
export type PartyBehaviour = 'fulfil' | 'invalid-fulfilment' | 'reject' | 'silent';

export interface SimulatedParty {
  type: string;
  id: string;
  /** A party addressed with a sub-id is looked up at /parties/{type}/{id}/{subId}. */
  subId?: string;
  firstName: string;
  middleName?: string;
  lastName: string;
  behaviour: PartyBehaviour;
}

/** Quotes (for GET /quotes/{id}) and transfer errors the simulator remembers: the newest ones, enough for ten seconds of load. */
const REMEMBERED = 10_000;

export interface PayeeSimulatorOptions {
  fspId: string;
  hubUrl: string;
  ilp: IlpCodec;
  parties: SimulatedParty[];
  delayMs?: number;
  timeoutMs?: number;
  host?: string;
  port?: number;
  /**
   * What it presents to a secured hub (its certificate, a token, its signature on every PUT) and
   * its callback endpoint served over TLS, demanding the hub's certificate when asked.
   */
  credentials?: DfspCredentials;
  /** What its FSPIOP messages present (certificate, token, signature): a secured hub's; default none; `credentials` win. */
  transport?: OutboundTransport | undefined;
}

/**
 * `requester` is the FSPIOP-Source of the request: the DFSP our answer goes back to through the
 * hub; `version`, the version the request was written in, which the answer is written in too
 * (the requester accepts its own version).
 */
interface Requester {
  fsp: string;
  version: string;
}
type Handler = (params: Record<string, string>, body: unknown, requester: Requester) => Promise<void>;

/**
 * A payee DFSP under the framework's control, like Mojaloop's simulator: it answers party
 * lookups for its parties, quotes with an ILP packet and condition, and fulfils transfers —
 * or, for parties marked `invalid-fulfilment`, answers with a fulfilment that does not match.
 */
export class PayeeSimulator {
  readonly #options: PayeeSimulatorOptions;
  readonly #parties = new Map<string, SimulatedParty>();
  readonly #quotes = new Map<string, unknown>();
  /** Error codes the hub sent about each transfer, for a probe to ask (`GET /conformance/transfers/{id}`). */
  readonly #transferErrors = new Map<string, string[]>();
  readonly #router = new Router<Handler>();
  readonly #server: HttpServer;
  /** Built from `credentials` (then closed with the simulator), else the one it was given, else none. */
  readonly #owned: FspiopTransport | undefined;
  readonly #transport: OutboundTransport | undefined;
  readonly received: Record<'lookups' | 'quotes' | 'transfers' | 'notifications', number> = { lookups: 0, quotes: 0, transfers: 0, notifications: 0 };

  constructor(options: PayeeSimulatorOptions) {
    this.#options = options;
    this.#owned = options.credentials && FspiopTransport.from(options.credentials);
    this.#transport = this.#owned ?? options.transport;
    this.#server = new HttpServer((request, response) => this.#handle(request, response), () => errorInformation(FspiopErrorCode.internalServerError),
      { tls: this.#owned?.callbackSecurity.tls });
    for (const party of options.parties) this.#parties.set(partyKey(party), party);
    this.#router
      .on('GET', '/parties/{type}/{id}', (params, _, requester) => this.#lookup(params, requester))
      .on('GET', '/parties/{type}/{id}/{subId}', (params, _, requester) => this.#lookup(params, requester))
      .on('POST', '/quotes', (_, body, requester) => this.#quote(body, requester))
      .on('GET', '/quotes/{id}', (params, _, requester) => this.#quoteAgain(params.id!, requester))
      .on('POST', '/transfers', (_, body, requester) => this.#transfer(body, requester))
      .on('PUT', '/transfers/{id}', async () => { this.received.notifications += 1; })
      .on('PUT', '/transfers/{id}/error', async (params, body) => {
        this.received.notifications += 1;
        const code = parseErrorInformation(body)?.errorCode ?? '(no errorInformation)';
        keepNewest(this.#transferErrors, params.id!, [...(this.#transferErrors.get(params.id!) ?? []), code]);
      })
      .on('PUT', '/parties/{type}/{id}/error', async () => { this.received.notifications += 1; })
      .on('PUT', '/quotes/{id}/error', async () => { this.received.notifications += 1; });
  }

  get fspId(): string {
    return this.#options.fspId;
  }

  /** The error codes the hub sent this DFSP about a transfer (an expiry, a wrong fulfilment), oldest first. */
  errorsToldAbout(transferId: string): string[] {
    return [...(this.#transferErrors.get(transferId) ?? [])];
  }

  start(): Promise<string> {
    return this.#server.start(this.#options.port ?? 0, this.#options.host ?? '127.0.0.1');
  }

  async stop(): Promise<void> {
    await this.#server.stop();
    this.#owned?.close();
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://dfsp').pathname;
    // Not FSPIOP: what a container runtime's health check asks (the harness's simulator, as Mojaloop's, answers /health).
    if (request.method === 'GET' && path === '/health') {
      request.resume();
      sendJson(response, 200, { status: 'OK', fspId: this.#options.fspId });
      return;
    }
    // Not FSPIOP: what this simulated DFSP was told, so a probe can check the hub told the payee side too.
    const observed = /^\/conformance\/transfers\/([^/]+)$/.exec(path);
    if (request.method === 'GET' && observed) {
      sendJson(response, 200, { errorCodes: this.errorsToldAbout(decodeURIComponent(observed[1]!)) });
      return;
    }
    const match = this.#router.match(request.method ?? 'GET', path);
    if (!match || match === 'method-not-allowed' || match === 'bad-uri') {
      request.resume();
      sendJson(response, 404, errorInformation(FspiopErrorCode.unknownUri, path));
      return;
    }
    let body: unknown;
    try {
      body = request.method === 'GET' ? undefined : JSON.parse(await readBody(request, 1024 * 1024));
    } catch {
      sendJson(response, 400, errorInformation(FspiopErrorCode.malformedSyntax));
      return;
    }
    sendJson(response, request.method === 'PUT' ? 200 : 202);
    const media = parseFspiopMediaType(request.headers['content-type']);
    const version = media && definitionFor(versionOf(media)) ? versionOf(media) : '1.1';
    const requester = { fsp: String(request.headers['fspiop-source'] ?? 'switch'), version };
    this.#server.background(() => match.handler(match.params, body, requester));
  }

  async #answer(path: string, resource: FspiopResource, requester: Requester, body: unknown): Promise<void> {
    if (this.#options.delayMs) await sleep(this.#options.delayMs, undefined, { signal: this.#server.signal });
    await sendFspiop({
      method: 'PUT', url: joinUrl(this.#options.hubUrl, path), resource, body,
      source: this.#options.fspId, destination: requester.fsp, headers: { 'content-type': contentType(resource, requester.version) },
      timeoutMs: this.#options.timeoutMs ?? 10_000, signal: this.#server.signal,
    }, this.#transport);
  }

  /** A body that breaks the schema is answered with 3100 on its id, when it has one to answer on. */
  async #rejectInvalid(resource: 'quotes' | 'transfers', id: unknown, requester: Requester, problem: string): Promise<void> {
    if (typeof id !== 'string') return;
    await this.#answer(`/${resource}/${encodeURIComponent(id)}/error`, resource, requester, errorInformation(FspiopErrorCode.genericValidationError, problem));
  }

  async #lookup(params: Record<string, string>, requester: Requester): Promise<void> {
    this.received.lookups += 1;
    const addressed = { type: params.type!, id: params.id!, subId: params.subId };
    const path = partyPath(addressed);
    const party = this.#parties.get(partyKey(addressed));
    if (!party) {
      await this.#answer(`${path}/error`, 'parties', requester, errorInformation(FspiopErrorCode.partyNotFound));
      return;
    }
    const { firstName, middleName, lastName } = party;
    await this.#answer(path, 'parties', requester, {
      party: {
        partyIdInfo: { partyIdType: party.type, partyIdentifier: party.id, ...(party.subId ? { partySubIdOrType: party.subId } : {}), fspId: this.#options.fspId },
        name: [firstName, middleName, lastName].filter(Boolean).join(' '),
        personalInfo: { complexName: { firstName, ...(middleName ? { middleName } : {}), lastName } },
      },
    });
  }

  /** GET /quotes/{id}: the terms given for a quote, again. */
  async #quoteAgain(quoteId: string, requester: Requester): Promise<void> {
    const path = `/quotes/${encodeURIComponent(quoteId)}`;
    const terms = this.#quotes.get(quoteId);
    await this.#answer(terms ? path : `${path}/error`, 'quotes', requester, terms ?? errorInformation(FspiopErrorCode.quoteIdNotFound));
  }

  async #quote(body: unknown, requester: Requester): Promise<void> {
    this.received.quotes += 1;
    const parsed = QuotesPost.safeParse(body);
    if (!parsed.success) return this.#rejectInvalid('quotes', (body as { quoteId?: unknown } | null)?.quoteId, requester, describeZodError(parsed.error));
    const quote = parsed.data;
    const path = `/quotes/${encodeURIComponent(quote.quoteId)}`;
    const { partyIdType, partyIdentifier, partySubIdOrType } = quote.payee.partyIdInfo;
    if (!this.#parties.has(partyKey({ type: partyIdType, id: partyIdentifier, subId: partySubIdOrType }))) {
      await this.#answer(`${path}/error`, 'quotes', requester, errorInformation(FspiopErrorCode.partyNotFound));
      return;
    }
    // No fees in this scheme: what the payer sends is what the payee receives.
    const expiration = new Date(Date.now() + 60_000).toISOString();
    const terms = this.#options.ilp.quoteTerms(quote, quote.amount, expiration);
    const answer = { transferAmount: quote.amount, payeeReceiveAmount: quote.amount, expiration, ilpPacket: terms.ilpPacket, condition: terms.condition };
    keepNewest(this.#quotes, quote.quoteId, answer);
    await this.#answer(path, 'quotes', requester, answer);
  }

  /** Fulfils a transfer for one of its parties; anything it cannot fulfil is rejected with PUT /transfers/{id}/error. */
  async #transfer(body: unknown, requester: Requester): Promise<void> {
    this.received.transfers += 1;
    const parsed = TransfersPost.safeParse(body);
    if (!parsed.success) return this.#rejectInvalid('transfers', (body as { transferId?: unknown } | null)?.transferId, requester, describeZodError(parsed.error));
    const transfer = parsed.data;
    const path = `/transfers/${encodeURIComponent(transfer.transferId)}`;
    let payee: { partyIdType: string; partyIdentifier: string; partySubIdOrType?: string | undefined };
    try {
      payee = this.#options.ilp.transactionOf(transfer.ilpPacket).payee.partyIdInfo;
    } catch {
      await this.#answer(`${path}/error`, 'transfers', requester, errorInformation(FspiopErrorCode.genericValidationError, 'ILP packet cannot be decoded'));
      return;
    }
    const party = this.#parties.get(partyKey({ type: payee.partyIdType, id: payee.partyIdentifier, subId: payee.partySubIdOrType }));
    if (!party) {
      await this.#answer(`${path}/error`, 'transfers', requester, errorInformation(FspiopErrorCode.partyNotFound));
      return;
    }
    if (party.behaviour === 'silent') return;
    if (party.behaviour === 'reject') {
      await this.#answer(`${path}/error`, 'transfers', requester, errorInformation(FspiopErrorCode.payeeFspRejectedTransaction, `${party.firstName} ${party.lastName} does not accept transfers`));
      return;
    }
    const fulfilment = party.behaviour === 'invalid-fulfilment'
      ? randomBytes(32).toString('base64url')
      : this.#options.ilp.fulfilmentOf(transfer.ilpPacket);
    await this.#answer(path, 'transfers', requester, {
      fulfilment,
      completedTimestamp: new Date().toISOString(),
      transferState: 'COMMITTED',
    });
  }
}

/** Keeps the newest entries only: a long load must not grow these without bound. */
function keepNewest<T>(map: Map<string, T>, key: string, value: T): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > REMEMBERED) map.delete(map.keys().next().value!);
}
