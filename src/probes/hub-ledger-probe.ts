import { setTimeout as sleep } from 'node:timers/promises';
import type { ConformanceConfig } from '../config/schema.ts';
import type { Measurement } from '../evidence/evidence.ts';
import type { Finding } from '../evidence/finding.ts';
import type { HubChangeRecorder } from '../fspiop/hub-change.ts';
import { HubAdminError, type HubAdminClient, type TemporaryHubChange } from '../fspiop/hub-admin-client.ts';
import type { Money } from '../fspiop/payloads.ts';

/** How often the books are read again while a change the hub books asynchronously is awaited. */
const POLL_MS = 50;

/** Reads until the reading holds or the next read would end after `deadline` (ms since epoch); the last reading either way. */
async function readUntil<T>(read: () => Promise<T>, holds: (reading: T) => boolean, deadline: number): Promise<T> {
  let reading = await read();
  while (!holds(reading) && Date.now() + POLL_MS < deadline) {
    await sleep(POLL_MS);
    reading = await read();
  }
  return reading;
}

/** Positions are decimal amounts with at most 4 decimals: compared in 1/10 000 units, never as floats. */
const units = (value: number) => Math.round(value * 10_000);
const amountOf = (value: number) => units(value) / 10_000;

/**
 * The books of our DFSPs at the hub, read through its admin API (central-ledger's shape): the
 * payer's and payee's positions noted before a transfer and compared after it — no funds moved,
 * or moved exactly once, each its way — and a net debit cap or liquidity cover lowered for a
 * scenario and put back after it. What it lowers is journaled first (`HubChangeRecorder`), so a
 * run killed before putting it back has it put back by the next one.
 */
export class HubLedgerProbe {
  readonly #admin: HubAdminClient;
  readonly #journal: HubChangeRecorder;
  readonly #payer: string;
  readonly #payee: string;
  readonly #currency: string;
  /** How long a change booked asynchronously (funds out) may take to show. */
  readonly #settleMs: number;
  #before: { payer: number; payee: number } | undefined;
  readonly #lowered: TemporaryHubChange[] = [];

  constructor(admin: HubAdminClient, config: ConformanceConfig, journal: HubChangeRecorder) {
    this.#admin = admin;
    this.#journal = journal;
    this.#payer = config.participants.payer.fspId;
    this.#payee = config.participants.payee.fspId;
    this.#currency = config.participants.payer.currency;
    this.#settleMs = config.timeouts.callbackMs;
  }

  notePosition(): Promise<Measurement[]> {
    return this.#reached(() => this.#notePosition());
  }

  async #notePosition(): Promise<Measurement[]> {
    const [payer, payee] = await Promise.all([this.#position(this.#payer), this.#position(this.#payee)]);
    this.#before = { payer, payee };
    return [];
  }

  /** Sets the payer's net debit cap to its position plus `headroom`, until `restore()`; notes the positions. */
  leaveHeadroom(headroom: string): Promise<Measurement[]> {
    return this.#reached(async () => {
      await this.#notePosition();
      const cap = amountOf(this.#before!.payer + Number(headroom));
      this.#lowered.push(await this.#admin.changeNetDebitCap(this.#payer, this.#currency, cap, this.#journal));
      return [];
    });
  }

  /**
   * The payer's liquidity cover leaves room for `amount` beyond its position: central-ledger checks
   * it before the net debit cap (4001 before 4200), so a cap scenario needs it first. When it does
   * not, the cap cannot be reached and the scenario is not evaluated — not the hub's failure.
   */
  liquidityCovers(amount: string): Promise<Finding> {
    return this.#reached(async () => {
      const { liquidity, position } = await this.#cover();
      const room = amountOf(liquidity - position);
      if (units(room) >= units(Number(amount))) return [];
      return { notEvaluated: `the payer's liquidity cover at the hub (${liquidity} ${this.#currency}, position ${position}) leaves ${room}, less than the ${amount} the scenario sends: the hub would answer 4001 before it reaches the net debit cap; fund ${this.#payer}'s settlement account (${this.#admin.describe(`/participants/${this.#payer}/accounts`)})` };
    });
  }

  /** Takes liquidity out of the payer's settlement account until its cover leaves room for `room` only, until `restore()`; notes the positions. */
  leaveLiquidity(room: string): Promise<Finding> {
    return this.#reached(async () => {
      await this.#notePosition();
      const { liquidity, position } = await this.#cover();
      const excess = amountOf(liquidity - position - Number(room));
      if (units(excess) < 0) return { notEvaluated: `the payer's liquidity cover (${liquidity} ${this.#currency}, position ${position}) already leaves less than ${room}: nothing to take out` };
      if (units(excess) === 0) return [];
      this.#lowered.push(await this.#admin.takeLiquidityOut(this.#payer, this.#currency, excess, this.#journal));
      // central-ledger books funds out through its admin handler (Kafka): the answer may come before the books move.
      const wanted = amountOf(liquidity - excess);
      const now = await readUntil(() => this.#admin.liquidity(this.#payer, this.#currency), (cover) => units(cover) === units(wanted), Date.now() + this.#settleMs);
      if (units(now) !== units(wanted)) return { notEvaluated: `${excess} ${this.#currency} of liquidity was taken out of ${this.#payer}'s settlement account, but within ${this.#settleMs} ms its cover read ${now}, not ${wanted}: the books did not move in time to measure` };
      return [];
    });
  }

  /**
   * While a transfer is reserved the payer's position holds its amount (central-ledger moves the
   * position at prepare). Read until it does or `until` (ms since epoch: before the transfer's
   * expiry) passes: the position handler may book the prepare a moment after the hub accepted it.
   */
  positionReserved(amount: Money | undefined, until: number | undefined): Promise<Measurement[]> {
    return this.#reached(async () => {
      if (!amount || until === undefined) throw new Error('nothing reserved to read: add "When the payer DFSP prepares the transfer on the agreed terms, expiring in …" before this step');
      const threshold = `holds ${amount.amount} ${amount.currency} reserved while the transfer awaits its fulfilment`;
      return [await readUntil(() => this.#compare('payer', Number(amount.amount), threshold), (reading) => reading.ok, until)];
    });
  }

  positionUnchanged(): Promise<Measurement[]> {
    return this.#reached(async () => {
      return [await this.#compare('payer', 0, 'unchanged: no funds moved')];
    });
  }

  positionMovedOnce(amount: Money | undefined): Promise<Measurement[]> {
    return this.#reached(async () => {
      if (!amount) throw new Error('nothing to compare: no transfer was sent in this scenario');
      return [await this.#compare('payer', Number(amount.amount), `moved by ${amount.amount} ${amount.currency} once (one transfer booked)`)];
    });
  }

  /** The payee's position moved by the amount once, the other way: it is owed what the payer owes. */
  payeePositionMovedOnce(amount: Money | undefined): Promise<Measurement[]> {
    return this.#reached(async () => {
      if (!amount) throw new Error('nothing to compare: no transfer was sent in this scenario');
      return [await this.#compare('payee', -Number(amount.amount), `moved by -${amount.amount} ${amount.currency} once (credited on commit)`)];
    });
  }

  /** Puts back what a scenario lowered, newest first. Safe to call when nothing was changed. */
  async restore(): Promise<void> {
    while (this.#lowered.length > 0) await this.#lowered.pop()!.restore();
  }

  /**
   * A hub that stopped answering fails what it was asked, through its admin API as through FSPIOP
   * (where the payer's request fails with "connection refused"): the run begins only once the hub
   * answers (exit 4 when it cannot reach it), so a hub that goes silent mid-run has failed under
   * test. One cause, one classification — FAIL, with the run's Diagnosis line — never NOT EVALUATED
   * beside FAILs for the same dead hub, which could also let its run end green. An admin API that
   * answers something unexpected stays an error of the tool's question (NOT EVALUATED).
   */
  async #reached<T extends Finding>(work: () => Promise<T>): Promise<T | Measurement[]> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof HubAdminError) || error.status !== undefined || error.code === undefined) throw error;
      return [{ name: 'admin API answer', value: `no answer: ${error.message}`, threshold: 'answers, as it did when the run began', ok: false, source: error.call }];
    }
  }

  async #position(participant: string): Promise<number> {
    return this.#admin.position(participant, this.#currency);
  }

  async #cover(): Promise<{ liquidity: number; position: number }> {
    const [liquidity, position] = await Promise.all([this.#admin.liquidity(this.#payer, this.#currency), this.#position(this.#payer)]);
    return { liquidity, position };
  }

  async #compare(who: 'payer' | 'payee', expectedChange: number, threshold: string): Promise<Measurement> {
    if (this.#before === undefined) throw new Error('no position was noted: add "Given the payer\'s position at the hub is noted" before this step');
    const participant = who === 'payer' ? this.#payer : this.#payee;
    const before = this.#before[who];
    const after = await this.#position(participant);
    const change = units(after) - units(before);
    return {
      name: `${who} ${participant} position in ${this.#currency}`,
      value: `${before} before, ${after} after (change ${change / 10_000})`,
      threshold: `${threshold}: change = ${expectedChange}`,
      ok: change === units(expectedChange),
      source: this.#admin.describe(`/participants/${participant}/positions`),
    };
  }
}
