import { WebSocket } from 'ws';
import type { FakeResponse, FakeSocketHandle, K6Backend, K6Call } from './recorder.ts';

/**
 * Plays k6's network for real: HTTP requests with fetch, WebSockets with `ws`. A script run on
 * this backend talks to a real hub and a real notification channel, while every call is still
 * recorded.
 */
export class LiveBackend implements K6Backend {
  readonly #sockets = new Map<FakeSocketHandle, WebSocket>();

  async request(call: Extract<K6Call, { module: 'k6/http' }>): Promise<FakeResponse> {
    try {
      const response = await fetch(call.url, { method: call.method, headers: call.headers, body: call.body ?? undefined, signal: AbortSignal.timeout(Number(call.params.timeout ?? 10_000)) });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      return { status: 0, error: (error as Error).message, error_code: 1000 };
    }
  }

  connect(socket: FakeSocketHandle): void {
    const ws = new WebSocket(socket.url);
    this.#sockets.set(socket, ws);
    ws.on('open', () => socket.open());
    ws.on('message', (data) => socket.deliver(String(data)));
    ws.on('error', (error) => socket.fail(error.message));
    ws.on('close', () => {
      this.#sockets.delete(socket);
      socket.closeFromServer();
    });
  }

  send(socket: FakeSocketHandle, data: string): void {
    this.#sockets.get(socket)?.send(data);
  }

  close(socket: FakeSocketHandle): void {
    this.#sockets.get(socket)?.close();
  }

  /** Connections still open (the script must close each one it opened). */
  get open(): number {
    return this.#sockets.size;
  }
}
