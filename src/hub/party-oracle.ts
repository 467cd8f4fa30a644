/** Which DFSP holds which party (the account-lookup service's oracle). */
export class PartyOracle {
  readonly #owners = new Map<string, string>();

  static key(type: string, id: string): string {
    return `${type}/${id}`;
  }

  register(type: string, id: string, fspId: string): void {
    this.#owners.set(PartyOracle.key(type, id), fspId);
  }

  ownerOf(type: string, id: string): string | undefined {
    return this.#owners.get(PartyOracle.key(type, id));
  }
}
