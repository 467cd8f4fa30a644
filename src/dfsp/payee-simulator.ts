import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorInformation, FspiopErrorCode } from '../fspiop/error-codes.ts';
import type { FspiopResource } from '../fspiop/headers.ts';
import { sendFspiop } from '../fspiop/outbound.ts';
import { describeZodError, QuotesPost, TransfersPost } from '../fspiop/payloads.ts';
import { Router } from '../fspiop/router.ts';
import { HttpServer, readBody, sendJson } from '../support/http-server.ts';
import { joinUrl } from '../support/url.ts';
import type { IlpCodec } from './ilp-codec.ts';

/** How the simulated payee DFSP treats transfers to one of its parties. */
export type PartyBehaviour = 'fulfil' | 'invalid-fulfilment';

export interface SimulatedParty {
  type: string;
  id: string;
  firstName: string;
  lastName: string;
  behaviour: PartyBehaviour;
}

export interface PayeeSimulatorOptions {
  fspId: string;
  hubUrl: string;
  ilp: IlpCodec;
  parties: SimulatedParty[];
  delayMs?: number;
  timeoutMs?: number;
  host?: string;
}

/** `requester` is the FSPIOP-Source of the request: the DFSP our answer goes back to through the hub. */
type Handler = (params: Record<string, string>, body: unknown, requester: string) => Promise<void>;

/**
 * A payee DFSP under the framework's control, like Mojaloop's simulator: it answers party
 * lookups for its parties, quotes with an ILP packet and condition, and fulfils transfers —
 * or, for parties marked `invalid-fulfilment`, answers with a fulfilment that does not match.
 */
export class PayeeSimulator {
  readonly #options: PayeeSimulatorOptions;
  readonly #parties = new Map<string, SimulatedParty>();
  readonly #router = new Router<Handler>();
  readonly #server = new HttpServer((request, response) => this.#handle(request, response), () => errorInformation(FspiopErrorCode.internalServerError));
  readonly received: Record<'lookups' | 'quotes' | 'transfers' | 'notifications', number> = { lookups: 0, quotes: 0, transfers: 0, notifications: 0 };

  constructor(options: PayeeSimulatorOptions) {
    this.#options = options;
    for (const party of options.parties) this.#parties.set(`${party.type}/${party.id}`, party);
    this.#router
      .on('GET', '/parties/{type}/{id}', (params, _, requester) => this.#lookup(params, requester))
      .on('POST', '/quotes', (_, body, requester) => this.#quote(body, requester))
      .on('POST', '/transfers', (_, body, requester) => this.#transfer(body, requester))
      .on('PUT', '/transfers/{id}', async () => { this.received.notifications += 1; })
      .on('PUT', '/transfers/{id}/error', async () => { this.received.notifications += 1; })
      .on('PUT', '/parties/{type}/{id}/error', async () => { this.received.notifications += 1; })
      .on('PUT', '/quotes/{id}/error', async () => { this.received.notifications += 1; });
  }

  get fspId(): string {
    return this.#options.fspId;
  }

  start(): Promise<string> {
    return this.#server.start(0, this.#options.host ?? '127.0.0.1');
  }

  stop(): Promise<void> {
    return this.#server.stop();
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://dfsp').pathname;
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
    const requester = String(request.headers['fspiop-source'] ?? 'switch');
    this.#server.background(() => match.handler(match.params, body, requester));
  }

  async #answer(path: string, resource: FspiopResource, destination: string, body: unknown): Promise<void> {
    if (this.#options.delayMs) await sleep(this.#options.delayMs, undefined, { signal: this.#server.signal });
    await sendFspiop({
      method: 'PUT', url: joinUrl(this.#options.hubUrl, path), resource, body,
      source: this.#options.fspId, destination,
      timeoutMs: this.#options.timeoutMs ?? 10_000, signal: this.#server.signal,
    });
  }

  /** A body that breaks the schema is answered with 3100 on its id, when it has one to answer on. */
  async #rejectInvalid(resource: 'quotes' | 'transfers', id: unknown, requester: string, problem: string): Promise<void> {
    if (typeof id !== 'string') return;
    await this.#answer(`/${resource}/${encodeURIComponent(id)}/error`, resource, requester, errorInformation(FspiopErrorCode.genericValidationError, problem));
  }

  async #lookup(params: Record<string, string>, requester: string): Promise<void> {
    this.received.lookups += 1;
    const path = `/parties/${encodeURIComponent(params.type!)}/${encodeURIComponent(params.id!)}`;
    const party = this.#parties.get(`${params.type}/${params.id}`);
    if (!party) {
      await this.#answer(`${path}/error`, 'parties', requester, errorInformation(FspiopErrorCode.partyNotFound));
      return;
    }
    await this.#answer(path, 'parties', requester, {
      party: {
        partyIdInfo: { partyIdType: party.type, partyIdentifier: party.id, fspId: this.#options.fspId },
        name: `${party.firstName} ${party.lastName}`,
        personalInfo: { complexName: { firstName: party.firstName, lastName: party.lastName } },
      },
    });
  }

  async #quote(body: unknown, requester: string): Promise<void> {
    this.received.quotes += 1;
    const parsed = QuotesPost.safeParse(body);
    if (!parsed.success) return this.#rejectInvalid('quotes', (body as { quoteId?: unknown } | null)?.quoteId, requester, describeZodError(parsed.error));
    const quote = parsed.data;
    const path = `/quotes/${encodeURIComponent(quote.quoteId)}`;
    if (!this.#parties.has(`${quote.payee.partyIdInfo.partyIdType}/${quote.payee.partyIdInfo.partyIdentifier}`)) {
      await this.#answer(`${path}/error`, 'quotes', requester, errorInformation(FspiopErrorCode.partyNotFound));
      return;
    }
    // No fees in this scheme: what the payer sends is what the payee receives.
    const expiration = new Date(Date.now() + 60_000).toISOString();
    const terms = this.#options.ilp.quoteTerms(quote, quote.amount, expiration);
    await this.#answer(path, 'quotes', requester, {
      transferAmount: quote.amount,
      payeeReceiveAmount: quote.amount,
      expiration,
      ilpPacket: terms.ilpPacket,
      condition: terms.condition,
    });
  }

  /** Fulfils a transfer for one of its parties; anything it cannot fulfil is rejected with PUT /transfers/{id}/error. */
  async #transfer(body: unknown, requester: string): Promise<void> {
    this.received.transfers += 1;
    const parsed = TransfersPost.safeParse(body);
    if (!parsed.success) return this.#rejectInvalid('transfers', (body as { transferId?: unknown } | null)?.transferId, requester, describeZodError(parsed.error));
    const transfer = parsed.data;
    const path = `/transfers/${encodeURIComponent(transfer.transferId)}`;
    let payee: { partyIdType: string; partyIdentifier: string };
    try {
      payee = this.#options.ilp.transactionOf(transfer.ilpPacket).payee.partyIdInfo;
    } catch {
      await this.#answer(`${path}/error`, 'transfers', requester, errorInformation(FspiopErrorCode.genericValidationError, 'ILP packet cannot be decoded'));
      return;
    }
    const party = this.#parties.get(`${payee.partyIdType}/${payee.partyIdentifier}`);
    if (!party) {
      await this.#answer(`${path}/error`, 'transfers', requester, errorInformation(FspiopErrorCode.partyNotFound));
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
