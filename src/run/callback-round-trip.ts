import type { PartyRef } from '../config/schema.ts';
import { EnvironmentUnavailableError } from '../config/errors.ts';
import { describeAnswer } from '../fspiop/answer.ts';
import type { CallbackStats } from '../fspiop/callback-server.ts';
import type { PayerDfsp } from '../fspiop/payer-dfsp.ts';
import { redactUrl } from '../support/url.ts';


/**
 * One lookup before any scenario, of a party no DFSP holds: whatever the hub answers — the party,
 * or error 3204 — must reach our callback server and be accepted there. When it does not, every
 * scenario would fail for the same reason, which is the wiring's, not the hub's: the run stops
 * here and says why (the run's Diagnosis names the cause from the callback server's counts).
 */
export async function proveCallbackRoute(payer: PayerDfsp, party: PartyRef, callbacks: CallbackStats, callbackUrl: string): Promise<void> {
  const before = { ...callbacks.rejected };
  const exchange = await payer.lookupParty(party);
  if (exchange.callback) return;
  const where = `GET ${redactUrl(exchange.url)}`;
  if ('error' in exchange.ack) throw new EnvironmentUnavailableError(`the hub did not answer the first request (${where}: ${exchange.ack.error})`);
  if (exchange.ack.status !== 202) {
    throw new EnvironmentUnavailableError(`the hub refused the first request (${where} answered ${describeAnswer(exchange.ack).text}); every scenario would be refused the same way`);
  }
  const refused = Object.entries(callbacks.rejected).filter(([reason, count]) => count > before[reason as keyof typeof before]);
  if (refused.length > 0) {
    throw new EnvironmentUnavailableError(`callbacks reached ${redactUrl(callbackUrl)} but our callback server refused them (${refused.map(([reason, count]) => `${count - before[reason as keyof typeof before]} ${reason}`).join(', ')}); see Diagnosis`);
  }
  throw new EnvironmentUnavailableError(`the hub acknowledged the first request (${where}) but no callback reached ${redactUrl(callbackUrl)} within ${exchange.timedOut ? 'the callback timeout' : 'the run'}; see Diagnosis`);
}
