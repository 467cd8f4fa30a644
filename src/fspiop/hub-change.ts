/**
 * A change a run makes to a hub it does not own, only for a while (a lowered net debit cap,
 * liquidity taken out), described well enough to be put back by another process after this one was
 * killed. Journaled before it is made: see `HubChangeJournal` in src/provisioning.
 */
export type HubChange =
  | { kind: 'netDebitCap'; participant: string; currency: string; previous: number }
  | { kind: 'liquidityOut'; participant: string; currency: string; amount: number };

/** Where temporary changes are written down before they are made, and struck out once undone. */
export interface HubChangeRecorder {
  /** Written to disk before it resolves: returns the entry's id. */
  record(adminUrl: string, change: HubChange): Promise<string>;
  /** The change was undone: its entry goes. */
  settle(id: string): Promise<void>;
}

export function describeHubChange(change: HubChange): string {
  return change.kind === 'netDebitCap'
    ? `net debit cap of ${change.participant} in ${change.currency} back to ${change.previous}`
    : `${change.amount} ${change.currency} of liquidity back into ${change.participant}'s settlement account`;
}
