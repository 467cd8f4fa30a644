import { describeAnswer } from './answer.ts';
import type { Exchange, Operation } from './payer-dfsp.ts';

export interface OperationTimings {
  count: number;
  /** Exchanges completed by a callback (success or error). */
  completed: number;
  timedOut: number;
  /** Request sent → callback received, over completed exchanges. */
  endToEndMs: { min: number; median: number; max: number } | null;
}

/** What went wrong across a run's exchanges, for a diagnosis said once rather than in every verdict. */
export interface ExchangeTrouble {
  sent: number;
  /** Answered 202: the hub took the request and owes a callback. */
  acknowledged: number;
  /** Requests that got no HTTP answer at all (refused, reset, timed out), from the first on. */
  unanswered: { count: number; firstAt: string; example: string } | null;
  /** HTTP answers that are neither 202 nor an FSPIOP error: something else than a hub answers there. */
  notFspiop: { count: number; example: string } | null;
}

/**
 * Every FSPIOP exchange of a run, kept as figures (durations and counts, not the exchanges): the
 * timings per operation for the result file, and the trouble the run's diagnosis reads.
 */
export class ExchangeLog {
  readonly #byOperation = new Map<Operation, { count: number; timedOut: number; endToEndMs: number[] }>();
  readonly #trouble: ExchangeTrouble = { sent: 0, acknowledged: 0, unanswered: null, notFspiop: null };

  add(exchange: Exchange): void {
    const operation = this.#byOperation.get(exchange.operation) ?? { count: 0, timedOut: 0, endToEndMs: [] };
    operation.count += 1;
    if (exchange.timedOut) operation.timedOut += 1;
    if (exchange.endToEndMs !== undefined) operation.endToEndMs.push(exchange.endToEndMs);
    this.#byOperation.set(exchange.operation, operation);

    const trouble = this.#trouble;
    trouble.sent += 1;
    const ack = exchange.ack;
    if ('error' in ack) {
      trouble.unanswered ??= { count: 0, firstAt: exchange.startedAt, example: ack.error };
      trouble.unanswered.count += 1;
    } else if (ack.status === 202) {
      trouble.acknowledged += 1;
    } else {
      const answer = describeAnswer(ack);
      if (!answer.fspiop) {
        trouble.notFspiop ??= { count: 0, example: answer.text };
        trouble.notFspiop.count += 1;
      }
    }
  }

  trouble(): ExchangeTrouble {
    return structuredClone(this.#trouble);
  }

  summary(): Partial<Record<Operation, OperationTimings>> {
    const out: Partial<Record<Operation, OperationTimings>> = {};
    for (const [operation, { count, timedOut, endToEndMs }] of this.#byOperation) {
      const times = [...endToEndMs].sort((a, b) => a - b);
      out[operation] = {
        count,
        completed: times.length,
        timedOut,
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
