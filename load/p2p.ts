/**
 * P2P load, one full FSPIOP transfer per iteration (Mojaloop's "TPS"):
 *   GET /parties/{type}/{id} → its callback → POST /quotes → its callback → POST /transfers on the
 *   agreed terms → its callback; checked like the functional scenario (success callbacks, the
 *   party and amount echo the request, transfer COMMITTED, SHA-256(fulfilment) = condition).
 *
 * Open model: `constant-arrival-rate` scenarios `warmup` → `steady` → `drain` at RATE; the
 * steady-state figures are the `{scenario:steady}` sub-metrics. Callbacks reach k6 over the payer's
 * WebSocket notification channel (CALLBACK_WS_URL), one connection per iteration.
 *
 * Metrics: Trends `lookup_ms`, `quote_ms`, `transfer_ms` (request sent → callback arrived, per
 * successful phase), `iteration_ms` (lookup sent → transfer callback arrived, per successful
 * iteration); Counter `failures` tagged `phase` (lookups|quotes|transfers) and `reason`
 * (timeout|http|error_callback|invalid_callback|not_committed|fulfilment|channel).
 * handleSummary writes the k6 summary data to SUMMARY_FILE.
 *
 * Environment (k6 `-e NAME=value` or the process environment; defaults in brackets):
 *   HUB_URL              the hub's FSPIOP endpoint, http(s)://…; a path prefix and query are kept   (required)
 *   CALLBACK_WS_URL      the payer's notification channel, ws(s)://host:port/notifications?token=…   (required)
 *   PAYER_FSP, PAYEE_FSP FSP ids                                            [payerfsp, payeefsp]
 *   PAYER_PARTY          TYPE/ID of the payer party                         [MSISDN/27710101999]
 *   PAYEE_PARTY          TYPE/ID of the payee party looked up and paid      [MSISDN/27713803912]
 *   CURRENCY, AMOUNT     what each transfer sends                           [USD, 10]
 *   RATE                 iterations started per second                      [10]
 *   DURATION             whole run, k6 duration (90s, 5m, 1h)               [60s]
 *   WARMUP, DRAIN        left out of the steady state at start / end        [0s, 0s]
 *   CALLBACK_TIMEOUT_MS  wait for each callback                             [10000]
 *   REQUEST_TIMEOUT_MS   wait for each HTTP answer (and the channel to open) [5000]
 *   PRE_ALLOCATED_VUS    VUs ready at start, per scenario                   [max(10, 2 × RATE)]
 *   MAX_VUS              VUs at most, per scenario                          [10 × RATE]
 *   SUMMARY_FILE         where handleSummary writes its JSON                [k6-summary.json]
 *
 * Build: `npm run build:load` → dist/load/p2p.js; run: `k6 run -e HUB_URL=… -e CALLBACK_WS_URL=… dist/load/p2p.js`.
 */
import { TREND_NAMES, completed, iterate, lookup, quote, summaryFiles, transfer } from './lib/flow.ts';
import { loadOptions, readConfig } from './lib/config.ts';

const config = readConfig(__ENV);

export const options = loadOptions(config, TREND_NAMES);

export default async function p2p(): Promise<void> {
  await iterate(config, 'lookups', async (client, outcome) => {
    completed(outcome, 'lookups', await lookup(client, config));
    const terms = completed(outcome, 'quotes', await quote(client, config));
    outcome.committedTransferId = completed(outcome, 'transfers', await transfer(client, config, terms));
  });
}

export function handleSummary(data: unknown): Record<string, string> {
  return summaryFiles(config, 'p2p', data);
}
