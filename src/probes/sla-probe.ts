import type { Measurement } from '../evidence/evidence.ts';

export type Phase = 'lookups' | 'quotes' | 'transfers';

export interface PhaseStats {
  count: number;
  failures: number;
  /** Latency percentiles in ms, keyed by percentile ("50", "95", "99", "99.9"). */
  percentilesMs: Record<string, number>;
}

/** What a load runner reports for the steady-state window of an open-model run. */
export interface LoadSummary {
  /** Runner and window, e.g. "builtin runner, steady state 300 s–3480 s". */
  source: string;
  offeredRate: number;
  windowMs: number;
  achievedRate: number;
  droppedIterations: number;
  phases: Record<Phase, PhaseStats>;
  /** With a fault injected mid-run: how long transfers failed, and whether committed ones survived. */
  recovery?: { fault: string; outageMs: number; committedChecked: number; committedLost: number };
}

/** The SLA guarantees judged against a load summary. Thresholds come from the feature text. */
export class SlaProbe {
  readonly #summary: LoadSummary;

  constructor(summary: LoadSummary) {
    this.#summary = summary;
  }

  throughputAtLeast(rate: number): Measurement[] {
    const { achievedRate, droppedIterations, source } = this.#summary;
    return [
      { name: 'achieved throughput', value: Number(achievedRate.toFixed(1)), unit: 'transfers/s', threshold: `≥ ${rate} transfers/s`, ok: achievedRate >= rate, source },
      { name: 'dropped iterations', value: droppedIterations, threshold: '= 0 (the offered rate was delivered)', ok: droppedIterations === 0, source },
    ];
  }

  latencyWithin(phase: Phase, percentage: number, maxMs: number): Measurement[] {
    const key = String(percentage);
    const value = this.#summary.phases[phase].percentilesMs[key];
    return [{
      name: `p${key} ${phase} latency`, value: value === undefined ? 'not recorded' : Math.round(value), unit: value === undefined ? undefined : 'ms',
      threshold: `≤ ${maxMs} ms`, ok: value !== undefined && value <= maxMs, source: this.#summary.source,
    } as Measurement];
  }

  recoveredWithin(maxMs: number): Measurement[] {
    const recovery = this.#summary.recovery;
    return [{
      name: 'time until transfers succeed again', value: recovery ? Math.round(recovery.outageMs) : 'no fault was injected', unit: recovery ? 'ms' : undefined,
      threshold: `≤ ${maxMs} ms`, ok: !!recovery && recovery.outageMs <= maxMs, source: recovery ? `${this.#summary.source}; fault: ${recovery.fault}` : this.#summary.source,
    } as Measurement];
  }

  noCommittedTransferLost(): Measurement[] {
    const recovery = this.#summary.recovery;
    return [{
      name: 'committed transfers lost', value: recovery ? `${recovery.committedLost} of ${recovery.committedChecked}` : 'no fault was injected',
      threshold: '0 (RPO zero)', ok: !!recovery && recovery.committedChecked > 0 && recovery.committedLost === 0, source: this.#summary.source,
    }];
  }

  successAtLeast(phase: Phase, percentage: number): Measurement[] {
    const { count, failures } = this.#summary.phases[phase];
    const rate = count === 0 ? 0 : ((count - failures) / count) * 100;
    return [{
      name: `${phase} succeeded`, value: `${rate.toFixed(3)}% of ${count}`, threshold: `≥ ${percentage}%`,
      ok: count > 0 && rate >= percentage, source: this.#summary.source,
    }];
  }
}
