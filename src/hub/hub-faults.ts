import type { HubFaultsConfig } from '../config/schema.ts';

/** The faults a name alone switches on. */
export type SwitchFault = { [K in keyof HubFaultsConfig]-?: NonNullable<HubFaultsConfig[K]> extends boolean ? K : never }[keyof HubFaultsConfig];

/**
 * The misbehaviours the reference hub can be told to show, each off by default. They exist to prove
 * the suite bites: with a fault on, the guarantees it breaks must FAIL, naming the symptom.
 * Random ones draw from a seeded generator, so a run with a fault is reproducible.
 */
export class HubFaults {
  readonly #config: HubFaultsConfig;
  readonly #random: () => number;
  #transfersPrepared = 0;

  constructor(config: HubFaultsConfig = {}) {
    this.#config = config;
    this.#random = seededRandom(config.seed ?? 1);
  }

  /** Names of the faults switched on, for the run's first lines and the evidence. */
  get active(): string[] {
    return Object.entries(this.#config).filter(([name, value]) => name !== 'seed' && value !== undefined && value !== false && value !== 0).map(([name, value]) => value === true ? name : `${name}=${JSON.stringify(value)}`);
  }

  /** Extra delay before the hub delivers one callback. */
  callbackDelayMs(): number {
    const delay = this.#config.callbackDelayMs;
    if (delay === undefined) return 0;
    if (typeof delay === 'number') return delay;
    return delay.min + Math.floor(this.#random() * (delay.max - delay.min + 1));
  }

  /** This callback is silently not delivered. */
  dropsCallback(): boolean {
    return this.#chance(this.#config.dropCallbacks);
  }

  /** This request is answered 500 instead of being processed. */
  failsRequest(): boolean {
    return this.#chance(this.#config.serverErrors);
  }

  /** Whether a fault that is simply on or off (acceptWrongFulfilment, skipExpiry, …) is on. */
  on(name: SwitchFault): boolean {
    return this.#config[name] === true;
  }

  /** The hub answers as its own sender id this instead of its true one: forged-looking callbacks. */
  get callbackSource(): string | undefined {
    return this.#config.callbackSource;
  }

  /** How far in the past the Date header of the hub's own callbacks is. */
  get callbackDateOffsetMs(): number {
    return this.#config.staleCallbackDateMs ?? 0;
  }

  /** Drops this field from every success callback body the hub itself writes (transfer state, …): a schema violation. */
  get omitsField(): string | undefined {
    return this.#config.omitCallbackField;
  }

  /** How long after a callback the hub delivers it again, identical; undefined: once only. */
  get resendCallbacksAfterMs(): number | undefined {
    return this.#config.resendCallbacksAfterMs;
  }

  /** Counts a prepare; true once the hub should crash (the process exits at once, like kill -9). */
  crashesAfterThisPrepare(): boolean {
    this.#transfersPrepared += 1;
    return this.#config.crashAfterTransfers !== undefined && this.#transfersPrepared >= this.#config.crashAfterTransfers;
  }

  #chance(share: number | undefined): boolean {
    return share !== undefined && share > 0 && this.#random() < share;
  }
}

/** mulberry32: small, fast and good enough to spread faults; the same seed gives the same run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
