import { partyKey, type PartyId } from '../fspiop/messages.ts';

/** Which DFSP holds which party (the account-lookup service's oracle); a sub-id names one of a party's accounts. */
export class PartyOracle {
  readonly #owners = new Map<string, string>();

  register(party: PartyId, fspId: string): void {
    this.#owners.set(partyKey(party), fspId);
  }

  ownerOf(party: PartyId): string | undefined {
    return this.#owners.get(partyKey(party));
  }
}
