import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { errorInformation, FspiopErrorCode, type FspiopError } from '../fspiop/error-codes.ts';
import { describeZodError, FSPIOP_AMOUNT_PATTERN } from '../fspiop/payloads.ts';
import { Router } from '../fspiop/router.ts';
import { HttpServer, readBody, sendJson } from '../support/http-server.ts';
import { FSPIOP_CALLBACK_ENDPOINT_TYPES } from '../fspiop/callback-endpoint-types.ts';
import { CALLBACK_BASE_URL } from './callback-routing.ts';
import { bookable, MAX_AMOUNT } from './ledger-amount.ts';
import { HUB_ACCOUNT_TYPES, HubLedger, type FundsOutcome, type HubAccountType, type ParticipantAccount, type SettlementModel } from './ledger.ts';
import { SqliteLedgerStore, type LedgerStore } from './ledger-store.ts';
import { HUB_SCOPES, type HubSecurity } from './hub-security.ts';

/** central-ledger takes numbers; a float such as 0.1 + 0.2 is read to 4 decimals, as the ledger counts. */
const Amount = z.union([
  z.number().nonnegative().max(Number(MAX_AMOUNT)).transform((value) => value.toFixed(4)),
  z.string().regex(new RegExp(`^${FSPIOP_AMOUNT_PATTERN}$`), 'an amount such as "1000" or "12.5"'),
]).refine(bookable, `at most ${MAX_AMOUNT}`);
const Currency = z.string().regex(/^[A-Z]{3}$/);
const NetDebitCap = z.strictObject({ type: z.literal('NET_DEBIT_CAP'), value: Amount, alarmPercentage: z.number().optional() });

/** central-ledger's name validator is 2 to 30 characters; '#' never, so a DFSP name cannot clash with the hub's own accounts. */
const CreateParticipant = z.object({ name: z.string().regex(/^[A-Za-z0-9_-]{2,30}$/, 'letters, digits, "_" or "-", 2 to 30 of them'), currency: Currency });
const InitialPositionAndLimits = z.object({ currency: Currency, limit: NetDebitCap, initialPosition: Amount.default('0') });
const SetLimit = z.object({ currency: Currency, limit: NetDebitCap });
const AddEndpoint = z.object({ type: z.string().min(1), value: z.string().min(1) });
const CreateHubAccount = z.object({ type: z.string().min(1), currency: Currency });
const UpdateAccount = z.object({ isActive: z.boolean() });
const TransferId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[1-7][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$|^[0-9A-HJKMNP-TV-Z]{26}$/, 'a UUID or ULID');
const RecordFunds = z.object({
  transferId: TransferId, externalReference: z.string().min(1), reason: z.string().min(1),
  action: z.enum(['recordFundsIn', 'recordFundsOutPrepareReserve']),
  amount: z.object({ amount: Amount, currency: Currency }),
});
const FinishFundsOut = z.object({ action: z.enum(['recordFundsOutCommit', 'recordFundsOutAbort']), reason: z.string().min(1) });
const CreateSettlementModel = z.object({
  name: z.string().regex(/^[A-Za-z0-9]{2,30}$/, 'letters and digits, 2 to 30 of them'),
  settlementGranularity: z.enum(['GROSS', 'NET']), settlementInterchange: z.enum(['BILATERAL', 'MULTILATERAL']),
  settlementDelay: z.enum(['IMMEDIATE', 'DEFERRED']), currency: Currency.optional(), requireLiquidityCheck: z.boolean(),
  ledgerAccountType: z.string().min(1), autoPositionReset: z.boolean(), settlementAccountType: z.enum(['SETTLEMENT', 'INTERCHANGE_FEE_SETTLEMENT']),
});

/** The hub itself, as central-ledger names it (HUB_PARTICIPANT.NAME): it holds the hub accounts. */
const HUB_NAME = 'Hub';
/** Endpoint types central-ledger's seed knows besides the FSPIOP callbacks (notifications by e-mail). */
const OTHER_ENDPOINT_TYPES = ['NET_DEBIT_CAP_THRESHOLD_BREACH_EMAIL', 'NET_DEBIT_CAP_ADJUSTMENT_EMAIL', 'SETTLEMENT_TRANSFER_POSITION_CHANGE_EMAIL', 'FSPIOP_CALLBACK_URL_PARTICIPANT_DELETE',
  'FSPIOP_CALLBACK_URL_FX_QUOTES', 'FSPIOP_CALLBACK_URL_FX_TRANSFER_POST', 'FSPIOP_CALLBACK_URL_FX_TRANSFER_PUT', 'FSPIOP_CALLBACK_URL_FX_TRANSFER_ERROR'];
const ENDPOINT_TYPES = new Set([CALLBACK_BASE_URL, ...OTHER_ENDPOINT_TYPES, ...FSPIOP_CALLBACK_ENDPOINT_TYPES.map((endpoint) => endpoint.type)]);

type Answer = { status: number; body?: unknown };
type Handler = (params: Record<string, string>, body: unknown, query: URLSearchParams) => Answer | Promise<Answer>;

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
 * central-ledger too. Plain, it has no authentication, like central-ledger's admin API behind an
 * operator's network; with `security` (the fully secured hub) it is served over TLS and every call
 * but /health needs a bearer token with scope `admin` (anonymous: 401; a DFSP's token: 403).
 */
export class HubAdminApi {
  readonly #ledger: LedgerStore;
  readonly #router = new Router<Handler>();
  readonly #server: HttpServer;
  readonly #security: HubSecurity | undefined;

  constructor(ledger: HubLedger | LedgerStore, security?: HubSecurity) {
    this.#ledger = ledger instanceof HubLedger ? new SqliteLedgerStore(ledger) : ledger;
    this.#security = security;
    this.#server = new HttpServer((request, response) => this.#handle(request, response),
      (error) => errorInformation(FspiopErrorCode.internalServerError, String(error)), { tls: security?.serverTls });
    this.#router
      // As central-ledger's /health, which reports its database: DOWN while the books are unreachable.
      .on('GET', '/health', () => (this.#ledger.available
        ? { status: 200, body: { status: 'OK' } }
        : { status: 503, body: { status: 'DOWN', services: [{ name: 'datastore', status: 'DOWN' }] } }))
      .on('GET', '/participants', async () => ({ status: 200, body: [await this.#hub(), ...await Promise.all(this.#ledger.directory.participantNames().map((name) => this.#participant(name)))] }))
      .on('POST', '/participants', (_, body) => this.#create(parse(CreateParticipant, body)))
      .on('GET', '/participants/{name}', async ({ name }) => ({ status: 200, body: name === HUB_NAME ? await this.#hub() : await this.#participant(this.#known(name!)) }))
      .on('POST', '/participants/{name}/accounts', ({ name }, body) => this.#createHubAccount(name!, parse(CreateHubAccount, body)))
      .on('GET', '/participants/{name}/accounts', async ({ name }, _, query) => ({ status: 200, body: await this.#accountBalances(this.#known(name!), query.get('currency')) }))
      .on('PUT', '/participants/{name}/accounts/{id}', ({ name, id }, body) => this.#updateAccount(this.#known(name!), Number(id), parse(UpdateAccount, body)))
      .on('POST', '/participants/{name}/accounts/{id}', ({ name, id }, body) => this.#recordFunds(this.#known(name!), Number(id), parse(RecordFunds, body)))
      .on('PUT', '/participants/{name}/accounts/{id}/transfers/{transferId}', ({ name, transferId }, body) =>
        this.#finishFundsOut(this.#known(name!), transferId!, parse(FinishFundsOut, body)))
      .on('GET', '/settlementModels', async () => ({ status: 200, body: (await this.#ledger.settlementModels()).map((model, index) => settlementModelOf(model, index)) }))
      .on('POST', '/settlementModels', (_, body) => this.#createSettlementModel(parse(CreateSettlementModel, body)))
      .on('POST', '/participants/{name}/initialPositionAndLimits', ({ name }, body) => this.#initialPositionAndLimits(this.#known(name!), parse(InitialPositionAndLimits, body)))
      .on('GET', '/participants/{name}/limits', async ({ name }, _, query) => ({ status: 200, body: (await this.#accounts(this.#known(name!), query)).map(limitOf) }))
      .on('PUT', '/participants/{name}/limits', ({ name }, body) => this.#setLimit(this.#known(name!), parse(SetLimit, body)))
      .on('GET', '/participants/{name}/positions', ({ name }, _, query) => this.#positions(this.#known(name!), query))
      .on('GET', '/participants/{name}/endpoints', ({ name }) => ({ status: 200, body: this.#ledger.directory.endpointsOf(this.#known(name!)) }))
      .on('POST', '/participants/{name}/endpoints', async ({ name }, body) => {
        const endpoint = parse(AddEndpoint, body);
        // central-ledger looks the type up in its endpointType table and fails on one it lacks.
        if (!ENDPOINT_TYPES.has(endpoint.type)) throw new AdminError(500, FspiopErrorCode.internalServerError, `endpoint type "${endpoint.type}" is not known`);
        await this.#ledger.setEndpoint(this.#known(name!), endpoint.type, endpoint.value);
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
    // /health stays open, as a liveness probe must; everything else is the operator's.
    if (!(request.method === 'GET' && url.pathname === '/health') && this.#security?.refuseUnauthorized(request, response, HUB_SCOPES.admin)) return;
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
      const answer = await match.handler(match.params, body, url.searchParams);
      sendJson(response, answer.status, answer.body);
    } catch (error) {
      if (!(error instanceof AdminError)) throw error;
      sendJson(response, error.status, errorInformation(error.error, error.message));
    }
  }

  #known(name: string): string {
    // central-ledger answers an unknown participant with 400 and 3200, not 404.
    if (!this.#ledger.directory.hasParticipant(name)) throw new AdminError(400, FspiopErrorCode.genericIdNotFound, `participant "${name}" does not exist`);
    return name;
  }

  /** central-ledger's participant entity: each currency has a POSITION and a SETTLEMENT account, with the ids the account calls take. */
  async #participant(name: string) {
    return {
      name, id: `/participants/${name}`, isActive: 1, links: { self: `/participants/${name}` }, isProxy: 0,
      accounts: (await this.#ledger.dfspAccounts(name)).flatMap((account) => [
        { id: account.position.id, ledgerAccountType: 'POSITION', currency: account.currency, isActive: account.position.isActive ? 1 : 0 },
        { id: account.settlement.id, ledgerAccountType: 'SETTLEMENT', currency: account.currency, isActive: account.settlement.isActive ? 1 : 0 },
      ]),
    };
  }

  async #hub() {
    return {
      name: HUB_NAME, id: `/participants/${HUB_NAME}`, isActive: 1, links: { self: `/participants/${HUB_NAME}` }, isProxy: 0,
      accounts: (await this.#ledger.hubAccounts()).map((account) => ({ ledgerAccountType: account.type, currency: account.currency, isActive: 1 })),
    };
  }

  async #create(request: z.infer<typeof CreateParticipant>) {
    // central-ledger's order: hub accounts, then the currency not yet registered, then a settlement model covering it.
    for (const type of ['HUB_RECONCILIATION', 'HUB_MULTILATERAL_SETTLEMENT'] as const) {
      if (!(await this.#ledger.hasHubAccount(type, request.currency))) {
        throw new AdminError(400, FspiopErrorCode.addPartyInfoError, `Hub ${type === 'HUB_RECONCILIATION' ? 'reconciliation' : 'multilateral net settlement'} account for the specified currency does not exist`);
      }
    }
    if (request.name === HUB_NAME) throw new AdminError(400, FspiopErrorCode.genericClientError, `"${HUB_NAME}" is the hub's own name`);
    if (this.#ledger.directory.currenciesOf(request.name).includes(request.currency)) {
      throw new AdminError(400, FspiopErrorCode.genericClientError, `Participant currency has already been registered (participant "${request.name}", ${request.currency})`);
    }
    const models = await this.#ledger.settlementModels();
    if (!models.some((model) => model.currency === request.currency || model.currency === undefined)) {
      throw new AdminError(400, FspiopErrorCode.genericSettlementError, `Unable to find a matching or default, Settlement Model for ${request.currency}`);
    }
    await this.#ledger.ensureParticipant(request.name, [request.currency], '0', { inactive: true });
    return { status: 201, body: await this.#participant(request.name) };
  }

  async #createHubAccount(name: string, request: z.infer<typeof CreateHubAccount>) {
    if (name !== HUB_NAME) {
      throw new AdminError(400, FspiopErrorCode.addPartyInfoError, this.#ledger.directory.hasParticipant(name) ? 'Endpoint is reserved for creation of Hub account types only.' : 'Participant was not found.');
    }
    if (!(HUB_ACCOUNT_TYPES as readonly string[]).includes(request.type)) {
      throw new AdminError(400, FspiopErrorCode.addPartyInfoError, `The requested hub operator account type is not allowed: "${request.type}" (allowed: ${HUB_ACCOUNT_TYPES.join(', ')})`);
    }
    if (!(await this.#ledger.addHubAccount(request.type as HubAccountType, request.currency))) {
      throw new AdminError(400, FspiopErrorCode.addPartyInfoError, 'Hub account has already been registered.');
    }
    return { status: 201, body: await this.#hub() };
  }

  /**
   * central-ledger's GET …/accounts: POSITION and SETTLEMENT with their balances. A funded
   * settlement account shows a negative value (funds in debit it): its liquidity cover negated.
   * Accounts with no initial position yet are not listed (central-ledger has no position row for them).
   */
  async #accountBalances(name: string, currency: string | null) {
    return (await this.#ledger.dfspAccounts(name)).filter((account) => (currency === null || account.currency === currency) && account.hasInitialPositionAndLimit).flatMap((account) => [
      { id: account.position.id, ledgerAccountType: 'POSITION', currency: account.currency, isActive: account.position.isActive ? 1 : 0, value: Number(account.position.value), reservedValue: 0, changedDate: account.position.changedDate },
      { id: account.settlement.id, ledgerAccountType: 'SETTLEMENT', currency: account.currency, isActive: account.settlement.isActive ? 1 : 0, value: Number(account.settlement.value), reservedValue: 0, changedDate: account.settlement.changedDate },
    ]);
  }

  async #updateAccount(name: string, id: number, request: z.infer<typeof UpdateAccount>) {
    const account = (await this.#ledger.dfspAccounts(name)).find((entry) => entry.position.id === id || entry.settlement.id === id);
    // central-ledger answers these with an internal server error, texts as here.
    if (!account) throw new AdminError(500, FspiopErrorCode.internalServerError, `Account not found (${id} for ${name})`);
    if (account.position.id !== id) throw new AdminError(500, FspiopErrorCode.internalServerError, 'Only position account update is permitted');
    await this.#ledger.setActive(name, account.currency, 'POSITION', request.isActive);
    return { status: 200 };
  }

  async #recordFunds(name: string, id: number, request: z.infer<typeof RecordFunds>) {
    const outcome = request.action === 'recordFundsIn'
      ? await this.#ledger.recordFundsIn(name, id, request.transferId, request.amount)
      : await this.#ledger.recordFundsOutPrepareReserve(name, id, request.transferId, request.amount);
    return fundsAnswer(outcome);
  }

  async #finishFundsOut(name: string, transferId: string, request: z.infer<typeof FinishFundsOut>) {
    return fundsAnswer(await this.#ledger.finishFundsOut(name, transferId, request.action));
  }

  async #createSettlementModel(request: z.infer<typeof CreateSettlementModel>) {
    if (!(await this.#ledger.addSettlementModel(request))) throw new AdminError(400, FspiopErrorCode.genericClientError, `settlement model "${request.name}" exists already`);
    return { status: 201 };
  }

  async #initialPositionAndLimits(name: string, request: z.infer<typeof InitialPositionAndLimits>) {
    this.#requireAccount(name, request.currency);
    if (await this.#ledger.hasInitialPositionAndLimit(name, request.currency)) {
      throw new AdminError(500, FspiopErrorCode.internalServerError, 'Participant Limit or Initial Position already set');
    }
    await this.#ledger.setInitialPositionAndLimit(name, request.currency, request.limit.value, request.initialPosition);
    return { status: 201 };
  }

  async #setLimit(name: string, request: z.infer<typeof SetLimit>) {
    this.#requireAccount(name, request.currency);
    if (!(await this.#ledger.hasInitialPositionAndLimit(name, request.currency))) throw new AdminError(500, FspiopErrorCode.internalServerError, 'Participant Limit does not exist');
    await this.#ledger.setNetDebitCap(name, request.currency, request.limit.value);
    return { status: 200, body: limitOf((await this.#accounts(name, new URLSearchParams({ currency: request.currency })))[0]!) };
  }

  /** A list, or one object when `?currency=` names one (as central-ledger answers). */
  async #positions(name: string, query: URLSearchParams) {
    const positions = (await this.#accounts(name, query)).map((account) => ({ currency: account.currency, value: Number(account.position), changedDate: account.changedDate }));
    return { status: 200, body: query.has('currency') ? positions[0] ?? {} : positions };
  }

  /** Accounts set up by initialPositionAndLimits: before it, central-ledger lists no limit and no position for them. */
  async #accounts(name: string, query: URLSearchParams): Promise<ParticipantAccount[]> {
    const currency = query.get('currency');
    const accounts = (await this.#ledger.accountsOf(name)).filter((account) => currency === null || account.currency === currency);
    const setUp = await Promise.all(accounts.map((account) => this.#ledger.hasInitialPositionAndLimit(name, account.currency)));
    return accounts.filter((_, index) => setUp[index]);
  }

  #requireAccount(name: string, currency: string): void {
    if (!this.#ledger.directory.currenciesOf(name).includes(currency)) {
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

/** Funds in and out are accepted asynchronously in central-ledger (202); its refusals are internal server errors with these texts. */
function fundsAnswer(outcome: FundsOutcome) {
  if (outcome.kind === 'done') return { status: 202 };
  const text = {
    'no-account': 'The account does not match participant or currency specified', inactive: 'Account is currently set inactive',
    'not-settlement': 'Account is not SETTLEMENT type', insufficient: 'Insufficient funds', 'unknown-transfer': 'Transfer not found', modified: 'Modified request',
  }[outcome.kind];
  throw new AdminError(500, FspiopErrorCode.internalServerError, `${text}: ${outcome.detail}`);
}

function settlementModelOf(model: SettlementModel, index: number) {
  return {
    settlementModelId: index + 1, name: model.name, isActive: true, settlementGranularity: model.settlementGranularity,
    settlementInterchange: model.settlementInterchange, settlementDelay: model.settlementDelay, currency: model.currency ?? null,
    requireLiquidityCheck: model.requireLiquidityCheck, ledgerAccountTypeId: model.ledgerAccountType, autoPositionReset: model.autoPositionReset,
  };
}

function limitOf(account: ParticipantAccount) {
  return { currency: account.currency, limit: { type: 'NET_DEBIT_CAP', value: Number(account.netDebitCap), alarmPercentage: 10 } };
}
