import { recorder } from '../recorder.ts';

class Metric {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }

  /** Records the sample with the tags k6 would add itself (the scenario) and the script's own. */
  add(value: number | boolean, tags: Record<string, string> = {}): void {
    recorder.calls.push({ module: 'k6/metrics', metric: this.name, value: Number(value), tags: { scenario: recorder.scenario.name, ...tags } });
  }
}

export class Trend extends Metric {}
export class Counter extends Metric {}
export class Rate extends Metric {}
export class Gauge extends Metric {}

export default { Trend, Counter, Rate, Gauge };
