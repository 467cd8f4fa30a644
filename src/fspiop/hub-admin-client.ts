import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { joinUrl, redactUrl } from '../support/url.ts';
import type { HubChange, HubChangeRecorder } from './hub-change.ts';
import { FspiopTransport } from './fspiop-transport.ts';
import type { OutboundResult } from './outbound.ts';

const Position = z.object({ currency: z.string(), value: z.number() });
const Limit = z.object({ currency: z.string(), limit: z.object({ type: z.string(), value: z.number(), alarmPercentage: z.number().optional() }) });

const AccountRef = z.object({ id: z.number().optional(), ledgerAccountType: z.string(), currency: z.string(), isActive: z.union([z.number(), z.boolean()]) });
const Participant = z.object({ name: z.string(), isActive: z.union([z.number(), z.boolean()]).optional(), accounts: z.array(AccountRef) });
const AccountBalance = z.object({
  id: z.number(), ledgerAccountType: z.string(), currency: z.string(), isActive: z.union([z.number(), z.boolean()]),
  value: z.coerce.number(), reservedValue: z.coerce.number(),
});
const Endpoint = z.object({ type: z.string(), value: z.string() });
const SettlementModelView = z.object({ name: z.string(), currency: z.string().nullable().optional(), isActive: z.union([z.number(), z.boolean()]).optional() });
const ErrorInformation = z.object({ errorInformation: z.object({ errorCode: z.string(), errorDescription: z.string() }) });

export type AdminParticipant = z.infer<typeof Participant>;
export type AdminAccountBalance = z.infer<typeof AccountBalance>;
export type AdminEndpoint = z.infer<typeof Endpoint>;
export type AdminSettlementModel = z.infer<typeof SettlementModelView>;
export type HubAccountType = 'HUB_RECONCILIATION' | 'HUB_MULTILATERAL_SETTLEMENT';

/** POST /settlementModels, as central-ledger validates it. */
export interface SettlementModelDefinition {
  name: string;
  settlementGranularity: 'GROSS' | 'NET';
  settlementInterchange: 'BILATERAL' | 'MULTILATERAL';
  settlementDelay: 'IMMEDIATE' | 'DEFERRED';
  currency?: string;
  requireLiquidityCheck: boolean;
  ledgerAccountType: string;
  autoPositionReset: boolean;
  settlementAccountType: 'SETTLEMENT' | 'INTERCHANGE_FEE_SETTLEMENT';
}

/** A change made through `changeNetDebitCap` / `takeLiquidityOut`, journaled until `restore()` puts it back. */
export interface TemporaryHubChange {
  readonly change: HubChange;
  restore(): Promise<void>;
}

/** The admin API answered something else than central-ledger would: the message names the call and the answer. */
export class HubAdminError extends Error {
  override readonly name = 'HubAdminError';
  /** `METHOD url` with the URL redacted. */
  readonly call: string;
  /** The HTTP status, when the hub answered. */
  readonly status: number | undefined;
  /** The hub's errorInformation, when its answer carried one. */
  readonly errorInformation: { errorCode: string; errorDescription: string } | undefined;
  /** Why no answer came: ECONNREFUSED, TIMEOUT, ENOTFOUND, … */
  readonly code: string | undefined;
  constructor(message: string, details: { call: string; status?: number; errorInformation?: { errorCode: string; errorDescription: string }; code?: string }, options?: ErrorOptions) {
    super(message, options);
    this.call = details.call;
    this.status = details.status;
    this.errorInformation = details.errorInformation;
    this.code = details.code;
  }
}

/**
 * A client of the hub's administration API in central-ledger's shape: participants and their
 * accounts, limits, positions, liquidity and callback endpoints, the hub's own accounts and
 * settlement models. What functional scenarios read positions from and set a net debit cap through,
 * and what the provisioner sets up test DFSPs with. Works against the reference hub and a real
 * central-ledger alike. Every call is bounded by the timeout: central-ledger answers some calls
 * (initialPositionAndLimits, funds in and out) only after publishing to Kafka, and hangs without it.
 */
export class HubAdminClient {
  readonly #adminUrl: string;
  readonly #timeoutMs: number;
  readonly #transport: FspiopTransport;

  /** `transport`: what our calls present — the bearer token and client certificate of our DFSP where the hub secures its admin API too (default: none). */
  constructor(adminUrl: string, timeoutMs: number, transport: FspiopTransport = FspiopTransport.plain()) {
    this.#adminUrl = adminUrl;
    this.#timeoutMs = timeoutMs;
    this.#transport = transport;
  }

  /** The admin URL as it may be shown or stored (query values and credentials masked). */
  get url(): string {
    return redactUrl(this.#adminUrl);
  }

  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  /** Where the numbers come from, for the evidence. */
  describe(path: string): string {
    return `GET ${redactUrl(joinUrl(this.#adminUrl, path))}`;
  }

  /** The participant's position in the currency, as a number (positive: it owes the scheme). */
  async position(participant: string, currency: string): Promise<number> {
    const path = `${participantPath(participant)}/positions`;
    const positions = z.array(Position).safeParse(await this.#call('GET', path));
    const position = positions.success ? positions.data.find((entry) => entry.currency === currency) : undefined;
    if (!position) throw this.#unexpected(path, `gave no ${currency} position for ${participant}`);
    return position.value;
  }

  async netDebitCap(participant: string, currency: string): Promise<number> {
    const path = `${participantPath(participant)}/limits`;
    const limit = (await this.limits(participant)).find((entry) => entry.currency === currency && entry.limit.type === 'NET_DEBIT_CAP');
    if (!limit) throw this.#unexpected(path, `gave no ${currency} NET_DEBIT_CAP for ${participant}`);
    return limit.limit.value;
  }

  async setNetDebitCap(participant: string, currency: string, value: number): Promise<void> {
    await this.#call('PUT', `${participantPath(participant)}/limits`,
      { currency, limit: { type: 'NET_DEBIT_CAP', value, alarmPercentage: 10 } });
  }

  /**
   * Sets the net debit cap for a while: the previous cap is written to the journal BEFORE the cap
   * changes, so a run killed before `restore()` has it put back by the next run's
   * `HubChangeJournal.restorePending()`. `restore()` puts the previous cap back and strikes the entry.
   */
  async changeNetDebitCap(participant: string, currency: string, value: number, journal: HubChangeRecorder): Promise<TemporaryHubChange> {
    const previous = await this.netDebitCap(participant, currency);
    const change: HubChange = { kind: 'netDebitCap', participant, currency, previous };
    const id = await journal.record(this.#adminUrl, change);
    await this.setNetDebitCap(participant, currency, value);
    return this.#temporary(change, id, journal);
  }

  /**
   * Takes liquidity out for a while (funds out, prepare then commit), journaled first as
   * `changeNetDebitCap` is; `restore()` funds the same amount back in.
   */
  async takeLiquidityOut(participant: string, currency: string, amount: number, journal: HubChangeRecorder): Promise<TemporaryHubChange> {
    const change: HubChange = { kind: 'liquidityOut', participant, currency, amount };
    const id = await journal.record(this.#adminUrl, change);
    await this.recordFundsOut(participant, currency, amount, 'conformance run: liquidity taken out for a while');
    return this.#temporary(change, id, journal);
  }

  /** Puts a journaled change back (used by `HubChangeJournal.restorePending`). */
  async undo(change: HubChange): Promise<void> {
    if (change.kind === 'netDebitCap') await this.setNetDebitCap(change.participant, change.currency, change.previous);
    else await this.recordFundsIn(change.participant, change.currency, change.amount, 'conformance run: liquidity taken out for a while, put back');
  }

  // ---- participants and their accounts ----

  /** Every participant, the hub itself ("Hub") included, as central-ledger lists them. */
  async participants(): Promise<AdminParticipant[]> {
    return this.#parse('/participants', z.array(Participant), await this.#call('GET', '/participants'));
  }

  /** The participant with its accounts (ids, types, currencies, active or not); undefined when the hub does not know it (central-ledger: 400 3200). */
  async participant(name: string): Promise<AdminParticipant | undefined> {
    try {
      return this.#parse(participantPath(name), Participant, await this.#call('GET', participantPath(name)));
    } catch (error) {
      if (error instanceof HubAdminError && error.errorInformation?.errorCode === '3200') return undefined;
      throw error;
    }
  }

  /** POST /participants: the participant with a POSITION and a SETTLEMENT account in the currency, both inactive until initialPositionAndLimits. */
  async createParticipant(name: string, currency: string): Promise<AdminParticipant> {
    return this.#parse('/participants', Participant, await this.#call('POST', '/participants', { name, currency }));
  }

  /** Balances: POSITION and SETTLEMENT per currency (central-ledger lists an account only once it has a position, i.e. after initialPositionAndLimits). */
  async accounts(participant: string, currency?: string): Promise<AdminAccountBalance[]> {
    const path = `${participantPath(participant)}/accounts${currency ? `?currency=${encodeURIComponent(currency)}` : ''}`;
    return this.#parse(path, z.array(AccountBalance), await this.#call('GET', path));
  }

  /** PUT /participants/{name}/accounts/{id}: central-ledger switches only POSITION accounts this way. */
  async setAccountActive(participant: string, accountId: number, isActive: boolean): Promise<void> {
    await this.#call('PUT', `${participantPath(participant)}/accounts/${accountId}`, { isActive });
  }

  /** POST …/initialPositionAndLimits: central-ledger refuses a second one (500, "already set") and hangs without Kafka. */
  async addInitialPositionAndLimits(participant: string, currency: string, netDebitCap: number, initialPosition: number): Promise<void> {
    await this.#call('POST', `${participantPath(participant)}/initialPositionAndLimits`,
      { currency, limit: { type: 'NET_DEBIT_CAP', value: netDebitCap }, initialPosition });
  }

  async limits(participant: string): Promise<z.infer<typeof Limit>[]> {
    const path = `${participantPath(participant)}/limits`;
    return this.#parse(path, z.array(Limit), await this.#call('GET', path));
  }

  async endpoints(participant: string): Promise<AdminEndpoint[]> {
    const path = `${participantPath(participant)}/endpoints`;
    return this.#parse(path, z.array(Endpoint), await this.#call('GET', path));
  }

  /** POST …/endpoints: replaces the participant's endpoint of this type. */
  async setEndpoint(participant: string, type: string, value: string): Promise<void> {
    await this.#call('POST', `${participantPath(participant)}/endpoints`, { type, value });
  }

  // ---- the hub's own accounts and settlement models ----

  /** The hub's own accounts (HUB_RECONCILIATION, HUB_MULTILATERAL_SETTLEMENT per currency): the accounts of participant "Hub". */
  async hubAccounts(): Promise<{ type: string; currency: string }[]> {
    const hub = await this.participant('Hub');
    return (hub?.accounts ?? []).map((account) => ({ type: account.ledgerAccountType, currency: account.currency }));
  }

  async createHubAccount(type: HubAccountType, currency: string): Promise<void> {
    await this.#call('POST', '/participants/Hub/accounts', { type, currency });
  }

  async settlementModels(): Promise<AdminSettlementModel[]> {
    return this.#parse('/settlementModels', z.array(SettlementModelView), await this.#call('GET', '/settlementModels'));
  }

  async createSettlementModel(model: SettlementModelDefinition): Promise<void> {
    await this.#call('POST', '/settlementModels', model);
  }

  // ---- liquidity ----

  /**
   * The participant's liquidity cover in the currency as a positive number: the funds available to
   * back its position. central-ledger shows a funded SETTLEMENT account with a NEGATIVE value (funds
   * in debit it), so this is that value negated; 0 for an account not funded yet.
   */
  async liquidity(participant: string, currency: string): Promise<number> {
    const path = `${participantPath(participant)}/accounts`;
    const settlement = (await this.accounts(participant, currency)).find((account) => account.ledgerAccountType === 'SETTLEMENT' && account.currency === currency);
    if (!settlement) throw this.#unexpected(path, `gave no ${currency} SETTLEMENT account for ${participant} (central-ledger lists it only after initialPositionAndLimits)`);
    return settlement.value === 0 ? 0 : -settlement.value;
  }

  /** The id of the participant's SETTLEMENT account in the currency, which funds in and out address. */
  async settlementAccountId(participant: string, currency: string): Promise<number> {
    const found = (await this.participant(participant))?.accounts.find((account) => account.ledgerAccountType === 'SETTLEMENT' && account.currency === currency);
    if (found?.id === undefined) throw this.#unexpected(participantPath(participant), `gave no ${currency} SETTLEMENT account id for ${participant}`);
    return found.id;
  }

  /** Funds in (recordFundsIn) to the settlement account: the liquidity cover grows by `amount`. Returns the transfer id. */
  async recordFundsIn(participant: string, currency: string, amount: number, reason: string): Promise<string> {
    const transferId = randomUUID();
    const accountId = await this.settlementAccountId(participant, currency);
    await this.#call('POST', `${participantPath(participant)}/accounts/${accountId}`,
      { transferId, externalReference: 'conformance', action: 'recordFundsIn', reason, amount: { amount: amountText(amount), currency } });
    return transferId;
  }

  /** Funds out in central-ledger's two steps: recordFundsOutPrepareReserve, then PUT …/transfers/{id} recordFundsOutCommit. Returns the transfer id. */
  async recordFundsOut(participant: string, currency: string, amount: number, reason: string): Promise<string> {
    const transferId = randomUUID();
    const accountId = await this.settlementAccountId(participant, currency);
    const account = `${participantPath(participant)}/accounts/${accountId}`;
    await this.#call('POST', account,
      { transferId, externalReference: 'conformance', action: 'recordFundsOutPrepareReserve', reason, amount: { amount: amountText(amount), currency } });
    await this.#call('PUT', `${account}/transfers/${transferId}`, { action: 'recordFundsOutCommit', reason });
    return transferId;
  }

  #temporary(change: HubChange, id: string, journal: HubChangeRecorder): TemporaryHubChange {
    let restored = false;
    return {
      change,
      restore: async () => {
        if (restored) return;
        await this.undo(change);
        restored = true;
        await journal.settle(id);
      },
    };
  }

  #parse<T>(path: string, schema: z.ZodType<T>, body: unknown): T {
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw this.#unexpected(path, `answered a body unlike central-ledger's: ${parsed.error.issues[0]?.path.join('.') || '(body)'} ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  }

  #unexpected(path: string, what: string): HubAdminError {
    return new HubAdminError(`${this.describe(path)} ${what}`, { call: this.describe(path) });
  }

  async #call(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const url = joinUrl(this.#adminUrl, path);
    const call = `${method} ${redactUrl(url)}`;
    let response: OutboundResult;
    try {
      response = await this.#transport.sendJson({ method, url, body, timeoutMs: this.#timeoutMs, maxResponseBytes: ADMIN_RESPONSE_BYTES });
    } catch (error) {
      const code = (error as { code?: string }).code;
      const message = (error as Error).message;
      const reason = code === 'TIMEOUT' ? `no answer within ${this.#timeoutMs} ms` : code && !message.includes(code) ? `${message} (${code})` : message;
      throw new HubAdminError(`${call} failed: ${reason}`, { call, ...(code ? { code } : {}) }, { cause: error });
    }
    const text = response.body;
    if (response.status < 200 || response.status > 299) {
      const information = parseJson(text);
      const parsed = ErrorInformation.safeParse(information);
      throw new HubAdminError(`${call} answered HTTP ${response.status}: ${text.slice(0, 200)}`,
        { call, status: response.status, ...(parsed.success ? { errorInformation: parsed.data.errorInformation } : {}) });
    }
    if (text === '') return undefined;
    const parsed = parseJson(text);
    if (parsed === undefined) throw new HubAdminError(`${call} answered HTTP ${response.status} with a body that is not JSON`, { call, status: response.status });
    return parsed;
  }
}

/** The most of an admin answer kept: a hub's participant list with every account, not an acknowledgement. */
const ADMIN_RESPONSE_BYTES = 16 * 1024 * 1024;

function participantPath(participant: string): string {
  return `/participants/${encodeURIComponent(participant)}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** central-ledger takes amounts as numbers with at most 4 decimals; a string keeps a float's noise out. */
function amountText(amount: number): string {
  return String(Number(amount.toFixed(4)));
}
