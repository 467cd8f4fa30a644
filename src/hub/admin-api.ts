import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { errorInformation, FspiopErrorCode, type FspiopError } from '../fspiop/error-codes.ts';
import { describeZodError, FSPIOP_AMOUNT_PATTERN } from '../fspiop/payloads.ts';
import { Router } from '../fspiop/router.ts';
import { HttpServer, readBody, sendJson } from '../support/http-server.ts';
import { bookable, MAX_AMOUNT } from './ledger-amount.ts';
import type { HubLedger, ParticipantAccount } from './ledger.ts';

/** central-ledger takes numbers; a float such as 0.1 + 0.2 is read to 4 decimals, as the ledger counts. */
const Amount = z.union([
  z.number().nonnegative().max(Number(MAX_AMOUNT)).transform((value) => value.toFixed(4)),
  z.string().regex(new RegExp(`^${FSPIOP_AMOUNT_PATTERN}$`), 'an amount such as "1000" or "12.5"'),
]).refine(bookable, `at most ${MAX_AMOUNT}`);
const Currency = z.string().regex(/^[A-Z]{3}$/);
const NetDebitCap = z.strictObject({ type: z.literal('NET_DEBIT_CAP'), value: Amount, alarmPercentage: z.number().optional() });

const CreateParticipant = z.object({ name: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/), currency: Currency });
const InitialPositionAndLimits = z.object({ currency: Currency, limit: NetDebitCap, initialPosition: Amount.default('0') });
const SetLimit = z.object({ currency: Currency, limit: NetDebitCap });
const AddEndpoint = z.object({ type: z.string().min(1), value: z.url() });

type Handler = (params: Record<string, string>, body: unknown, query: URLSearchParams) => { status: number; body?: unknown };

class AdminError extends Error {
  readonly status: number;
  readonly error: FspiopError;
  constructor(status: number, error: FspiopError, message: string) {
    super(message);
    this.status = status;
    this.error = error;
  }
}

/**
 * The hub's administration API, shaped like central-ledger's (participants, their limits,
 * positions and callback endpoints): what onboarding collections call, and what a probe reads
 * positions from and sets a net debit cap through. Same shapes, so the probe works against a real
 * central-ledger too. It has no authentication, like central-ledger's admin API: it is for the
 * operator's network only.
 */
export class HubAdminApi {
  readonly #ledger: HubLedger;
  readonly #router = new Router<Handler>();
  readonly #server = new HttpServer((request, response) => this.#handle(request, response),
    (error) => errorInformation(FspiopErrorCode.internalServerError, String(error)));

  constructor(ledger: HubLedger) {
    this.#ledger = ledger;
    this.#router
      .on('GET', '/health', () => ({ status: 200, body: { status: 'OK' } }))
      .on('GET', '/participants', () => ({ status: 200, body: this.#ledger.participantNames().map((name) => this.#participant(name)) }))
      .on('POST', '/participants', (_, body) => this.#create(parse(CreateParticipant, body)))
      .on('GET', '/participants/{name}', ({ name }) => ({ status: 200, body: this.#participant(this.#known(name!)) }))
      .on('POST', '/participants/{name}/initialPositionAndLimits', ({ name }, body) => this.#initialPositionAndLimits(this.#known(name!), parse(InitialPositionAndLimits, body)))
      .on('GET', '/participants/{name}/limits', ({ name }, _, query) => ({ status: 200, body: this.#accounts(this.#known(name!), query).map(limitOf) }))
      .on('PUT', '/participants/{name}/limits', ({ name }, body) => this.#setLimit(this.#known(name!), parse(SetLimit, body)))
      .on('GET', '/participants/{name}/positions', ({ name }, _, query) => this.#positions(this.#known(name!), query))
      .on('GET', '/participants/{name}/endpoints', ({ name }) => ({ status: 200, body: this.#ledger.endpointsOf(this.#known(name!)) }))
      .on('POST', '/participants/{name}/endpoints', ({ name }, body) => {
        const endpoint = parse(AddEndpoint, body);
        this.#ledger.setEndpoint(this.#known(name!), endpoint.type, endpoint.value);
        return { status: 201 };
      });
  }

  get url(): string {
    return this.#server.url;
  }

  start(port: number, host: string): Promise<string> {
    return this.#server.start(port, host);
  }

  stop(): Promise<void> {
    return this.#server.stop();
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://admin');
    const match = this.#router.match(request.method ?? 'GET', url.pathname);
    if (!match || match === 'method-not-allowed' || match === 'bad-uri') {
      request.resume();
      sendJson(response, 404, errorInformation(FspiopErrorCode.unknownUri, `${request.method} ${url.pathname}`));
      return;
    }
    try {
      let body: unknown;
      if (request.method !== 'GET') {
        const text = await readBody(request, 64 * 1024);
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          throw new AdminError(400, FspiopErrorCode.malformedSyntax, 'body is not valid JSON');
        }
      }
      const answer = match.handler(match.params, body, url.searchParams);
      sendJson(response, answer.status, answer.body);
    } catch (error) {
      if (!(error instanceof AdminError)) throw error;
      sendJson(response, error.status, errorInformation(error.error, error.message));
    }
  }

  #known(name: string): string {
    // central-ledger answers an unknown participant with 400 and 3200, not 404.
    if (!this.#ledger.hasParticipant(name)) throw new AdminError(400, FspiopErrorCode.genericIdNotFound, `participant "${name}" does not exist`);
    return name;
  }

  #participant(name: string) {
    return {
      name,
      isActive: 1,
      accounts: this.#ledger.accountsOf(name).map((account) => ({ ledgerAccountType: 'POSITION', currency: account.currency, isActive: 1 })),
    };
  }

  #create(request: z.infer<typeof CreateParticipant>) {
    if (this.#ledger.currenciesOf(request.name).includes(request.currency)) {
      throw new AdminError(400, FspiopErrorCode.genericClientError, `participant "${request.name}" already has a ${request.currency} account`);
    }
    this.#ledger.ensureParticipant(request.name, [request.currency]);
    return { status: 201, body: this.#participant(request.name) };
  }

  #initialPositionAndLimits(name: string, request: z.infer<typeof InitialPositionAndLimits>) {
    this.#requireAccount(name, request.currency);
    this.#ledger.setInitialPositionAndLimit(name, request.currency, request.limit.value, request.initialPosition);
    return { status: 201 };
  }

  #setLimit(name: string, request: z.infer<typeof SetLimit>) {
    this.#requireAccount(name, request.currency);
    this.#ledger.setNetDebitCap(name, request.currency, request.limit.value);
    return { status: 200, body: limitOf(this.#accounts(name, new URLSearchParams({ currency: request.currency }))[0]!) };
  }

  /** A list, or one object when `?currency=` names one (as central-ledger answers). */
  #positions(name: string, query: URLSearchParams) {
    const positions = this.#accounts(name, query).map((account) => ({ currency: account.currency, value: Number(account.position), changedDate: account.changedDate }));
    return { status: 200, body: query.has('currency') ? positions[0] ?? {} : positions };
  }

  #accounts(name: string, query: URLSearchParams): ParticipantAccount[] {
    const currency = query.get('currency');
    return this.#ledger.accountsOf(name).filter((account) => currency === null || account.currency === currency);
  }

  #requireAccount(name: string, currency: string): void {
    if (!this.#ledger.currenciesOf(name).includes(currency)) {
      throw new AdminError(400, FspiopErrorCode.genericValidationError, `participant "${name}" has no ${currency} account`);
    }
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    // central-ledger's request validation answers 3101 for any invalid body.
    throw new AdminError(400, FspiopErrorCode.malformedSyntax, describeZodError(result.error));
  }
  return result.data;
}

function limitOf(account: ParticipantAccount) {
  return { currency: account.currency, limit: { type: 'NET_DEBIT_CAP', value: Number(account.netDebitCap), alarmPercentage: 10 } };
}
