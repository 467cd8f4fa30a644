import type { DirectoryView } from './participant-directory.ts';
import type { DfspAccounts, DfspAccountType, FundsOutcome, HubAccountType, HubLedger, LedgerTransfer, ParticipantAccount, PrepareOutcome, SettlementModel, TransferTerms } from './ledger.ts';

/**
 * Where the hub keeps its books: what `ReferenceHub` and `HubAdminApi` ask of a ledger.
 *
 * Two kinds: SQLite in this process (`SqliteLedgerStore`, the embedded target and `npm run hub`)
 * and MySQL/MariaDB (`MySqlLedgerStore`, `--ledger mysql://…`), as central-ledger keeps its books
 * in MySQL — so in the reference harness the database is its own container, and killing it is the
 * data tier failing.
 *
 * The directory (participants, their currencies and callback endpoints) is read on every request
 * and callback: each store keeps it in memory as well (the hub is its only writer), loaded by
 * `open()`, so those reads stay synchronous. Everything about money goes to the database and is
 * asynchronous; each call is one transaction.
 */
export interface LedgerStore {
  /** `sqlite` or `mysql`, and where: for /health and the start-up line (never a password). */
  readonly description: string;
  /**
   * False after the database failed and until it answers again: the hub then refuses requests
   * with 2001 at once rather than accepting work it cannot book.
   */
  readonly available: boolean;
  /** Creates the schema when missing (idempotent) and loads the directory. */
  open(): Promise<void>;
  close(): Promise<void>;

  /** The directory, in memory. */
  readonly directory: DirectoryView;

  // ---- participants and accounts ----
  ensureParticipant(name: string, currencies: readonly string[], netDebitCap?: string, options?: { inactive?: boolean }): Promise<string[]>;
  setInitialPositionAndLimit(name: string, currency: string, netDebitCap: string, initialPosition: string): Promise<void>;
  hasInitialPositionAndLimit(name: string, currency: string): Promise<boolean>;
  setActive(name: string, currency: string, type: DfspAccountType, active: boolean): Promise<void>;
  dfspAccounts(name: string): Promise<DfspAccounts[]>;
  recordFundsIn(name: string, settlementAccountId: number, transferId: string, amount: { amount: string; currency: string }): Promise<FundsOutcome>;
  recordFundsOutPrepareReserve(name: string, settlementAccountId: number, transferId: string, amount: { amount: string; currency: string }): Promise<FundsOutcome>;
  finishFundsOut(name: string, transferId: string, action: 'recordFundsOutCommit' | 'recordFundsOutAbort'): Promise<FundsOutcome>;
  hubAccounts(): Promise<{ type: HubAccountType; currency: string }[]>;
  addHubAccount(type: HubAccountType, currency: string): Promise<boolean>;
  hasHubAccount(type: HubAccountType, currency: string): Promise<boolean>;
  settlementModels(): Promise<SettlementModel[]>;
  addSettlementModel(model: SettlementModel): Promise<boolean>;
  setNetDebitCap(name: string, currency: string, netDebitCap: string): Promise<boolean>;
  accountsOf(name: string): Promise<ParticipantAccount[]>;
  allAccounts(): Promise<ParticipantAccount[]>;
  setEndpoint(name: string, type: string, value: string): Promise<void>;

  // ---- transfers and quotes ----
  transfer(transferId: string): Promise<LedgerTransfer | undefined>;
  prepare(terms: TransferTerms, requestHash: string, options?: { ignoreNetDebitCap?: boolean }): Promise<PrepareOutcome>;
  commit(transferId: string, fulfilment: string, completedTimestamp: string): Promise<LedgerTransfer | undefined>;
  abort(transferId: string, reason: string, options?: { keepReservation?: boolean }): Promise<LedgerTransfer | undefined>;
  reservedTransfers(): Promise<LedgerTransfer[]>;
  recordQuote(quoteId: string, payer: string, payee: string, requestHash: string): Promise<boolean>;
  quote(quoteId: string): Promise<{ payer: string; payee: string; requestHash: string } | undefined>;

  // ---- the parties DFSPs registered (the oracle's memory across restarts) ----
  recordParty(key: string, owner: string): Promise<void>;
  parties(): Promise<Array<{ key: string; owner: string }>>;
}

/** The database behind a store does not answer: the hub says 2001 and carries on; the store recovers when it is back. */
export class LedgerUnavailableError extends Error {}

/**
 * `HubLedger` (SQLite, in this process) as a `LedgerStore`: every call is the synchronous one,
 * its result handed back as a settled promise — behaviour and transactions unchanged. A file on
 * disk never goes away under the hub, so it is always available.
 */
export class SqliteLedgerStore implements LedgerStore {
  readonly ledger: HubLedger;
  readonly description: string;
  readonly available = true;

  constructor(ledger: HubLedger, where = 'in memory') {
    this.ledger = ledger;
    this.description = `sqlite (${where})`;
  }

  async open(): Promise<void> {}
  async close(): Promise<void> {
    this.ledger.close();
  }

  get directory(): DirectoryView { return this.ledger.directory; }

  async ensureParticipant(name: string, currencies: readonly string[], netDebitCap?: string, options?: { inactive?: boolean }) { return this.ledger.ensureParticipant(name, currencies, netDebitCap, options); }
  async setInitialPositionAndLimit(name: string, currency: string, netDebitCap: string, initialPosition: string) { this.ledger.setInitialPositionAndLimit(name, currency, netDebitCap, initialPosition); }
  async hasInitialPositionAndLimit(name: string, currency: string) { return this.ledger.hasInitialPositionAndLimit(name, currency); }
  async setActive(name: string, currency: string, type: DfspAccountType, active: boolean) { this.ledger.setActive(name, currency, type, active); }
  async dfspAccounts(name: string) { return this.ledger.dfspAccounts(name); }
  async recordFundsIn(name: string, settlementAccountId: number, transferId: string, amount: { amount: string; currency: string }) { return this.ledger.recordFundsIn(name, settlementAccountId, transferId, amount); }
  async recordFundsOutPrepareReserve(name: string, settlementAccountId: number, transferId: string, amount: { amount: string; currency: string }) { return this.ledger.recordFundsOutPrepareReserve(name, settlementAccountId, transferId, amount); }
  async finishFundsOut(name: string, transferId: string, action: 'recordFundsOutCommit' | 'recordFundsOutAbort') { return this.ledger.finishFundsOut(name, transferId, action); }
  async hubAccounts() { return this.ledger.hubAccounts(); }
  async addHubAccount(type: HubAccountType, currency: string) { return this.ledger.addHubAccount(type, currency); }
  async hasHubAccount(type: HubAccountType, currency: string) { return this.ledger.hasHubAccount(type, currency); }
  async settlementModels() { return this.ledger.settlementModels(); }
  async addSettlementModel(model: SettlementModel) { return this.ledger.addSettlementModel(model); }
  async setNetDebitCap(name: string, currency: string, netDebitCap: string) { return this.ledger.setNetDebitCap(name, currency, netDebitCap); }
  async accountsOf(name: string) { return this.ledger.accountsOf(name); }
  async allAccounts() { return this.ledger.allAccounts(); }
  async setEndpoint(name: string, type: string, value: string) { this.ledger.setEndpoint(name, type, value); }

  async transfer(transferId: string) { return this.ledger.transfer(transferId); }
  async prepare(terms: TransferTerms, requestHash: string, options?: { ignoreNetDebitCap?: boolean }) { return this.ledger.prepare(terms, requestHash, options); }
  async commit(transferId: string, fulfilment: string, completedTimestamp: string) { return this.ledger.commit(transferId, fulfilment, completedTimestamp); }
  async abort(transferId: string, reason: string, options?: { keepReservation?: boolean }) { return this.ledger.abort(transferId, reason, options); }
  async reservedTransfers() { return this.ledger.reservedTransfers(); }
  async recordQuote(quoteId: string, payer: string, payee: string, requestHash: string) { return this.ledger.recordQuote(quoteId, payer, payee, requestHash); }
  async quote(quoteId: string) { return this.ledger.quote(quoteId); }
  async recordParty(key: string, owner: string) { this.ledger.recordParty(key, owner); }
  async parties() { return this.ledger.parties(); }
}
