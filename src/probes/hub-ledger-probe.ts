import { setTimeout as sleep } from 'node:timers/promises';
import type { ConformanceConfig } from '../config/schema.ts';
import type { Measurement } from '../evidence/evidence.ts';
import type { HubAdminClient } from '../fspiop/hub-admin-client.ts';
import type { Money } from '../fspiop/payloads.ts';

/** How often the position is read while a reservation is awaited. */
const RESERVATION_POLL_MS = 50;

/** Positions are decimal amounts with at most 4 decimals: compared in 1/10 000 units, never as floats. */
const units = (value: number) => Math.round(value * 10_000);

/**
 * The payer's books at the hub, read through its admin API (central-ledger's shape): a position
 * noted before a transfer and compared after it — no funds moved, or moved exactly once — and a
 * net debit cap lowered for a scenario and put back after it.
 */
export class HubLedgerProbe {
  readonly #admin: HubAdminClient;
  readonly #participant: string;
  readonly #currency: string;
  #before: number | undefined;
  #restoreCap: number | undefined;

  constructor(admin: HubAdminClient, config: ConformanceConfig) {
    this.#admin = admin;
    this.#participant = config.participants.payer.fspId;
    this.#currency = config.participants.payer.currency;
  }

  get #positionsPath(): string {
    return `/participants/${this.#participant}/positions`;
  }

  async notePosition(): Promise<Measurement[]> {
    this.#before = await this.#admin.position(this.#participant, this.#currency);
    return [];
  }

  /** Sets the payer's net debit cap to its position plus `headroom`, until `restore()`; notes the position. */
  async leaveHeadroom(headroom: string): Promise<Measurement[]> {
    const cap = await this.#admin.netDebitCap(this.#participant, this.#currency);
    await this.notePosition();
    this.#restoreCap ??= cap;
    await this.#admin.setNetDebitCap(this.#participant, this.#currency, (units(this.#before!) + units(Number(headroom))) / 10_000);
    return [];
  }

  /**
   * While a transfer is reserved the payer's position holds its amount (central-ledger moves the
   * position at prepare). Read until it does or `until` (ms since epoch: before the transfer's
   * expiry) passes: the position handler may book the prepare a moment after the hub accepted it.
   */
  async positionReserved(amount: Money | undefined, until: number | undefined): Promise<Measurement[]> {
    if (!amount || until === undefined) throw new Error('nothing reserved to read: add "When the payer DFSP prepares the transfer on the agreed terms, expiring in …" before this step');
    let reading = await this.#compare(Number(amount.amount), `holds ${amount.amount} ${amount.currency} reserved while the transfer awaits its fulfilment`);
    while (!reading.ok && Date.now() + RESERVATION_POLL_MS < until) {
      await sleep(RESERVATION_POLL_MS);
      reading = await this.#compare(Number(amount.amount), reading.threshold);
    }
    return [reading];
  }

  async positionUnchanged(): Promise<Measurement[]> {
    return [await this.#compare(0, 'unchanged: no funds moved')];
  }

  async positionMovedOnce(amount: Money | undefined): Promise<Measurement[]> {
    if (!amount) throw new Error('nothing to compare: no transfer was sent in this scenario');
    return [await this.#compare(Number(amount.amount), `moved by ${amount.amount} ${amount.currency} once (one transfer booked)`)];
  }

  /** Puts back the net debit cap a scenario lowered. Safe to call when nothing was changed. */
  async restore(): Promise<void> {
    if (this.#restoreCap === undefined) return;
    const cap = this.#restoreCap;
    this.#restoreCap = undefined;
    await this.#admin.setNetDebitCap(this.#participant, this.#currency, cap);
  }

  async #compare(expectedChange: number, threshold: string): Promise<Measurement> {
    if (this.#before === undefined) throw new Error('no position was noted: add "Given the payer\'s position at the hub is noted" before this step');
    const after = await this.#admin.position(this.#participant, this.#currency);
    const change = (units(after) - units(this.#before)) / 10_000;
    return {
      name: `payer ${this.#participant} position in ${this.#currency}`,
      value: `${this.#before} before, ${after} after (change ${change})`,
      threshold: `${threshold}: change = ${expectedChange}`,
      ok: units(after) - units(this.#before) === units(expectedChange),
      source: this.#admin.describe(this.#positionsPath),
    };
  }
}
