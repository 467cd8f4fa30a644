/**
 * What makes each phase of a P2P transfer under load a success — the one decision every runner
 * makes (the builtin runner in checked-transfer.ts, the k6 scripts in load/lib/flow.ts): checks on
 * the success callback's body, each named, with the failure reason and detail it gives. The k6
 * scripts bundle this module, so it imports no Node and no library, and the fulfilment's hash
 * is the caller's (node:crypto here, k6/crypto there).
 */
import { sameAmount } from '../fspiop/amount.ts';
import type { FailureReason } from './load-contract.ts';

export interface PhaseCheck {
  /** Named as k6's `checks` metric shows it. */
  name: string;
  ok: boolean;
  /** What was found, for evidence. */
  value: string | null;
  reason: FailureReason;
  /** What `failureText` adds to the reason when this check fails. */
  detail: string;
}

interface PartyIdInfo {
  partyIdType?: unknown;
  partyIdentifier?: unknown;
  fspId?: unknown;
}

/** PUT /parties: the party asked for, held by the payee DFSP. */
export function lookupChecks(info: PartyIdInfo | undefined, payee: { type: string; id: string }, payeeFsp: string): PhaseCheck[] {
  return [
    {
      name: 'party identifier echoes the request', ok: info?.partyIdType === payee.type && info?.partyIdentifier === payee.id,
      value: `${String(info?.partyIdType)}/${String(info?.partyIdentifier)}`, reason: 'invalid_callback', detail: 'lookup named another party',
    },
    { name: 'party held by the payee DFSP', ok: info?.fspId === payeeFsp, value: typeof info?.fspId === 'string' ? info.fspId : null, reason: 'invalid_callback', detail: `party held by ${typeof info?.fspId === 'string' ? info.fspId : 'no FSP'}, not ${payeeFsp}` },
  ];
}

interface QuoteTerms {
  transferAmount?: { amount?: unknown; currency?: unknown };
  ilpPacket?: unknown;
  condition?: unknown;
  expiration?: unknown;
}

/** PUT /quotes: terms to send exactly the amount asked (SEND, no fees), with a packet, a condition and a future expiry. */
export function quoteChecks(terms: QuoteTerms | undefined, amount: { amount: string; currency: string }, nowMs: number): PhaseCheck[] {
  const quoted = terms?.transferAmount;
  return [
    {
      name: 'transfer amount is the amount sent (SEND, no fees)', ok: typeof quoted?.amount === 'string' && sameAmount(quoted.amount, amount.amount) && quoted.currency === amount.currency,
      value: `${String(quoted?.amount)} ${String(quoted?.currency)}`, reason: 'invalid_callback', detail: 'quoted another amount',
    },
    { name: 'ILP packet present', ok: typeof terms?.ilpPacket === 'string' && terms.ilpPacket.length > 0, value: typeof terms?.ilpPacket === 'string' ? `${terms.ilpPacket.length} characters` : null, reason: 'invalid_callback', detail: 'no ILP packet' },
    { name: 'condition is 32 bytes base64url', ok: typeof terms?.condition === 'string' && /^[A-Za-z0-9_-]{43}$/.test(terms.condition), value: typeof terms?.condition === 'string' ? terms.condition : null, reason: 'invalid_callback', detail: 'condition is not 32 bytes base64url' },
    { name: 'expiration in the future', ok: typeof terms?.expiration === 'string' && Date.parse(terms.expiration) > nowMs, value: typeof terms?.expiration === 'string' ? terms.expiration : null, reason: 'invalid_callback', detail: 'quote already expired' },
  ];
}

/** PUT /transfers: COMMITTED, with a fulfilment whose SHA-256 is the agreed condition. */
export function transferChecks(result: { transferState?: unknown; fulfilment?: unknown } | undefined, condition: string,
  fulfils: (fulfilment: string, condition: string) => boolean): PhaseCheck[] {
  const state = result?.transferState;
  const committed = state === 'COMMITTED';
  return [
    { name: 'transfer state COMMITTED', ok: committed, value: typeof state === 'string' ? state : null, reason: 'not_committed', detail: typeof state === 'string' ? state : 'missing' },
    // A transfer that is not COMMITTED has failed already; its fulfilment is not judged.
    {
      name: 'SHA-256(fulfilment) = agreed condition', ok: !committed || (typeof result?.fulfilment === 'string' && fulfils(result.fulfilment, condition)),
      value: typeof result?.fulfilment === 'string' ? result.fulfilment : null, reason: 'fulfilment', detail: '',
    },
  ];
}

/** The first check that failed: the phase's failure. */
export function firstFailed(checks: readonly PhaseCheck[]): PhaseCheck | undefined {
  return checks.find((check) => !check.ok);
}
