import type { Money, QuotesPost } from '../fspiop/payloads.ts';

export interface IlpTerms {
  ilpPacket: string;
  condition: string;
  fulfilment: string;
}

/** What the ILP packet of a quote carries (FSPIOP transaction object). */
export interface IlpTransaction {
  transactionId: string;
  quoteId: string;
  amount: Money;
  payee: { partyIdInfo: { partyIdType: string; partyIdentifier: string; fspId?: string } };
  payer: { partyIdInfo: { partyIdType: string; partyIdentifier: string; fspId?: string } };
}

/**
 * ILP v1 packet, condition and fulfilment, computed by Mojaloop's own
 * @mojaloop/sdk-standard-components (the SDK scheme adapter's code). Loaded on first use:
 * the package costs more than a second to import and only DFSP simulators and packet checks need it.
 */
export interface IlpCodec {
  quoteTerms(quote: QuotesPost, transferAmount: Money, expiration: string): IlpTerms;
  fulfilmentOf(ilpPacket: string): string;
  transactionOf(ilpPacket: string): IlpTransaction;
}

interface SdkIlp {
  getQuoteResponseIlp(quote: unknown, response: unknown): IlpTerms;
  calculateFulfil(ilpPacket: string): string;
  getTransactionObject(ilpPacket: string): IlpTransaction;
}

interface Sdk {
  Ilp: { ilpFactory(version: string, options: { secret: string; logger: unknown }): SdkIlp };
  logger: unknown;
}

let sdk: Promise<Sdk> | undefined;
/** One import and one logger per process: each SDK logger adds process-wide uncaughtException listeners. */
function loadSdk(): Promise<Sdk> {
  sdk ??= import('@mojaloop/sdk-standard-components').then((module) => {
    const { Ilp, Logger } = module as unknown as { Ilp: Sdk['Ilp']; Logger: { loggerFactory(config?: unknown): unknown } };
    return { Ilp, logger: Logger.loggerFactory() };
  });
  return sdk;
}

export async function loadIlpCodec(secret: string): Promise<IlpCodec> {
  const { Ilp, logger } = await loadSdk();
  const ilp = Ilp.ilpFactory('v1', { secret, logger });
  return {
    quoteTerms: (quote, transferAmount, expiration) =>
      ilp.getQuoteResponseIlp(quote, { transferAmount, payeeReceiveAmount: transferAmount, expiration }),
    fulfilmentOf: (ilpPacket) => ilp.calculateFulfil(ilpPacket),
    transactionOf: (ilpPacket) => ilp.getTransactionObject(ilpPacket),
  };
}
