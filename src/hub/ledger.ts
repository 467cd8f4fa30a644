import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Money, TransfersPost } from '../fspiop/payloads.ts';
import { sqlite } from '../support/sqlite.ts';
import { fromUnits, MAX_LEDGER_UNITS, toUnits } from './ledger-amount.ts';

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
  readonly #directory = new Map<string, { currencies: Set<string>; endpoints: Map<string, string> }>();

  /** `file` undefined keeps the books in memory (gone with the process). */
  constructor(file?: string) {
    const { DatabaseSync } = sqlite();
    this.#db = new DatabaseSync(file ?? ':memory:');
    // NORMAL in WAL mode: a transaction survives the process being killed (not a power cut) without an fsync each.
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    this.#db.exec(SCHEMA);
    for (const { name } of this.#all('SELECT name FROM participant') as { name: string }[]) this.#directory.set(name, { currencies: new Set(), endpoints: new Map() });
    for (const row of this.#all('SELECT participant, currency FROM account') as { participant: string; currency: string }[]) this.#directory.get(row.participant)?.currencies.add(row.currency);
    for (const row of this.#all('SELECT participant, type, value FROM endpoint') as { participant: string; type: string; value: string }[]) this.#directory.get(row.participant)?.endpoints.set(row.type, row.value);
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  // ---- participants, accounts, endpoints ----

  /** Creates the participant and its accounts in these currencies; existing ones keep their positions. Returns the currencies of new accounts. */
  ensureParticipant(name: string, currencies: readonly string[], netDebitCap = '0'): string[] {
    const created = this.#transaction(() => {
      this.#run('INSERT OR IGNORE INTO participant (name, created) VALUES (?, ?)', name, now());
      return currencies.filter((currency) => this.#run('INSERT OR IGNORE INTO account (participant, currency, position, net_debit_cap, changed) VALUES (?, ?, 0, ?, ?)',
        name, currency, toUnits(netDebitCap), now()).changes > 0);
    });
    const entry = this.#directory.get(name) ?? { currencies: new Set<string>(), endpoints: new Map<string, string>() };
    for (const currency of currencies) entry.currencies.add(currency);
    this.#directory.set(name, entry);
    return created;
  }

  /** central-ledger's initialPositionAndLimits: sets the cap and moves the position, balanced against the settlement account. */
  setInitialPositionAndLimit(name: string, currency: string, netDebitCap: string, initialPosition: string): void {
    this.#transaction(() => {
      const account = this.#account(name, currency);
      if (!account) throw new Error(`participant "${name}" has no ${currency} account`);
      this.#run('UPDATE account SET net_debit_cap = ?, changed = ? WHERE participant = ? AND currency = ?', toUnits(netDebitCap), now(), name, currency);
      this.#move(currency, SETTLEMENT_ACCOUNT, name, toUnits(initialPosition) - account.position);
    });
  }

  setNetDebitCap(name: string, currency: string, netDebitCap: string): boolean {
    return this.#run('UPDATE account SET net_debit_cap = ?, changed = ? WHERE participant = ? AND currency = ?', toUnits(netDebitCap), now(), name, currency).changes > 0;
  }

  hasParticipant(name: string | undefined): boolean {
    return name !== undefined && this.#directory.has(name);
  }

  participantNames(): string[] {
    return [...this.#directory.keys()].sort();
  }

  currenciesOf(name: string): string[] {
    return [...(this.#directory.get(name)?.currencies ?? [])].sort();
  }

  holdsCurrency(name: string, currency: string): boolean {
    return this.#directory.get(name)?.currencies.has(currency) === true;
  }

  accountsOf(name: string): ParticipantAccount[] {
    return (this.#all('SELECT * FROM account WHERE participant = ? ORDER BY currency', name) as unknown as AccountRow[]).map(accountOf);
  }

  /** Every account, the hub's own included: per currency they sum to zero. */
  allAccounts(): ParticipantAccount[] {
    return (this.#all('SELECT * FROM account ORDER BY participant, currency') as unknown as AccountRow[]).map(accountOf);
  }

  setEndpoint(name: string, type: string, value: string): void {
    const entry = this.#directory.get(name);
    if (!entry) throw new Error(`participant "${name}" does not exist`);
    this.#run('INSERT INTO endpoint (participant, type, value) VALUES (?, ?, ?) ON CONFLICT (participant, type) DO UPDATE SET value = excluded.value', name, type, value);
    entry.endpoints.set(type, value);
  }

  endpointsOf(name: string): { type: string; value: string }[] {
    return [...(this.#directory.get(name)?.endpoints ?? [])].sort(([a], [b]) => a.localeCompare(b)).map(([type, value]) => ({ type, value }));
  }

  endpoint(name: string, type: string): string | undefined {
    return this.#directory.get(name)?.endpoints.get(type);
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
      const exceeded = payer.position + amount > payer.net_debit_cap && options.ignoreNetDebitCap !== true;
      const transfer: LedgerTransfer = exceeded
        ? { ...terms, requestHash, state: 'ABORTED', completedTimestamp: now(), reason: 'payer limit exceeded' }
        : { ...terms, requestHash, state: 'RESERVED' };
      this.#run('INSERT INTO transfer (id, payer, payee, currency, amount, condition, expiration, hash, state, completed, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        terms.transferId, terms.payerFsp, terms.payeeFsp, currency, amount, terms.condition, terms.expiration, requestHash,
        transfer.state, transfer.completedTimestamp ?? null, transfer.reason ?? null);
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
