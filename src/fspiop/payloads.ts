import { z } from 'zod';
import { PARTY_ID_TYPES } from '../config/schema.ts';

/** FSPIOP v1.1 Amount: up to 18 integer digits and 4 decimals, no leading or trailing zeros. Unanchored, for embedding. */
export const FSPIOP_AMOUNT_PATTERN = '(?:0|[1-9]\\d{0,17})(?:\\.\\d{0,3}[1-9])?';

/**
 * The FSPIOP v1.1 bodies this framework sends and checks, reduced to the fields a conformance
 * check reads. Unknown fields are allowed: hubs add extensions.
 */
export const Money = z.object({
  amount: z.string().regex(new RegExp(`^${FSPIOP_AMOUNT_PATTERN}$`), 'an FSPIOP amount is a decimal string such as "100" or "12.5"'),
  currency: z.string().regex(/^[A-Z]{3}$/),
});
export type Money = z.infer<typeof Money>;

const Base64Url43 = z.string().regex(/^[A-Za-z0-9-_]{43}$/, 'a 32-byte value in base64url (43 characters)');
const IsoDateTime = z.iso.datetime({ offset: true });
const Uuid = z.uuid();

export const PartyIdInfo = z.object({
  partyIdType: z.enum(PARTY_ID_TYPES),
  partyIdentifier: z.string().min(1).max(128),
  partySubIdOrType: z.string().optional(),
  fspId: z.string().min(1).max(32).optional(),
});

export const Party = z.object({
  partyIdInfo: PartyIdInfo,
  name: z.string().optional(),
  personalInfo: z.object({
    complexName: z.object({ firstName: z.string().optional(), middleName: z.string().optional(), lastName: z.string().optional() }).optional(),
    dateOfBirth: z.string().optional(),
  }).optional(),
});
export type Party = z.infer<typeof Party>;

export const PartiesPut = z.object({ party: Party });
export type PartiesPut = z.infer<typeof PartiesPut>;

export const TransactionType = z.object({
  scenario: z.enum(['DEPOSIT', 'WITHDRAWAL', 'TRANSFER', 'PAYMENT', 'REFUND']),
  initiator: z.enum(['PAYER', 'PAYEE']),
  initiatorType: z.enum(['CONSUMER', 'AGENT', 'BUSINESS', 'DEVICE']),
});

export const QuotesPost = z.object({
  quoteId: Uuid,
  transactionId: Uuid,
  payee: Party,
  payer: Party,
  amountType: z.enum(['SEND', 'RECEIVE']),
  amount: Money,
  transactionType: TransactionType,
  expiration: IsoDateTime.optional(),
  note: z.string().optional(),
});
export type QuotesPost = z.infer<typeof QuotesPost>;

export const QuotesPut = z.object({
  transferAmount: Money,
  payeeReceiveAmount: Money.optional(),
  payeeFspFee: Money.optional(),
  payeeFspCommission: Money.optional(),
  expiration: IsoDateTime,
  ilpPacket: z.string().min(1).max(32768),
  condition: Base64Url43,
});
export type QuotesPut = z.infer<typeof QuotesPut>;

export const TransfersPost = z.object({
  transferId: Uuid,
  payeeFsp: z.string().min(1).max(32),
  payerFsp: z.string().min(1).max(32),
  amount: Money,
  ilpPacket: z.string().min(1).max(32768),
  condition: Base64Url43,
  expiration: IsoDateTime,
});
export type TransfersPost = z.infer<typeof TransfersPost>;

export const TransferState = z.enum(['RECEIVED', 'RESERVED', 'COMMITTED', 'ABORTED']);
export type TransferState = z.infer<typeof TransferState>;

export const TransfersPut = z.object({
  fulfilment: Base64Url43.optional(),
  completedTimestamp: IsoDateTime.optional(),
  transferState: TransferState,
});
export type TransfersPut = z.infer<typeof TransfersPut>;

export const ErrorInformationPut = z.object({
  errorInformation: z.object({
    errorCode: z.string().regex(/^[1-9]\d{3}$/),
    errorDescription: z.string().min(1).max(128),
  }),
});
export type ErrorInformationPut = z.infer<typeof ErrorInformationPut>;

/** One line naming the first offending field, for error callbacks and failed checks. */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
}

export { sameAmount } from './amount.ts';
