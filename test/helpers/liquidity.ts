import { randomUUID } from 'node:crypto';
import type { HubLedger } from '../../src/hub/ledger.ts';

/** Funds a DFSP's settlement account directly in the ledger, as a hub operator's funds in would. */
export function fundLiquidity(ledger: HubLedger, fsp: string, amount: string, currency = 'USD'): void {
  const accounts = ledger.dfspAccounts(fsp).find((entry) => entry.currency === currency);
  if (!accounts) throw new Error(`${fsp} has no ${currency} account to fund`);
  const outcome = ledger.recordFundsIn(fsp, accounts.settlement.id, randomUUID(), { amount, currency });
  if (outcome.kind !== 'done') throw new Error(`funding ${fsp}: ${outcome.detail}`);
}
