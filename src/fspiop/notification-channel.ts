import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ReceivedCallback } from './callback-correlator.ts';
import type { CallbackServer } from './callback-server.ts';

/**
 * A WebSocket notification channel on the payer's callback port, for load generators that cannot
 * receive an HTTP callback themselves (k6). The generator says which callback it awaits before it
 * sends the FSPIOP request; the callback server checks the callback exactly as for the in-process
 * driver (path, id, media type, FSPIOP-Source / FSPIOP-Destination) and the channel relays only
 * what the correlator accepted, so a forged callback never reaches a client.
 *
 * Protocol (JSON text frames), path `/notifications?token=…`:
 *
 * client → server
 *   `{"expect": "<key>", "timeoutMs": N}`  keys as `CallbackCorrelator.key` makes them:
 *                                          `parties:<type>/<id>`, `quotes:<id>`, `transfers:<id>`
 *   `{"cancel": "<key>"}`                  the request was not accepted: stop waiting, no timeout recorded
 *   `{"report": IterationReport}`          what one iteration did (for time-resolved figures, progress)
 * server → client
 *   `{"key", "expecting": true}`           the expectation is registered: send the request now
 *   `{"key", "kind": "success"|"error", "body", "headers": {"fspiop-source", "fspiop-destination"}}`
 *   `{"key", "timeout": true}`             no acceptable callback within timeoutMs
 *   `{"key"?, "error": "…"}`               a message the server could not take (or the server stopped)
 *
 * A client that disconnects cancels everything it still waits for (`correlator.pending` drops
 * back). Upgrades on any other path, or without the channel's token, are refused.
 */

export const NOTIFICATION_PATH = '/notifications';

/** The correlation keys a client may wait for, as `CallbackCorrelator.key` makes them. */
const KEY = /^(parties:[^/\s]+\/\S+|quotes:\S+|transfers:\S+)$/;

export type NotificationMessage =
  | { key: string; expecting: true }
  | { key: string; kind: 'success' | 'error'; body: unknown; headers: { 'fspiop-source': string | undefined; 'fspiop-destination': string | undefined } }
  | { key: string; timeout: true }
  | { key?: string; error: string };

/** One iteration of a load generator, as it reports it when the iteration ends. */
export interface IterationReport {
  /** The load run it belongs to (k6: RUN_ID), when the generator names it. */
  run?: string;
  /** The generator's scenario (k6: `warmup`, `steady`, `drain`). */
  scenario: string;
  /** Start and end of the iteration, ms since the start of the load. */
  startMs: number;
  endMs: number;
  ok: boolean;
  /** The phase that failed and why ("lookups", "timeout"), when not ok. */
  phase?: string;
  reason?: string;
  /** Request sent → callback received per completed phase, ms. */
  phasesMs?: Record<string, number>;
  /** First request sent → last callback received, ms, when every phase succeeded. */
  iterationMs?: number;
  /** The transfer the payer saw COMMITTED. */
  committedTransferId?: string;
}

export interface NotificationChannelOptions {
  /** Shared secret a client must present as `?token=`; a random one by default. */
  token?: string;
  /** Longest wait a client may ask for. Default 10 minutes. */
  maxTimeoutMs?: number;
  /** Waits one client may have open at once. Default 256. */
  maxPendingPerClient?: number;
  /** Largest frame a client may send. Default 64 KiB. */
  maxPayloadBytes?: number;
}

export interface NotificationChannel {
  /** The secret clients present; part of `urlFor`. */
  readonly token: string;
  /** Clients connected now. */
  readonly clients: number;
  /** The channel's WebSocket URL on a callback server URL (`http://h:p` → `ws://h:p/notifications?token=…`). */
  urlFor(callbackServerUrl: string): string;
  /** Iteration reports, as clients send them; returns the unsubscribe function. */
  onReport(listener: (report: IterationReport) => void): () => void;
  /**
   * Disconnects every client (their waits are cancelled) and stops accepting new ones. Call it
   * before `CallbackServer.stop()`: an upgraded socket is no longer the HTTP server's, so the
   * server's close would otherwise wait for it.
   */
  close(): Promise<void>;
}

interface Pending {
  cancel(): void;
}

/** Attaches the channel to a callback server; call before `callbackServer.start()`. */
export function attachNotificationChannel(callbackServer: CallbackServer, options: NotificationChannelOptions = {}): NotificationChannel {
  const token = options.token ?? randomBytes(18).toString('base64url');
  const maxTimeoutMs = options.maxTimeoutMs ?? 600_000;
  const maxPending = options.maxPendingPerClient ?? 256;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 65_536 });
  const listeners = new Set<(report: IterationReport) => void>();
  let closed = false;

  callbackServer.onUpgrade((request, socket, head) => {
    const refusal = closed ? '503 Service Unavailable' : refuse(request, token);
    if (refusal) {
      rejectUpgrade(socket, refusal);
      return;
    }
    wss.handleUpgrade(request, socket, head, (client) => serve(client));
  });

  function serve(client: WebSocket): void {
    const pending = new Map<string, Pending[]>();
    let open = true;
    const send = (message: NotificationMessage) => {
      if (open && client.readyState === client.OPEN) client.send(JSON.stringify(message));
    };
    const settle = (key: string, entry: Pending) => {
      const queue = pending.get(key);
      const index = queue?.indexOf(entry) ?? -1;
      if (index >= 0) queue!.splice(index, 1);
      if (queue?.length === 0) pending.delete(key);
    };
    const count = () => [...pending.values()].reduce((sum, queue) => sum + queue.length, 0);

    client.on('message', (data: RawData, isBinary: boolean) => {
      const message = isBinary ? undefined : parse(data);
      if (!message) return send({ error: 'expected a JSON object: {"expect": key, "timeoutMs": N}, {"cancel": key} or {"report": {...}}' });
      if ('report' in message) {
        const report = asReport(message.report);
        if (!report) return send({ error: 'a report needs scenario, startMs, endMs and ok' });
        for (const listener of listeners) listener(report);
        return undefined;
      }
      if ('cancel' in message) {
        const entry = typeof message.cancel === 'string' ? pending.get(message.cancel)?.[0] : undefined;
        if (entry) {
          entry.cancel();
          settle(message.cancel as string, entry);
        }
        return undefined;
      }
      const { expect: key, timeoutMs } = message as { expect?: unknown; timeoutMs?: unknown };
      if (typeof key !== 'string' || !KEY.test(key)) {
        return send({ ...(typeof key === 'string' ? { key } : {}), error: 'expect needs a correlation key: parties:<type>/<id>, quotes:<id> or transfers:<id>' });
      }
      if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > maxTimeoutMs) {
        return send({ key, error: `timeoutMs must be a number of milliseconds in (0, ${maxTimeoutMs}]` });
      }
      if (count() >= maxPending) return send({ key, error: `at most ${maxPending} waits per connection` });
      const expectation = callbackServer.correlator.expect(key, timeoutMs);
      const entry: Pending = { cancel: expectation.cancel };
      pending.set(key, [...(pending.get(key) ?? []), entry]);
      expectation.callback.then(
        (callback) => {
          settle(key, entry);
          send(notification(callback));
        },
        (error: Error) => {
          settle(key, entry);
          send(error.name === 'CallbackTimeoutError' ? { key, timeout: true } : { key, error: error.message });
        },
      );
      send({ key, expecting: true });
      return undefined;
    });

    const cancelAll = () => {
      if (!open) return;
      open = false;
      for (const queue of pending.values()) for (const entry of queue) entry.cancel();
      pending.clear();
    };
    client.on('close', cancelAll);
    client.on('error', () => {
      cancelAll();
      client.terminate();
    });
  }

  return {
    token,
    get clients() {
      return wss.clients.size;
    },
    urlFor(callbackServerUrl: string): string {
      const url = new URL(callbackServerUrl);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      url.pathname = `${url.pathname.replace(/\/+$/, '')}${NOTIFICATION_PATH}`;
      url.search = '';
      url.searchParams.set('token', token);
      return url.toString();
    },
    onReport(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      // terminate() emits 'close' on each client, which cancels its waits.
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function notification(callback: ReceivedCallback): NotificationMessage {
  return {
    key: callback.key,
    kind: callback.kind,
    body: callback.body,
    headers: { 'fspiop-source': callback.headers['fspiop-source'], 'fspiop-destination': callback.headers['fspiop-destination'] },
  };
}

/** Why an upgrade request is not for this channel, as an HTTP status line; undefined when it is. */
function refuse(request: IncomingMessage, token: string): string | undefined {
  const url = new URL(request.url ?? '/', 'http://callbacks');
  if (url.pathname !== NOTIFICATION_PATH) return '404 Not Found';
  const given = Buffer.from(url.searchParams.get('token') ?? '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return '401 Unauthorized';
  return undefined;
}

function rejectUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function parse(data: RawData): Record<string, unknown> | undefined {
  try {
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

function asReport(value: unknown): IterationReport | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const report = value as Partial<IterationReport>;
  const finite = (n: unknown) => typeof n === 'number' && Number.isFinite(n);
  if (typeof report.scenario !== 'string' || !finite(report.startMs) || !finite(report.endMs) || typeof report.ok !== 'boolean') return undefined;
  return report as IterationReport;
}
