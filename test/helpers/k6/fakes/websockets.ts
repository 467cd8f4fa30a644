import { backend, recorder, type FakeSocketHandle } from '../recorder.ts';

type Listener = (event: { data?: string; error?: string }) => void;

/** k6/websockets `WebSocket`: records connect / send / receive / close; the backend plays the server. */
export class WebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly url: string;
  readyState = 0;
  readonly #listeners = new Map<string, Listener[]>();

  constructor(url: string) {
    this.url = url;
    recorder.calls.push({ module: 'k6/websockets', event: 'connect', url });
    const socket = this;
    const handle: FakeSocketHandle = {
      url,
      deliver(data) {
        if (socket.readyState !== 1) return;
        recorder.calls.push({ module: 'k6/websockets', event: 'receive', url, data });
        socket.#emit('message', { data });
      },
      open() {
        socket.readyState = 1;
        socket.#emit('open', {});
      },
      fail(error) {
        socket.#emit('error', { error });
        socket.readyState = 3;
        socket.#emit('close', {});
      },
      closeFromServer() {
        socket.readyState = 3;
        socket.#emit('close', {});
      },
    };
    this.#handle = handle;
    // Like k6: the connection is established after the constructor returns.
    setImmediate(() => backend().connect(handle));
  }

  readonly #handle: FakeSocketHandle;

  addEventListener(event: string, listener: Listener): void {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error(`InvalidStateError: send() on a WebSocket in state ${this.readyState}`);
    recorder.calls.push({ module: 'k6/websockets', event: 'send', url: this.url, data });
    backend().send(this.#handle, data);
  }

  close(): void {
    if (this.readyState >= 2) return;
    recorder.calls.push({ module: 'k6/websockets', event: 'close', url: this.url });
    this.readyState = 3;
    backend().close(this.#handle);
    setImmediate(() => this.#emit('close', {}));
  }

  #emit(event: string, payload: { data?: string; error?: string }): void {
    for (const listener of this.#listeners.get(event) ?? []) listener(payload);
  }
}

export default { WebSocket };
