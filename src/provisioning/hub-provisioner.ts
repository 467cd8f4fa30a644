import { callbackEndpointValue, FSPIOP_CALLBACK_ENDPOINT_TYPES } from '../fspiop/callback-endpoint-types.ts';
import { HubAdminError, type AdminParticipant, type HubAccountType, type HubAdminClient, type SettlementModelDefinition } from '../fspiop/hub-admin-client.ts';
import { partyKey, type PartyId } from '../fspiop/messages.ts';
import { participantsPath, type PartyRegistry } from './party-registry.ts';
import { ProvisioningError, provisioningFailure } from './provisioning-error.ts';

/** One of our test DFSPs: its FSP id on the hub and where its callbacks must arrive. */
export interface TestDfsp {
  fspId: string;
  /** Base URL of its callback server: every endpoint type is registered under it with its FSPIOP path. */
  callbackUrl: string;
}

export interface HubProvisionerOptions {
  admin: HubAdminClient;
  /** The oracle, through FSPIOP (`FspiopPartyRegistry`): asked who holds each party before registering it. */
  parties: PartyRegistry;
  currency: string;
  payer: TestDfsp;
  payee: TestDfsp & { parties: PartyId[] };
  /**
   * DFSPs of ours that only ask about transfers (the bystander of FUN-19): a participant with its
   * accounts and every callback endpoint, nothing more — central-ledger answers a GET /transfers
   * from any active participant (Validator.validateParticipantByName), and one that moves no money
   * needs no cap and no liquidity.
   */
  askers?: TestDfsp[];
  /** Set only on an account that has no initial position and limit yet (central-ledger refuses a second). */
  initialPosition: number;
  netDebitCap: number;
  /** Liquidity cover each DFSP should have: funded up to it, never taken down to it. */
  liquidity: number;
  /** Name of the settlement model created when none covers the currency (default DEFERREDNET<currency>, as Mojaloop's Testing Toolkit names it). */
  settlementModelName?: string;
}

/** A call the provisioner makes (or, from `plan()`, would make). */
export interface PlannedCall {
  method: 'POST' | 'PUT';
  /** Admin API path, or FSPIOP path for the oracle (`api` says which). */
  path: string;
  api: 'admin' | 'fspiop';
  /** The body in short, e.g. `{type: HUB_RECONCILIATION, currency: USD}`. */
  body: string;
  why: string;
}

export type ProvisioningOutcome = 'created' | 'changed' | 'already there' | 'kept' | 'skipped';

export interface ProvisioningEntry {
  /** What it is about: `hub account HUB_RECONCILIATION USD`, `participant payerfsp`, `endpoint payerfsp FSPIOP_CALLBACK_URL_QUOTES`, … */
  subject: string;
  outcome: ProvisioningOutcome;
  detail: string;
}

/** What a run did to the hub: created, changed, already there, kept as it was, skipped (and why). */
export interface ProvisioningReport {
  adminUrl: string;
  entries: ProvisioningEntry[];
  /** How to take away what this run created: central-ledger deletes little, so mostly how to switch it off. */
  removal: string[];
}

const HUB_ACCOUNTS: readonly HubAccountType[] = ['HUB_MULTILATERAL_SETTLEMENT', 'HUB_RECONCILIATION'];
/** central-ledger's participant name validator (routes.js nameValidator: 2 to 30 characters). */
const PARTICIPANT_NAME = /^[A-Za-z0-9_-]{2,30}$/;

type Mode = { kind: 'plan'; calls: PlannedCall[] } | { kind: 'apply'; entries: ProvisioningEntry[] };

/**
 * Sets up, on a hub under test, what a conformance run needs — as Mojaloop's Testing Toolkit
 * provisioning collection does: the hub's accounts and a settlement model for the currency, our
 * payer and payee DFSPs with their accounts, net debit cap, liquidity and every FSPIOP callback
 * endpoint, and the payee's parties in the oracle. Idempotent: it reads first and makes only what is
 * missing; a second run creates nothing. It touches only the two DFSPs it is given, and never
 * re-points a party another FSP holds.
 *
 * Order: everything that needs no Kafka (hub accounts, model, participants, endpoints) before the
 * calls central-ledger answers only after publishing to Kafka (initial position and limits, funds
 * in), so a hub whose Kafka is down gets the most done and a bounded, clear error.
 */
export class HubProvisioner {
  readonly #options: HubProvisionerOptions;

  constructor(options: HubProvisionerOptions) {
    this.#options = options;
    validate(options);
  }

  /** The calls `provision()` would make now, with why; reads the hub (GETs, FSPIOP lookups) and changes nothing. */
  async plan(): Promise<PlannedCall[]> {
    const mode: Mode = { kind: 'plan', calls: [] };
    await this.#walk(mode);
    return mode.calls;
  }

  /** Makes what is missing; throws a ProvisioningError at the first call the hub refuses. */
  async provision(): Promise<ProvisioningReport> {
    const mode: Mode = { kind: 'apply', entries: [] };
    await this.#walk(mode);
    return { adminUrl: this.#options.admin.url, entries: mode.entries, removal: this.#removal(mode.entries) };
  }

  async #walk(mode: Mode): Promise<void> {
    const { payer, payee, askers = [] } = this.#options;
    await this.#hubAccounts(mode);
    await this.#settlementModel(mode);
    const dfsps = [payer, payee];
    const known = new Map<string, AdminParticipant | undefined>();
    for (const dfsp of [...dfsps, ...askers]) known.set(dfsp.fspId, await this.#participant(mode, dfsp));
    for (const dfsp of [...dfsps, ...askers]) await this.#endpoints(mode, dfsp, known.get(dfsp.fspId));
    for (const dfsp of dfsps) await this.#limits(mode, dfsp, known.get(dfsp.fspId));
    for (const dfsp of dfsps) await this.#activation(mode, dfsp);
    for (const dfsp of dfsps) await this.#liquidity(mode, dfsp, known.get(dfsp.fspId));
    // The lookup goes out as the payer and is answered at its participant endpoint: in a plan for
    // a hub that does not know the payer yet, or would re-point that endpoint, nobody can ask.
    const answerable = mode.kind === 'apply' || (known.get(payer.fspId) !== undefined
      && !mode.calls.some((call) => call.path === `/participants/${payer.fspId}/endpoints` && /FSPIOP_CALLBACK_URL_PARTICIPANT(_SUB_ID)?_PUT[,}]/.test(call.body)));
    await this.#parties(mode, answerable);
  }

  async #hubAccounts(mode: Mode): Promise<void> {
    const { admin, currency } = this.#options;
    const existing = await this.#read('the hub\'s accounts', () => admin.hubAccounts());
    for (const type of HUB_ACCOUNTS) {
      const subject = `hub account ${type} ${currency}`;
      if (existing.some((account) => account.type === type && account.currency === currency)) {
        this.#note(mode, subject, 'already there', 'the hub has it');
        continue;
      }
      await this.#do(mode, subject, 'created', `created for ${currency}`,
        { method: 'POST', api: 'admin', path: '/participants/Hub/accounts', body: `{type: ${type}, currency: ${currency}}`, why: `the hub has no ${type} account in ${currency}: central-ledger refuses DFSPs in a currency without it` },
        () => admin.createHubAccount(type, currency));
    }
  }

  async #settlementModel(mode: Mode): Promise<void> {
    const { admin, currency } = this.#options;
    const models = await this.#read('settlement models', () => admin.settlementModels());
    const covering = models.find((model) => model.isActive !== false && model.isActive !== 0 && (model.currency === currency || model.currency === null || model.currency === undefined));
    const subject = `settlement model for ${currency}`;
    if (covering) {
      this.#note(mode, subject, 'already there', `"${covering.name}" covers ${currency}${covering.currency ? '' : ' (the default model)'}: left as it is`);
      return;
    }
    const model: SettlementModelDefinition = {
      name: this.#options.settlementModelName ?? `DEFERREDNET${currency}`, settlementGranularity: 'NET', settlementInterchange: 'MULTILATERAL',
      settlementDelay: 'DEFERRED', currency, requireLiquidityCheck: true, ledgerAccountType: 'POSITION', autoPositionReset: true, settlementAccountType: 'SETTLEMENT',
    };
    await this.#do(mode, subject, 'created', `"${model.name}" (deferred net, multilateral, liquidity checked)`,
      { method: 'POST', api: 'admin', path: '/settlementModels', body: `{name: ${model.name}, NET MULTILATERAL DEFERRED, currency: ${currency}}`, why: `no settlement model covers ${currency}: central-ledger creates no DFSP account without one` },
      () => admin.createSettlementModel(model));
  }

  /** The participant as the hub holds it now, or undefined in a plan where it is yet to be created. */
  async #participant(mode: Mode, dfsp: TestDfsp): Promise<AdminParticipant | undefined> {
    const { admin, currency } = this.#options;
    const subject = `participant ${dfsp.fspId} ${currency}`;
    const found = await this.#read(`participant ${dfsp.fspId}`, () => admin.participant(dfsp.fspId));
    if (found?.accounts.some((account) => account.currency === currency && account.ledgerAccountType === 'POSITION')) {
      this.#note(mode, subject, 'already there', `${dfsp.fspId} holds ${currency} accounts`);
      return found;
    }
    const why = found ? `${dfsp.fspId} exists but holds no ${currency} account` : `the hub has no participant ${dfsp.fspId}`;
    let created: AdminParticipant | undefined;
    await this.#do(mode, subject, 'created', found ? `${currency} accounts added` : `with ${currency} POSITION and SETTLEMENT accounts`,
      { method: 'POST', api: 'admin', path: '/participants', body: `{name: ${dfsp.fspId}, currency: ${currency}}`, why },
      async () => {
        created = await admin.createParticipant(dfsp.fspId, currency);
      });
    return created ?? found;
  }

  async #endpoints(mode: Mode, dfsp: TestDfsp, participant: AdminParticipant | undefined): Promise<void> {
    const { admin } = this.#options;
    const current = participant ? await this.#read(`endpoints of ${dfsp.fspId}`, () => admin.endpoints(dfsp.fspId)) : [];
    for (const endpoint of FSPIOP_CALLBACK_ENDPOINT_TYPES) {
      const subject = `endpoint ${dfsp.fspId} ${endpoint.type}`;
      const value = callbackEndpointValue(dfsp.callbackUrl, endpoint);
      const existing = current.find((entry) => entry.type === endpoint.type)?.value;
      if (existing === value) {
        this.#note(mode, subject, 'already there', value);
        continue;
      }
      const call: PlannedCall = { method: 'POST', api: 'admin', path: `/participants/${dfsp.fspId}/endpoints`, body: `{type: ${endpoint.type}, value: ${value}}`,
        why: existing === undefined ? `${dfsp.fspId} has no ${endpoint.type} endpoint` : `${dfsp.fspId}'s ${endpoint.type} points at ${existing}` };
      try {
        await this.#do(mode, subject, existing === undefined ? 'created' : 'changed', existing === undefined ? value : `${existing} → ${value}`, call,
          () => admin.setEndpoint(dfsp.fspId, endpoint.type, value), { rethrowAdminError: true });
      } catch (error) {
        // A hub that does not know an endpoint type (central-ledger before v18 and FX) cannot be
        // certified only when P2P needs it; the others are noted and skipped.
        if (endpoint.p2p || !(error instanceof HubAdminError) || error.status === undefined || error.status === 401 || error.status === 403) {
          throw provisioningFailure(subject, error);
        }
        this.#note(mode, subject, 'skipped', `the hub refused the type (HTTP ${error.status}${error.errorInformation ? `, ${error.errorInformation.errorCode} ${error.errorInformation.errorDescription}` : ''}): not needed for P2P, left out`);
      }
    }
  }

  async #limits(mode: Mode, dfsp: TestDfsp, participant: AdminParticipant | undefined): Promise<void> {
    const { admin, currency, netDebitCap, initialPosition } = this.#options;
    const subject = `net debit cap and initial position ${dfsp.fspId} ${currency}`;
    const limits = participant ? await this.#read(`limits of ${dfsp.fspId}`, () => admin.limits(dfsp.fspId)) : [];
    const cap = limits.find((limit) => limit.currency === currency && limit.limit.type === 'NET_DEBIT_CAP');
    if (cap) {
      this.#note(mode, subject, 'kept', `net debit cap ${cap.limit.value} kept (wanted ${netDebitCap}): a re-run keeps what is there`);
      return;
    }
    await this.#do(mode, subject, 'created', `net debit cap ${netDebitCap}, initial position ${initialPosition}`,
      { method: 'POST', api: 'admin', path: `/participants/${dfsp.fspId}/initialPositionAndLimits`, body: `{currency: ${currency}, NET_DEBIT_CAP ${netDebitCap}, initialPosition ${initialPosition}}`,
        why: `${dfsp.fspId} has no net debit cap in ${currency} (this also activates its ${currency} accounts)` },
      () => admin.addInitialPositionAndLimits(dfsp.fspId, currency, netDebitCap, initialPosition));
  }

  /** A position account switched off by hand is switched on again (initialPositionAndLimits activates new ones). */
  async #activation(mode: Mode, dfsp: TestDfsp): Promise<void> {
    if (mode.kind === 'plan') return;
    const { admin, currency } = this.#options;
    const participant = await this.#read(`participant ${dfsp.fspId}`, () => admin.participant(dfsp.fspId));
    for (const account of participant?.accounts.filter((entry) => entry.currency === currency) ?? []) {
      const subject = `account ${dfsp.fspId} ${account.ledgerAccountType} ${currency}`;
      const active = account.isActive === true || account.isActive === 1;
      if (active) {
        this.#note(mode, subject, 'already there', 'active');
      } else if (account.ledgerAccountType === 'POSITION' && account.id !== undefined) {
        const id = account.id;
        await this.#do(mode, subject, 'changed', 'activated',
          { method: 'PUT', api: 'admin', path: `/participants/${dfsp.fspId}/accounts/${id}`, body: '{isActive: true}', why: `${dfsp.fspId}'s ${currency} position account is inactive` },
          () => admin.setAccountActive(dfsp.fspId, id, true));
      } else {
        this.#note(mode, subject, 'skipped', 'inactive, and central-ledger activates settlement accounts only through initialPositionAndLimits');
      }
    }
  }

  async #liquidity(mode: Mode, dfsp: TestDfsp, participant: AdminParticipant | undefined): Promise<void> {
    const { admin, currency, liquidity: wanted } = this.#options;
    const subject = `liquidity ${dfsp.fspId} ${currency}`;
    const balances = participant ? await this.#read(`accounts of ${dfsp.fspId}`, () => admin.accounts(dfsp.fspId, currency)) : [];
    const settlement = balances.find((account) => account.ledgerAccountType === 'SETTLEMENT' && account.currency === currency);
    const has = settlement && settlement.value !== 0 ? -settlement.value : 0;
    if (has >= wanted) {
      this.#note(mode, subject, 'already there', `liquidity cover ${has} (wanted ${wanted}): nothing taken out`);
      return;
    }
    const missing = Number((wanted - has).toFixed(4));
    await this.#do(mode, subject, 'changed', `funded ${missing} (had ${has}, wanted ${wanted})`,
      { method: 'POST', api: 'admin', path: `/participants/${dfsp.fspId}/accounts/${settlement?.id ?? '{settlementAccountId}'}`, body: `{action: recordFundsIn, amount: ${missing} ${currency}}`,
        why: `liquidity cover ${has} is below the ${wanted} wanted: funds in the difference` },
      async () => {
        await admin.recordFundsIn(dfsp.fspId, currency, missing, 'conformance: test DFSP liquidity');
      });
  }

  async #parties(mode: Mode, canAsk: boolean): Promise<void> {
    const { parties, payee, currency } = this.#options;
    for (const party of payee.parties) {
      const subject = `party ${partyKey(party)}`;
      if (!canAsk) {
        this.#plan(mode, { method: 'POST', api: 'fspiop', path: participantsPath(party), body: `{fspId: ${payee.fspId}, currency: ${currency}} as ${payee.fspId}`,
          why: `unless another FSP holds it: asked when provisioning, once ${this.#options.payer.fspId} exists with its endpoints to ask` });
        continue;
      }
      let holder: string | undefined;
      try {
        holder = await parties.holderOf(party);
      } catch (error) {
        throw new ProvisioningError(`provisioning ${subject}: could not ask the oracle who holds it: ${(error as Error).message}`, { subject }, { cause: error });
      }
      if (holder === payee.fspId) {
        this.#note(mode, subject, 'already there', `held by ${payee.fspId}`);
        continue;
      }
      if (holder !== undefined) {
        throw new ProvisioningError(`provisioning ${subject}: the hub's oracle says ${holder} holds it, not ${payee.fspId}. A party another FSP holds is never re-pointed: `
          + `name a party of ${payee.fspId} in the config, or have ${holder}'s registration removed (DELETE ${participantsPath(party)} as ${holder}).`, { subject });
      }
      await this.#do(mode, subject, 'created', `registered for ${payee.fspId}`,
        { method: 'POST', api: 'fspiop', path: participantsPath(party), body: `{fspId: ${payee.fspId}, currency: ${currency}} as ${payee.fspId}`, why: 'the oracle names no FSP for it' },
        () => parties.register(party, payee.fspId, currency));
    }
  }

  async #read<T>(what: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      throw provisioningFailure(what, error);
    }
  }

  async #do(mode: Mode, subject: string, outcome: ProvisioningOutcome, detail: string, call: PlannedCall, work: () => Promise<void>,
    options: { rethrowAdminError?: boolean } = {}): Promise<void> {
    if (mode.kind === 'plan') {
      mode.calls.push(call);
      return;
    }
    try {
      await work();
    } catch (error) {
      if (options.rethrowAdminError && error instanceof HubAdminError) throw error;
      if (error instanceof ProvisioningError) throw error;
      throw provisioningFailure(subject, error);
    }
    mode.entries.push({ subject, outcome, detail });
  }

  #plan(mode: Mode, call: PlannedCall): void {
    if (mode.kind === 'plan') mode.calls.push(call);
  }

  #note(mode: Mode, subject: string, outcome: ProvisioningOutcome, detail: string): void {
    if (mode.kind === 'apply') mode.entries.push({ subject, outcome, detail });
  }

  #removal(entries: ProvisioningEntry[]): string[] {
    const created = (prefix: string) => entries.filter((entry) => entry.subject.startsWith(prefix) && entry.outcome === 'created');
    const adminUrl = this.#options.admin.url;
    const removal: string[] = [];
    for (const entry of created('participant ')) {
      const name = entry.subject.split(' ')[1]!;
      removal.push(`${name}: central-ledger deletes no participant; switch it off with PUT ${adminUrl}/participants/${name} {"isActive": false}`);
    }
    for (const entry of entries.filter((e) => e.subject.startsWith('liquidity ') && e.outcome === 'changed')) {
      removal.push(`${entry.subject}: take the funds out with recordFundsOutPrepareReserve then recordFundsOutCommit on its settlement account`);
    }
    for (const entry of created('party ')) {
      removal.push(`${entry.subject}: DELETE ${participantsPath(partyOf(entry.subject))} on the hub's FSPIOP API, as ${this.#options.payee.fspId}`);
    }
    if (created('hub account ').length > 0 || created('settlement model ').length > 0) {
      removal.push('hub accounts and the settlement model are shared by every DFSP in the currency: leave them');
    }
    return removal;
  }
}

function partyOf(subject: string): PartyId {
  const [type, id, subId] = subject.replace(/^party /, '').split('/') as [string, string, string | undefined];
  return { type, id, ...(subId === undefined ? {} : { subId }) };
}

function validate(options: HubProvisionerOptions): void {
  const { payer, payee, currency, askers = [] } = options;
  const roles: (readonly [string, TestDfsp])[] = [['payer', payer], ['payee', payee], ...askers.map((dfsp) => ['bystander', dfsp] as const)];
  for (const [role, dfsp] of roles) {
    if (!PARTICIPANT_NAME.test(dfsp.fspId)) {
      throw new ProvisioningError(`participants.${role}.fspId "${dfsp.fspId}" cannot be a central-ledger participant name: use 2 to 30 letters, digits, "_" or "-"`, { subject: `participant ${dfsp.fspId}` });
    }
    if (!URL.canParse(dfsp.callbackUrl) || !/^https?:$/.test(new URL(dfsp.callbackUrl).protocol)) {
      throw new ProvisioningError(`the ${role}'s callback URL "${dfsp.callbackUrl}" is not an http(s) URL: give the URL the hub can reach its callback server at`, { subject: `participant ${dfsp.fspId}` });
    }
  }
  if (payer.fspId === payee.fspId) throw new ProvisioningError(`payer and payee are both "${payer.fspId}": a P2P test needs two DFSPs`, { subject: `participant ${payer.fspId}` });
  for (const asker of askers) {
    if (asker.fspId === payer.fspId || asker.fspId === payee.fspId) {
      throw new ProvisioningError(`participants.bystander.fspId "${asker.fspId}" is also the ${asker.fspId === payer.fspId ? 'payer' : 'payee'}: the bystander must be party to none of the transfers; give it an id of its own`, { subject: `participant ${asker.fspId}` });
    }
  }
  if (!/^[A-Z]{3}$/.test(currency)) throw new ProvisioningError(`currency "${currency}" is not an ISO 4217 code such as USD`, { subject: 'currency' });
  for (const [name, value] of [['netDebitCap', options.netDebitCap], ['liquidity', options.liquidity], ['initialPosition', options.initialPosition]] as const) {
    if (!Number.isFinite(value) || value < 0) throw new ProvisioningError(`${name} ${value} is not an amount of 0 or more`, { subject: name });
  }
  const keys = payee.parties.map((party) => partyKey(party));
  const twice = keys.find((key, index) => keys.indexOf(key) !== index);
  if (twice) throw new ProvisioningError(`party ${twice} is listed twice for ${payee.fspId}`, { subject: `party ${twice}` });
}
