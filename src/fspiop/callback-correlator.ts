/** A callback as it arrived at our callback server. */
export interface ReceivedCallback {
  key: string;
  kind: 'success' | 'error';
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /** performance.now() at arrival, to time the exchange against its request. */
  receivedAt: number;
  /** Its FSPIOP-Signature, where the callback server checks signatures: verified with its sender's key, or from a sender we hold no key for. */
  signature?: 'verified' | 'unverifiable';
}

export class CallbackTimeoutError extends Error {
  override readonly name = 'CallbackTimeoutError';
  readonly key: string;
  readonly timeoutMs: number;
  constructor(key: string, timeoutMs: number) {
    super(`no callback for ${key} within ${timeoutMs} ms`);
    this.key = key;
    this.timeoutMs = timeoutMs;
  }
}

interface Waiter {
  resolve(callback: ReceivedCallback): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  timeoutMs: number;
  /** Callbacks this request must not take for its answer: copies of earlier answers for the same key. */
  notCopiesOf: ReadonlySet<string>;
  /**
   * The DFSP that asked, when several share the server: only a callback addressed to it
   * (FSPIOP-Destination) answers, so what the hub tells the payer about a transfer is never taken
   * for what it told another DFSP asking about the same transfer.
   */
  addressedTo: string | undefined;
}

/**
 * What makes two callbacks copies of one another: the same body sent with the same Date. A GET
 * carries no request id in FSPIOP, so the answer to a state query is told apart from a resent
 * copy of an earlier answer (a notifier retrying) only by being a message of its own.
 */
export function callbackFingerprint(callback: Pick<ReceivedCallback, 'headers' | 'body'>): string {
  return `${callback.headers.date ?? ''}\n${JSON.stringify(callback.body)}`;
}

/**
 * Matches asynchronous FSPIOP callbacks to the requests that caused them, by resource and id
 * (`quotes:<quoteId>`, `transfers:<transferId>`, `parties:<type>/<id>`). Party lookups carry no
 * request id, so concurrent lookups of one party are answered first-come first-served.
 */
export class CallbackCorrelator {
  readonly #waiting = new Map<string, Waiter[]>();
  /**
   * Requests that timed out, per key, until when their late callback is still expected. A late
   * callback is absorbed here so it cannot answer a newer request for the same key (party
   * lookups have no request id).
   */
  readonly #timedOut = new Map<string, number[]>();
  /**
   * Keys answered recently, until when a second answer counts as a duplicate (in answer order,
   * so the oldest are pruned first): a hub may resend, but a second, different sender is how a
   * forger that copies the hub's headers shows itself.
   */
  readonly #answered = new Map<string, number>();

  static key(resource: string, id: string): string {
    return `${resource}:${id}`;
  }

  /**
   * Registers interest before the request is sent, so a fast callback cannot be missed. A state
   * query names the answers already received for the key (`notCopiesOf`): a copy of one of them
   * arriving meanwhile is counted as a duplicate, never taken for the query's answer.
   */
  expect(key: string, timeoutMs: number, notCopiesOf: readonly ReceivedCallback[] = [], addressedTo?: string): { callback: Promise<ReceivedCallback>; cancel(): void } {
    let waiter!: Waiter;
    const callback = new Promise<ReceivedCallback>((resolve, reject) => {
      waiter = {
        resolve, reject, timeoutMs, notCopiesOf: new Set(notCopiesOf.map(callbackFingerprint)), addressedTo,
        timer: setTimeout(() => {
          this.#remove(key, waiter);
          this.#rememberTimedOut(key, timeoutMs);
          reject(new CallbackTimeoutError(key, timeoutMs));
        }, timeoutMs),
      };
    });
    const queue = this.#waiting.get(key) ?? [];
    queue.push(waiter);
    this.#waiting.set(key, queue);
    return {
      callback,
      cancel: () => {
        clearTimeout(waiter.timer);
        this.#remove(key, waiter);
      },
    };
  }

  /**
   * Hands a callback to the request it answers. 'late' when it answers a request that already
   * timed out (that one is owed a callback before any newer request is); 'duplicate' when the
   * request it answers was answered already; 'unknown' when nobody asked.
   */
  deliver(callback: ReceivedCallback): 'delivered' | 'late' | 'duplicate' | 'unknown' {
    // Party lookups carry no request id: a late answer to a timed-out lookup must not satisfy a
    // newer one. A quote or transfer id is unique, and any later PUT for it (e.g. the answer to a
    // state query) is current, so it goes to whoever waits and is only late when nobody does.
    if (callback.key.startsWith('parties:') && this.#absorbLate(callback.key)) return 'late';
    const queue = this.#waiting.get(callback.key);
    const destination = callback.headers['fspiop-destination'];
    const index = queue?.findIndex((waiting) => waiting.addressedTo === undefined || waiting.addressedTo === destination) ?? -1;
    const waiter = index >= 0 ? queue![index] : undefined;
    if (waiter && waiter.notCopiesOf.size > 0 && waiter.notCopiesOf.has(callbackFingerprint(callback))) return 'duplicate';
    if (!waiter) return this.#absorbLate(callback.key) ? 'late' : this.#wasAnswered(callback.key) ? 'duplicate' : 'unknown';
    queue!.splice(index, 1);
    if (queue!.length === 0) this.#waiting.delete(callback.key);
    clearTimeout(waiter.timer);
    this.#remember(callback.key, waiter.timeoutMs);
    waiter.resolve(callback);
    return 'delivered';
  }

  #remember(key: string, forMs: number): void {
    const now = Date.now();
    this.#answered.delete(key);
    this.#answered.set(key, now + forMs);
    for (const [old, until] of this.#answered) {
      if (until > now) break;
      this.#answered.delete(old);
    }
  }

  /**
   * A late callback is expected until `timeoutMs` from now. Keys whose late callback never came
   * are forgotten once their time has passed (oldest first, as they were added): a hub that stops
   * answering for an hour must not grow this map by every request it left unanswered.
   */
  #rememberTimedOut(key: string, forMs: number): void {
    const now = Date.now();
    const until = this.#timedOut.get(key) ?? [];
    until.push(now + forMs);
    this.#timedOut.delete(key);
    this.#timedOut.set(key, until);
    for (const [old, times] of this.#timedOut) {
      if (times.some((t) => t > now)) break;
      this.#timedOut.delete(old);
    }
  }

  #wasAnswered(key: string): boolean {
    return (this.#answered.get(key) ?? 0) > Date.now();
  }

  #absorbLate(key: string): boolean {
    const now = Date.now();
    const until = this.#timedOut.get(key)?.filter((t) => t > now) ?? [];
    const absorbed = until.length > 0;
    if (absorbed) until.shift();
    if (until.length > 0) this.#timedOut.set(key, until);
    else this.#timedOut.delete(key);
    return absorbed;
  }

  /** Keys of timed-out requests whose late callback is still expected (and would be absorbed). */
  get awaitingLate(): number {
    return this.#timedOut.size;
  }

  get pending(): number {
    let count = 0;
    for (const queue of this.#waiting.values()) count += queue.length;
    return count;
  }

  /** Fails every waiting request, e.g. when the run is interrupted. */
  rejectAll(reason: Error): void {
    for (const queue of this.#waiting.values()) {
      for (const waiter of queue) {
        clearTimeout(waiter.timer);
        waiter.reject(reason);
      }
    }
    this.#waiting.clear();
  }

  #remove(key: string, waiter: Waiter): void {
    const queue = this.#waiting.get(key);
    if (!queue) return;
    const index = queue.indexOf(waiter);
    if (index >= 0) queue.splice(index, 1);
    if (queue.length === 0) this.#waiting.delete(key);
  }
}
