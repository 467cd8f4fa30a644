/**
 * The words every load generator and the accounting agree on: phase names, k6 metric names, the
 * failure reasons and how a LoadSummary words them. The k6 scripts under load/ bundle this module,
 * so it imports nothing (no Node, no k6).
 */

export const PHASES = ['lookups', 'quotes', 'transfers'] as const;
export type Phase = (typeof PHASES)[number];

/** The document the k6 scripts' handleSummary writes. */
export const SUMMARY_FORMAT = 'mojaloop-conformance/k6-summary@1';

/** The k6 Trend each phase is timed in, and the whole iteration's. */
export const PHASE_TRENDS: Record<Phase, string> = { lookups: 'lookup_ms', quotes: 'quote_ms', transfers: 'transfer_ms' };
export const ITERATION_TREND = 'iteration_ms';
export const TREND_NAMES: readonly string[] = [...PHASES.map((phase) => PHASE_TRENDS[phase]), ITERATION_TREND];

/** The k6 scenarios a load is cut into; the steady state's figures are the `{scenario:steady}` sub-metrics. */
export const SCENARIOS = ['warmup', 'steady', 'drain'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** Why a phase failed: the `reason` tag of the k6 scripts' `failures` Counter. */
export const FAILURE_REASONS = ['timeout', 'http', 'no_answer', 'error_callback', 'invalid_callback', 'not_committed', 'fulfilment', 'channel'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/**
 * A failure as a LoadSummary words it: "timeout", "HTTP 500", "no HTTP answer (ECONNREFUSED)",
 * "error callback 3204", … — the same words from every runner, so runs compare.
 */
export function failureText(reason: FailureReason, detail = ''): string {
  switch (reason) {
    case 'timeout': return 'timeout';
    case 'http': return detail.startsWith('HTTP ') ? detail : `HTTP ${detail}`.trim();
    case 'no_answer': return detail ? `no HTTP answer (${detail})` : 'no HTTP answer';
    case 'error_callback': return detail.startsWith('error callback') ? detail : `error callback ${detail || '(no errorInformation)'}`;
    case 'invalid_callback': return detail ? `invalid callback body: ${detail}` : 'invalid callback body';
    case 'not_committed': return detail ? `state ${detail}` : 'not COMMITTED';
    case 'fulfilment': return 'fulfilment does not match the condition';
    case 'channel': return `notification channel: ${detail}`;
  }
}

/**
 * Errors that say the load generator's own process ran out of something — descriptors, buffers,
 * ephemeral ports — not that the hub failed. A failure whose words carry one of these codes is the
 * generator's limit, and the run's diagnosis says so.
 */
export const GENERATOR_EXHAUSTION_CODES = ['EMFILE', 'ENFILE', 'ENOBUFS', 'EADDRNOTAVAIL', 'ENOMEM'] as const;

/** How k6 (Go) words the same errors in a request's `error`: its reports carry the words, not the code. */
const GO_WORDING: Record<string, (typeof GENERATOR_EXHAUSTION_CODES)[number]> = {
  'too many open files in system': 'ENFILE',
  'too many open files': 'EMFILE',
  'no buffer space available': 'ENOBUFS',
  'cannot assign requested address': 'EADDRNOTAVAIL',
  'cannot allocate memory': 'ENOMEM',
};

/** The exhaustion code a failure reason names, by its code or in k6's words, if any. */
export function exhaustionCode(reason: string): string | undefined {
  const code = GENERATOR_EXHAUSTION_CODES.find((known) => reason.includes(known));
  if (code) return code;
  const lower = reason.toLowerCase();
  return Object.entries(GO_WORDING).find(([words]) => lower.includes(words))?.[1];
}
