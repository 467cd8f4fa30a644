import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Money, TransfersPost } from '../fspiop/payloads.ts';
import { sqlite } from '../support/sqlite.ts';
import { fromUnits, MAX_LEDGER_UNITS, toUnits } from './ledger-amount.ts';
import { ParticipantDirectory, type DirectoryView } from './participant-directory.ts';

export type LedgerTransferState = 'RESERVED' | 'COMMITTED' | 'ABORTED';

/** What the hub keeps of a prepare: not its ILP packet, the bulk of it — a long load keeps every transfer. */
export type TransferTerms = Pick<TransfersPost, 'transferId' | 'payerFsp' | 'payeeFsp' | 'amount' | 'condition' | 'expiration'>;

export interface LedgerTransfer extends TransferTerms {
  /** SHA-256 of the prepare as received: a resent prepare with another body is a modified request (3106). */
  requestHash: string;
  state: LedgerTransferState;
  fulfilment?: string;
  completedTimestamp?: string;
  /** Why an ABORTED transfer was aborted (rejected by the payee, expired, invalid fulfilment). */
  reason?: string;
}

export interface ParticipantAccount {
  participant: string;
  currency: string;
  /** What the participant owes the scheme: a prepare adds to the payer's, a commit takes from the payee's. */
  position: string;
  /** A prepare that would take the position above this is refused (central-ledger's NET_DEBIT_CAP limit). */
  netDebitCap: string;
  changedDate: string;
}

export type PrepareOutcome =
  | { kind: 'reserved'; transfer: LedgerTransfer }
  | { kind: 'insufficient-liquidity'; transfer: LedgerTransfer; position: string; liquidity: string }
  | { kind: 'limit-exceeded'; transfer: LedgerTransfer; position: string; netDebitCap: string }
  | { kind: 'no-account'; participant: string; currency: string };

/**
 * Amounts in flight sit in this hub account between prepare and commit or abort. Every change is
 * double-entry, so all accounts of a currency sum to zero at every moment — the invariant a test
 * checks under load. Participant names cannot contain "#", so it never clashes with an FSP.
 */
export const IN_FLIGHT_ACCOUNT = '#hub-in-flight';
/** Initial positions are balanced against this hub account, as a scheme's settlement account would be. */
export const SETTLEMENT_ACCOUNT = '#hub-settlement';
/** The hub's own accounts a currency needs before a DFSP may hold it (central-ledger's HUB_ACCOUNTS). */
export const HUB_ACCOUNT_TYPES = ['HUB_RECONCILIATION', 'HUB_MULTILATERAL_SETTLEMENT'] as const;
export type HubAccountType = (typeof HUB_ACCOUNT_TYPES)[number];
/** Funds in and out are balanced against the hub's reconciliation account, as in central-ledger. */
const RECONCILIATION_ACCOUNT = '#hub-reconciliation';

/**
 * A DFSP's settlement account lives beside its position account under a name no DFSP can have.
 * Its balance is negative when funded (central-ledger's sign: funds in debit it), so every
 * currency's accounts keep summing to zero; `liquidityCover` is that balance negated.
 */
function settlementAccountOf(participant: string): string {
  return `${participant}#settlement`;
}

export interface SettlementModel {
  name: string;
  /** undefined: the default model, covering every currency no other model names. */
  currency?: string | undefined;
  settlementGranularity: string;
  settlementInterchange: string;
  settlementDelay: string;
  requireLiquidityCheck: boolean;
  ledgerAccountType: string;
  autoPositionReset: boolean;
  settlementAccountType: string;
}

export type DfspAccountType = 'POSITION' | 'SETTLEMENT';

/** The two accounts a DFSP holds per currency, with the ids the admin API addresses them by. */
export interface DfspAccounts {
  currency: string;
  /** Set up by initialPositionAndLimits: only then does central-ledger list balances for them. */
  hasInitialPositionAndLimit: boolean;
  position: { id: number; value: string; changedDate: string; isActive: boolean };
  /** Balance as central-ledger shows it: negative when funded. */
  settlement: { id: number; value: string; changedDate: string; isActive: boolean };
  /** What a prepare may take the position up to: the settlement balance negated. */
  liquidityCover: string;
}

export type FundsOutcome =
  | { kind: 'done' }
  | { kind: 'no-account' | 'inactive' | 'not-settlement' | 'insufficient' | 'unknown-transfer' | 'modified'; detail: string };

interface TransferRow {
  id: string; payer: string; payee: string; currency: string; amount: bigint; condition: string; expiration: string;
  hash: string; state: LedgerTransferState; fulfilment: string | null; completed: string | null; reason: string | null;
}

interface AccountRow { participant: string; currency: string; position: bigint; net_debit_cap: bigint; changed: string }

const SCHEMA = `
CREATE TABLE IF NOT EXISTS participant (name TEXT PRIMARY KEY, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS account (
  participant TEXT NOT NULL, currency TEXT NOT NULL, position INTEGER NOT NULL, net_debit_cap INTEGER NOT NULL, changed TEXT NOT NULL,
  PRIMARY KEY (participant, currency));
CREATE TABLE IF NOT EXISTS endpoint (participant TEXT NOT NULL, type TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (participant, type));
CREATE TABLE IF NOT EXISTS transfer (
  id TEXT PRIMARY KEY, payer TEXT NOT NULL, payee TEXT NOT NULL, currency TEXT NOT NULL, amount INTEGER NOT NULL,
  condition TEXT NOT NULL, expiration TEXT NOT NULL, hash TEXT NOT NULL, state TEXT NOT NULL,
  fulfilment TEXT, completed TEXT, reason TEXT);
CREATE INDEX IF NOT EXISTS transfer_reserved ON transfer (state) WHERE state = 'RESERVED';
CREATE TABLE IF NOT EXISTS quote (id TEXT PRIMARY KEY, payer TEXT NOT NULL, payee TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS party (party_key TEXT PRIMARY KEY, owner TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hub_account (type TEXT NOT NULL, currency TEXT NOT NULL, PRIMARY KEY (type, currency));
CREATE TABLE IF NOT EXISTS settlement_model (name TEXT PRIMARY KEY, currency TEXT, definition TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS limit_set (participant TEXT NOT NULL, currency TEXT NOT NULL, PRIMARY KEY (participant, currency));
CREATE TABLE IF NOT EXISTS inactive_account (participant TEXT NOT NULL, currency TEXT NOT NULL, type TEXT NOT NULL, PRIMARY KEY (participant, currency, type));
CREATE TABLE IF NOT EXISTS funds_movement (
  id TEXT PRIMARY KEY, participant TEXT NOT NULL, currency TEXT NOT NULL, amount INTEGER NOT NULL, action TEXT NOT NULL, state TEXT NOT NULL);
`;

/**
 * The hub's books (central-ledger's participant, position, limit and transfer tables) in SQLite.
 * In a file with write-ahead logging, a transaction is on disk before the hub tells anyone about
 * it, so a hub killed at any moment loses no transfer it reported committed. Every method is one
 * SQLite transaction: a reader never sees half a transfer.
 */
export class HubLedger {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  /**
   * Participants, their currencies and endpoints, read on every request and callback: kept in
   * memory too (this ledger is their only writer), so the hot path asks SQLite only about money.
   */
  readonly #directory = new ParticipantDirectory();

  /** Who is on the hub, read without a query. */
  get directory(): DirectoryView {
    return this.#directory;
  }

  /** `file` undefined keeps the books in memory (gone with the process). */
  constructor(file?: string) {
    const { DatabaseSync } = sqlite();
    this.#db = new DatabaseSync(file ?? ':memory:');
    // NORMAL in WAL mode: a transaction survives the process being killed (not a power cut) without an fsync each.
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    this.#db.exec(SCHEMA);
    this.#directory.load((this.#all('SELECT name FROM participant') as { name: string }[]).map(({ name }) => name),
      this.#all('SELECT participant, currency FROM account') as { participant: string; currency: string }[],
      this.#all('SELECT participant, type, value FROM endpoint') as { participant: string; type: string; value: string }[]);
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  // ---- participants, accounts, endpoints ----

  /**
   * Creates the participant and its position and settlement accounts in these currencies; existing
   * ones keep their balances. Returns the currencies of new accounts. `inactive` creates them as
   * central-ledger's POST /participants does: unusable until initialPositionAndLimits activates them.
   */
  ensureParticipant(name: string, currencies: readonly string[], netDebitCap = '0', options: { inactive?: boolean } = {}): string[] {
    const created = this.#transaction(() => {
      this.#run('INSERT OR IGNORE INTO participant (name, created) VALUES (?, ?)', name, now());
      return currencies.filter((currency) => {
        this.#run('INSERT OR IGNORE INTO account (participant, currency, position, net_debit_cap, changed) VALUES (?, ?, 0, 0, ?)', settlementAccountOf(name), currency, now());
        const isNew = this.#run('INSERT OR IGNORE INTO account (participant, currency, position, net_debit_cap, changed) VALUES (?, ?, 0, ?, ?)',
          name, currency, toUnits(netDebitCap), now()).changes > 0;
        if (isNew && options.inactive === true) {
          for (const type of ['POSITION', 'SETTLEMENT'] as const) this.#run('INSERT OR IGNORE INTO inactive_account (participant, currency, type) VALUES (?, ?, ?)', name, currency, type);
        }
        return isNew;
      });
    });
    this.#directory.addCurrencies(name, currencies);
    return created;
  }

  /**
   * central-ledger's initialPositionAndLimits: sets the cap, moves the position (balanced against
   * the hub's settlement account) and activates the participant's accounts in the currency.
   */
  setInitialPositionAndLimit(name: string, currency: string, netDebitCap: string, initialPosition: string): void {
    this.#transaction(() => {
      const account = this.#account(name, currency);
      if (!account) throw new Error(`participant "${name}" has no ${currency} account`);
      this.#run('UPDATE account SET net_debit_cap = ?, changed = ? WHERE participant = ? AND currency = ?', toUnits(netDebitCap), now(), name, currency);
      this.#move(currency, SETTLEMENT_ACCOUNT, name, toUnits(initialPosition) - account.position);
      this.#run('DELETE FROM inactive_account WHERE participant = ? AND currency = ?', name, currency);
      this.#run('INSERT OR IGNORE INTO limit_set (participant, currency) VALUES (?, ?)', name, currency);
    });
  }

  /** Whether initialPositionAndLimits has set this account up already (central-ledger refuses a second one). */
  hasInitialPositionAndLimit(name: string, currency: string): boolean {
    const account = this.#account(name, currency);
    if (!account) return false;
    // A ledger written before limit_set existed shows a set-up account by its cap.
    return account.net_debit_cap !== 0n || this.#get('SELECT 1 AS found FROM limit_set WHERE participant = ? AND currency = ?', name, currency) !== undefined;
  }

  isActive(name: string, currency: string, type: DfspAccountType): boolean {
    return this.#get('SELECT 1 AS inactive FROM inactive_account WHERE participant = ? AND currency = ? AND type = ?', name, currency, type) === undefined;
  }

  /**
   * central-ledger's PUT /participants/{name}/accounts/{id} (position accounts only). Settlement
   * accounts become active only through initialPositionAndLimits, as there.
   */
  setActive(name: string, currency: string, type: DfspAccountType, active: boolean): void {
    if (active) this.#run('DELETE FROM inactive_account WHERE participant = ? AND currency = ? AND type = ?', name, currency, type);
    else this.#run('INSERT OR IGNORE INTO inactive_account (participant, currency, type) VALUES (?, ?, ?)', name, currency, type);
  }

  /** The participant's accounts per currency, with their admin API ids (SQLite row ids: stable for the ledger's life). */
  dfspAccounts(name: string): DfspAccounts[] {
    return this.currenciesOf(name).map((currency) => {
      const position = this.#get('SELECT rowid AS id, position, changed FROM account WHERE participant = ? AND currency = ?', name, currency) as { id: bigint; position: bigint; changed: string };
      const settlement = (this.#get('SELECT rowid AS id, position, changed FROM account WHERE participant = ? AND currency = ?', settlementAccountOf(name), currency)
        ?? this.#createSettlementAccount(name, currency)) as { id: bigint; position: bigint; changed: string };
      return {
        currency, hasInitialPositionAndLimit: this.hasInitialPositionAndLimit(name, currency),
        position: { id: Number(position.id), value: fromUnits(position.position), changedDate: position.changed, isActive: this.isActive(name, currency, 'POSITION') },
        settlement: { id: Number(settlement.id), value: fromUnits(settlement.position), changedDate: settlement.changed, isActive: this.isActive(name, currency, 'SETTLEMENT') },
        liquidityCover: fromUnits(-settlement.position),
      };
    });
  }

  /**
   * central-ledger's recordFundsIn: the DFSP's settlement account is debited (its liquidity cover
   * grows) against the hub's reconciliation account. A transfer id seen before books nothing again.
   */
  recordFundsIn(name: string, settlementAccountId: number, transferId: string, amount: { amount: string; currency: string }): FundsOutcome {
    return this.#transaction(() => {
      const checked = this.#settlementAccount(name, settlementAccountId, amount.currency);
      if (checked.kind !== 'done') return checked;
      const seen = this.#fundsMovement(transferId);
      if (seen) return seen.action === 'recordFundsIn' && seen.amount === toUnits(amount.amount) ? { kind: 'done' } : { kind: 'modified', detail: `transfer ${transferId} was recorded with other terms` };
      this.#run("INSERT INTO funds_movement (id, participant, currency, amount, action, state) VALUES (?, ?, ?, ?, 'recordFundsIn', 'COMMITTED')", transferId, name, amount.currency, toUnits(amount.amount));
      this.#move(amount.currency, settlementAccountOf(name), RECONCILIATION_ACCOUNT, toUnits(amount.amount));
      return { kind: 'done' };
    });
  }

  /**
   * central-ledger's recordFundsOutPrepareReserve: the amount leaves the liquidity cover at once
   * (it cannot back a transfer while it is on its way out); commit keeps it out, abort puts it back.
   * Refused when the cover left would not back the position already taken.
   */
  recordFundsOutPrepareReserve(name: string, settlementAccountId: number, transferId: string, amount: { amount: string; currency: string }): FundsOutcome {
    return this.#transaction(() => {
      const checked = this.#settlementAccount(name, settlementAccountId, amount.currency);
      if (checked.kind !== 'done') return checked;
      if (this.#fundsMovement(transferId)) return { kind: 'modified', detail: `transfer ${transferId} exists already` };
      const units = toUnits(amount.amount);
      const cover = -(this.#account(settlementAccountOf(name), amount.currency)?.position ?? 0n);
      const position = this.#account(name, amount.currency)?.position ?? 0n;
      if (cover - units < (position > 0n ? position : 0n)) {
        return { kind: 'insufficient', detail: `liquidity cover ${fromUnits(cover)} ${amount.currency} less the position ${fromUnits(position)} does not leave ${amount.amount} to take out` };
      }
      this.#run("INSERT INTO funds_movement (id, participant, currency, amount, action, state) VALUES (?, ?, ?, ?, 'recordFundsOut', 'RESERVED')", transferId, name, amount.currency, units);
      this.#move(amount.currency, RECONCILIATION_ACCOUNT, settlementAccountOf(name), units);
      return { kind: 'done' };
    });
  }

  /** central-ledger's recordFundsOutCommit / recordFundsOutAbort of a reserved funds out. */
  finishFundsOut(name: string, transferId: string, action: 'recordFundsOutCommit' | 'recordFundsOutAbort'): FundsOutcome {
    return this.#transaction(() => {
      const movement = this.#fundsMovement(transferId);
      if (!movement || movement.participant !== name || movement.action !== 'recordFundsOut' || movement.state !== 'RESERVED') {
        return { kind: 'unknown-transfer', detail: `no reserved funds out ${transferId} for ${name}` };
      }
      if (action === 'recordFundsOutAbort') this.#move(movement.currency, settlementAccountOf(name), RECONCILIATION_ACCOUNT, movement.amount);
      this.#run('UPDATE funds_movement SET state = ? WHERE id = ?', action === 'recordFundsOutCommit' ? 'COMMITTED' : 'ABORTED', transferId);
      return { kind: 'done' };
    });
  }

  // ---- the hub's own accounts and settlement models ----

  hubAccounts(): { type: HubAccountType; currency: string }[] {
    return this.#all('SELECT type, currency FROM hub_account ORDER BY currency, type') as { type: HubAccountType; currency: string }[];
  }

  /** Records the hub account; false when it exists already. */
  addHubAccount(type: HubAccountType, currency: string): boolean {
    return this.#run('INSERT OR IGNORE INTO hub_account (type, currency) VALUES (?, ?)', type, currency).changes > 0;
  }

  hasHubAccount(type: HubAccountType, currency: string): boolean {
    return this.#get('SELECT 1 AS found FROM hub_account WHERE type = ? AND currency = ?', type, currency) !== undefined;
  }

  settlementModels(): SettlementModel[] {
    return (this.#all('SELECT definition FROM settlement_model ORDER BY name') as { definition: string }[]).map((row) => JSON.parse(row.definition) as SettlementModel);
  }

  /** Records the model; false when one with this name exists already. */
  addSettlementModel(model: SettlementModel): boolean {
    return this.#run('INSERT OR IGNORE INTO settlement_model (name, currency, definition) VALUES (?, ?, ?)', model.name, model.currency ?? null, JSON.stringify(model)).changes > 0;
  }

  setNetDebitCap(name: string, currency: string, netDebitCap: string): boolean {
    return this.#transaction(() => {
      const changed = this.#run('UPDATE account SET net_debit_cap = ?, changed = ? WHERE participant = ? AND currency = ?', toUnits(netDebitCap), now(), name, currency).changes > 0;
      // A cap lowered to 0 is still a cap that was set.
      if (changed) this.#run('INSERT OR IGNORE INTO limit_set (participant, currency) VALUES (?, ?)', name, currency);
      return changed;
    });
  }

  hasParticipant(name: string | undefined): boolean {
    return this.#directory.hasParticipant(name);
  }

  participantNames(): string[] {
    return this.#directory.participantNames();
  }

  currenciesOf(name: string): string[] {
    return this.#directory.currenciesOf(name);
  }

  holdsCurrency(name: string, currency: string): boolean {
    return this.#directory.holdsCurrency(name, currency);
  }

  accountsOf(name: string): ParticipantAccount[] {
    return (this.#all('SELECT * FROM account WHERE participant = ? ORDER BY currency', name) as unknown as AccountRow[]).map(accountOf);
  }

  /** Every account, the hub's own included: per currency they sum to zero. */
  allAccounts(): ParticipantAccount[] {
    return (this.#all('SELECT * FROM account ORDER BY participant, currency') as unknown as AccountRow[]).map(accountOf);
  }

  setEndpoint(name: string, type: string, value: string): void {
    this.#directory.requireParticipant(name);
    this.#run('INSERT INTO endpoint (participant, type, value) VALUES (?, ?, ?) ON CONFLICT (participant, type) DO UPDATE SET value = excluded.value', name, type, value);
    this.#directory.setEndpoint(name, type, value);
  }

  endpointsOf(name: string): { type: string; value: string }[] {
    return this.#directory.endpointsOf(name);
  }

  endpoint(name: string, type: string): string | undefined {
    return this.#directory.endpoint(name, type);
  }

  // ---- transfers ----

  transfer(transferId: string): LedgerTransfer | undefined {
    const row = this.#get('SELECT * FROM transfer WHERE id = ?', transferId) as TransferRow | undefined;
    return row && transferOf(row);
  }

  /**
   * Records a prepare and reserves its amount on the payer's position, unless that would take the
   * position above the payer's net debit cap: then the transfer is recorded ABORTED and nothing moves.
   */
  prepare(terms: TransferTerms, requestHash: string, options: { ignoreNetDebitCap?: boolean } = {}): PrepareOutcome {
    return this.#transaction(() => {
      const { currency } = terms.amount;
      const payer = this.#account(terms.payerFsp, currency);
      if (!payer) return { kind: 'no-account', participant: terms.payerFsp, currency };
      if (!this.#account(terms.payeeFsp, currency)) return { kind: 'no-account', participant: terms.payeeFsp, currency };
      const amount = toUnits(terms.amount.amount);
      // central-ledger's order (src/domain/position/prepare.js, processPositionPrepareBin): the
      // liquidity cover is checked first (4001), then the net debit cap (4200). Our position
      // already holds the reservations central-ledger keeps in reservedValue.
      const liquidityCover = -(this.#account(settlementAccountOf(terms.payerFsp), currency)?.position ?? 0n);
      const uncovered = payer.position + amount > liquidityCover;
      const exceeded = !uncovered && payer.position + amount > payer.net_debit_cap && options.ignoreNetDebitCap !== true;
      const refused = uncovered ? 'payer liquidity insufficient' : exceeded ? 'payer limit exceeded' : undefined;
      const transfer: LedgerTransfer = refused
        ? { ...terms, requestHash, state: 'ABORTED', completedTimestamp: now(), reason: refused }
        : { ...terms, requestHash, state: 'RESERVED' };
      this.#run('INSERT INTO transfer (id, payer, payee, currency, amount, condition, expiration, hash, state, completed, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        terms.transferId, terms.payerFsp, terms.payeeFsp, currency, amount, terms.condition, terms.expiration, requestHash,
        transfer.state, transfer.completedTimestamp ?? null, transfer.reason ?? null);
      if (uncovered) return { kind: 'insufficient-liquidity', transfer, position: fromUnits(payer.position), liquidity: fromUnits(liquidityCover) };
      if (exceeded) return { kind: 'limit-exceeded', transfer, position: fromUnits(payer.position), netDebitCap: fromUnits(payer.net_debit_cap) };
      this.#move(currency, IN_FLIGHT_ACCOUNT, terms.payerFsp, amount);
      return { kind: 'reserved', transfer };
    });
  }

  /** RESERVED → COMMITTED: the amount leaves flight and the payee's position. Undefined when the transfer is not RESERVED. */
  commit(transferId: string, fulfilment: string, completedTimestamp: string): LedgerTransfer | undefined {
    return this.#finish(transferId, (row) => {
      this.#move(row.currency, row.payee, IN_FLIGHT_ACCOUNT, row.amount);
      this.#run("UPDATE transfer SET state = 'COMMITTED', fulfilment = ?, completed = ? WHERE id = ?", fulfilment, completedTimestamp, row.id);
      return { ...row, state: 'COMMITTED', fulfilment, completed: completedTimestamp };
    });
  }

  /**
   * RESERVED → ABORTED: the reservation is released back to the payer (kept in flight only under the
   * `leakReservations` fault). Undefined when the transfer is not RESERVED.
   */
  abort(transferId: string, reason: string, options: { keepReservation?: boolean } = {}): LedgerTransfer | undefined {
    return this.#finish(transferId, (row) => {
      if (options.keepReservation !== true) this.#move(row.currency, row.payer, IN_FLIGHT_ACCOUNT, row.amount);
      const completed = now();
      this.#run("UPDATE transfer SET state = 'ABORTED', completed = ?, reason = ? WHERE id = ?", completed, reason, row.id);
      return { ...row, state: 'ABORTED', completed, reason };
    });
  }

  /** Transfers still awaiting their fulfil: after a restart their expiry must be watched again. */
  reservedTransfers(): LedgerTransfer[] {
    return (this.#all("SELECT * FROM transfer WHERE state = 'RESERVED'") as unknown as TransferRow[]).map(transferOf);
  }

  // ---- quotes ----

  /** Records a quote request; false when one with this id exists already (the caller compares hashes). */
  recordQuote(quoteId: string, payer: string, payee: string, requestHash: string): boolean {
    return this.#run('INSERT OR IGNORE INTO quote (id, payer, payee, hash) VALUES (?, ?, ?, ?)', quoteId, payer, payee, requestHash).changes > 0;
  }

  /** A party a DFSP registered (by `partyKey`), kept across restarts. */
  recordParty(key: string, owner: string): void {
    this.#run('INSERT INTO party (party_key, owner) VALUES (?, ?) ON CONFLICT (party_key) DO UPDATE SET owner = excluded.owner', key, owner);
  }

  parties(): Array<{ key: string; owner: string }> {
    return (this.#all('SELECT party_key, owner FROM party') as { party_key: string; owner: string }[]).map((row) => ({ key: row.party_key, owner: row.owner }));
  }

  quote(quoteId: string): { payer: string; payee: string; requestHash: string } | undefined {
    const row = this.#get('SELECT payer, payee, hash FROM quote WHERE id = ?', quoteId) as { payer: string; payee: string; hash: string } | undefined;
    return row && { payer: row.payer, payee: row.payee, requestHash: row.hash };
  }

  // ---- internals ----

  #finish(transferId: string, change: (row: TransferRow) => TransferRow): LedgerTransfer | undefined {
    return this.#transaction(() => {
      const row = this.#get("SELECT * FROM transfer WHERE id = ? AND state = 'RESERVED'", transferId) as TransferRow | undefined;
      return row && transferOf(change(row));
    });
  }

  /** Double entry: `amount` onto `to`'s position, off `from`'s. The hub's accounts are created on first use. */
  #move(currency: string, from: string, to: string, amount: bigint): void {
    if (amount === 0n) return;
    const changed = now();
    for (const [participant, delta] of [[to, amount], [from, -amount]] as const) {
      const add = () => this.#get('UPDATE account SET position = position + ?, changed = ? WHERE participant = ? AND currency = ? RETURNING position', delta, changed, participant, currency) as { position: bigint | number } | undefined;
      let updated = add();
      if (!updated) {
        this.#run('INSERT INTO account (participant, currency, position, net_debit_cap, changed) VALUES (?, ?, 0, 0, ?)', participant, currency, changed);
        updated = add();
      }
      // SQLite turns an integer that overflows into a float: refused, and the transaction rolled back.
      if (typeof updated!.position !== 'bigint' || updated!.position > MAX_LEDGER_UNITS) throw new Error(`position of ${participant} in ${currency} would overflow the ledger`);
    }
  }

  #settlementAccount(name: string, settlementAccountId: number, currency: string): FundsOutcome {
    const accounts = this.dfspAccounts(name).find((entry) => entry.currency === currency);
    if (!accounts || (accounts.settlement.id !== settlementAccountId && accounts.position.id !== settlementAccountId)) {
      return { kind: 'no-account', detail: `account ${settlementAccountId} is not ${name}'s in ${currency}` };
    }
    if (accounts.settlement.id !== settlementAccountId) return { kind: 'not-settlement', detail: `account ${settlementAccountId} is ${name}'s POSITION account` };
    if (!accounts.settlement.isActive) return { kind: 'inactive', detail: `${name}'s ${currency} settlement account is inactive until initialPositionAndLimits` };
    return { kind: 'done' };
  }

  #createSettlementAccount(name: string, currency: string) {
    this.#run('INSERT OR IGNORE INTO account (participant, currency, position, net_debit_cap, changed) VALUES (?, ?, 0, 0, ?)', settlementAccountOf(name), currency, now());
    return this.#get('SELECT rowid AS id, position, changed FROM account WHERE participant = ? AND currency = ?', settlementAccountOf(name), currency);
  }

  #fundsMovement(transferId: string) {
    return this.#get('SELECT participant, currency, amount, action, state FROM funds_movement WHERE id = ?', transferId) as
      { participant: string; currency: string; amount: bigint; action: string; state: string } | undefined;
  }

  #account(participant: string, currency: string): AccountRow | undefined {
    return this.#get('SELECT * FROM account WHERE participant = ? AND currency = ?', participant, currency) as AccountRow | undefined;
  }

  #transaction<T>(work: () => T): T {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      statement.setReadBigInts(true);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #run(sql: string, ...params: (string | bigint | null)[]) {
    return this.#statement(sql).run(...params);
  }

  #get(sql: string, ...params: (string | bigint)[]) {
    return this.#statement(sql).get(...params);
  }

  #all(sql: string, ...params: (string | bigint)[]) {
    return this.#statement(sql).all(...params);
  }
}

function now(): string {
  return new Date().toISOString();
}

function accountOf(row: AccountRow): ParticipantAccount {
  return { participant: row.participant, currency: row.currency, position: fromUnits(row.position), netDebitCap: fromUnits(row.net_debit_cap), changedDate: row.changed };
}

function transferOf(row: TransferRow): LedgerTransfer {
  const amount: Money = { amount: fromUnits(row.amount), currency: row.currency };
  return {
    transferId: row.id, payerFsp: row.payer, payeeFsp: row.payee, amount, condition: row.condition, expiration: row.expiration,
    requestHash: row.hash, state: row.state,
    ...(row.fulfilment === null ? {} : { fulfilment: row.fulfilment }),
    ...(row.completed === null ? {} : { completedTimestamp: row.completed }),
    ...(row.reason === null ? {} : { reason: row.reason }),
  };
}
