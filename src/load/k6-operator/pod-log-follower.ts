import { Writable } from 'node:stream';
import { Log, type KubeConfig } from '@kubernetes/client-node';
import type { Clock, ClockTimer } from '../../support/clock.ts';
import { LineSplitter } from './runner-log.ts';

export interface PodLogFollowerOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  pod: string;
  container: string;
  onLine: (line: string) => void;
  /** Whether the container has stopped writing (terminated, or the pod gone): a stream that ends before is opened again. */
  containerDone: () => Promise<boolean>;
  /** Opened again at most this many times, this long after it broke. */
  maxReopens: number;
  reopenAfterMs: number;
  clock: Clock;
  /** The failure of opening the stream, as one line. */
  describe: (error: unknown) => string;
}

/**
 * Follows one container's log through the API (`pods/log?follow=true&timestamps=true`) to its end,
 * line by line. A stream that ends or breaks while the container still runs (an API server or a
 * load balancer cutting a long connection) is opened again from the second of the last line seen
 * (`sinceTime`; the API takes whole seconds), and the lines read twice are skipped by their
 * timestamps — no line lost, none counted twice. `ended` resolves when the container is done and
 * its log read, or when following gave up (`failure` says why).
 */
export class PodLogFollower {
  readonly ended: Promise<void>;
  /** Why the log could not be read to its end, if it could not. */
  failure: string | undefined;
  readonly #options: PodLogFollowerOptions;
  #finish!: () => void;
  #last: string | undefined;
  #reopens = 0;
  #abort: AbortController | undefined;
  #timer: ClockTimer | undefined;
  #stopped = false;
  #done = false;

  constructor(options: PodLogFollowerOptions) {
    this.#options = options;
    this.ended = new Promise<void>((resolve) => { this.#finish = resolve; });
    this.#open();
  }

  /** Stops following (the load is over or interrupted): no more lines, no reopening. */
  stop(): void {
    this.#stopped = true;
    this.#options.clock.clearTimeout(this.#timer);
    this.#abort?.abort();
    this.#end();
  }

  #open(): void {
    const o = this.#options;
    let closed = false;
    const splitter = new LineSplitter((line) => this.#line(line));
    const closedWith = (error?: Error) => {
      if (closed) return;
      closed = true;
      splitter.end();
      void this.#closed(error);
    };
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        splitter.push(chunk.toString('utf8'));
        callback();
      },
      final(callback) {
        closedWith();
        callback();
      },
    });
    // The client pipes the response into the sink: a connection that breaks (or our abort) is an error of that source, caught here, not a crash.
    sink.on('pipe', (source: NodeJS.ReadableStream) => source.on('error', (error: Error) => closedWith(error)));
    const since = this.#last === undefined ? {} : { sinceTime: `${this.#last.slice(0, 19)}Z` };
    new Log(o.kubeConfig).log(o.namespace, o.pod, o.container, sink, { follow: true, timestamps: true, ...since }).then(
      (controller) => {
        if (this.#stopped) controller.abort();
        else this.#abort = controller;
      },
      (error: unknown) => {
        this.failure = o.describe(error);
        this.#end();
      },
    );
  }

  /** `2026-12-05T09:00:00.123456789Z text`: the text, unless this line was read before the stream was reopened. */
  #line(line: string): void {
    const space = line.indexOf(' ');
    const stamp = space > 0 ? sortableStamp(line.slice(0, space)) : undefined;
    if (stamp === undefined) return this.#options.onLine(line);
    if (this.#last !== undefined && stamp <= this.#last) return;
    this.#last = stamp;
    this.#options.onLine(line.slice(space + 1));
  }

  async #closed(error: Error | undefined): Promise<void> {
    if (this.#stopped || this.#done) return;
    const o = this.#options;
    const done = await o.containerDone().catch(() => true);
    if (done) return this.#end();
    if (this.#reopens >= o.maxReopens) {
      this.failure = `its log stream ${error && error.name !== 'AbortError' ? `broke (${error.message})` : 'ended'} ${this.#reopens + 1} times while k6 still ran`;
      return this.#end();
    }
    this.#reopens += 1;
    this.#timer = o.clock.setTimeout(() => this.#open(), o.reopenAfterMs);
  }

  #end(): void {
    if (this.#done) return;
    this.#done = true;
    this.#finish();
  }
}

/**
 * An RFC 3339 timestamp as the kubelet writes it (nanoseconds, trailing zeros dropped) made
 * comparable as text: the fraction padded to 9 digits (`.5Z` is later than `.4999Z`, which plain
 * text order gets wrong). Undefined for anything else.
 */
export function sortableStamp(text: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(text);
  return match ? `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}` : undefined;
}
