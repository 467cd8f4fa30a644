import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
    this.limitBytes = limitBytes;
  }
}

/** Reads a request body, refusing to buffer more than `limitBytes`. */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume();
    return Promise.reject(new BodyTooLargeError(limitBytes));
  }
  // Events rather than `for await`: an async iterator per request was a measurable share of a load
  // runner's CPU on its callback server.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      request.resume();
      reject(new BodyTooLargeError(limitBytes));
    };
    request.on('data', onData);
    request.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
    request.once('close', () => {
      if (!request.complete) reject(new Error('the request was aborted before its body ended'));
    });
  });
}

export function sendJson(response: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) return;
  if (body === undefined) {
    response.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}

/** TLS a server is served with: its certificate and key, and whether it demands a client certificate chaining to `caPem`. */
export interface ServerTls {
  certPem: string;
  keyPem: string;
  caPem?: string;
  requireClientCertificate?: boolean;
}

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/**
 * How long an idle kept-alive connection stays open (Node's default is 5 s). Whoever closes an idle
 * connection races the other side reusing it — a request written as the close goes out is reset.
 * The sender should be the one to close: ours closes after POOL_IDLE_MS (2 s, src/fspiop/outbound.ts),
 * and pools that keep connections for a minute are common, so we keep ours a little longer than that.
 * Node announces it (`Keep-Alive: timeout=65`) to senders that honour the hint.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * The one way this project serves HTTP (reference hub, simulated DFSPs, callback server): a handler
 * that throws answers 500 with `onError`'s body instead of crashing; work started after the
 * response (FSPIOP callbacks) is tracked, so `stop()` closes every connection, aborts that work
 * through `signal` and waits for it — no port or task outlives its owner.
 */
export class HttpServer {
  readonly #handler: RequestHandler;
  readonly #errorBody: (error: unknown) => unknown;
  readonly #tls: ServerTls | undefined;
  readonly #shutdown = new AbortController();
  readonly #background = new Set<Promise<unknown>>();
  readonly #upgrades: Array<(request: IncomingMessage, socket: Socket, head: Buffer) => void> = [];
  /** Upgraded connections (WebSocket) leave the HTTP server's books: `stop()` closes them itself. */
  readonly #upgraded = new Set<Socket>();
  #server: Server | undefined;
  #url: string | undefined;

  /** `tls`: serve https (TLS 1.2 or newer) with this certificate, optionally demanding the client's. */
  constructor(handler: RequestHandler, errorBody: (error: unknown) => unknown, options: { tls?: ServerTls | undefined } = {}) {
    this.#handler = handler;
    this.#errorBody = errorBody;
    this.#tls = options.tls;
  }

  /** Aborted when the server stops: pass it to outbound requests and delays. */
  get signal(): AbortSignal {
    return this.#shutdown.signal;
  }

  get url(): string {
    if (!this.#url) throw new Error('the server has not been started');
    return this.#url;
  }

  /** Listens and returns `http://host:port` (`https://` with TLS); rejects with the listen error (EADDRINUSE, …) for the owner to explain. */
  async start(port: number, host: string): Promise<string> {
    const listener = (request: IncomingMessage, response: ServerResponse) => {
      this.#handler(request, response).catch((error: unknown) => sendJson(response, 500, this.#errorBody(error)));
    };
    const tls = this.#tls;
    const server: Server = tls
      ? createHttpsServer({
        cert: tls.certPem, key: tls.keyPem, minVersion: 'TLSv1.2',
        ...(tls.caPem ? { ca: tls.caPem } : {}),
        ...(tls.requireClientCertificate ? { requestCert: true, rejectUnauthorized: true } : {}),
      }, listener)
      : createServer(listener);
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    this.#server = server;
    server.on('upgrade', (_request: IncomingMessage, socket: Socket) => {
      this.#upgraded.add(socket);
      socket.once('close', () => this.#upgraded.delete(socket));
    });
    for (const handler of this.#upgrades) server.on('upgrade', handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        // Once listening, an error is a connection it could not accept (EMFILE: the process is out of
        // descriptors). libuv closes such connections itself, so their senders see a reset and count
        // it; one that still surfaces here must not crash the process (no listener would).
        server.on('error', () => undefined);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.#url = `${tls ? 'https' : 'http'}://${shownHost}:${address.port}`;
    return this.#url;
  }

  /** Handles HTTP upgrade requests (WebSocket); register before `start()`. */
  onUpgrade(handler: (request: IncomingMessage, socket: Socket, head: Buffer) => void): void {
    this.#upgrades.push(handler);
  }

  /** Runs work that continues after the response was sent; failures go to `onFailure`, never unhandled. */
  background(work: () => Promise<void>, onFailure: (error: unknown) => void = () => undefined): void {
    const task = work().catch(onFailure);
    this.#background.add(task);
    void task.finally(() => this.#background.delete(task));
  }

  /**
   * Safe to call twice, and before `start()`. Every connection is closed, idle kept-alive ones
   * included, so a sender's pooled sockets see this server go (and do not outlive it).
   */
  async stop(): Promise<void> {
    this.#shutdown.abort();
    const server = this.#server;
    if (server?.listening) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of this.#upgraded) socket.destroy();
      server.closeAllConnections();
      await closed;
    }
    await Promise.allSettled([...this.#background]);
  }
}
