/**
 * The FSPIOP phases of a load iteration as k6 runs them: each request is built by the shared
 * builders (src/fspiop/messages.ts, headers.ts), sent with k6/http, and completed by its callback
 * relayed over the notification channel. Each phase is timed from the moment its request is sent
 * to the moment its callback arrives here, checked like the functional scenario, and recorded:
 * successes in the phase's Trend, failures in the `failures` Counter tagged phase + reason.
 */
import { check } from 'k6';
import crypto from 'k6/crypto';
import encoding from 'k6/encoding';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Trend } from 'k6/metrics';
import { fspiopHeaders, type FspiopResource } from '../../src/fspiop/headers.ts';
import { partyKey, partyPath, quoteRequest, transferPrepare, type AgreedTerms, type MoneyAmount } from '../../src/fspiop/messages.ts';
import { failureText, ITERATION_TREND, PHASE_TRENDS, type FailureReason, type Phase as PhaseName } from '../../src/load/load-contract.ts';
import { firstFailed, lookupChecks, quoteChecks, transferChecks, type PhaseCheck } from '../../src/load/p2p-rules.ts';
import { scenarioOffsets, type LoadConfig } from './config.ts';
import { NotificationClient, type CallbackNotification } from './notifications.ts';

/** k6's console (its logger: a line of the pod's log); @types/k6 does not declare it. */
declare const console: { log(...values: unknown[]): void };

export const trends = {
  lookups: new Trend(PHASE_TRENDS.lookups, true),
  quotes: new Trend(PHASE_TRENDS.quotes, true),
  transfers: new Trend(PHASE_TRENDS.transfers, true),
  iteration: new Trend(ITERATION_TREND, true),
};
export { TREND_NAMES } from '../../src/load/load-contract.ts';
export const failures = new Counter('failures');

/** A completed phase: the callback, when the request went out and when the callback arrived (Date.now()). */
export interface Completed<T> {
  value: T;
  sentAt: number;
  arrivedAt: number;
}

/** Why a phase failed: the `reason` tag, and a detail (HTTP status, error code, the field that did not match). */
export class PhaseFailure {
  readonly phase: PhaseName;
  readonly reason: FailureReason;
  readonly detail: string;
  constructor(phase: PhaseName, reason: FailureReason, detail: string) {
    this.phase = phase;
    this.reason = reason;
    this.detail = detail;
  }
}

/** Agreed terms of a quote, with the amount to transfer. */
export interface Terms extends AgreedTerms {
  transferAmount: MoneyAmount;
}

export function uuid(): string {
  const bytes = new Uint8Array(crypto.randomBytes(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `https://gw/fspiop/?apikey=K` + `/quotes` → `https://gw/fspiop/quotes?apikey=K` (prefix and query kept, as the driver does). */
export function hubUrl(base: string, path: string): string {
  const match = /^([^?#]*?)\/*(\?[^#]*)?(#.*)?$/.exec(base);
  return `${match?.[1] ?? base}${path}${match?.[2] ?? ''}`;
}

/**
 * One request and its callback: waits registered (and confirmed) before the request is sent; a
 * request the hub did not accept (not 202) cancels the wait.
 */
async function exchange(client: NotificationClient, config: LoadConfig, phase: PhaseName, request: {
  method: 'GET' | 'POST'; path: string; resource: FspiopResource; key: string; body?: unknown; destination?: string;
}): Promise<Completed<CallbackNotification>> {
  const registered = await client.expect(request.key, config.callbackTimeoutMs);
  if (typeof registered === 'string') throw new PhaseFailure(phase, 'channel', registered);
  const headers = fspiopHeaders({ resource: request.resource, source: config.payerFsp, destination: request.destination });
  const sentAt = Date.now();
  const response = await http.asyncRequest(request.method, hubUrl(config.hubUrl, request.path),
    request.body === undefined ? null : JSON.stringify(request.body),
    { headers, timeout: config.requestTimeoutMs, tags: { phase }, responseType: 'text' });
  if (response.status !== 202) {
    client.cancel(request.key);
    // No status: k6 got no answer; its error text ("… too many open files") says whether this machine ran out.
    throw response.status ? new PhaseFailure(phase, 'http', `HTTP ${response.status}`) : new PhaseFailure(phase, 'no_answer', response.error || `k6 error ${response.error_code || 'unknown'}`);
  }
  const arrival = await registered.arrival;
  if (arrival.outcome === 'timeout') throw new PhaseFailure(phase, 'timeout', `no callback within ${config.callbackTimeoutMs} ms`);
  if (arrival.outcome === 'channel') throw new PhaseFailure(phase, 'channel', arrival.error);
  if (arrival.callback.kind === 'error') {
    const code = (arrival.callback.body as { errorInformation?: { errorCode?: unknown } } | undefined)?.errorInformation?.errorCode;
    throw new PhaseFailure(phase, 'error_callback', `error callback ${typeof code === 'string' ? code : '(no error code)'}`);
  }
  return { value: arrival.callback, sentAt, arrivedAt: arrival.at };
}

/** Runs the phase's checks (k6 `checks` metric, tagged with the phase); the first failing one fails the phase. */
function verify(phase: PhaseName, checks: readonly PhaseCheck[]): void {
  const tagged: Record<string, () => boolean> = {};
  for (const { name, ok } of checks) tagged[`${phase}: ${name}`] = () => ok;
  check(null, tagged, { phase });
  const failed = firstFailed(checks);
  if (failed) throw new PhaseFailure(phase, failed.reason, failed.detail);
}

function record<T>(phase: PhaseName, completed: Completed<T>): Completed<T> {
  trends[phase].add(completed.arrivedAt - completed.sentAt);
  return completed;
}

export async function lookup(client: NotificationClient, config: LoadConfig): Promise<Completed<CallbackNotification>> {
  const completed = await exchange(client, config, 'lookups', { method: 'GET', path: partyPath(config.payee), resource: 'parties', key: `parties:${partyKey(config.payee)}` });
  const info = (completed.value.body as { party?: { partyIdInfo?: { partyIdType?: unknown; partyIdentifier?: unknown; fspId?: unknown } } } | undefined)?.party?.partyIdInfo;
  verify('lookups', lookupChecks(info, config.payee, config.payeeFsp));
  return record('lookups', completed);
}

export async function quote(client: NotificationClient, config: LoadConfig): Promise<Completed<Terms>> {
  const amount = { amount: config.amount, currency: config.currency };
  const body = quoteRequest({ quoteId: uuid(), transactionId: uuid(), payerFsp: config.payerFsp, payer: config.payer, payeeFsp: config.payeeFsp, payee: config.payee, amount });
  const completed = await exchange(client, config, 'quotes', { method: 'POST', path: '/quotes', resource: 'quotes', key: `quotes:${body.quoteId}`, body, destination: config.payeeFsp });
  const terms = completed.value.body as Partial<Terms> | undefined;
  verify('quotes', quoteChecks(terms, amount, Date.now()));
  return record('quotes', { ...completed, value: terms as Terms });
}

export async function transfer(client: NotificationClient, config: LoadConfig, terms: Terms): Promise<Completed<string>> {
  const body = transferPrepare({ transferId: uuid(), payerFsp: config.payerFsp, payeeFsp: config.payeeFsp, amount: terms.transferAmount, terms });
  const completed = await exchange(client, config, 'transfers', { method: 'POST', path: '/transfers', resource: 'transfers', key: `transfers:${body.transferId}`, body, destination: config.payeeFsp });
  const result = completed.value.body as { transferState?: unknown; fulfilment?: unknown } | undefined;
  verify('transfers', transferChecks(result, terms.condition, fulfils));
  return record('transfers', { ...completed, value: body.transferId });
}

/** SHA-256 of the fulfilment's 32 bytes, base64url without padding, equals the condition. */
export function fulfils(fulfilment: string, condition: string): boolean {
  try {
    const preimage = encoding.b64decode(fulfilment.replace(/=+$/, ''), 'rawurl');
    return preimage.byteLength === 32 && crypto.sha256(preimage, 'base64rawurl') === condition.replace(/=+$/, '');
  } catch {
    return false;
  }
}

/** What one iteration did; every outcome is recorded exactly once. */
export interface IterationOutcome {
  ok: boolean;
  failure?: PhaseFailure;
  /** Request sent (first phase) → last callback arrived, when every phase succeeded. */
  firstSentAt?: number;
  lastArrivedAt?: number;
  phasesMs: Partial<Record<PhaseName, number>>;
  committedTransferId?: string;
}

/**
 * Runs one iteration on its own notification channel — opened first, closed last (a channel that
 * cannot open fails `firstPhase`) — and records
 * it: the iteration Trend on success, the failure Counter otherwise, and a report over the channel
 * for the runner's time-resolved figures.
 */
export async function iterate(config: LoadConfig, firstPhase: PhaseName, body: (client: NotificationClient, outcome: IterationOutcome) => Promise<void>): Promise<IterationOutcome> {
  const startedAt = Date.now();
  const outcome: IterationOutcome = { ok: false, phasesMs: {} };
  const opened = await NotificationClient.open(config.callbackWsUrl, config.requestTimeoutMs);
  const client = typeof opened === 'string' ? undefined : opened;
  try {
    if (!client) throw new PhaseFailure(firstPhase, 'channel', opened as string);
    await body(client, outcome);
    outcome.ok = true;
  } catch (error) {
    if (!(error instanceof PhaseFailure)) {
      // A defect, not a measurement: k6 reports the exception; the socket must not keep the iteration alive.
      client?.close();
      throw error;
    }
    outcome.failure = error;
  }
  if (outcome.ok && outcome.firstSentAt !== undefined && outcome.lastArrivedAt !== undefined) {
    trends.iteration.add(outcome.lastArrivedAt - outcome.firstSentAt);
  }
  if (outcome.failure) {
    // Few distinct tag values keep k6's time series few: the detail only where it is a status or an error code.
    const { phase, reason, detail } = outcome.failure;
    failures.add(1, reason === 'http' || reason === 'error_callback' ? { phase, reason, detail: detail.slice(0, 40) } : { phase, reason });
  }
  const testStart = exec.scenario.startTime - (scenarioOffsets(config)[exec.scenario.name as keyof ReturnType<typeof scenarioOffsets>] ?? 0);
  const report = {
    ...(config.runId ? { run: config.runId } : {}),
    scenario: exec.scenario.name,
    startMs: startedAt - testStart,
    endMs: Date.now() - testStart,
    ok: outcome.ok,
    ...(outcome.failure ? { phase: outcome.failure.phase, reason: reasonText(outcome.failure) } : {}),
    phasesMs: outcome.phasesMs,
    ...(outcome.ok && outcome.firstSentAt !== undefined && outcome.lastArrivedAt !== undefined ? { iterationMs: outcome.lastArrivedAt - outcome.firstSentAt } : {}),
    ...(outcome.committedTransferId ? { committedTransferId: outcome.committedTransferId } : {}),
  };
  // In a pod the log is the way out (every iteration, a channel that failed to open included); here, the channel.
  if (config.reportTo === 'log') console.log(JSON.stringify({ report }));
  else client?.report(report);
  client?.close();
  return outcome;
}

/** Marks a completed phase on the iteration's outcome. */
export function completed<T>(outcome: IterationOutcome, phase: PhaseName, done: Completed<T>): T {
  outcome.firstSentAt ??= done.sentAt;
  outcome.lastArrivedAt = done.arrivedAt;
  outcome.phasesMs[phase] = done.arrivedAt - done.sentAt;
  return done.value;
}

/** A failure as LoadSummary words it, the same words the builtin runner uses (src/load/load-contract.ts). */
export function reasonText(failure: PhaseFailure): string {
  return failureText(failure.reason, failure.detail);
}

/** handleSummary: the summary data as k6 passes it, for the runner to read (the runner maps it, so the script stays thin). */
export function summaryFiles(config: LoadConfig, script: string, data: unknown): Record<string, string> {
  const document = {
    format: 'mojaloop-conformance/k6-summary@1',
    script,
    load: { rate: config.rate, durationMs: config.durationMs, warmupMs: config.warmupMs, drainMs: config.drainMs },
    data,
  };
  // In a pod there is no file the runner can read: the counts it needs go to stdout, on one line of their own.
  if (config.reportTo === 'log') {
    const { metrics, state } = (data ?? {}) as { metrics?: unknown; state?: unknown };
    return { stdout: `${JSON.stringify({ summary: { ...document, data: { metrics, state } } })}\n` };
  }
  return {
    [config.summaryFile]: JSON.stringify(document),
    stdout: `k6 summary written to ${config.summaryFile}\n`,
  };
}
