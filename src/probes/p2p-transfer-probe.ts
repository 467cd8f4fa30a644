import { CONTROLLED_PAYEE_ROLES, type ConformanceConfig, type ControlledParty, type ControlledPayeeRole } from '../config/schema.ts';
import { loadIlpCodec, type IlpCodec } from '../dfsp/ilp-codec.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ZodType } from 'zod';
import type { Measurement } from '../evidence/evidence.ts';
import type { Finding } from '../evidence/finding.ts';
import { parseErrorInformation } from '../fspiop/answer.ts';
import { FspiopErrorCode } from '../fspiop/error-codes.ts';
import { fulfilmentMatchesCondition } from '../fspiop/ilp-condition.ts';
import type { transferPrepare } from '../fspiop/messages.ts';
import type { Exchange, PayerDfsp } from '../fspiop/payer-dfsp.ts';
import { ErrorInformationPut, PartiesPut, QuotesPost, QuotesPut, sameAmount, TransfersPut, type Money } from '../fspiop/payloads.ts';
import { transferChecks } from '../load/p2p-rules.ts';
import { callbackArrived, equals, outcomeOf, parseCallback, sourceOf } from './exchange-measurements.ts';
import type { MessageConformance } from './message-conformance.ts';

let ilpDecoder: Promise<IlpCodec> | undefined;
/** Decoding a packet needs no secret; one codec serves every probe of the process. */
function decoder(): Promise<IlpCodec> {
  ilpDecoder ??= loadIlpCodec('decode-only');
  return ilpDecoder;
}

type TransferBody = ReturnType<typeof transferPrepare>;

/** How far the hub's clock may be ahead of ours when it decides a transfer expired. */
const EXPIRY_CLOCK_SKEW_MS = 1000;
/** How often the payee side is asked what it was told, while its notification may still be on its way. */
const PAYEE_POLL_MS = 50;

/**
 * The P2P transfer as a payer DFSP experiences it — discovery, agreement of terms, clearing, and
 * what a switch must do with resent, rejected, expired or invalid requests — turned into
 * measurements. It keeps the state one scenario builds up (agreed terms, the transfer sent); each
 * step returns what it measured and the step definition records it. Every callback is also held
 * to the specification (`MessageConformance`).
 */
export class P2pTransferProbe {
  readonly #payer: PayerDfsp;
  readonly #config: ConformanceConfig;
  readonly #conformance: MessageConformance;
  #party: ControlledParty;
  #lookup: Exchange | undefined;
  #quote: Exchange | undefined;
  #quoteQuery: Exchange | undefined;
  #terms: QuotesPut | undefined;
  #amount: Money | undefined;
  #transfer: Exchange | undefined;
  /** How long the transfer's callback was waited for: longer for one whose only answer is its expiry. */
  #transferWaitMs: number | undefined;
  /** The transfer was sent to expire this long after its prepare, at this time. */
  #expiresInMs: number | undefined;
  #expiresAt: number | undefined;
  #resend: Exchange | undefined;
  #query: Exchange | undefined;
  /** The state query our bystander sent about the payer's transfer. */
  #strangerQuery: Exchange | undefined;
  /** A prepare acknowledged by the hub whose callback is still awaited (a transfer sent to expire). */
  #pendingTransfer: Promise<Exchange> | undefined;
  /** Every exchange of the scenario, for what holds across them (version negotiation). */
  readonly #exchanges: Promise<Exchange>[] = [];

  readonly #bystander: PayerDfsp | undefined;

  /** `bystander`: a DFSP of ours party to none of the transfers, present where the target has `bystander-dfsp`. */
  constructor(payer: PayerDfsp, config: ConformanceConfig, conformance: MessageConformance, bystander?: PayerDfsp) {
    this.#payer = payer;
    this.#bystander = bystander;
    this.#config = config;
    this.#conformance = conformance;
    this.#party = config.participants.payee.party;
  }

  get #timeoutMs(): number {
    return this.#config.timeouts.callbackMs;
  }

  get #payeeFsp(): string {
    return this.#config.participants.payee.fspId;
  }

  /** Which payee party the next steps address. */
  usePayee(party: ControlledParty): void {
    this.#party = party;
  }

  /** The next steps address the controlled payee's party in this role — or cannot, when the target has none. */
  usePayeeIn(role: ControlledPayeeRole, parties: Partial<Record<ControlledPayeeRole, ControlledParty>> | undefined): Finding {
    const party = parties?.[role];
    if (!party) return { notEvaluated: `needs a party of a payee DFSP under our control that ${CONTROLLED_PAYEE_ROLES[role]}; name it in the config as parties.${role}`, capability: 'controlled-payee' };
    this.#party = party;
    return [];
  }

  /** When the transfer sent to expire expires (ms since epoch); undefined for one that does not. */
  get expiresAt(): number | undefined {
    return this.#expiresAt;
  }

  /** What the transfer sent moves: the agreed amount. */
  get transferAmount(): Money | undefined {
    return (this.#transfer?.requestBody as TransferBody | undefined)?.amount;
  }

  // ---- discovery ----

  /** GET /parties for the current payee party; the outcome is judged by the next check. */
  async lookup(): Promise<Measurement[]> {
    this.#lookup = await this.#sent(this.#payer.lookupParty(this.#party));
    return [this.#conformance.request(this.#lookup, 'lookup')];
  }

  lookupFound(): Measurement[] {
    const exchange = this.#require(this.#lookup, 'the payer DFSP looks up the party');
    const { measurements, body, source } = this.#callback(exchange, 'lookup', 'success', PartiesPut);
    if (!source) return measurements;
    const info = body?.party.partyIdInfo;
    return [
      ...measurements,
      equals('party identifier', info && `${info.partyIdType}/${info.partyIdentifier}`, `${this.#party.type}/${this.#party.id}`, source),
      ...(this.#party.subId === undefined ? [] : [equals('party sub-id (partySubIdOrType)', info?.partySubIdOrType, this.#party.subId, source)]),
      equals('party held by DFSP', info?.fspId, this.#payeeFsp, source),
    ];
  }

  /** The party's name parts arrive exactly as its DFSP holds them: no transliteration, no lost characters. */
  nameIntact(): Finding {
    const exchange = this.#require(this.#lookup, 'the payer DFSP looks up the party');
    const name = PartiesPut.safeParse(exchange.callback?.body).data?.party.personalInfo?.complexName;
    const source = sourceOf(exchange);
    const parts = (['firstName', 'middleName', 'lastName'] as const).filter((part) => this.#party[part] !== undefined);
    if (parts.length === 0) return { notEvaluated: 'the party\'s names are not known to the framework: give the party\'s firstName and lastName in the config' };
    const measurements = parts.map((part) => equals(`party ${part}`, name?.[part], this.#party[part]!, source));
    // The display name is optional and its format the DFSP's; when sent, every part must be in it untouched.
    const display = PartiesPut.safeParse(exchange.callback?.body).data?.party.name;
    if (display !== undefined) {
      measurements.push({ name: 'party display name', value: display, threshold: `holds ${parts.map((part) => this.#party[part]).join(', ')} unchanged`, ok: parts.every((part) => display.includes(this.#party[part]!)), source });
    }
    return measurements;
  }

  lookupFailed(errorCode: string): Measurement[] {
    return this.#expectError(this.#require(this.#lookup, 'the payer DFSP looks up a party'), 'lookup', errorCode);
  }

  // ---- agreement of terms ----

  /** POST /quotes to send `amount` in the payer's currency; keeps the agreed terms for the transfer. */
  async requestQuote(amount: string, payeeFsp = this.#payeeFsp): Promise<Measurement[]> {
    this.#amount = { amount, currency: this.#config.participants.payer.currency };
    this.#quote = await this.#sent(this.#payer.requestQuote({ payer: this.#config.participants.payer.party, payee: this.#party, payeeFsp, amount: this.#amount }));
    const terms = this.#quote.callback?.kind === 'success' ? QuotesPut.safeParse(this.#quote.callback.body) : undefined;
    this.#terms = terms?.success ? terms.data : undefined;
    return [this.#conformance.request(this.#quote, 'quote')];
  }

  /** POST /quotes whose `field` ("amount" or "currency") breaks the specification on purpose. */
  async requestInvalidQuote(field: 'amount' | 'currency', value: string): Promise<Measurement[]> {
    const amount: Money = { amount: '10', currency: this.#config.participants.payer.currency, [field]: value };
    this.#quote = await this.#sent(this.#payer.requestQuote({ payer: this.#config.participants.payer.party, payee: this.#party, payeeFsp: this.#payeeFsp, amount }));
    this.#terms = undefined;
    return [this.#conformance.requestBreaks(this.#quote, 'quote', `body.amount.${field}`)];
  }

  async quoteAgreed(): Promise<Measurement[]> {
    const exchange = this.#require(this.#quote, 'the payer DFSP requests a quote');
    const amount = this.#amount!;
    const { measurements, body, source } = this.#callback(exchange, 'quote', 'success', QuotesPut);
    if (!source || !body) return measurements;
    const requested = `${amount.amount} ${amount.currency}`;
    const offered = `${body.transferAmount.amount} ${body.transferAmount.currency}`;
    const packet = await this.#decodePacket(body.ilpPacket);
    const packetPayee = packet && `${packet.payee.partyIdInfo.partyIdType}/${packet.payee.partyIdInfo.partyIdentifier}`;
    return [
      ...measurements,
      { name: 'quoted transfer amount', value: offered, threshold: `= ${requested} (SEND amount, no fees)`, ok: sameAmount(body.transferAmount.amount, amount.amount) && body.transferAmount.currency === amount.currency, source },
      { name: 'ILP packet amount', value: packet ? `${packet.amount.amount} ${packet.amount.currency}` : 'undecodable packet', threshold: `= ${offered}`, ok: !!packet && sameAmount(packet.amount.amount, body.transferAmount.amount) && packet.amount.currency === body.transferAmount.currency, source },
      equals('ILP packet payee', packetPayee, `${this.#party.type}/${this.#party.id}`, source),
      { name: 'quote expiration', value: body.expiration, threshold: 'in the future', ok: Date.parse(body.expiration) > Date.now(), source },
    ];
  }

  quoteFailed(errorCode: string): Measurement[] {
    return this.#expectError(this.#require(this.#quote, 'the payer DFSP requests a quote'), 'quote', errorCode);
  }

  /**
   * The hub refuses the quote with one of these error codes (the specification's 3101 "Malformed
   * syntax" names a bad amount as its example; Mojaloop's API validation answers 3100 by default):
   * at once (HTTP 4xx with errorInformation) or by an error callback the hub itself sends. The
   * payee refusing it proves nothing of the hub: a hub that forwards invalid quotes unchecked
   * would pass.
   */
  quoteRefused(errorCodes: string[]): Measurement[] {
    const exchange = this.#require(this.#quote, 'the payer DFSP requests a quote');
    const source = sourceOf(exchange);
    const expected = errorCodes.join(' or ');
    if (!('error' in exchange.ack) && exchange.ack.status >= 400 && exchange.ack.status < 500) {
      const code = parseErrorInformation(exchange.ack.body)?.errorCode;
      return [{ name: `quote refused at once (HTTP ${exchange.ack.status}) with error code`, value: code ?? null, threshold: `= ${expected}`, ok: code !== undefined && errorCodes.includes(code), source }];
    }
    if (exchange.callback?.kind === 'error') {
      const { measurements, body } = this.#callback(exchange, 'quote', 'error', ErrorInformationPut);
      const code = body?.errorInformation.errorCode;
      const sender = exchange.callback.headers['fspiop-source'];
      const hub = this.#config.hub.sourceIds;
      return [
        ...measurements,
        { name: 'quote refused by', value: sender ?? null, threshold: `the hub (FSPIOP-Source ${hub.join(' or ')}), not the payee DFSP it would have forwarded the quote to`, ok: sender !== undefined && hub.includes(sender), source },
        { name: 'quote error code', value: code ?? null, threshold: `= ${expected}`, ok: code !== undefined && errorCodes.includes(code), source },
      ];
    }
    return [{ name: 'quote refused', value: outcomeOf(exchange), threshold: `HTTP 400 or an error callback with error code ${expected}`, ok: false, source }];
  }

  /** GET /quotes/{id} of the quote requested. */
  async queryQuote(): Promise<Measurement[]> {
    const quote = this.#require(this.#quote, 'the payer DFSP requests a quote');
    const { quoteId } = QuotesPost.parse(quote.requestBody);
    this.#quoteQuery = await this.#sent(this.#payer.queryQuote(quoteId, this.#payeeFsp, [quote.callback]));
    return [this.#conformance.request(this.#quoteQuery, 'quote query')];
  }

  /** The answer to GET /quotes/{id} repeats the terms of the first answer. */
  quoteRepeated(): Measurement[] {
    const exchange = this.#require(this.#quoteQuery, 'the payer DFSP asks for the quote again');
    const { measurements, body, source } = this.#callback(exchange, 'quote query', 'success', QuotesPut);
    if (!source) return measurements;
    const agreed = this.#terms;
    return [
      ...measurements,
      equals('transfer amount given again', body && `${body.transferAmount.amount} ${body.transferAmount.currency}`, agreed ? `${agreed.transferAmount.amount} ${agreed.transferAmount.currency}` : 'the agreed terms', source),
      equals('condition given again', body?.condition, agreed?.condition ?? 'the agreed condition', source),
    ];
  }

  // ---- clearing ----

  /**
   * POST /transfers on the agreed terms — expiring in `expiresInMs` instead of at the quote's
   * expiration when given. Without terms there is nothing to transfer, and that is measured. A
   * transfer sent to expire returns once the hub accepted it, so what holds while it is reserved
   * can be read before its expiry; its callback is awaited by the step that checks it.
   */
  async prepareTransfer(expiresInMs?: number): Promise<Measurement[]> {
    if (!this.#terms) {
      const quote = this.#quote ? outcomeOf(this.#quote) : 'no quote was requested';
      return [{ name: 'agreed terms', value: quote, threshold: 'a valid quote callback before the transfer', ok: false, source: this.#quote ? sourceOf(this.#quote) : 'scenario' }];
    }
    const terms = expiresInMs === undefined ? this.#terms : { ...this.#terms, expiration: new Date(Date.now() + expiresInMs).toISOString() };
    this.#expiresInMs = expiresInMs;
    this.#expiresAt = expiresInMs === undefined ? undefined : Date.parse(terms.expiration);
    this.#transferWaitMs = expiresInMs === undefined ? this.#timeoutMs : expiresInMs + this.#config.timeouts.expirySweepMs + this.#timeoutMs;
    let acknowledged!: (exchange: Exchange) => void;
    const accepted = new Promise<Exchange>((resolve) => { acknowledged = resolve; });
    const transfer = this.#sent(this.#payer.prepareTransfer({ payeeFsp: this.#payeeFsp, amount: this.#terms.transferAmount, terms },
      { callbackTimeoutMs: this.#transferWaitMs, onAcknowledged: acknowledged }));
    this.#pendingTransfer = transfer;
    // The exchange as acknowledged is the object the promise completes: its request is all there is to check now.
    this.#transfer = expiresInMs === undefined ? await transfer : await Promise.race([accepted, transfer]);
    return [this.#conformance.request(this.#transfer, 'transfer')];
  }

  async committed(): Promise<Measurement[]> {
    const exchange = await this.#settled();
    const { measurements, body, source } = this.#callback(exchange, 'transfer', 'success', TransfersPut, this.#transferWaitMs);
    if (!source) return measurements;
    // The same decision every load runner makes of a transfer (src/load/p2p-rules.ts), each check recorded.
    const [state, fulfilment] = transferChecks(body, this.#terms!.condition, fulfilmentMatchesCondition);
    return [
      ...measurements,
      { name: 'transfer state', value: state!.value, threshold: '= COMMITTED', ok: state!.ok, source },
      { name: 'fulfilment', value: fulfilment!.value, threshold: 'SHA-256(fulfilment) = agreed condition', ok: state!.ok && fulfilment!.ok, source },
    ];
  }

  /**
   * The transfer ends with an error callback with this code. A net debit cap scenario answered
   * with 4001 never reached the cap: central-ledger checks the payer's liquidity first
   * (position handler: liquidity cover, then the payer limit), so that is not the hub's failure.
   */
  async rejected(errorCode: string): Promise<Finding> {
    const exchange = await this.#settled();
    const got = ErrorInformationPut.safeParse(exchange.callback?.body).data?.errorInformation.errorCode;
    if (errorCode === FspiopErrorCode.payerLimitError.code && got === FspiopErrorCode.payerFspInsufficientLiquidity.code) {
      return { notEvaluated: `the hub answered 4001 (payer FSP insufficient liquidity), which it checks before the net debit cap: the payer's liquidity did not cover the transfer, so the cap was never reached — fund the payer's settlement account at the hub (${sourceOf(exchange)})` };
    }
    const measurements = this.#expectError(exchange, 'transfer', errorCode, this.#transferWaitMs);
    if (this.#expiresInMs === undefined || exchange.endToEndMs === undefined) return measurements;
    // An expiry error before the expiration says the hub refused at once: nothing was reserved, nothing expired.
    const earliestMs = Math.max(0, this.#expiresInMs - EXPIRY_CLOCK_SKEW_MS);
    return [...measurements, {
      name: 'error after the prepare', value: Math.round(exchange.endToEndMs), unit: 'ms',
      threshold: `≥ ${earliestMs} ms (not before the transfer's expiration, ${EXPIRY_CLOCK_SKEW_MS} ms allowed for the hub's clock)`,
      ok: exchange.endToEndMs >= earliestMs, source: sourceOf(exchange),
    }];
  }

  /**
   * The hub told the payee DFSP too that the transfer ended with this error (an expiry, a wrong
   * fulfilment): asked of the payee side, until it says so or the callback timeout passes.
   */
  async payeeTold(errorCode: string, payeeErrors: (transferId: string) => Promise<{ errorCodes: string[]; source: string }>): Promise<Measurement[]> {
    const { transferId } = this.#sentTransfer();
    const deadline = Date.now() + this.#timeoutMs;
    let seen = await payeeErrors(transferId);
    while (!seen.errorCodes.includes(errorCode) && Date.now() < deadline) {
      await sleep(PAYEE_POLL_MS);
      seen = await payeeErrors(transferId);
    }
    return [{
      name: 'errors the payee DFSP was told', value: seen.errorCodes.length > 0 ? seen.errorCodes.join(', ') : 'none',
      threshold: `includes ${errorCode}, within ${this.#timeoutMs} ms of the payer's`, ok: seen.errorCodes.includes(errorCode), source: seen.source,
    }];
  }

  // ---- resends (the specification's duplicate rules) ----

  /** POST /transfers again with the very same body. */
  async resendTransfer(): Promise<Measurement[]> {
    await this.#settled();
    this.#resend = await this.#sent(this.#payer.sendTransfer(this.#sentTransfer()));
    return [this.#conformance.request(this.#resend, 'resent transfer')];
  }

  /** POST /transfers with the same transfer id and another amount: a modified request. */
  async resendModifiedTransfer(): Promise<Measurement[]> {
    await this.#settled();
    const sent = this.#sentTransfer();
    const amount = { ...sent.amount, amount: sameAmount(sent.amount.amount, '1') ? '2' : '1' };
    this.#resend = await this.#sent(this.#payer.sendTransfer({ ...sent, amount }));
    return [this.#conformance.request(this.#resend, 'modified transfer')];
  }

  /** The resend is answered with the transfer's state and fulfilment, as the first answer gave them. */
  resendAnsweredWithState(): Measurement[] {
    const exchange = this.#require(this.#resend, 'the payer DFSP sends the same transfer again');
    const { measurements, body, source } = this.#callback(exchange, 'resent transfer', 'success', TransfersPut);
    if (!source) return measurements;
    const first = TransfersPut.safeParse(this.#transfer?.callback?.body).data;
    return [
      ...measurements,
      equals('state given for the resend', body?.transferState, first?.transferState ?? 'the state first reported', source),
      equals('fulfilment given for the resend', body?.fulfilment, first?.fulfilment ?? 'the fulfilment first reported', source),
    ];
  }

  resendFailed(errorCode: string): Measurement[] {
    return this.#expectError(this.#require(this.#resend, 'the payer DFSP resends the transfer'), 'resent transfer', errorCode);
  }

  // ---- state queries ----

  /** Asks the hub for the transfer's state (GET /transfers/{id}) and checks it is the expected final one. */
  async hubStateIs(expected: 'ABORTED' | 'COMMITTED'): Promise<Measurement[]> {
    const transfer = await this.#settled();
    const transferId = this.#sentTransfer().transferId;
    const exchange = await this.#sent(this.#payer.queryTransfer(transferId, [transfer.callback, this.#resend?.callback]));
    const { measurements, body, source } = this.#callback(exchange, 'transfer state query', 'success', TransfersPut);
    if (!source) return measurements;
    const first = TransfersPut.safeParse(this.#transfer?.callback?.body).data;
    return [
      ...measurements,
      equals('transfer state held by the hub', body?.transferState, expected, source),
      ...(expected === 'COMMITTED' ? [equals('fulfilment held by the hub', body?.fulfilment, first?.fulfilment ?? 'the fulfilment first reported', source)] : []),
    ];
  }

  /** GET /transfers/{id} for an id no transfer has. */
  async queryUnknownTransfer(): Promise<Measurement[]> {
    this.#query = await this.#sent(this.#payer.queryTransfer(crypto.randomUUID()));
    return [this.#conformance.request(this.#query, 'transfer state query')];
  }

  queryFailed(errorCode: string): Measurement[] {
    return this.#expectError(this.#require(this.#query, 'the payer DFSP asks the hub for a transfer it never sent'), 'transfer state query', errorCode);
  }

  // ---- who may ask ----

  /** GET /transfers/{id} of the transfer sent, asked by our bystander: a DFSP that is neither its payer nor its payee. */
  async queryAsStranger(): Promise<Measurement[]> {
    await this.#settled();
    if (!this.#bystander) throw new Error('this scenario asks as a DFSP party to no transfer: tag it @needs:bystander-dfsp');
    this.#strangerQuery = await this.#sent(this.#bystander.queryTransfer(this.#sentTransfer().transferId));
    return [this.#conformance.request(this.#strangerQuery, 'non-party transfer state query')];
  }

  /**
   * The hub refuses the non-party with this error code and tells it nothing of the transfer. The
   * disclosure comes first: a hub that answers anyone leaks the fulfilment, which is what to fix.
   */
  strangerRefused(errorCode: string): Measurement[] {
    const exchange = this.#require(this.#strangerQuery, 'a DFSP that is not a party to the transfer asks the hub for it');
    const told = exchange.callback?.body as { transferState?: unknown; fulfilment?: unknown } | null | undefined;
    const disclosed = [
      ...(told?.transferState === undefined ? [] : [`transferState ${JSON.stringify(told.transferState)}`]),
      ...(told?.fulfilment === undefined ? [] : [`fulfilment ${JSON.stringify(told.fulfilment)}`]),
    ];
    return [
      {
        name: `transfer state and fulfilment told ${this.#bystander?.fspId ?? 'the non-party'} (party to neither side)`,
        value: disclosed.length === 0 ? 'none' : disclosed.join(', '), threshold: 'none', ok: disclosed.length === 0, source: sourceOf(exchange),
      },
      ...this.#expectError(exchange, 'non-party transfer state query', errorCode),
    ];
  }

  #expectError(exchange: Exchange, label: string, errorCode: string, waitedMs?: number): Measurement[] {
    const { measurements, body, source } = this.#callback(exchange, label, 'error', ErrorInformationPut, waitedMs);
    if (!source) return measurements;
    return [...measurements, equals(`${label} error code`, body?.errorInformation.errorCode, errorCode, source)];
  }

  /**
   * What every check of a callback starts with: it arrived, of the expected kind, in time (else
   * that alone is measured and `source` is absent); its body parses; and body and headers conform
   * to the specification.
   */
  #callback<T>(exchange: Exchange, label: string, kind: 'success' | 'error', schema: ZodType<T>, waitedMs = this.#timeoutMs): { measurements: Measurement[]; body?: T; source?: string } {
    const arrived = callbackArrived(exchange, label, kind, waitedMs);
    if (!arrived.ok) return { measurements: [arrived] };
    const { body, measurement } = parseCallback(exchange, kind === 'error' ? `${label} error` : label, schema);
    return { measurements: [arrived, measurement, ...this.#conformance.callback(exchange, label)], ...(body === undefined ? {} : { body }), source: sourceOf(exchange) };
  }

  /** Every callback of the scenario came in a version its request accepted (version negotiation). */
  async versionsNegotiated(): Promise<Measurement[]> {
    const exchanges = await Promise.all(this.#exchanges);
    const measurements = exchanges.flatMap((exchange) => {
      const found = this.#conformance.negotiation(exchange, exchange.operation);
      return found ? [found] : [];
    });
    if (measurements.length > 0) return measurements;
    return [{ name: 'callbacks to judge version negotiation on', value: exchanges.length === 0 ? 'no request sent' : exchanges.map(outcomeOf).join('; '), threshold: 'at least one callback', ok: false, source: 'scenario' }];
  }

  /** Keeps every exchange of the scenario. */
  #sent(exchange: Promise<Exchange>): Promise<Exchange> {
    this.#exchanges.push(exchange);
    return exchange;
  }

  /** The transfer sent, once its callback arrived or its wait ended. */
  async #settled(): Promise<Exchange> {
    this.#requireTransfer();
    return this.#pendingTransfer!;
  }

  #sentTransfer(): TransferBody {
    return this.#requireTransfer().requestBody as TransferBody;
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
