/**
 * The FSPIOP v1.1 requests a payer DFSP sends, built in one place for every sender: the driver in
 * this process and the k6 scripts under load/. Plain data in, plain data out — no Node or k6
 * module — so both runtimes bundle the same source of truth.
 */

export interface PartyId {
  type: string;
  id: string;
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

/** GET and PUT path of a party: `/parties/{Type}/{ID}`. */
export function partyPath(party: PartyId): string {
  return `/parties/${encodeURIComponent(party.type)}/${encodeURIComponent(party.id)}`;
}

/** The correlation key of a party lookup's callback (lookups carry no request id). */
export function partyKey(party: PartyId): string {
  return `${party.type}/${party.id}`;
}

/** POST /quotes body: the payer sends `amount` (SEND, no fees) to the payee party at `payeeFsp`. */
export function quoteRequest(input: { quoteId: string; transactionId: string; payerFsp: string; payer: PartyId; payeeFsp: string; payee: PartyId; amount: MoneyAmount }) {
  return {
    quoteId: input.quoteId,
    transactionId: input.transactionId,
    payee: { partyIdInfo: { partyIdType: input.payee.type, partyIdentifier: input.payee.id, fspId: input.payeeFsp } },
    payer: { partyIdInfo: { partyIdType: input.payer.type, partyIdentifier: input.payer.id, fspId: input.payerFsp } },
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
