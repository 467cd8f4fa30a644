import type { ConformanceConfig } from '../config/schema.ts';
import type { CallbackServer } from '../fspiop/callback-server.ts';
import { PayerDfsp } from '../fspiop/payer-dfsp.ts';
import { BuiltinLoadRunner } from './builtin/builtin-runner.ts';
import type { LoadRunner } from './load-runner.ts';

export type RunnerChoice = 'builtin' | 'k6' | 'auto';

/** What a runner needs of the run: whom to call, and where its callbacks arrive. */
export interface RunnerDeps {
  config: ConformanceConfig;
  hubUrl: string;
  callbacks: CallbackServer;
}

/**
 * The one place a runner choice becomes a runner. Load works on every target: a runner drives the
 * hub through the run's own payer identity and callback server, whatever started the hub.
 */
export async function createLoadRunner(choice: RunnerChoice, deps: RunnerDeps): Promise<{ runner: LoadRunner; note?: string }> {
  const { config, hubUrl, callbacks } = deps;
  // A driver of its own: load exchanges must not flow into the functional exchange log.
  const driver = new PayerDfsp({
    hubUrl, fspId: config.participants.payer.fspId, callbacks,
    callbackTimeoutMs: config.timeouts.callbackMs, requestTimeoutMs: config.timeouts.requestMs,
  });
  const builtin = new BuiltinLoadRunner({
    driver,
    parties: {
      payer: config.participants.payer.party, payee: config.participants.payee.party, payeeFsp: config.participants.payee.fspId,
      amount: { amount: config.load.amount, currency: config.participants.payer.currency },
    },
    ...(config.load.maxInFlight ? { maxInFlight: config.load.maxInFlight } : {}),
  });
  if (choice === 'builtin') return { runner: builtin };
  return { runner: builtin, note: 'load runner: builtin (k6 support arrives with the k6 scripts)' };
}
