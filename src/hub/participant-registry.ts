export interface Participant {
  fspId: string;
  /** Base URL the hub calls back on: `${endpoint}/parties/...`, …; undefined until the DFSP is connected. */
  endpoint: string | undefined;
  currencies: string[];
}

/** The hub's participants and their callback endpoints (central-ledger's participant + endpoint tables). */
export class ParticipantRegistry {
  readonly #participants = new Map<string, Participant>();

  register(participant: Participant): void {
    this.#participants.set(participant.fspId, { ...participant, currencies: [...participant.currencies] });
  }

  setEndpoint(fspId: string, endpoint: string): void {
    const existing = this.#participants.get(fspId);
    if (!existing) throw new Error(`participant "${fspId}" is not registered`);
    existing.endpoint = endpoint;
  }

  get(fspId: string | undefined): Participant | undefined {
    return fspId === undefined ? undefined : this.#participants.get(fspId);
  }

  list(): Participant[] {
    return [...this.#participants.values()];
  }
}
