/**
 * The FSPIOP v1.1 requests a payer DFSP sends, built in one place for every sender: the driver in
 * this process and the k6 scripts under load/. Plain data in, plain data out — no Node or k6
 * module — so both runtimes bundle the same source of truth.
 */

export interface PartyId {
  type: string;
  id: string;
  /** FSPIOP's partySubIdOrType: one of the party's accounts, addressed as /parties/{Type}/{ID}/{SubId}. */
  subId?: string | undefined;
}

export interface MoneyAmount {
  amount: string;
  currency: string;
}

export interface AgreedTerms {
  ilpPacket: string;
  condition: string;
  expiration: string;
}

/** GET and PUT path of a party: `/parties/{Type}/{ID}`, or `/parties/{Type}/{ID}/{SubId}`. */
export function partyPath(party: PartyId): string {
  return `/parties/${[party.type, party.id, ...(party.subId === undefined ? [] : [party.subId])].map(encodeURIComponent).join('/')}`;
}

/** The key of a party (lookups carry no request id: their callbacks are correlated by it), sub-id included. */
export function partyKey(party: PartyId): string {
  return party.subId === undefined ? `${party.type}/${party.id}` : `${party.type}/${party.id}/${party.subId}`;
}

/** The partyIdInfo of a party held at `fspId`. */
function partyIdInfo(party: PartyId, fspId: string) {
  return { partyIdType: party.type, partyIdentifier: party.id, ...(party.subId === undefined ? {} : { partySubIdOrType: party.subId }), fspId };
}

/** POST /quotes body: the payer sends `amount` (SEND, no fees) to the payee party at `payeeFsp`. */
export function quoteRequest(input: { quoteId: string; transactionId: string; payerFsp: string; payer: PartyId; payeeFsp: string; payee: PartyId; amount: MoneyAmount }) {
  return {
    quoteId: input.quoteId,
    transactionId: input.transactionId,
    payee: { partyIdInfo: partyIdInfo(input.payee, input.payeeFsp) },
    payer: { partyIdInfo: partyIdInfo(input.payer, input.payerFsp) },
    amountType: 'SEND' as const,
    amount: input.amount,
    transactionType: { scenario: 'TRANSFER' as const, initiator: 'PAYER' as const, initiatorType: 'CONSUMER' as const },
  };
}

/** POST /transfers body on the terms a quote agreed. */
export function transferPrepare(input: { transferId: string; payerFsp: string; payeeFsp: string; amount: MoneyAmount; terms: AgreedTerms }) {
  return {
    transferId: input.transferId,
    payerFsp: input.payerFsp,
    payeeFsp: input.payeeFsp,
    amount: input.amount,
    ilpPacket: input.terms.ilpPacket,
    condition: input.terms.condition,
    expiration: input.terms.expiration,
  };
}
