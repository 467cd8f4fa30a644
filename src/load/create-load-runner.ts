import { EnvironmentUnavailableError, UserError } from '../config/errors.ts';
import type { ConformanceConfig } from '../config/schema.ts';
import type { CallbackServer } from '../fspiop/callback-server.ts';
import { attachNotificationChannel, type NotificationChannel } from '../fspiop/notification-channel.ts';
import { PayerDfsp } from '../fspiop/payer-dfsp.ts';
import type { FspiopSpecification } from '../fspiop/spec-validation.ts';
import { BuiltinLoadRunner } from './builtin/builtin-runner.ts';
import { specificationCheck } from './builtin/checked-transfer.ts';
import { K6Runner, k6Available, requireK6 } from './k6/k6-runner.ts';
import type { LoadRunner } from './load-runner.ts';

export type RunnerChoice = 'builtin' | 'k6' | 'auto';

/** The runner a run will use, decided before anything starts: `--runner k6` without k6 fails fast. */
export interface RunnerPlan {
  kind: 'builtin' | 'k6';
  /** One line the run prints: which runner, and why when `auto` chose. */
  note: string;
}

export async function planLoadRunner(choice: RunnerChoice): Promise<RunnerPlan> {
  if (choice === 'builtin') return { kind: 'builtin', note: 'load runner: builtin' };
  if (choice === 'k6') {
    try {
      return { kind: 'k6', note: `load runner: ${await requireK6()}` };
    } catch (error) {
      // A missing tool is the machine's, like a missing Docker engine: the target cannot be driven (exit 4).
      if (error instanceof UserError) throw new EnvironmentUnavailableError(error.message, [], { cause: error });
      throw error;
    }
  }
  const version = await k6Available();
  return version ? { kind: 'k6', note: `load runner: ${version} (auto: k6 is on PATH)` } : { kind: 'builtin', note: 'load runner: builtin (auto: no k6 on PATH)' };
}

/** k6 cannot receive HTTP callbacks: its iterations wait on this channel of the payer's callback server. Attach before the server starts. */
export function prepareCallbacksFor(plan: RunnerPlan, callbacks: CallbackServer): NotificationChannel | undefined {
  return plan.kind === 'k6' ? attachNotificationChannel(callbacks) : undefined;
}

/** What a runner needs of the run: whom to call, and where its callbacks arrive. */
export interface RunnerDeps {
  config: ConformanceConfig;
  hubUrl: string;
  callbacks: CallbackServer;
  channel: NotificationChannel | undefined;
  /** The builtin runner holds every callback to it (k6 checks only the schema-level essentials in its script). */
  spec?: FspiopSpecification;
}

/**
 * The one place a runner plan becomes a runner. Load works on every target: a runner drives the
 * hub through the run's own payer identity and callback server, whatever started the hub.
 */
export function createLoadRunner(plan: RunnerPlan, deps: RunnerDeps): LoadRunner {
  const { config, hubUrl, callbacks, channel, spec } = deps;
  const { participants, timeouts, load } = config;
  if (plan.kind === 'k6') {
    if (!channel) throw new Error('the k6 runner needs the notification channel attached before the callback server started');
    return new K6Runner({
      hubUrl, callbackWsUrl: channel.urlFor(callbacks.url), reports: (listener) => channel.onReport(listener),
      payerFsp: participants.payer.fspId, payeeFsp: participants.payee.fspId, payer: participants.payer.party, payee: participants.payee.party,
      currency: participants.payer.currency, amount: load.amount, callbackTimeoutMs: timeouts.callbackMs, requestTimeoutMs: timeouts.requestMs,
      maxVUs: load.maxInFlight,
    });
  }
  // A driver of its own: load exchanges must not flow into the functional exchange log.
  const driver = PayerDfsp.configured(config, { hubUrl, fspId: participants.payer.fspId, callbacks });
  return new BuiltinLoadRunner({
    driver,
    parties: { payer: participants.payer.party, payee: participants.payee.party, payeeFsp: participants.payee.fspId, amount: { amount: load.amount, currency: participants.payer.currency } },
    ...(load.maxInFlight ? { maxInFlight: load.maxInFlight } : {}),
    phaseTimeoutMs: timeouts.callbackMs,
    ...(spec ? { check: specificationCheck(spec) } : {}),
  });
}
