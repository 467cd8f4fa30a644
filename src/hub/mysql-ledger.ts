import { createPool, type Pool, type PoolConnection, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { mysqlLedgerUrlProblem } from '../config/ledger-url.ts';
import type { Money } from '../fspiop/payloads.ts';
import { fromUnits, toUnits } from './ledger-amount.ts';
import { LedgerUnavailableError, type LedgerStore } from './ledger-store.ts';
import { ParticipantDirectory, type DirectoryView } from './participant-directory.ts';
import {
  IN_FLIGHT_ACCOUNT, SETTLEMENT_ACCOUNT, type DfspAccounts, type DfspAccountType, type FundsOutcome, type HubAccountType, type LedgerTransfer,
  type LedgerTransferState, type ParticipantAccount, type PrepareOutcome, type SettlementModel, type TransferTerms,
} from './ledger.ts';

export interface MySqlLedgerOptions {
  /** How long a connection attempt may take before the database counts as unreachable. */
  connectTimeoutMs?: number;
  /** How long one statement may take (a database that accepts connections and never answers must not hang the hub). */
  queryTimeoutMs?: number;
  /** While unavailable, how often the store asks the database whether it is back. */
  probeIntervalMs?: number;
}

// Table names carry a prefix: the database may be central-ledger's own (same default name), whose
// tables are called participant, transfer, …
const SCHEMA = [
  'CREATE TABLE IF NOT EXISTS refhub_participant (name VARCHAR(64) PRIMARY KEY, created VARCHAR(40) NOT NULL) ENGINE=InnoDB',
  `CREATE TABLE IF NOT EXISTS refhub_account (id BIGINT AUTO_INCREMENT PRIMARY KEY, participant VARCHAR(80) NOT NULL, currency CHAR(3) NOT NULL,
    position BIGINT NOT NULL, net_debit_cap BIGINT NOT NULL, changed VARCHAR(40) NOT NULL, UNIQUE KEY account_of (participant, currency)) ENGINE=InnoDB`,
  `CREATE TABLE IF NOT EXISTS refhub_endpoint (participant VARCHAR(64) NOT NULL, type VARCHAR(80) NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (participant, type)) ENGINE=InnoDB`,
  `CREATE TABLE IF NOT EXISTS refhub_transfer (id VARCHAR(128) PRIMARY KEY, payer VARCHAR(64) NOT NULL, payee VARCHAR(64) NOT NULL, currency CHAR(3) NOT NULL,
    amount BIGINT NOT NULL, \`condition\` VARCHAR(128) NOT NULL, expiration VARCHAR(40) NOT NULL, hash CHAR(64) NOT NULL, state VARCHAR(16) NOT NULL,
    fulfilment VARCHAR(128), completed VARCHAR(40), reason TEXT, KEY transfer_state (state)) ENGINE=InnoDB`,
  'CREATE TABLE IF NOT EXISTS refhub_quote (id VARCHAR(128) PRIMARY KEY, payer VARCHAR(64) NOT NULL, payee VARCHAR(64) NOT NULL, hash CHAR(64) NOT NULL) ENGINE=InnoDB',
  'CREATE TABLE IF NOT EXISTS refhub_party (party_key VARCHAR(255) PRIMARY KEY, owner VARCHAR(64) NOT NULL) ENGINE=InnoDB',
  'CREATE TABLE IF NOT EXISTS refhub_hub_account (type VARCHAR(40) NOT NULL, currency CHAR(3) NOT NULL, PRIMARY KEY (type, currency)) ENGINE=InnoDB',
  'CREATE TABLE IF NOT EXISTS refhub_settlement_model (name VARCHAR(64) PRIMARY KEY, currency CHAR(3), definition TEXT NOT NULL) ENGINE=InnoDB',
  'CREATE TABLE IF NOT EXISTS refhub_limit_set (participant VARCHAR(64) NOT NULL, currency CHAR(3) NOT NULL, PRIMARY KEY (participant, currency)) ENGINE=InnoDB',
  `CREATE TABLE IF NOT EXISTS refhub_inactive_account (participant VARCHAR(64) NOT NULL, currency CHAR(3) NOT NULL, type VARCHAR(16) NOT NULL,
    PRIMARY KEY (participant, currency, type)) ENGINE=InnoDB`,
  `CREATE TABLE IF NOT EXISTS refhub_funds_movement (id VARCHAR(128) PRIMARY KEY, participant VARCHAR(64) NOT NULL, currency CHAR(3) NOT NULL,
    amount BIGINT NOT NULL, action VARCHAR(32) NOT NULL, state VARCHAR(16) NOT NULL) ENGINE=InnoDB`,
];

const RECONCILIATION_ACCOUNT = '#hub-reconciliation';
const settlementAccountOf = (participant: string) => `${participant}#settlement`;

/** Errors that mean the database is not there (as opposed to a statement it refused). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE',
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_SERVER_SHUTDOWN', 'ER_CON_COUNT_ERROR', 'POOL_CLOSED']);
/** InnoDB chose this transaction as a deadlock victim or it waited too long for a row lock: run it again. */
const RETRY = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

interface Q {
  run(sql: string, ...params: unknown[]): Promise<ResultSetHeader>;
  get<T>(sql: string, ...params: unknown[]): Promise<T | undefined>;
  all<T>(sql: string, ...params: unknown[]): Promise<T[]>;
}

interface AccountRow { id: string; participant: string; currency: string; position: string; net_debit_cap: string; changed: string }
interface TransferRow {
  id: string; payer: string; payee: string; currency: string; amount: string; condition: string; expiration: string;
  hash: string; state: LedgerTransferState; fulfilment: string | null; completed: string | null; reason: string | null;
}

/**
 * The hub's books in MySQL or MariaDB (`npm run hub -- --ledger mysql://…`), as central-ledger keeps
 * its own: the same double-entry rules as `HubLedger` (SQLite), each operation one InnoDB
 * transaction that locks the account rows it changes (`SELECT … FOR UPDATE`, in one order: the
 * DFSP's accounts, then the hub's), so concurrent prepares cannot both pass a cap only one fits.
 *
 * When the database goes away (its container killed), calls fail with `LedgerUnavailableError`,
 * `available` turns false and the store asks the database every `probeIntervalMs` until it answers;
 * the pool opens new connections then. Nothing the database did not commit is reported as done.
 */
export class MySqlLedgerStore implements LedgerStore {
  readonly description: string;
  readonly #pool: Pool;
  readonly #options: Required<MySqlLedgerOptions>;
  readonly #directory = new ParticipantDirectory();
  #available = true;
  #probe: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(url: string, options: MySqlLedgerOptions = {}) {
    const problem = mysqlLedgerUrlProblem(url);
    if (problem) throw new Error(`the ledger URL ${problem}`);
    this.#options = { connectTimeoutMs: options.connectTimeoutMs ?? 3000, queryTimeoutMs: options.queryTimeoutMs ?? 10_000, probeIntervalMs: options.probeIntervalMs ?? 1000 };
    const parsed = new URL(url);
    this.description = `mysql (${parsed.hostname}:${parsed.port || 3306}${parsed.pathname})`;
    this.#pool = createPool({
      host: parsed.hostname, port: Number(parsed.port || 3306), user: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password),
      database: parsed.pathname.slice(1), connectionLimit: 8, connectTimeout: this.#options.connectTimeoutMs,
      // Positions are 64-bit units: as strings, never a float that loses a cent.
      supportBigNumbers: true, bigNumberStrings: true, enableKeepAlive: true,
    });
    // An idle connection the server drops emits here; without a listener it would be an uncaught error.
    this.#pool.on('connection', (connection) => connection.on('error', () => this.#unavailable()));
  }

  get available(): boolean {
    return this.#available;
  }

  async open(): Promise<void> {
    await this.#call(async () => {
      for (const statement of SCHEMA) await this.#pool.query(statement);
      const q = this.#q(this.#pool);
      this.#directory.load((await q.all<{ name: string }>('SELECT name FROM refhub_participant')).map(({ name }) => name),
        await q.all<{ participant: string; currency: string }>('SELECT participant, currency FROM refhub_account'),
        await q.all<{ participant: string; type: string; value: string }>('SELECT participant, type, value FROM refhub_endpoint'));
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#probe);
    // Ending a pool whose server died waits on goodbyes that never come: bounded, then let go.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#pool.end().catch(() => {}),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, 2000); }),
    ]);
    clearTimeout(timer);
  }

  // ---- the directory, in memory ----

  get directory(): DirectoryView {
    return this.#directory;
  }

  // ---- participants and accounts ----

  async ensureParticipant(name: string, currencies: readonly string[], netDebitCap = '0', options: { inactive?: boolean } = {}): Promise<string[]> {
    const created = await this.#tx(async (q) => {
      await q.run('INSERT IGNORE INTO refhub_participant (name, created) VALUES (?, ?)', name, now());
      const fresh: string[] = [];
      for (const currency of currencies) {
        await q.run('INSERT IGNORE INTO refhub_account (participant, currency, position, net_debit_cap, changed) VALUES (?, ?, 0, 0, ?)', settlementAccountOf(name), currency, now());
        const isNew = (await q.run('INSERT IGNORE INTO refhub_account (participant, currency, position, net_debit_cap, changed) VALUES (?, ?, 0, ?, ?)',
          name, currency, toUnits(netDebitCap).toString(), now())).affectedRows > 0;
        if (isNew && options.inactive === true) {
          for (const type of ['POSITION', 'SETTLEMENT']) await q.run('INSERT IGNORE INTO refhub_inactive_account (participant, currency, type) VALUES (?, ?, ?)', name, currency, type);
        }
        if (isNew) fresh.push(currency);
      }
      return fresh;
    });
    this.#directory.addCurrencies(name, currencies);
    return created;
  }

  async setInitialPositionAndLimit(name: string, currency: string, netDebitCap: string, initialPosition: string): Promise<void> {
    await this.#tx(async (q) => {
      const account = await this.#lock(q, name, currency);
      if (!account) throw new Error(`participant "${name}" has no ${currency} account`);
      await q.run('UPDATE refhub_account SET net_debit_cap = ?, changed = ? WHERE participant = ? AND currency = ?', toUnits(netDebitCap).toString(), now(), name, currency);
      await this.#move(q, currency, SETTLEMENT_ACCOUNT, name, toUnits(initialPosition) - BigInt(account.position));
      await q.run('DELETE FROM refhub_inactive_account WHERE participant = ? AND currency = ?', name, currency);
      await q.run('INSERT IGNORE INTO refhub_limit_set (participant, currency) VALUES (?, ?)', name, currency);
    });
  }

  async hasInitialPositionAndLimit(name: string, currency: string): Promise<boolean> {
    return this.#call(() => this.#hasInitialPositionAndLimit(this.#q(this.#pool), name, currency));
  }

  async setActive(name: string, currency: string, type: DfspAccountType, active: boolean): Promise<void> {
    await this.#call(async () => {
      const q = this.#q(this.#pool);
      if (active) await q.run('DELETE FROM refhub_inactive_account WHERE participant = ? AND currency = ? AND type = ?', name, currency, type);
      else await q.run('INSERT IGNORE INTO refhub_inactive_account (participant, currency, type) VALUES (?, ?, ?)', name, currency, type);
    });
  }

  async dfspAccounts(name: string): Promise<DfspAccounts[]> {
    return this.#call(() => this.#dfspAccounts(this.#q(this.#pool), name));
  }

  async recordFundsIn(name: string, settlementAccountId: number, transferId: string, amount: { amount: string; currency: string }): Promise<FundsOutcome> {
    return this.#tx(async (q) => {
      await this.#lock(q, name, amount.currency);
      const checked = await this.#settlementAccount(q, name, settlementAccountId, amount.currency);
      if (checked.kind !== 'done') return checked;
      const seen = await this.#fundsMovement(q, transferId);
      if (seen) return seen.action === 'recordFundsIn' && BigInt(seen.amount) === toUnits(amount.amount) ? { kind: 'done' } : { kind: 'modified', detail: `transfer ${transferId} was recorded with other terms` };
      await q.run("INSERT INTO refhub_funds_movement (id, participant, currency, amount, action, state) VALUES (?, ?, ?, ?, 'recordFundsIn', 'COMMITTED')", transferId, name, amount.currency, toUnits(amount.amount).toString());
      await this.#move(q, amount.currency, settlementAccountOf(name), RECONCILIATION_ACCOUNT, toUnits(amount.amount));
      return { kind: 'done' };
    });
  }

  async recordFundsOutPrepareReserve(name: string, settlementAccountId: number, transferId: string, amount: { amount: string; currency: string }): Promise<FundsOutcome> {
    return this.#tx(async (q) => {
      const positionAccount = await this.#lock(q, name, amount.currency);
      const checked = await this.#settlementAccount(q, name, settlementAccountId, amount.currency);
      if (checked.kind !== 'done') return checked;
      if (await this.#fundsMovement(q, transferId)) return { kind: 'modified', detail: `transfer ${transferId} exists already` };
      const units = toUnits(amount.amount);
      const cover = -BigInt((await this.#lock(q, settlementAccountOf(name), amount.currency))?.position ?? '0');
      const position = BigInt(positionAccount?.position ?? '0');
      if (cover - units < (position > 0n ? position : 0n)) {
        return { kind: 'insufficient', detail: `liquidity cover ${fromUnits(cover)} ${amount.currency} less the position ${fromUnits(position)} does not leave ${amount.amount} to take out` };
      }
      await q.run("INSERT INTO refhub_funds_movement (id, participant, currency, amount, action, state) VALUES (?, ?, ?, ?, 'recordFundsOut', 'RESERVED')", transferId, name, amount.currency, units.toString());
      await this.#move(q, amount.currency, RECONCILIATION_ACCOUNT, settlementAccountOf(name), units);
      return { kind: 'done' };
    });
  }

  async finishFundsOut(name: string, transferId: string, action: 'recordFundsOutCommit' | 'recordFundsOutAbort'): Promise<FundsOutcome> {
    return this.#tx(async (q) => {
      const movement = await q.get<{ participant: string; currency: string; amount: string; action: string; state: string }>(
        'SELECT participant, currency, amount, action, state FROM refhub_funds_movement WHERE id = ? FOR UPDATE', transferId);
      if (!movement || movement.participant !== name || movement.action !== 'recordFundsOut' || movement.state !== 'RESERVED') {
        return { kind: 'unknown-transfer', detail: `no reserved funds out ${transferId} for ${name}` };
      }
      if (action === 'recordFundsOutAbort') await this.#move(q, movement.currency, settlementAccountOf(name), RECONCILIATION_ACCOUNT, BigInt(movement.amount));
      await q.run('UPDATE refhub_funds_movement SET state = ? WHERE id = ?', action === 'recordFundsOutCommit' ? 'COMMITTED' : 'ABORTED', transferId);
      return { kind: 'done' };
    });
  }

  async hubAccounts(): Promise<{ type: HubAccountType; currency: string }[]> {
    return this.#call(() => this.#q(this.#pool).all('SELECT type, currency FROM refhub_hub_account ORDER BY currency, type'));
  }

  async addHubAccount(type: HubAccountType, currency: string): Promise<boolean> {
    return this.#call(async () => (await this.#q(this.#pool).run('INSERT IGNORE INTO refhub_hub_account (type, currency) VALUES (?, ?)', type, currency)).affectedRows > 0);
  }

  async hasHubAccount(type: HubAccountType, currency: string): Promise<boolean> {
    return this.#call(async () => (await this.#q(this.#pool).get('SELECT 1 AS found FROM refhub_hub_account WHERE type = ? AND currency = ?', type, currency)) !== undefined);
  }

  async settlementModels(): Promise<SettlementModel[]> {
    return this.#call(async () => (await this.#q(this.#pool).all<{ definition: string }>('SELECT definition FROM refhub_settlement_model ORDER BY name')).map((row) => JSON.parse(row.definition) as SettlementModel));
  }

  async addSettlementModel(model: SettlementModel): Promise<boolean> {
    return this.#call(async () => (await this.#q(this.#pool).run('INSERT IGNORE INTO refhub_settlement_model (name, currency, definition) VALUES (?, ?, ?)',
      model.name, model.currency ?? null, JSON.stringify(model))).affectedRows > 0);
  }

  async setNetDebitCap(name: string, currency: string, netDebitCap: string): Promise<boolean> {
    return this.#tx(async (q) => {
      if (!(await this.#lock(q, name, currency))) return false;
      await q.run('UPDATE refhub_account SET net_debit_cap = ?, changed = ? WHERE participant = ? AND currency = ?', toUnits(netDebitCap).toString(), now(), name, currency);
      // A cap lowered to 0 is still a cap that was set.
      await q.run('INSERT IGNORE INTO refhub_limit_set (participant, currency) VALUES (?, ?)', name, currency);
      return true;
    });
  }

  async accountsOf(name: string): Promise<ParticipantAccount[]> {
    return this.#call(async () => (await this.#q(this.#pool).all<AccountRow>('SELECT * FROM refhub_account WHERE participant = ? ORDER BY currency', name)).map(accountOf));
  }

  async allAccounts(): Promise<ParticipantAccount[]> {
    return this.#call(async () => (await this.#q(this.#pool).all<AccountRow>('SELECT * FROM refhub_account ORDER BY participant, currency')).map(accountOf));
  }

  async setEndpoint(name: string, type: string, value: string): Promise<void> {
    this.#directory.requireParticipant(name);
    await this.#call(() => this.#q(this.#pool).run('INSERT INTO refhub_endpoint (participant, type, value) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value)', name, type, value));
    this.#directory.setEndpoint(name, type, value);
  }

  // ---- transfers and quotes ----

  async transfer(transferId: string): Promise<LedgerTransfer | undefined> {
    return this.#call(async () => {
      const row = await this.#q(this.#pool).get<TransferRow>('SELECT * FROM refhub_transfer WHERE id = ?', transferId);
      return row && transferOf(row);
    });
  }

  async prepare(terms: TransferTerms, requestHash: string, options: { ignoreNetDebitCap?: boolean } = {}): Promise<PrepareOutcome> {
    return this.#tx(async (q) => {
      const { currency } = terms.amount;
      // Lock order everywhere: the transfer, the DFSP's accounts, then the hub's accounts (in #move).
      // Both of the payer's rows in one round trip (a prepare is the hot path; each round trip counts).
      const rows = await q.all<AccountRow>('SELECT * FROM refhub_account WHERE currency = ? AND participant IN (?, ?) ORDER BY id FOR UPDATE',
        currency, terms.payerFsp, settlementAccountOf(terms.payerFsp));
      const payer = rows.find((row) => row.participant === terms.payerFsp);
      if (!payer) return { kind: 'no-account', participant: terms.payerFsp, currency };
      // The directory mirrors the accounts (ensureParticipant writes both): no query needed for the payee.
      if (!this.#directory.holdsCurrency(terms.payeeFsp, currency)) return { kind: 'no-account', participant: terms.payeeFsp, currency };
      const amount = toUnits(terms.amount.amount);
      const position = BigInt(payer.position);
      const cap = BigInt(payer.net_debit_cap);
      // central-ledger's order: liquidity cover first (4001), then the net debit cap (4200).
      const liquidityCover = -BigInt(rows.find((row) => row.participant === settlementAccountOf(terms.payerFsp))?.position ?? '0');
      const uncovered = position + amount > liquidityCover;
      const exceeded = !uncovered && position + amount > cap && options.ignoreNetDebitCap !== true;
      const refused = uncovered ? 'payer liquidity insufficient' : exceeded ? 'payer limit exceeded' : undefined;
      const transfer: LedgerTransfer = refused
        ? { ...terms, requestHash, state: 'ABORTED', completedTimestamp: now(), reason: refused }
        : { ...terms, requestHash, state: 'RESERVED' };
      await q.run('INSERT INTO refhub_transfer (id, payer, payee, currency, amount, `condition`, expiration, hash, state, completed, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        terms.transferId, terms.payerFsp, terms.payeeFsp, currency, amount.toString(), terms.condition, terms.expiration, requestHash,
        transfer.state, transfer.completedTimestamp ?? null, transfer.reason ?? null);
      if (uncovered) return { kind: 'insufficient-liquidity', transfer, position: fromUnits(position), liquidity: fromUnits(liquidityCover) };
      if (exceeded) return { kind: 'limit-exceeded', transfer, position: fromUnits(position), netDebitCap: fromUnits(cap) };
      await this.#move(q, currency, IN_FLIGHT_ACCOUNT, terms.payerFsp, amount);
      return { kind: 'reserved', transfer };
    });
  }

  async commit(transferId: string, fulfilment: string, completedTimestamp: string): Promise<LedgerTransfer | undefined> {
    return this.#finish(transferId, async (q, row) => {
      await this.#lock(q, row.payee, row.currency);
      await this.#move(q, row.currency, row.payee, IN_FLIGHT_ACCOUNT, BigInt(row.amount));
      await q.run("UPDATE refhub_transfer SET state = 'COMMITTED', fulfilment = ?, completed = ? WHERE id = ?", fulfilment, completedTimestamp, row.id);
      return { ...row, state: 'COMMITTED', fulfilment, completed: completedTimestamp };
    });
  }

  async abort(transferId: string, reason: string, options: { keepReservation?: boolean } = {}): Promise<LedgerTransfer | undefined> {
    return this.#finish(transferId, async (q, row) => {
      if (options.keepReservation !== true) {
        await this.#lock(q, row.payer, row.currency);
        await this.#move(q, row.currency, row.payer, IN_FLIGHT_ACCOUNT, BigInt(row.amount));
      }
      const completed = now();
      await q.run("UPDATE refhub_transfer SET state = 'ABORTED', completed = ?, reason = ? WHERE id = ?", completed, reason, row.id);
      return { ...row, state: 'ABORTED', completed, reason };
    });
  }

  async reservedTransfers(): Promise<LedgerTransfer[]> {
    return this.#call(async () => (await this.#q(this.#pool).all<TransferRow>("SELECT * FROM refhub_transfer WHERE state = 'RESERVED'")).map(transferOf));
  }

  async recordQuote(quoteId: string, payer: string, payee: string, requestHash: string): Promise<boolean> {
    return this.#call(async () => (await this.#q(this.#pool).run('INSERT IGNORE INTO refhub_quote (id, payer, payee, hash) VALUES (?, ?, ?, ?)', quoteId, payer, payee, requestHash)).affectedRows > 0);
  }

  async recordParty(key: string, owner: string): Promise<void> {
    await this.#call(() => this.#q(this.#pool).run('INSERT INTO refhub_party (party_key, owner) VALUES (?, ?) ON DUPLICATE KEY UPDATE owner = VALUES(owner)', key, owner));
  }

  async parties(): Promise<Array<{ key: string; owner: string }>> {
    return this.#call(async () => (await this.#q(this.#pool).all<{ party_key: string; owner: string }>('SELECT party_key, owner FROM refhub_party')).map((row) => ({ key: row.party_key, owner: row.owner })));
  }

  async quote(quoteId: string): Promise<{ payer: string; payee: string; requestHash: string } | undefined> {
    return this.#call(async () => {
      const row = await this.#q(this.#pool).get<{ payer: string; payee: string; hash: string }>('SELECT payer, payee, hash FROM refhub_quote WHERE id = ?', quoteId);
      return row && { payer: row.payer, payee: row.payee, requestHash: row.hash };
    });
  }

  // ---- internals ----

  async #finish(transferId: string, change: (q: Q, row: TransferRow) => Promise<TransferRow>): Promise<LedgerTransfer | undefined> {
    return this.#tx(async (q) => {
      const row = await q.get<TransferRow>("SELECT * FROM refhub_transfer WHERE id = ? AND state = 'RESERVED' FOR UPDATE", transferId);
      return row && transferOf(await change(q, row));
    });
  }

  /** The account row, locked until the transaction ends. */
  #lock(q: Q, participant: string, currency: string): Promise<AccountRow | undefined> {
    return q.get<AccountRow>('SELECT * FROM refhub_account WHERE participant = ? AND currency = ? FOR UPDATE', participant, currency);
  }

  /** Double entry: `amount` onto `to`'s position, off `from`'s. The hub's accounts are created on first use. */
  async #move(q: Q, currency: string, from: string, to: string, amount: bigint): Promise<void> {
    if (amount === 0n) return;
    const changed = now();
    for (const [participant, delta] of [[to, amount], [from, -amount]] as const) {
      // Out-of-range BIGINT is an error in MariaDB's strict mode: the transaction is rolled back, as SQLite's overflow check does.
      // One statement whether the row exists or not: no window in which two transactions both create it.
      await q.run('INSERT INTO refhub_account (participant, currency, position, net_debit_cap, changed) VALUES (?, ?, ?, 0, ?) ON DUPLICATE KEY UPDATE position = position + VALUES(position), changed = VALUES(changed)',
        participant, currency, delta.toString(), changed);
    }
  }

  async #hasInitialPositionAndLimit(q: Q, name: string, currency: string): Promise<boolean> {
    const account = await q.get<AccountRow>('SELECT * FROM refhub_account WHERE participant = ? AND currency = ?', name, currency);
    if (!account) return false;
    return BigInt(account.net_debit_cap) !== 0n || (await q.get('SELECT 1 AS found FROM refhub_limit_set WHERE participant = ? AND currency = ?', name, currency)) !== undefined;
  }

  async #isActive(q: Q, name: string, currency: string, type: DfspAccountType): Promise<boolean> {
    return (await q.get('SELECT 1 AS inactive FROM refhub_inactive_account WHERE participant = ? AND currency = ? AND type = ?', name, currency, type)) === undefined;
  }

  async #dfspAccounts(q: Q, name: string): Promise<DfspAccounts[]> {
    const out: DfspAccounts[] = [];
    for (const currency of this.#directory.currenciesOf(name)) {
      const position = (await q.get<AccountRow>('SELECT * FROM refhub_account WHERE participant = ? AND currency = ?', name, currency))!;
      let settlement = await q.get<AccountRow>('SELECT * FROM refhub_account WHERE participant = ? AND currency = ?', settlementAccountOf(name), currency);
      if (!settlement) {
        await q.run('INSERT IGNORE INTO refhub_account (participant, currency, position, net_debit_cap, changed) VALUES (?, ?, 0, 0, ?)', settlementAccountOf(name), currency, now());
        settlement = (await q.get<AccountRow>('SELECT * FROM refhub_account WHERE participant = ? AND currency = ?', settlementAccountOf(name), currency))!;
      }
      out.push({
        currency, hasInitialPositionAndLimit: await this.#hasInitialPositionAndLimit(q, name, currency),
        position: { id: Number(position.id), value: fromUnits(BigInt(position.position)), changedDate: position.changed, isActive: await this.#isActive(q, name, currency, 'POSITION') },
        settlement: { id: Number(settlement.id), value: fromUnits(BigInt(settlement.position)), changedDate: settlement.changed, isActive: await this.#isActive(q, name, currency, 'SETTLEMENT') },
        liquidityCover: fromUnits(-BigInt(settlement.position)),
      });
    }
    return out;
  }

  async #settlementAccount(q: Q, name: string, settlementAccountId: number, currency: string): Promise<FundsOutcome> {
    const accounts = (await this.#dfspAccounts(q, name)).find((entry) => entry.currency === currency);
    if (!accounts || (accounts.settlement.id !== settlementAccountId && accounts.position.id !== settlementAccountId)) {
      return { kind: 'no-account', detail: `account ${settlementAccountId} is not ${name}'s in ${currency}` };
    }
    if (accounts.settlement.id !== settlementAccountId) return { kind: 'not-settlement', detail: `account ${settlementAccountId} is ${name}'s POSITION account` };
    if (!accounts.settlement.isActive) return { kind: 'inactive', detail: `${name}'s ${currency} settlement account is inactive until initialPositionAndLimits` };
    return { kind: 'done' };
  }

  #fundsMovement(q: Q, transferId: string) {
    return q.get<{ participant: string; currency: string; amount: string; action: string; state: string }>(
      'SELECT participant, currency, amount, action, state FROM refhub_funds_movement WHERE id = ? FOR UPDATE', transferId);
  }

  #q(on: Pool | PoolConnection): Q {
    const timeout = this.#options.queryTimeoutMs;
    const exec = async (sql: string, params: unknown[]) => (await on.query({ sql, timeout }, params))[0];
    return {
      run: async (sql, ...params) => (await exec(sql, params)) as ResultSetHeader,
      get: async <T>(sql: string, ...params: unknown[]) => ((await exec(sql, params)) as RowDataPacket[])[0] as T | undefined,
      all: async <T>(sql: string, ...params: unknown[]) => (await exec(sql, params)) as T[],
    };
  }

  /** One transaction on one connection; run again when InnoDB picked it as a deadlock victim. */
  async #tx<T>(work: (q: Q) => Promise<T>): Promise<T> {
    return this.#call(async () => {
      for (let attempt = 1; ; attempt += 1) {
        const connection = await this.#pool.getConnection();
        let broken = false;
        try {
          await connection.beginTransaction();
          const result = await work(this.#q(connection));
          await connection.commit();
          return result;
        } catch (error) {
          broken = UNREACHABLE.has((error as { code?: string }).code ?? '') || (error as { fatal?: boolean }).fatal === true;
          if (!broken) await connection.rollback().catch(() => { broken = true; });
          if (!broken && RETRY.has((error as { code?: string }).code ?? '') && attempt < 5) continue;
          throw error;
        } finally {
          // A connection that lost its server must not go back to the pool.
          if (broken) connection.destroy();
          else connection.release();
        }
      }
    });
  }

  /** Runs `work`, turning "the database is not there" into LedgerUnavailableError and noting it. */
  async #call<T>(work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.#available = true;
      return result;
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (UNREACHABLE.has(code) || (error as { fatal?: boolean }).fatal === true || /timeout|closed state/i.test((error as Error).message)) {
        this.#unavailable();
        throw new LedgerUnavailableError(`the hub's ledger (${this.description}) is unavailable: ${code || (error as Error).message}`, { cause: error });
      }
      throw error;
    }
  }

  /** Marks the store unavailable and asks the database, every probeIntervalMs, whether it is back. */
  #unavailable(): void {
    this.#available = false;
    if (this.#probe || this.#closed) return;
    this.#probe = setInterval(() => {
      this.#pool.query({ sql: 'SELECT 1', timeout: this.#options.connectTimeoutMs }).then(() => {
        this.#available = true;
        clearInterval(this.#probe);
        this.#probe = undefined;
      }, () => {});
    }, this.#options.probeIntervalMs);
    // The probe alone must not keep a process alive that is otherwise done.
    this.#probe.unref();
  }
}

function now(): string {
  return new Date().toISOString();
}

function accountOf(row: AccountRow): ParticipantAccount {
  return { participant: row.participant, currency: row.currency, position: fromUnits(BigInt(row.position)), netDebitCap: fromUnits(BigInt(row.net_debit_cap)), changedDate: row.changed };
}

function transferOf(row: TransferRow): LedgerTransfer {
  const amount: Money = { amount: fromUnits(BigInt(row.amount)), currency: row.currency };
  return {
    transferId: row.id, payerFsp: row.payer, payeeFsp: row.payee, amount, condition: row.condition, expiration: row.expiration,
    requestHash: row.hash, state: row.state,
    ...(row.fulfilment === null ? {} : { fulfilment: row.fulfilment }),
    ...(row.completed === null ? {} : { completedTimestamp: row.completed }),
    ...(row.reason === null ? {} : { reason: row.reason }),
  };
}
