import type { CallbackStats } from '../fspiop/callback-server.ts';
import type { ExchangeTrouble } from '../fspiop/exchange-log.ts';
import { GENERATOR_LAG_LIMIT_MS, type LoadSummary } from '../load/load-runner.ts';
import { redactUrl } from '../support/url.ts';

export interface DiagnosisInput {
  trouble: ExchangeTrouble;
  callbacks: CallbackStats | null;
  /** Where the hub was told to call back. */
  callbackUrl: string | undefined;
  hubUrl: string | undefined;
  payerFspId: string;
}

/**
 * What went wrong with the run as a whole, said once, with the likely cause and what to check —
 * rather than the same symptom repeated in every verdict. Empty when nothing run-wide went wrong.
 */
export function diagnose({ trouble, callbacks, callbackUrl, hubUrl, payerFspId }: DiagnosisInput): string[] {
  const lines: string[] = [];
  const hub = hubUrl ? redactUrl(hubUrl) : 'the hub';
  const received = callbacks ? callbacks.accepted + callbacks.late : 0;
  if (callbacks && trouble.acknowledged > 0 && received === 0) {
    const { forged, oversized } = callbacks.rejected;
    const refused = Object.values(callbacks.rejected).reduce((sum, count) => sum + count, 0);
    lines.push(forged > 0
      ? `No callback was accepted: ${forged} arrived but were rejected as forged (${callbacks.examples.forged}). If they came from the hub, add its FSPIOP-Source to hub.sourceIds; the payer's FSP id is "${payerFspId}".`
      : oversized > 0
        ? `No callback was accepted: ${oversized} arrived but were larger than callback.maxBodyBytes (${callbacks.examples.oversized}). The fault is this run's configuration, not the hub's: raise callback.maxBodyBytes (default 65536).`
        : refused > 0
          ? `No callback was accepted: ${refused} arrived but our callback server refused them (${Object.entries(callbacks.examples).filter(([reason]) => reason !== 'duplicate').map(([reason, example]) => `${reason}: ${example}`).join('; ')}).`
          : `No callback arrived at all: the hub acknowledged ${trouble.acknowledged} request${plural(trouble.acknowledged)} with 202 but never called back on ${callbackUrl ? redactUrl(callbackUrl) : 'the callback server'}. `
        + `Likely the hub cannot reach this machine, or sends the callbacks of "${payerFspId}" elsewhere: check the hub's callback endpoints for "${payerFspId}" point at that URL `
        + '(--callback-public-url when the hub reaches this machine under another address) and that its port is open to the hub.');
  }
  if (callbacks && callbacks.duplicate > 0) {
    lines.push(`${callbacks.duplicate} callback${plural(callbacks.duplicate)} answered requests that were already answered (e.g. ${callbacks.examples.duplicate}). `
      + 'A hub may resend, but another sender copying the hub\'s headers looks the same: without signatures and mutual TLS this run cannot tell which answer was the hub\'s. '
      + 'Check who else can reach the callback port, and trust these verdicts only if the hub resends on purpose.');
  }
  if (trouble.notFspiop) {
    lines.push(`${trouble.notFspiop.count} of ${trouble.sent} requests were not answered like an FSPIOP hub answers (e.g. ${trouble.notFspiop.example}). `
      + `Is ${hub} the hub's FSPIOP endpoint? Point --hub-url at the FSPIOP API (ml-api-adapter, account-lookup, quoting, or the gateway in front of them), not another service.`);
  }
  if (trouble.unanswered) {
    const { count, firstAt, example } = trouble.unanswered;
    lines.push(`${hub} stopped answering: ${count} request${plural(count)} got no HTTP answer from ${firstAt} on (${example}). `
      + 'The guarantees measured from then on failed because the hub was unreachable; check that it is still running and reachable, then run again.');
  }
  return lines;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}

/**
 * What bounded each load, when something did: the load generator's own process running out
 * (then the hub is not to blame, and the SLA verdicts of that load are not evaluated), or
 * arrivals dropped because the hub stopped keeping up — said with the wall-clock moment the
 * transfers stopped completing and for how long.
 */
export function diagnoseLoads(loads: readonly LoadSummary[]): string[] {
  const lines: string[] = [];
  for (const load of loads) {
    const what = `the ${load.request.flow} load at ${load.request.ratePerSecond}/s (${load.runner})`;
    const exhaustion = load.generatorExhaustion ?? [];
    if (exhaustion.length > 0) {
      lines.push(`The load generator, not the hub, was the limit in ${what}: its process ran out (${exhaustion.map((e) => `${e.code} ×${e.count} from ${at(load, e.firstAtMs)}`).join(', ')}). `
        + `Its SLA verdicts are not evaluated. Raise the open-file limit (${load.limits?.maxInFlightSource ?? 'ulimit -n'}) or lower the offered load, and run again.`);
      continue;
    }
    const lag = load.generatorLag;
    if (lag && lag.p99Ms > GENERATOR_LAG_LIMIT_MS) {
      lines.push(`The load generator, not the hub, was the limit in ${what}: its event loop ran ${Math.round(lag.p99Ms)} ms late at p99 (max ${Math.round(lag.maxMs)} ms) — this machine could not drive the load, so its SLA verdicts are not evaluated. `
        + 'Run on a machine with spare cores (nothing else heavy on it), or offer less (--profile smoke), and run again.');
      continue;
    }
    if (load.dropped > 0) {
      const stall = longestStall(load);
      const governed = load.governed;
      const cap = governed
        ? ` the hub completed ${Math.round(governed.paceAtLowest)} iterations/s, and at that pace more than ${governed.lowest} in flight would wait longer than ${seconds(governed.targetMs)} (a quarter of their timeouts), so from ${at(load, governed.firstBelowAtMs)} the runner let the hub hold fewer (${governed.lowest} at ${at(load, governed.lowestAtMs)}) rather than pile up requests that would time out`
        : load.limits ? ` it already had ${load.limits.maxInFlight} iterations in flight, its cap (${load.limits.maxInFlightSource})` : ' it could not start them';
      lines.push(`${load.dropped} arrival${plural(load.dropped)} of ${what} ${load.drops ? `were dropped from ${at(load, load.drops.firstMs)} to ${at(load, load.drops.lastMs)}` : 'were dropped'}:${cap}. `
        + (stall ? `No transfer completed from ${at(load, stall.fromMs)} for ${stall.seconds} s: the hub stalled, and the throughput verdicts count what it did not take.` : 'The hub answered more slowly than the offered rate allows with that many in flight; the throughput verdicts count what it did not take.'));
    }
  }
  return lines;
}

/** The longest run of whole seconds, after the first completion, in which iterations were due but none completed. */
function longestStall(load: LoadSummary): { fromMs: number; seconds: number } | undefined {
  let best: { fromMs: number; seconds: number } | undefined;
  let current: { fromMs: number; seconds: number } | undefined;
  let seenSuccess = false;
  for (const second of load.series) {
    const due = second.started + (second.dropped ?? 0) > 0;
    if (second.succeeded > 0) {
      seenSuccess = true;
      current = undefined;
    } else if (seenSuccess && due) {
      current = current ? { ...current, seconds: current.seconds + 1 } : { fromMs: second.second * 1000, seconds: 1 };
      if (!best || current.seconds > best.seconds) best = current;
    }
  }
  return best && best.seconds >= 2 ? best : undefined;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A moment of a load: wall-clock time when the load says when it started, else seconds into it. */
function at(load: LoadSummary, ms: number): string {
  if (!load.startedAt) return `${(ms / 1000).toFixed(1)} s into the load`;
  return `${new Date(Date.parse(load.startedAt) + ms).toISOString().slice(11, 19)} (${(ms / 1000).toFixed(1)} s into the load)`;
}
