/**
 * Clearing load: POST /transfers → its callback per iteration, on terms agreed beforehand (a
 * lookup and a quote in `setup()`). Quotes expire, so each VU agrees new terms when its terms are
 * older than QUOTE_REFRESH or expire within two callback timeouts; that quote is recorded in
 * `quote_ms` but is not part of the iteration's time.
 *
 * Checks, metrics, scenarios and handleSummary as in p2p.ts; `iteration_ms` is the transfer alone.
 *
 * Environment: as p2p.ts (HUB_URL, CALLBACK_WS_URL, PAYER_FSP, PAYEE_FSP, PAYER_PARTY, PAYEE_PARTY,
 * CURRENCY, AMOUNT, RATE, DURATION, WARMUP, DRAIN, CALLBACK_TIMEOUT_MS, REQUEST_TIMEOUT_MS,
 * PRE_ALLOCATED_VUS, MAX_VUS, SUMMARY_FILE), plus
 *   QUOTE_REFRESH        agree new terms after this long, k6 duration      [30s]
 */
import { TREND_NAMES, completed, iterate, lookup, PhaseFailure, quote, summaryFiles, transfer, type Terms } from './lib/flow.ts';
import { loadOptions, readConfig } from './lib/config.ts';
import { NotificationClient } from './lib/notifications.ts';

const config = readConfig(__ENV);

export const options = loadOptions(config, TREND_NAMES);

interface Agreement {
  terms: Terms;
  agreedAt: number;
}

/** Terms this VU transfers on; starts with setup's, renewed before they go stale. */
let current: Agreement | undefined;

export async function setup(): Promise<Agreement> {
  const client = await NotificationClient.open(config.callbackWsUrl, config.requestTimeoutMs);
  if (typeof client === 'string') throw new Error(`setup: ${client}`);
  try {
    await lookup(client, config);
    return { terms: (await quote(client, config)).value, agreedAt: Date.now() };
  } catch (error) {
    throw error instanceof PhaseFailure ? new Error(`setup could not agree terms: ${error.phase} failed (${error.reason}: ${error.detail})`) : error;
  } finally {
    client.close();
  }
}

function stale(agreement: Agreement): boolean {
  const now = Date.now();
  return now - agreement.agreedAt >= config.quoteRefreshMs || Date.parse(agreement.terms.expiration) - now < 2 * config.callbackTimeoutMs;
}

export default async function clearing(agreed: Agreement): Promise<void> {
  current ??= agreed;
  await iterate(config, 'transfers', async (client, outcome) => {
    if (stale(current!)) current = { terms: (await quote(client, config)).value, agreedAt: Date.now() };
    outcome.committedTransferId = completed(outcome, 'transfers', await transfer(client, config, current!.terms));
  });
}

export function handleSummary(data: unknown): Record<string, string> {
  return summaryFiles(config, 'clearing', data);
}
