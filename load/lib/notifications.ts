/**
 * k6 side of the payer's notification channel (src/fspiop/notification-channel.ts): k6 cannot
 * receive an HTTP callback, so the payer's callback server relays each accepted callback over a
 * WebSocket.
 *
 * One WebSocket per iteration, not per VU: in k6/websockets an open WebSocket holds a pending
 * callback on the VU's event loop, and k6 ends an iteration only when its event loop is empty —
 * a socket kept open for the next iteration would keep this one from ever ending. The socket is
 * opened at the start of the iteration and closed at its end (after the iteration's report, which
 * the same write queue delivers before the close frame).
 */
import { WebSocket } from 'k6/websockets';
import { clearTimeout, setTimeout } from 'k6/timers';

export interface CallbackNotification {
  key: string;
  kind: 'success' | 'error';
  body: unknown;
  headers: { 'fspiop-source'?: string; 'fspiop-destination'?: string };
}

/** How a wait for a callback ended, and when (Date.now() at arrival on this side). */
export type Arrival =
  | { outcome: 'callback'; callback: CallbackNotification; at: number }
  | { outcome: 'timeout'; at: number }
  | { outcome: 'channel'; error: string; at: number };

interface Waiter {
  acked(error?: string): void;
  arrived(arrival: Arrival): void;
  timer?: ReturnType<typeof setTimeout>;
}

/** Grace on top of the callback timeout before this side stops waiting for the server's word. */
const CHANNEL_GRACE_MS = 5_000;

export class NotificationClient {
  readonly #socket: WebSocket;
  readonly #waiters = new Map<string, Waiter>();
  #closedWith: string | undefined;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener('message', (event) => this.#onMessage((event as { data?: unknown }).data));
    socket.addEventListener('close', () => this.#fail('the notification channel closed'));
    socket.addEventListener('error', (event) => this.#fail(`notification channel error: ${String((event as { error?: unknown }).error ?? 'unknown')}`));
  }

  /** Opens the channel; resolves with the client, or with the reason it could not open. */
  static open(url: string, timeoutMs: number): Promise<NotificationClient | string> {
    return new Promise((resolve) => {
      let settled = false;
      const socket = new WebSocket(url);
      const timer = setTimeout(() => settle(`the notification channel did not open within ${timeoutMs} ms`), timeoutMs);
      const settle = (result: NotificationClient | string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      socket.addEventListener('open', () => {
        // Opened after the wait was given up: close it now (closing a socket still connecting could block k6's writer).
        if (settled) socket.close();
        else settle(new NotificationClient(socket));
      });
      socket.addEventListener('error', (event) => settle(`the notification channel did not open: ${String((event as { error?: unknown }).error ?? 'error')}`));
      socket.addEventListener('close', () => settle('the notification channel closed before it opened'));
    });
  }

  /**
   * Registers the wait for `key` and resolves once the server confirms it (so the request may be
   * sent: its callback cannot overtake the registration), with the arrival to await; or with the
   * reason the wait could not be registered.
   */
  expect(key: string, timeoutMs: number): Promise<{ arrival: Promise<Arrival> } | string> {
    if (this.#closedWith) return Promise.resolve(this.#closedWith);
    if (this.#waiters.has(key)) return Promise.resolve(`already waiting for ${key}`);
    return new Promise((resolveAck) => {
      const arrival = new Promise<Arrival>((resolveArrival) => {
        const waiter: Waiter = {
          acked: (error) => resolveAck(error === undefined ? { arrival } : error),
          arrived: (result) => {
            if (waiter.timer !== undefined) clearTimeout(waiter.timer);
            this.#waiters.delete(key);
            resolveArrival(result);
          },
        };
        waiter.timer = setTimeout(() => {
          waiter.acked(`the notification channel did not confirm the wait for ${key}`);
          waiter.arrived({ outcome: 'channel', error: `no word from the notification channel within ${timeoutMs + CHANNEL_GRACE_MS} ms`, at: Date.now() });
        }, timeoutMs + CHANNEL_GRACE_MS);
        this.#waiters.set(key, waiter);
      });
      const failed = this.#send({ expect: key, timeoutMs });
      if (failed) this.#fail(failed);
    });
  }

  /** The request was not accepted: no callback will come; the server stops waiting without recording a timeout. */
  cancel(key: string): void {
    const waiter = this.#waiters.get(key);
    if (!waiter) return;
    waiter.arrived({ outcome: 'channel', error: 'cancelled', at: Date.now() });
    this.#send({ cancel: key });
  }

  report(report: unknown): void {
    this.#send({ report });
  }

  close(): void {
    this.#fail('closed');
    this.#socket.close();
  }

  /** Sends a frame; the reason when it cannot be sent (k6 throws on a socket that is no longer open). */
  #send(message: unknown): string | undefined {
    if (this.#closedWith) return this.#closedWith;
    try {
      this.#socket.send(JSON.stringify(message));
      return undefined;
    } catch (error) {
      return `the notification channel cannot send: ${String(error)}`;
    }
  }

  #onMessage(data: unknown): void {
    let message: { key?: unknown; expecting?: unknown; kind?: unknown; timeout?: unknown; error?: unknown };
    try {
      message = JSON.parse(String(data)) as typeof message;
    } catch {
      return;
    }
    const waiter = typeof message.key === 'string' ? this.#waiters.get(message.key) : undefined;
    if (!waiter) return;
    const at = Date.now();
    if (message.expecting === true) waiter.acked();
    else if (message.kind === 'success' || message.kind === 'error') waiter.arrived({ outcome: 'callback', callback: message as unknown as CallbackNotification, at });
    else if (message.timeout === true) waiter.arrived({ outcome: 'timeout', at });
    else if (typeof message.error === 'string') {
      waiter.acked(message.error);
      waiter.arrived({ outcome: 'channel', error: message.error, at });
    }
  }

  #fail(reason: string): void {
    if (this.#closedWith) return;
    this.#closedWith = reason;
    const at = Date.now();
    for (const waiter of [...this.#waiters.values()]) {
      waiter.acked(reason);
      waiter.arrived({ outcome: 'channel', error: reason, at });
    }
  }
}
