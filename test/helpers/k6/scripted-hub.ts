import { createHash, randomBytes } from 'node:crypto';
import type { FakeResponse, FakeSocketHandle, K6Backend, K6Call } from './recorder.ts';

type HttpCall = Extract<K6Call, { module: 'k6/http' }>;

/** How the scripted hub answers one request: the HTTP status, then the callback (or none). */
export interface Answer {
  status: number;
  callback?: { kind: 'success' | 'error'; body: unknown } | 'timeout' | 'none';
}

/**
 * A hub and notification channel in one, scripted: every expectation is confirmed at once, every
 * request is answered 202 and its callback delivered over the socket that awaits it — a party, a
 * quote whose condition is SHA-256 of a fresh fulfilment, a COMMITTED transfer with that
 * fulfilment. `override` changes the answer to one request (errors, timeouts, wrong bodies).
 */
export class ScriptedHub implements K6Backend {
  readonly expectations: Array<{ key: string; timeoutMs: number }> = [];
  readonly cancelled: string[] = [];
  readonly reports: unknown[] = [];
  readonly #waiting = new Map<string, FakeSocketHandle>();
  readonly #fulfilments = new Map<string, string>();
  readonly #payeeFsp: string;
  readonly #override: ((call: HttpCall, key: string) => Answer | undefined) | undefined;

  constructor(options: { payeeFsp: string; override?: (call: HttpCall, key: string) => Answer | undefined }) {
    this.#payeeFsp = options.payeeFsp;
    this.#override = options.override;
  }

  connect(socket: FakeSocketHandle): void {
    socket.open();
  }

  send(socket: FakeSocketHandle, data: string): void {
    const message = JSON.parse(data) as { expect?: string; timeoutMs?: number; cancel?: string; report?: unknown };
    if (message.expect) {
      this.expectations.push({ key: message.expect, timeoutMs: message.timeoutMs! });
      this.#waiting.set(message.expect, socket);
      setImmediate(() => socket.deliver(JSON.stringify({ key: message.expect, expecting: true })));
    } else if (message.cancel) {
      this.cancelled.push(message.cancel);
      this.#waiting.delete(message.cancel);
    } else if (message.report) {
      this.reports.push(message.report);
    }
  }

  close(): void {}

  async request(call: HttpCall): Promise<FakeResponse> {
    const key = keyOf(call);
    const answer = this.#override?.(call, key) ?? { status: 202, callback: this.#callback(call, key) };
    const socket = this.#waiting.get(key);
    if (answer.status === 202 && socket && answer.callback !== 'none') {
      const message = answer.callback === 'timeout' || answer.callback === undefined
        ? { key, timeout: true }
        : { key, kind: answer.callback.kind, body: answer.callback.body, headers: { 'fspiop-source': 'switch', 'fspiop-destination': call.headers['fspiop-source'] } };
      // The callback arrives after the 202, as from a hub.
      setImmediate(() => {
        this.#waiting.delete(key);
        socket.deliver(JSON.stringify(message));
      });
    }
    return { status: answer.status, body: answer.status === 202 ? '' : '{"errorInformation":{"errorCode":"2001","errorDescription":"Internal server error"}}' };
  }

  #callback(call: HttpCall, key: string): Answer['callback'] {
    const body = call.body ? JSON.parse(call.body) as Record<string, unknown> : undefined;
    if (key.startsWith('parties:')) {
      const [type, id] = key.slice('parties:'.length).split('/');
      return { kind: 'success', body: { party: { partyIdInfo: { partyIdType: type, partyIdentifier: id, fspId: this.#payeeFsp }, name: 'Mats Hagman' } } };
    }
    if (key.startsWith('quotes:')) {
      const fulfilment = randomBytes(32).toString('base64url');
      const condition = createHash('sha256').update(Buffer.from(fulfilment, 'base64url')).digest('base64url');
      this.#fulfilments.set(condition, fulfilment);
      return {
        kind: 'success',
        body: { transferAmount: body!.amount, expiration: new Date(Date.now() + 60_000).toISOString(), ilpPacket: `ilp-packet-for-${String(body!.quoteId)}`, condition },
      };
    }
    const fulfilment = this.#fulfilments.get(String(body!.condition));
    return { kind: 'success', body: { transferState: 'COMMITTED', fulfilment, completedTimestamp: new Date().toISOString() } };
  }
}

/** The correlation key of a request, as the notification channel names it. */
export function keyOf(call: HttpCall): string {
  const path = new URL(call.url).pathname;
  const party = /\/parties\/([^/]+)\/([^/]+)$/.exec(path);
  if (party) return `parties:${decodeURIComponent(party[1]!)}/${decodeURIComponent(party[2]!)}`;
  const body = JSON.parse(call.body ?? '{}') as { quoteId?: string; transferId?: string };
  if (path.endsWith('/quotes')) return `quotes:${body.quoteId}`;
  if (path.endsWith('/transfers')) return `transfers:${body.transferId}`;
  throw new Error(`the scripted hub does not know ${call.method} ${path}`);
}
