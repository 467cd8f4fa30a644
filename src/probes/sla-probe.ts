import type { Measurement } from '../evidence/evidence.ts';
import type { LoadOffer, LoadSummary, Phase } from '../load/load-runner.ts';

/** The SLA guarantees judged against the summary of one load. Thresholds come from the feature text. */
export class SlaProbe {
  readonly #summary: LoadSummary;
  readonly #offered: LoadOffer | undefined;

  /** `offered`: the load the run's profile offered, when it reduced what the scenario asked for. */
  constructor(summary: LoadSummary, offered?: LoadOffer) {
    this.#summary = summary;
    this.#offered = offered;
  }

  /** Under a reduced profile the hub can only achieve what was offered; the run marks that verdict as reduced. */
  throughputAtLeast(rate: number): Measurement[] {
    const { achievedRate, droppedIterations, source } = this.#summary;
    const demanded = Math.min(rate, this.#offered?.ratePerSecond ?? rate);
    return [
      { name: 'achieved throughput', value: Number(achievedRate.toFixed(1)), unit: 'transfers/s', threshold: `≥ ${demanded} transfers/s`, ok: achievedRate >= demanded, source },
      { name: 'dropped iterations', value: droppedIterations, threshold: '= 0 (the offered rate was delivered)', ok: droppedIterations === 0, source },
    ];
  }

  latencyWithin(phase: Phase, percentage: number, maxMs: number): Measurement[] {
    const key = String(percentage);
    const value = this.#summary.phases[phase].percentilesMs[key];
    return [{
      name: `p${key} ${phase} latency`, value: value === undefined ? 'not recorded' : Math.round(value), unit: value === undefined ? undefined : 'ms',
      threshold: `≤ ${maxMs} ms`, ok: value !== undefined && value <= maxMs, source: this.#summary.source,
    }];
  }

  recoveredWithin(maxMs: number): Measurement[] {
    const recovery = this.#summary.recovery;
    return [{
      name: 'time until transfers succeed again', value: recovery ? Math.round(recovery.outageMs) : 'no fault was injected', unit: recovery ? 'ms' : undefined,
      threshold: `≤ ${maxMs} ms`, ok: !!recovery && recovery.outageMs <= maxMs, source: recovery ? `${this.#summary.source}; fault: ${recovery.fault}` : this.#summary.source,
    }];
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
