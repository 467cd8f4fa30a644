import type { ConformanceConfig, PartyRef } from '../config/schema.ts';
import { loadIlpCodec, type IlpCodec } from '../dfsp/ilp-codec.ts';
import type { Measurement } from '../evidence/evidence.ts';
import { fulfilmentMatchesCondition } from '../fspiop/ilp-condition.ts';
import type { Exchange, PayerDfsp } from '../fspiop/payer-dfsp.ts';
import { ErrorInformationPut, PartiesPut, QuotesPut, sameAmount, TransfersPut, type Money } from '../fspiop/payloads.ts';
import { callbackArrived, equals, outcomeOf, parseCallback, sourceOf } from './exchange-measurements.ts';

let ilpDecoder: Promise<IlpCodec> | undefined;
/** Decoding a packet needs no secret; one codec serves every probe of the process. */
function decoder(): Promise<IlpCodec> {
  ilpDecoder ??= loadIlpCodec('decode-only');
  return ilpDecoder;
}

/**
 * The P2P transfer as a payer DFSP experiences it — discovery, agreement of terms, clearing —
 * turned into measurements. It keeps the state one scenario builds up (agreed terms, transfer id);
 * each step returns what it measured and the step definition records it.
 */
export class P2pTransferProbe {
  readonly #payer: PayerDfsp;
  readonly #config: ConformanceConfig;
  #party: PartyRef;
  #lookup: Exchange | undefined;
  #quote: Exchange | undefined;
  #terms: QuotesPut | undefined;
  #amount: Money | undefined;
  #transfer: Exchange | undefined;

  constructor(payer: PayerDfsp, config: ConformanceConfig) {
    this.#payer = payer;
    this.#config = config;
    this.#party = config.participants.payee.party;
  }

  get #timeoutMs(): number {
    return this.#config.timeouts.callbackMs;
  }

  /** Which payee party the next steps address. */
  usePayee(party: PartyRef): void {
    this.#party = party;
  }

  /** GET /parties for the current payee party; the outcome is judged by the next check. */
  async lookup(): Promise<void> {
    this.#lookup = await this.#payer.lookupParty(this.#party);
  }

  lookupFound(): Measurement[] {
    const exchange = this.#require(this.#lookup, 'the payer DFSP looks up the payee party');
    const arrived = callbackArrived(exchange, 'lookup', 'success', this.#timeoutMs);
    if (!arrived.ok) return [arrived];
    const { body, measurement } = parseCallback(exchange, 'lookup', PartiesPut);
    const source = sourceOf(exchange);
    const info = body?.party.partyIdInfo;
    return [
      arrived,
      measurement,
      equals('party identifier', info && `${info.partyIdType}/${info.partyIdentifier}`, `${this.#party.type}/${this.#party.id}`, source),
      equals('party held by DFSP', info?.fspId, this.#config.participants.payee.fspId, source),
    ];
  }

  lookupFailed(errorCode: string): Measurement[] {
    return this.#expectError(this.#require(this.#lookup, 'the payer DFSP looks up a party'), 'lookup', errorCode);
  }

  /** POST /quotes to send `amount` in the payer's currency; keeps the agreed terms for the transfer. */
  async requestQuote(amount: string): Promise<void> {
    this.#amount = { amount, currency: this.#config.participants.payer.currency };
    this.#quote = await this.#payer.requestQuote({
      payer: this.#config.participants.payer.party,
      payee: this.#party,
      payeeFsp: this.#config.participants.payee.fspId,
      amount: this.#amount,
    });
    const terms = this.#quote.callback?.kind === 'success' ? QuotesPut.safeParse(this.#quote.callback.body) : undefined;
    this.#terms = terms?.success ? terms.data : undefined;
  }

  async quoteAgreed(): Promise<Measurement[]> {
    const exchange = this.#require(this.#quote, 'the payer DFSP requests a quote');
    const amount = this.#amount!;
    const arrived = callbackArrived(exchange, 'quote', 'success', this.#timeoutMs);
    if (!arrived.ok) return [arrived];
    const { body, measurement } = parseCallback(exchange, 'quote', QuotesPut);
    if (!body) return [arrived, measurement];
    const source = sourceOf(exchange);
    const requested = `${amount.amount} ${amount.currency}`;
    const offered = `${body.transferAmount.amount} ${body.transferAmount.currency}`;
    const packet = await this.#decodePacket(body.ilpPacket);
    const packetPayee = packet && `${packet.payee.partyIdInfo.partyIdType}/${packet.payee.partyIdInfo.partyIdentifier}`;
    return [
      arrived,
      measurement,
      { name: 'quoted transfer amount', value: offered, threshold: `= ${requested} (SEND amount, no fees)`, ok: sameAmount(body.transferAmount.amount, amount.amount) && body.transferAmount.currency === amount.currency, source },
      { name: 'ILP packet amount', value: packet ? `${packet.amount.amount} ${packet.amount.currency}` : 'undecodable packet', threshold: `= ${offered}`, ok: !!packet && sameAmount(packet.amount.amount, body.transferAmount.amount) && packet.amount.currency === body.transferAmount.currency, source },
      equals('ILP packet payee', packetPayee, `${this.#party.type}/${this.#party.id}`, source),
      { name: 'quote expiration', value: body.expiration, threshold: 'in the future', ok: Date.parse(body.expiration) > Date.now(), source },
    ];
  }

  /** POST /transfers on the agreed terms; without terms there is nothing to transfer, and that is measured. */
  async prepareTransfer(): Promise<Measurement[]> {
    if (!this.#terms) {
      const quote = this.#quote ? outcomeOf(this.#quote) : 'no quote was requested';
      return [{ name: 'agreed terms', value: quote, threshold: 'a valid quote callback before the transfer', ok: false, source: this.#quote ? sourceOf(this.#quote) : 'scenario' }];
    }
    this.#transfer = await this.#payer.prepareTransfer({
      payeeFsp: this.#config.participants.payee.fspId,
      amount: this.#terms.transferAmount,
      terms: this.#terms,
    });
    return [];
  }

  committed(): Measurement[] {
    const exchange = this.#requireTransfer();
    const arrived = callbackArrived(exchange, 'transfer', 'success', this.#timeoutMs);
    if (!arrived.ok) return [arrived];
    const { body, measurement } = parseCallback(exchange, 'transfer', TransfersPut);
    const source = sourceOf(exchange);
    return [
      arrived,
      measurement,
      equals('transfer state', body?.transferState, 'COMMITTED', source),
      {
        name: 'fulfilment', value: body?.fulfilment ?? null, threshold: 'SHA-256(fulfilment) = agreed condition',
        ok: !!body?.fulfilment && fulfilmentMatchesCondition(body.fulfilment, this.#terms!.condition), source,
      },
    ];
  }

  rejected(errorCode: string): Measurement[] {
    return this.#expectError(this.#requireTransfer(), 'transfer', errorCode);
  }

  /** Asks the hub for the transfer's state (GET /transfers/{id}) and checks it is final and not committed. */
  async hubStateIs(expected: 'ABORTED' | 'COMMITTED'): Promise<Measurement[]> {
    const transferId = (this.#requireTransfer().requestBody as { transferId: string }).transferId;
    const exchange = await this.#payer.queryTransfer(transferId);
    const arrived = callbackArrived(exchange, 'transfer state query', 'success', this.#timeoutMs);
    if (!arrived.ok) return [arrived];
    const { body, measurement } = parseCallback(exchange, 'transfer state query', TransfersPut);
    return [arrived, measurement, equals('transfer state held by the hub', body?.transferState, expected, sourceOf(exchange))];
  }

  #expectError(exchange: Exchange, label: string, errorCode: string): Measurement[] {
    const arrived = callbackArrived(exchange, label, 'error', this.#timeoutMs);
    if (!arrived.ok) return [arrived];
    const { body, measurement } = parseCallback(exchange, `${label} error`, ErrorInformationPut);
    return [arrived, measurement, equals(`${label} error code`, body?.errorInformation.errorCode, errorCode, sourceOf(exchange))];
  }

  #requireTransfer(): Exchange {
    return this.#require(this.#transfer, 'the payer DFSP prepares the transfer on the agreed terms');
  }

  /** A check step placed before the step that sends is a mistake in the feature file; say which step is missing. */
  #require(exchange: Exchange | undefined, step: string): Exchange {
    if (!exchange) throw new Error(`nothing to check yet: add "When ${step}" before this step`);
    return exchange;
  }

  async #decodePacket(ilpPacket: string) {
    try {
      return (await decoder()).transactionOf(ilpPacket);
    } catch {
      return undefined;
    }
  }
}
