import type { Measurement } from '../evidence/evidence.ts';
import type { Finding, NotEvaluated } from '../evidence/finding.ts';
import type { LoadOffer, LoadSummary, Phase, PhaseStats } from '../load/load-runner.ts';
import type { LoadValidity } from '../load/load-session.ts';

/**
 * The SLA and resilience guarantees judged on one load, as the seed means them: latency
 * percentiles over successful completions and failures judged separately, "sustained" as every
 * interval of the steady-state window, strict "<" for "99 % < 1 second". A run whose window is
 * short or whose committed transfers the hub does not confirm proves nothing: NOT EVALUATED.
 */
export class SlaProbe {
  readonly #summary: LoadSummary;
  readonly #offered: LoadOffer;
  readonly #validity: LoadValidity | undefined;

  constructor(summary: LoadSummary, validity?: LoadValidity) {
    this.#summary = summary;
    this.#offered = { ratePerSecond: summary.request.ratePerSecond, durationMs: summary.request.durationMs };
    this.#validity = validity;
  }

  /** Under a reduced profile the hub can only achieve what was offered; the verdict says it was reduced. */
  throughputAtLeast(rate: number): Finding {
    const unusable = this.#unusable();
    if (unusable) return unusable;
    const { achievedRate, dropped, intervals, source, request, window } = this.#summary;
    const demanded = Math.min(rate, this.#offered.ratePerSecond);
    // Completions are counted when they complete: at an interval's edges they shift by up to the
    // latency, so one p99 latency's worth of transfers (plus one) may fall into the next interval.
    // A stall shorter than that cannot be told from latency, which its own guarantee judges.
    const p99Seconds = (this.#summary.iterations.percentilesMs['99'] ?? 0) / 1000;
    const edge = Math.ceil(demanded * p99Seconds) + 1;
    const windowSeconds = (window.endMs - window.startMs) / 1000;
    const slowest = intervals.reduce((min, i) => (shortfall(i, demanded) > shortfall(min, demanded) ? i : min), intervals[0]!);
    const slowestRate = slowest.succeeded / ((slowest.endMs - slowest.startMs) / 1000);
    return [
      {
        name: 'achieved throughput (successful P2P transfers over the steady-state window)', value: round1(achievedRate), unit: 'transfers/s',
        threshold: `≥ ${demanded} transfers/s`, ok: achievedRate * windowSeconds >= demanded * windowSeconds - edge, source,
      },
      {
        name: `slowest ${request.intervalMs / 1000} s interval`, value: `${round1(slowestRate)} transfers/s at ${slowest.startMs / 1000}–${slowest.endMs / 1000} s`,
        threshold: `≥ ${demanded} transfers/s in every interval (short by at most ${edge} transfers: one p99 latency's worth straddles each edge)`,
        ok: shortfall(slowest, demanded) <= edge, source,
      },
      { name: 'dropped iterations', value: dropped, threshold: '= 0 (the offered rate was delivered)', ok: dropped === 0, source },
    ];
  }

  /** "99 % of lookups complete within 1 second": the percentile of successes under the bound, and that share of attempts succeeding. */
  latencyWithin(phase: Phase, percentage: number, maxMs: number): Finding {
    const unusable = this.#unusable();
    if (unusable) return unusable;
    const stats = this.#summary.phases[phase];
    const key = String(percentage);
    const value = stats.percentilesMs[key];
    const source = this.#summary.source;
    const completed = this.#succeeded(phase, stats, percentage);
    if (value === undefined) {
      if (stats.successes > 0) return { notEvaluated: `the ${this.#summary.runner} did not record p${key} of ${phase} (it recorded ${Object.keys(stats.percentilesMs).map((p) => `p${p}`).join(', ') || 'none'})` };
      return [completed];
    }
    return [
      { name: `p${key} ${phase} latency (successful ${phase}, steady state)`, value: Math.round(value), unit: 'ms', threshold: `< ${maxMs} ms`, ok: value < maxMs, source },
      completed,
    ];
  }

  /** Availability: the success ratio of whole P2P transfers over the SLA run's steady state. */
  successAtLeast(phase: Phase, percentage: number): Finding {
    const unusable = this.#unusable();
    if (unusable) return unusable;
    const stats = phase === 'transfers' ? this.#summary.iterations : this.#summary.phases[phase];
    return [{ ...this.#succeeded(phase, stats, percentage), name: `${phase} succeeded (availability: success ratio of P2P transfers during the SLA run)` }];
  }

  /** RTO: from the fault to the first 5 seconds in a row with successes and no failure. */
  recoveredWithin(maxMs: number): Finding {
    const fault = this.#summary.fault;
    if (!fault?.broke) return { notEvaluated: `the fault injector reports it broke nothing${fault?.problem ? ` (${fault.problem})` : ''}, so no recovery can be judged` };
    const faultSecond = Math.floor(fault.atMs / 1000);
    const series = this.#summary.series.filter((s) => s.second >= faultSecond);
    const healthy = (i: number) => series.slice(i, i + 5).length === 5 && series.slice(i, i + 5).every((s) => s.failed === 0 && s.succeeded > 0);
    const index = series.findIndex((_, i) => healthy(i));
    const source = `${this.#summary.source}; fault: ${fault.broke}`;
    if (index < 0) return [{ name: 'time until transfers succeed again', value: 'never within the run', threshold: `< ${maxMs} ms`, ok: false, source }];
    const outageMs = Math.max(0, series[index]!.second * 1000 - fault.atMs);
    return [{ name: 'time until transfers succeed again', value: outageMs, unit: 'ms', threshold: `< ${maxMs} ms`, ok: outageMs < maxMs, source }];
  }

  /** RPO: every transfer of the committed sample is still COMMITTED at the hub after the fault. */
  noCommittedTransferLost(): Finding {
    const fault = this.#summary.fault;
    if (!fault?.broke) return { notEvaluated: 'the fault injector reports it broke nothing, so no loss can be judged' };
    const validity = this.#validity;
    if (!validity || validity.checked === 0) return { notEvaluated: 'no transfer the payer saw COMMITTED could be asked back at the hub' };
    const lost = validity.checked - validity.confirmed;
    return [{
      name: 'committed transfers lost', value: `${lost} of ${validity.checked}${validity.problems[0] ? ` (${validity.problems[0]})` : ''}`,
      threshold: '0 (RPO zero)', ok: lost === 0, source: `${this.#summary.source}; fault: ${fault.broke}; GET /transfers/{id} after the run`,
    }];
  }

  #succeeded(phase: Phase, stats: PhaseStats, percentage: number): Measurement {
    const ratio = stats.attempts === 0 ? 0 : (stats.successes / stats.attempts) * 100;
    const failures = Object.entries(stats.failures).filter(([, n]) => n > 0).map(([reason, n]) => `${reason} ${n}`).join(', ');
    return {
      name: `${phase} completed successfully`, value: `${ratio.toFixed(3)}% of ${stats.attempts}${failures ? ` (failed: ${failures})` : ''}`,
      threshold: `≥ ${percentage}%`, ok: stats.attempts > 0 && ratio >= percentage, source: this.#summary.source,
    };
  }

  /** A load that cannot prove anything: a window shorter than asked, or a hub that does not confirm what the payer saw committed. */
  #unusable(): NotEvaluated | undefined {
    const { window, request } = this.#summary;
    const expectedMs = request.durationMs - request.warmupMs - request.drainMs;
    if (expectedMs <= 0) {
      return { notEvaluated: `the offered ${request.durationMs / 1000} s leave no steady-state window after the profile's ${request.warmupMs / 1000} s warm-up and ${request.drainMs / 1000} s drain (profile ${request.profile})` };
    }
    if (window.endMs - window.startMs < expectedMs) {
      return { notEvaluated: `the steady-state window covers ${(window.endMs - window.startMs) / 1000} s of the ${expectedMs / 1000} s it needs (the run ended early)` };
    }
    const validity = this.#validity;
    if (validity && validity.confirmed < validity.checked) {
      return { notEvaluated: `the run is invalid: ${validity.checked - validity.confirmed} of ${validity.checked} transfers the payer saw COMMITTED are not COMMITTED at the hub (${validity.problems[0] ?? 'no detail'})` };
    }
    return undefined;
  }
}

/** Transfers an interval completed fewer than the rate demands. */
function shortfall(interval: { startMs: number; endMs: number; succeeded: number }, rate: number): number {
  return (rate * (interval.endMs - interval.startMs)) / 1000 - interval.succeeded;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
