import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { fspiopHeaders, type FspiopResource } from './headers.ts';

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  resource: FspiopResource;
  source: string;
  destination?: string | undefined;
  body?: unknown;
  timeoutMs: number;
  /** Extra or overriding headers (a relaying hub passes the original FSPIOP headers through). */
  headers?: Record<string, string>;
  /** Aborts the request early, e.g. when its owner shuts down. */
  signal?: AbortSignal;
}

export interface OutboundResult {
  status: number;
  body: string;
  contentType: string | undefined;
  elapsedMs: number;
  /** Why the request was sent a second time, on a fresh connection, when it was. */
  resent?: string;
}

/** A request that got no HTTP answer: `code` is the socket's (ECONNREFUSED, ECONNRESET, …) or TIMEOUT. */
export class OutboundError extends Error {
  override readonly name = 'OutboundError';
  readonly code: string;
  constructor(message: string, code: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

// Kept-alive connections, one pool per process: under load every exchange would otherwise pay a TCP (and TLS) handshake.
const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };

/** Socket errors that mean the other side closed the connection before it answered anything. */
const CLOSED_BEFORE_ANSWER = new Set(['ECONNRESET', 'EPIPE']);

/**
 * Sends one FSPIOP request with the versioned headers and a hard timeout over the whole exchange.
 * node:http rather than fetch: several times less CPU per request, which is what a load runner
 * and a hub on the same two cores are made of. A kept-alive connection the other side closed
 * before answering is the connection's fault, not the request's: the request is sent once more on
 * a fresh connection (FSPIOP's duplicate rules make a resend with the same id safe), and the
 * result says so. A second failure is the other side's.
 */
export async function sendFspiop(request: OutboundRequest): Promise<OutboundResult> {
  const started = performance.now();
  try {
    return await sendOnce(request, started, false);
  } catch (error) {
    if (!(error instanceof OutboundError) || !CLOSED_BEFORE_ANSWER.has(error.code) || request.signal?.aborted) throw error;
    const result = await sendOnce(request, started, true);
    return { ...result, resent: `the connection was closed before any answer (${error.code}); sent again on a fresh connection` };
  }
}

function sendOnce(request: OutboundRequest, started: number, freshConnection: boolean): Promise<OutboundResult> {
  const url = new URL(request.url);
  const body = request.body === undefined ? undefined : JSON.stringify(request.body);
  const headers: Record<string, string | number> = {
    ...fspiopHeaders({ resource: request.resource, source: request.source, destination: request.destination, isCallback: request.method === 'PUT' }),
    ...request.headers,
  };
  if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const agent = freshConnection ? false : agents[url.protocol as 'http:' | 'https:'];
    const outgoing = send(url, { method: request.method, headers, agent, ...(request.signal ? { signal: request.signal } : {}) },
      (response: IncomingMessage) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => { text += chunk; });
        response.on('end', () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, body: text, contentType: response.headers['content-type'], elapsedMs: performance.now() - started });
        });
        response.on('error', (error) => fail(error));
      });
    const timer = setTimeout(() => outgoing.destroy(new OutboundError(`no answer within ${request.timeoutMs} ms`, 'TIMEOUT')), request.timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error instanceof OutboundError ? error : new OutboundError(error.message, (error as NodeJS.ErrnoException).code ?? error.name, { cause: error }));
    };
    outgoing.on('error', fail);
    outgoing.end(body);
  });
}
