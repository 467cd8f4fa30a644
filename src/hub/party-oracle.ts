import { partyKey, type PartyId } from '../fspiop/messages.ts';

/**
 * Which DFSP holds which party (the account-lookup service's oracle); a sub-id names one of a
 * party's accounts. Kept in memory for lookups; what DFSPs register through FSPIOP is also written
 * to the ledger store, so a restarted hub still knows it (`restore`).
 */
export class PartyOracle {
  readonly #owners = new Map<string, string>();

  register(party: PartyId, fspId: string): void {
    this.#owners.set(partyKey(party), fspId);
  }

  ownerOf(party: PartyId): string | undefined {
    return this.#owners.get(partyKey(party));
  }

  /** Takes back the registrations a store kept (by `partyKey`). */
  restore(entries: Iterable<{ key: string; owner: string }>): void {
    for (const { key, owner } of entries) this.#owners.set(key, owner);
  }
}
