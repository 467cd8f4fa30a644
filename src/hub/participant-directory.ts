/**
 * Who is on the hub, their currencies and callback endpoints, kept in memory beside the books
 * (SQLite or MySQL) so routing a request asks no database: loaded from the store when it opens,
 * added to as the store changes.
 */
export class ParticipantDirectory {
  readonly #entries = new Map<string, { currencies: Set<string>; endpoints: Map<string, string> }>();

  /** Forgets everything, then takes the store's rows (participants, their accounts' currencies, their endpoints). */
  load(participants: Iterable<string>, accounts: Iterable<{ participant: string; currency: string }>, endpoints: Iterable<{ participant: string; type: string; value: string }>): void {
    this.#entries.clear();
    for (const name of participants) this.#entries.set(name, { currencies: new Set(), endpoints: new Map() });
    for (const row of accounts) this.#entries.get(row.participant)?.currencies.add(row.currency);
    for (const row of endpoints) this.#entries.get(row.participant)?.endpoints.set(row.type, row.value);
  }

  /** The participant now holds these currencies (created when new). */
  addCurrencies(name: string, currencies: readonly string[]): void {
    const entry = this.#entries.get(name) ?? { currencies: new Set<string>(), endpoints: new Map<string, string>() };
    for (const currency of currencies) entry.currencies.add(currency);
    this.#entries.set(name, entry);
  }

  /** Throws for a participant the hub does not have: check before writing the endpoint to the store. */
  requireParticipant(name: string): void {
    if (!this.#entries.has(name)) throw new Error(`participant "${name}" does not exist`);
  }

  setEndpoint(name: string, type: string, value: string): void {
    this.#entries.get(name)?.endpoints.set(type, value);
  }

  hasParticipant(name: string | undefined): boolean {
    return name !== undefined && this.#entries.has(name);
  }

  participantNames(): string[] {
    return [...this.#entries.keys()].sort();
  }

  currenciesOf(name: string): string[] {
    return [...(this.#entries.get(name)?.currencies ?? [])].sort();
  }

  holdsCurrency(name: string, currency: string): boolean {
    return this.#entries.get(name)?.currencies.has(currency) === true;
  }

  endpointsOf(name: string): { type: string; value: string }[] {
    return [...(this.#entries.get(name)?.endpoints ?? [])].sort(([a], [b]) => a.localeCompare(b)).map(([type, value]) => ({ type, value }));
  }

  endpoint(name: string, type: string): string | undefined {
    return this.#entries.get(name)?.endpoints.get(type);
  }
}

/** What the hub and the admin API read of the directory (a store alone changes it). */
export type DirectoryView = Pick<ParticipantDirectory, 'hasParticipant' | 'participantNames' | 'currenciesOf' | 'holdsCurrency' | 'endpointsOf' | 'endpoint'>;
