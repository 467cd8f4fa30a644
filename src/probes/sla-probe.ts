import type { Measurement } from '../evidence/evidence.ts';
import type { Finding, NotEvaluated } from '../evidence/finding.ts';
import { completedWithin, GENERATOR_LAG_LIMIT_MS, type LoadOffer, type LoadSummary, type Phase, type PhaseStats } from '../load/load-runner.ts';
import type { LoadValidity } from '../load/load-session.ts';

/** Where a threshold comes from, named beside it in the evidence (the feature text, or a config key and its reason). */
export interface ThresholdSource {
  maxMs: number;
  source: string;
}

/** Transfers the hub did not confirm, named one by one up to this many; the rest are counted. */
const NAMED_PROBLEMS = 10;

/**
 * The SLA and resilience guarantees judged on one load, as the seed means them: "99 % within
 * 1 second" as the share of attempts (failed and timed-out ones included) completed successfully
 * within the bound, "sustained" as every interval of the steady-state window, and every transfer
 * the payer saw COMMITTED confirmed by the hub afterwards. A hub that denies or never confirms a
 * commit fails; only a load the tool itself could not carry out (cut short, the runner failing)
 * proves nothing and is NOT EVALUATED.
 */
export class SlaProbe {
  readonly #summary: LoadSummary;
  readonly #offered: LoadOffer;
  readonly #validity: LoadValidity | undefined;

  constructor(summary: LoadSummary, validity?: LoadValidity) {
    this.#summary = summary;
    this.#offered = { ratePerSecond: summary.request.ratePerSecond, durationMs: summary.request.durationMs - summary.request.warmupMs - summary.request.drainMs };
    this.#validity = validity;
  }

  /**
   * Under a reduced profile the hub can only achieve what was offered. An interval may fall short
   * by the transfers straddling its edges — at most `edgeLatencyMs` worth, the latency the SLA
   * allows, so a stall longer than that fails the interval however slow the hub's p99 was.
   */
  throughputAtLeast(rate: number, edgeLatencyMs: number): Finding {
    const unusable = this.#unusable();
    if (unusable) return unusable;
    const { achievedRate, dropped, droppedInWindow, intervals, source, request, window } = this.#summary;
    const demanded = Math.min(rate, this.#offered.ratePerSecond);
    // Completions are counted when they complete: at an interval's edges they shift by up to their
    // latency. A faster hub gets a smaller allowance (its p99), never more than the SLA's latency.
    const straddleMs = Math.min(this.#summary.iterations.percentilesMs['99'] ?? 0, edgeLatencyMs);
    const edge = Math.ceil((demanded * straddleMs) / 1000) + 1;
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
        threshold: `≥ ${demanded} transfers/s in every interval (short by at most ${edge} transfers: those within ${Math.round(straddleMs)} ms of an edge, bounded by the ${edgeLatencyMs} ms the SLA allows)`,
        ok: shortfall(slowest, demanded) <= edge, source,
      },
      {
        name: 'dropped iterations (steady state)', value: droppedInWindow ?? dropped, threshold: '= 0 (the offered rate was delivered)', ok: (droppedInWindow ?? dropped) === 0,
        source: droppedInWindow !== undefined && dropped > droppedInWindow ? `${source}; ${dropped - droppedInWindow} more dropped in the warm-up and drain, not judged` : source,
      },
      ...this.#confirmed(),
    ];
  }

  /**
   * "99 % of lookups complete within 1 second": of every attempt of the phase in the steady-state
   * window, the share that completed successfully in less than the bound. The percentile of the
   * successes is recorded beside it, not judged: it leaves the failed attempts out.
   */
  latencyWithin(phase: Phase, percentage: number, maxMs: number): Finding {
    const unusable = this.#unusable();
    if (unusable) return unusable;
    const stats = this.#summary.phases[phase];
    const within = completedWithin(stats, maxMs);
    const dropped = this.#summary.droppedInWindow ?? 0;
    const attempts = stats.attempts + dropped;
    const share = attempts === 0 ? 0 : (within / attempts) * 100;
    const source = stats.completedBelowEstimate ? `${this.#summary.source}; count within ${maxMs} ms ${stats.completedBelowEstimate}` : this.#summary.source;
    const key = String(percentage);
    const percentile = stats.percentilesMs[key];
    return [
      {
        name: `${phase} completed successfully within ${maxMs} ms (share of attempts, steady state)`,
        value: `${share.toFixed(3)}% of ${attempts} attempts (${within} within ${maxMs} ms${describeFailures(stats)}${describeDrops(dropped)})`,
        threshold: `≥ ${percentage}%`, ok: attempts > 0 && share >= percentage, source,
      },
      ...(percentile === undefined ? [] : [{
        name: `p${key} ${phase} latency (successful ${phase}, steady state)`, value: Math.round(percentile), unit: 'ms',
        threshold: `recorded, not judged (the share of attempts within ${maxMs} ms is)`, ok: true, informational: true as const, source: this.#summary.source,
      }]),
      ...this.#confirmed(),
    ];
  }

  /** Availability: the success ratio of whole P2P transfers over the SLA run's steady state. */
  successAtLeast(phase: Phase, percentage: number): Finding {
    const unusable = this.#unusable();
    if (unusable) return unusable;
    const stats = phase === 'transfers' ? this.#summary.iterations : this.#summary.phases[phase];
    const dropped = this.#summary.droppedInWindow ?? 0;
    const attempts = stats.attempts + dropped;
    const ratio = attempts === 0 ? 0 : (stats.successes / attempts) * 100;
    return [
      {
        name: `${phase} succeeded (availability: success ratio of P2P transfers during the SLA run)`, value: `${ratio.toFixed(3)}% of ${attempts}${describeFailures(stats)}${describeDrops(dropped)}`,
        threshold: `≥ ${percentage}%`, ok: attempts > 0 && ratio >= percentage, source: this.#summary.source,
      },
      ...this.#confirmed(),
    ];
  }

  /** RTO: from the fault to the first 5 seconds in a row with successes and no failure. */
  recoveredWithin(objective: ThresholdSource): Finding {
    const fault = this.#summary.fault;
    if (!fault?.broke) return { notEvaluated: `the fault injector reports it broke nothing${fault?.problem ? ` (${fault.problem})` : ''}, so no recovery can be judged` };
    const faultSecond = Math.floor(fault.atMs / 1000);
    const series = this.#summary.series.filter((s) => s.second >= faultSecond);
    const healthy = (i: number) => series.slice(i, i + 5).length === 5 && series.slice(i, i + 5).every((s) => s.failed === 0 && s.succeeded > 0);
    const index = series.findIndex((_, i) => healthy(i));
    const source = `${this.#summary.source}; fault: ${fault.broke}`;
    const threshold = `< ${objective.maxMs} ms (${objective.source})`;
    const replaced = this.#replacement();
    if (index < 0) return [{ name: 'time until transfers succeed again', value: 'never within the run', threshold, ok: false, source }, ...replaced];
    const outageMs = Math.max(0, series[index]!.second * 1000 - fault.atMs);
    return [{ name: 'time until transfers succeed again', value: outageMs, unit: 'ms', threshold, ok: outageMs < objective.maxMs, source }, ...replaced];
  }

  /**
   * The orchestrator's own account of the recovery, where the target reads it (Kubernetes: the
   * replacement pod Ready): recorded beside the RTO, not judged — the RTO is when the service answers
   * again, which a deployment with other replicas does before its replacement is ready.
   */
  #replacement(): Measurement[] {
    const aftermath = this.#summary.fault?.aftermath;
    if (!aftermath) return [];
    return [{
      name: 'time until the replacement was ready', value: aftermath.replacementReadyMs ?? 'not ready within the wait', ...(aftermath.replacementReadyMs === undefined ? {} : { unit: 'ms' }),
      threshold: 'recorded, not judged (the RTO is the time until transfers succeed again)', ok: true, informational: true, source: aftermath.replacement,
    }];
  }

  /** RPO: every transfer of the committed sample is still COMMITTED at the hub after the fault. */
  noCommittedTransferLost(): Finding {
    const fault = this.#summary.fault;
    if (!fault?.broke) return { notEvaluated: `the fault injector reports it broke nothing${fault?.problem ? ` (${fault.problem})` : ''}, so no loss can be judged` };
    const validity = this.#validity;
    if (!validity || validity.checked === 0) return { notEvaluated: 'no transfer the payer saw COMMITTED could be asked back at the hub' };
    const lost = validity.checked - validity.confirmed;
    return [{
      name: 'committed transfers lost', value: `${lost} of ${validity.checked}${lost > 0 ? ` (${namedProblems(validity)})` : ''}`,
      threshold: '0 (RPO zero)', ok: lost === 0, source: `${this.#summary.source}; fault: ${fault.broke}; GET /transfers/{id} after the run`,
    },
    // What the broken part kept decides what this proves: a stateless pod holds no data to lose.
    ...(fault.aftermath ? [{
      name: 'data the faulted part kept', value: fault.aftermath.data, threshold: 'recorded, not judged', ok: true, informational: true as const, source: fault.broke,
    }] : [])];
  }

  /**
   * The hub's word on what the payer saw committed (the validity gate): a commit the hub denies or
   * never confirms counted as a success, so every verdict on this load fails with it.
   */
  #confirmed(): Measurement[] {
    const validity = this.#validity;
    if (!validity || validity.checked === 0) return [];
    const denied = validity.checked - validity.confirmed;
    return [{
      name: 'transfers the payer saw COMMITTED, asked back at the hub', value: `${validity.confirmed} of ${validity.checked} COMMITTED${denied > 0 ? ` (${namedProblems(validity)})` : ''}`,
      threshold: `all ${validity.checked} COMMITTED`, ok: denied === 0, source: `${this.#summary.source}; GET /transfers/{id} after the run`,
    }];
  }

  /** A load the tool could not carry out as asked proves nothing about the hub: a window shorter than asked, or the runner failing. */
  #unusable(): NotEvaluated | undefined {
    const { window, request, runnerErrors } = this.#summary;
    const expectedMs = request.durationMs - request.warmupMs - request.drainMs;
    if (expectedMs <= 0) {
      return { notEvaluated: `the offered ${request.durationMs / 1000} s leave no steady-state window after the profile's ${request.warmupMs / 1000} s warm-up and ${request.drainMs / 1000} s drain (profile ${request.profile})` };
    }
    if (window.endMs - window.startMs < expectedMs) {
      return { notEvaluated: `the steady-state window covers ${(window.endMs - window.startMs) / 1000} s of the ${expectedMs / 1000} s it needs (the run ended early)` };
    }
    if (runnerErrors && runnerErrors.count > 0) {
      return { notEvaluated: `the run is invalid: the ${this.#summary.runner} itself failed ${runnerErrors.count} iteration${runnerErrors.count > 1 ? 's' : ''} (first: ${runnerErrors.first}), a failure of this tool, not of the hub` };
    }
    const lag = this.#summary.generatorLag;
    if (lag && lag.p99Ms > GENERATOR_LAG_LIMIT_MS) {
      return { notEvaluated: `the load generator, not the hub, was the limit: its event loop ran late by ${Math.round(lag.p99Ms)} ms at p99 (max ${Math.round(lag.maxMs)} ms; more than ${GENERATOR_LAG_LIMIT_MS} ms) while it offered the load, a delay of its own inside every latency it measured — this machine could not drive the load; give the runner a quieter machine or lower the load` };
    }
    const exhaustion = this.#summary.generatorExhaustion;
    if (exhaustion && exhaustion.length > 0) {
      return { notEvaluated: `the load generator, not the hub, was the limit: its own process ran out (${exhaustion.map((e) => `${e.code} ×${e.count} from ${round1(e.firstAtMs / 1000)} s`).join(', ')}), so the figures measure this machine; raise its limits (ulimit -n) or lower the load and run again` };
    }
    return undefined;
  }
}

function describeFailures(stats: PhaseStats): string {
  const failures = Object.entries(stats.failures).filter(([, n]) => n > 0).map(([reason, n]) => `${reason} ${n}`).join(', ');
  return failures ? `; failed: ${failures}` : '';
}

function namedProblems(validity: LoadValidity): string {
  const more = validity.problems.length - NAMED_PROBLEMS;
  return `${validity.problems.slice(0, NAMED_PROBLEMS).join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

/** Transfers an interval completed fewer than the rate demands. */
function shortfall(interval: { startMs: number; endMs: number; succeeded: number }, rate: number): number {
  return (rate * (interval.endMs - interval.startMs)) / 1000 - interval.succeeded;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Dropped arrivals are attempts the hub's backlog kept from being made: said where they count as misses. */
function describeDrops(dropped: number): string {
  return dropped > 0 ? `; ${dropped} arrival${dropped === 1 ? '' : 's'} dropped while the hub held the runner's cap, counted as misses` : '';
}
