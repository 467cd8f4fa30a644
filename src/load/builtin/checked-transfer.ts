import type { PartyRef } from '../../config/schema.ts';
import { parseErrorInformation } from '../../fspiop/answer.ts';
import { fulfilmentMatchesCondition } from '../../fspiop/ilp-condition.ts';
import type { Exchange, PayerDfsp } from '../../fspiop/payer-dfsp.ts';
import { PartiesPut, QuotesPut, TransfersPut, type Money } from '../../fspiop/payloads.ts';
import type { FspiopSpecification } from '../../fspiop/spec-validation.ts';
import { failureText, type Phase } from '../load-contract.ts';
import { firstFailed, lookupChecks, quoteChecks, transferChecks, type PhaseCheck } from '../p2p-rules.ts';

/** What the checked flow needs of a payer DFSP (the real one, or a scripted one in tests). */
export type TransferDriver = Pick<PayerDfsp, 'lookupParty' | 'requestQuote' | 'prepareTransfer'>;

export interface TransferParties {
  payer: PartyRef;
  payee: PartyRef;
  payeeFsp: string;
  amount: Money;
}

/** A further check of a success callback: why it fails, or undefined when it holds. */
export type CallbackCheck = (exchange: Exchange) => string | undefined;

/** Every success callback held to the FSPIOP definition of its version, as the functional scenarios hold theirs: the first rule broken is the failure. */
export function specificationCheck(spec: FspiopSpecification): CallbackCheck {
  return (exchange) => {
    const callback = exchange.callback;
    if (!callback) return undefined;
    const [broken] = spec.validate({ method: 'PUT', path: callback.path, headers: callback.headers, body: callback.body, direction: 'callback' });
    return broken && `callback breaks FSPIOP v${broken.version}: ${broken.field} ${broken.rule}`;
  };
}

/** How one phase of an iteration ended: succeeded at a time, or failed for a reason. */
export type PhaseOutcome = { phase: Phase; ok: true; completedAt: number } | { phase: Phase; ok: false; reason: string; completedAt: number };

/**
 * One P2P transfer as the functional scenario checks it — lookup → quote → transfer, each callback
 * validated, ids and amounts echoing the request, state COMMITTED, fulfilment matching the
 * condition — reporting each phase as it ends. Returns the transfer id when all of it held.
 */
export async function checkedTransfer(driver: TransferDriver, parties: TransferParties, now: () => number,
  report: (outcome: PhaseOutcome) => void, check?: CallbackCheck): Promise<string | undefined> {
  const lookup = await driver.lookupParty(parties.payee);
  const party = callbackBody(lookup, PartiesPut, check);
  const lookupProblem = typeof party === 'string' ? party : problemOf(lookupChecks(party.party.partyIdInfo, parties.payee, parties.payeeFsp));
  if (!settle('lookups', lookupProblem, now, report)) return undefined;

  const quote = await driver.requestQuote({ payer: parties.payer, payee: parties.payee, payeeFsp: parties.payeeFsp, amount: parties.amount });
  const terms = callbackBody(quote, QuotesPut, check);
  const quoteProblem = typeof terms === 'string' ? terms : problemOf(quoteChecks(terms, parties.amount, Date.now()));
  if (!settle('quotes', quoteProblem, now, report) || typeof terms === 'string') return undefined;

  return checkedClearing(driver, parties, terms, now, report, check);
}

/** Quote terms to clear transfers on, for the clearing flow; the failure reason when the quote failed. */
export async function agreedTerms(driver: TransferDriver, parties: TransferParties): Promise<QuotesPut | string> {
  const quote = await driver.requestQuote({ payer: parties.payer, payee: parties.payee, payeeFsp: parties.payeeFsp, amount: parties.amount });
  return callbackBody(quote, QuotesPut);
}

/** The clearing phase alone: POST /transfers on agreed terms, COMMITTED with a fulfilment matching the condition. */
export async function checkedClearing(driver: TransferDriver, parties: TransferParties, terms: QuotesPut, now: () => number,
  report: (outcome: PhaseOutcome) => void, check?: CallbackCheck): Promise<string | undefined> {
  const transfer = await driver.prepareTransfer({ payeeFsp: parties.payeeFsp, amount: terms.transferAmount, terms });
  const fulfil = callbackBody(transfer, TransfersPut, check);
  const transferProblem = typeof fulfil === 'string' ? fulfil : problemOf(transferChecks(fulfil, terms.condition, fulfilmentMatchesCondition));
  if (!settle('transfers', transferProblem, now, report)) return undefined;
  return (transfer.requestBody as { transferId: string }).transferId;
}

/** The first check that failed, in the words every runner uses. */
function problemOf(checks: readonly PhaseCheck[]): string | undefined {
  const failed = firstFailed(checks);
  return failed && failureText(failed.reason, failed.detail);
}

function settle(phase: Phase, problem: string | undefined, now: () => number, report: (outcome: PhaseOutcome) => void): boolean {
  report(problem === undefined ? { phase, ok: true, completedAt: now() } : { phase, ok: false, reason: problem, completedAt: now() });
  return problem === undefined;
}

/** The parsed success callback of an exchange, or why there is none, as a failure reason. */
function callbackBody<T>(exchange: Exchange, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, check?: CallbackCheck): T | string {
  const ack = exchange.ack;
  if ('error' in ack) return failureText('no_answer', ack.code);
  if (ack.status !== 202) return failureText('http', `HTTP ${ack.status}`);
  if (exchange.timedOut || !exchange.callback) return failureText('timeout');
  if (exchange.callback.kind === 'error') return failureText('error_callback', parseErrorInformation(exchange.callback.body)?.errorCode);
  // Held to the FSPIOP definition, the body has every field the schema would ask for: parsing it
  // once more would only cost the runner CPU.
  if (check) return check(exchange) ?? (exchange.callback.body as T);
  const parsed = schema.safeParse(exchange.callback.body);
  return parsed.success ? parsed.data : failureText('invalid_callback');
}
