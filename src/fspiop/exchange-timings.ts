import type { Exchange, Operation } from './payer-dfsp.ts';

export interface OperationTimings {
  count: number;
  /** Exchanges completed by a callback (success or error). */
  completed: number;
  timedOut: number;
  /** Request sent → callback received, over completed exchanges. */
  endToEndMs: { min: number; median: number; max: number } | null;
}

/** Collects every FSPIOP exchange of a run and summarises the timings per operation for the result file. */
export class ExchangeTimings {
  readonly #byOperation = new Map<Operation, Exchange[]>();

  add(exchange: Exchange): void {
    const list = this.#byOperation.get(exchange.operation) ?? [];
    list.push(exchange);
    this.#byOperation.set(exchange.operation, list);
  }

  summary(): Partial<Record<Operation, OperationTimings>> {
    const out: Partial<Record<Operation, OperationTimings>> = {};
    for (const [operation, exchanges] of this.#byOperation) {
      const times = exchanges.flatMap((e) => (e.endToEndMs === undefined ? [] : [e.endToEndMs])).sort((a, b) => a - b);
      out[operation] = {
        count: exchanges.length,
        completed: times.length,
        timedOut: exchanges.filter((e) => e.timedOut).length,
        endToEndMs: times.length === 0 ? null : {
          min: round(times[0]!),
          median: round(times[Math.floor((times.length - 1) / 2)]!),
          max: round(times[times.length - 1]!),
        },
      };
    }
    return out;
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
