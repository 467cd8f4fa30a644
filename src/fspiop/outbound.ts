import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { descriptorLimit } from '../support/descriptor-limit.ts';
import { fspiopHeaders, type FspiopResource } from './headers.ts';

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  resource: FspiopResource;
  source: string;
  destination?: string | undefined;
  body?: unknown;
  /** The whole exchange, a resend on a fresh connection included. */
  timeoutMs: number;
  /** Extra or overriding headers (a relaying hub passes the original FSPIOP headers through). */
  headers?: Record<string, string>;
  /** Aborts the request early, e.g. when its owner shuts down. */
  signal?: AbortSignal;
  /**
   * Treat a reused connection that starts no answer within REUSED_CONNECTION_ANSWER_MS as dead and
   * resend (default on). For callbacks to DFSPs, which may vanish behind a proxy; off for requests
   * to a hub under test, whose acknowledgement may be slow under load and must not be sent twice.
   */
  detectSilentPeer?: boolean;
  /**
   * Send once more on a fresh connection when a kept-alive one closed before any answer (default
   * on: FSPIOP's duplicate rules make it safe). Off for APIs without those rules (the admin API).
   */
  resendOnClosedConnection?: boolean;
  /** The most of an answer kept (default MAX_RESPONSE_BYTES); a longer one aborts the request. */
  maxResponseBytes?: number;
}

export interface OutboundResult {
  status: number;
  body: string;
  contentType: string | undefined;
  elapsedMs: number;
  /** Why the request was sent a second time, on a fresh connection, when it was. */
  resent?: string;
  /** The headers sent, a signature included — an Authorization header never (a secret). */
  sentHeaders: Record<string, string>;
}

/**
 * An FSPIOP answer is an acknowledgement (202, an empty or error body of a few hundred bytes), the
 * bulk comes in callbacks, which the callback server caps (callback.maxBodyBytes, 64 KiB by
 * default). An answer kept whole whatever its size lets a broken or hostile peer that never ends
 * its body fill our memory (gigabytes in seconds); past this cap the request is aborted.
 */
export const MAX_RESPONSE_BYTES = 65_536;

/**
 * A request that got no usable HTTP answer: `code` is the socket's (ECONNREFUSED, ECONNRESET, …),
 * TIMEOUT, STALE_CONNECTION, or RESPONSE_TOO_LARGE.
 */
export class OutboundError extends Error {
  override readonly name = 'OutboundError';
  readonly code: string;
  constructor(message: string, code: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/**
 * How long a kept-alive connection may wait in the pool for its next request before we close it
 * ourselves. It must stay below the keep-alive timeout of every server we talk to (Node's is 5 s),
 * so that we, not the server, close an idle connection: a server closing it while we reuse it is
 * the classic reset on reuse. Node's agent applies a server's `Keep-Alive: timeout=N` hint only
 * when it has a timeout of its own to lower — without this, the hint is ignored and an idle socket
 * is kept forever, however long ago its peer went away.
 */
export const POOL_IDLE_MS = 2_000;

/**
 * A request sent on a reused kept-alive connection must begin to be answered within this (or half
 * its timeout, if shorter). A connection whose peer went away without closing it (a frozen or
 * killed process behind a port-forward, proxy or NAT that keeps our side open) accepts the request
 * and never answers: without this, every request drawing such a socket from the pool waits out
 * its whole timeout and is lost. FSPIOP answers are acknowledgements (200/202), sent before any work.
 */
export const REUSED_CONNECTION_ANSWER_MS = 2_000;

// Kept-alive connections, one pool per transport (the plain one shared by the whole process): under
// load every exchange would otherwise pay a TCP (and TLS) handshake. LIFO hands out the most
// recently used connection, so under a steady load the few busy ones stay warm and the rest go idle
// and are closed after POOL_IDLE_MS.
//
// Connections per peer are bounded: under a load the peer cannot keep up with, further requests
// wait in the agent's queue (still within their own timeout) instead of each opening a socket
// until the process runs out of descriptors. An embedded run has four peers in one process (payer
// → hub, hub → payer callbacks, hub → payee, payee → hub), each connection two descriptors there.
export const MAX_SOCKETS_PER_PEER = Math.max(8, Math.min(256, Math.floor(descriptorLimit().limit / 16)));
const agentOptions = { keepAlive: true, timeout: POOL_IDLE_MS, scheduling: 'lifo', maxSockets: MAX_SOCKETS_PER_PEER } as const;

/** A transport's connection pools, one per scheme; the https one carries its TLS identity and trust. */
export interface OutboundAgents {
  'http:': HttpAgent;
  'https:': HttpsAgent;
}

/** What an https pool presents and trusts: our client certificate and key, the CA bundle, the name checked. */
export interface OutboundTls {
  certPem?: string | undefined;
  keyPem?: string | undefined;
  caPem?: string | undefined;
  serverName?: string | undefined;
}

/** Pools with the pooling rules above; `tls` sets the https pool's certificate, key, CA and server name. */
export function createAgents(tls?: OutboundTls): OutboundAgents {
  const https = tls ? {
    ...(tls.certPem ? { cert: tls.certPem, key: tls.keyPem } : {}),
    ...(tls.caPem ? { ca: tls.caPem } : {}),
    ...(tls.serverName ? { servername: tls.serverName } : {}),
  } : {};
  return { 'http:': new HttpAgent(agentOptions), 'https:': new HttpsAgent({ ...agentOptions, ...https }) };
}

/**
 * What a request goes through besides the network: the pools it uses and, when it carries
 * credentials, the step that serialises its body and completes its headers (a bearer token, a
 * signature over the exact bytes sent). `seal` runs once per request, before any resend, so a resend
 * carries the same bytes and signature. Built from credentials by `FspiopTransport`.
 */
export interface OutboundTransport {
  readonly agents: OutboundAgents;
  /**
   * Returns the body to send and adds public headers (FSPIOP-Signature, FSPIOP-URI) to `headers`;
   * `privateHeaders` (Authorization) go on the wire only, never into the headers a result reports.
   */
  seal?(request: OutboundRequest, headers: Record<string, string>): Promise<{ body: string | undefined; privateHeaders?: Record<string, string> }>;
}

/** The process's plain transport: no credentials, shared pools — what every sender used before credentials existed. */
export const PLAIN_TRANSPORT: OutboundTransport = { agents: createAgents() };

/** Socket errors that mean the other side closed the connection before it answered anything. */
const CLOSED_BEFORE_ANSWER = new Set(['ECONNRESET', 'EPIPE']);
/** Failures that say nothing good about the other idle connections to the same peer. */
const PEER_GONE = new Set([...CLOSED_BEFORE_ANSWER, 'STALE_CONNECTION', 'ECONNREFUSED']);

/** Failures of a connection before any byte of an answer: the connection's fault, not the request's. */
const resendable = new WeakSet<OutboundError>();

/**
 * Sends one FSPIOP request with the versioned headers and a hard timeout over the whole exchange.
 * node:http rather than fetch: several times less CPU per request, which is what a load runner
 * and a hub on the same two cores are made of. A kept-alive connection the other side closed
 * before answering, or that gave no answer at all within REUSED_CONNECTION_ANSWER_MS, is the
 * connection's fault, not the request's: the request is sent once more on a fresh connection
 * within what is left of its timeout (FSPIOP's duplicate rules make a resend with the same id
 * safe), and the result says so. A second failure is the other side's.
 */
export async function sendFspiop(request: OutboundRequest, transport: OutboundTransport = PLAIN_TRANSPORT): Promise<OutboundResult> {
  const started = performance.now();
  const headers: Record<string, string> = {
    ...fspiopHeaders({ resource: request.resource, source: request.source, destination: request.destination, isCallback: request.method === 'PUT' }),
    ...request.headers,
  };
  return sendHttp(request, headers, transport, started);
}

/**
 * Sends one HTTP request with these headers through the transport, with the timeout, size and
 * resend rules of `sendFspiop` (which is this with the FSPIOP headers); the admin API's client
 * uses it with its own.
 */
export async function sendHttp(request: Omit<OutboundRequest, 'resource' | 'source' | 'destination'>, headers: Record<string, string>, transport: OutboundTransport = PLAIN_TRANSPORT,
  started = performance.now()): Promise<OutboundResult> {
  let body: string | undefined;
  let wire = headers;
  if (transport.seal) {
    const sealed = await transport.seal(request as OutboundRequest, headers);
    body = sealed.body;
    if (sealed.privateHeaders) wire = { ...headers, ...sealed.privateHeaders };
  } else if (request.body !== undefined) body = JSON.stringify(request.body);
  const wireRequest: WireRequest = { ...request, wireHeaders: wire, bodyText: body, agents: transport.agents };
  try {
    const result = await sendOnce(wireRequest, started, request.timeoutMs, false);
    return { ...result, sentHeaders: headers };
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    // The other idle connections to this peer date from before whatever happened to it.
    if (PEER_GONE.has(error.code)) dropIdleConnections(transport.agents, new URL(request.url));
    const remainingMs = request.timeoutMs - (performance.now() - started);
    if (!resendable.has(error) || request.resendOnClosedConnection === false || request.signal?.aborted || remainingMs <= 0) throw error;
    const result = await sendOnce(wireRequest, started, remainingMs, true);
    const why = error.code === 'STALE_CONNECTION'
      ? `the kept-alive connection gave no answer within ${reusedAnswerMs(request.timeoutMs)} ms (its peer is presumed gone)`
      : `the connection was closed before any answer (${error.code})`;
    return { ...result, sentHeaders: headers, resent: `${why}; sent again on a fresh connection` };
  }
}

function reusedAnswerMs(timeoutMs: number): number {
  return Math.min(REUSED_CONNECTION_ANSWER_MS, Math.floor(timeoutMs / 2));
}

/** A request as it goes on the wire: its headers complete, its body serialised once. */
interface WireRequest extends Omit<OutboundRequest, 'resource' | 'source' | 'destination' | 'headers'> {
  wireHeaders: Record<string, string>;
  bodyText: string | undefined;
  agents: OutboundAgents;
}

function sendOnce(request: WireRequest, started: number, timeoutMs: number, freshConnection: boolean): Promise<Omit<OutboundResult, 'sentHeaders'>> {
  const url = new URL(request.url);
  const body = request.bodyText;
  const headers: Record<string, string | number> = { ...request.wireHeaders };
  if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let answered = false;
    let staleTimer: NodeJS.Timeout | undefined;
    // A fresh connection keeps the pool's TLS identity: it is made by the same agent's options, outside its pool.
    const pool = request.agents[url.protocol as 'http:' | 'https:'];
    const agent = freshConnection ? false : pool;
    const identity = freshConnection && url.protocol === 'https:' ? tlsIdentityOf(pool as HttpsAgent) : {};
    const outgoing: ClientRequest = send(url, { method: request.method, headers, agent, ...identity, ...(request.signal ? { signal: request.signal } : {}) },
      (response: IncomingMessage) => {
        answered = true;
        clearTimeout(staleTimer);
        const limit = request.maxResponseBytes ?? MAX_RESPONSE_BYTES;
        const tooLarge = () => outgoing.destroy(new OutboundError(
          `response to ${request.method} ${url.pathname} from ${url.host} exceeded ${limit} bytes; the request was aborted (an FSPIOP answer is an acknowledgement of a few hundred bytes)`,
          'RESPONSE_TOO_LARGE'));
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > limit) {
          tooLarge();
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limit) tooLarge();
          else chunks.push(chunk);
        });
        response.on('end', () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), contentType: response.headers['content-type'], elapsedMs: performance.now() - started });
        });
        response.on('error', (error) => fail(error));
      });
    const timer = setTimeout(() => outgoing.destroy(new OutboundError(`no answer within ${request.timeoutMs} ms`, 'TIMEOUT')), timeoutMs);
    // Known only once the agent has handed out the socket: a reused one must prove its peer is still there.
    outgoing.once('socket', () => {
      if (!outgoing.reusedSocket || answered || request.detectSilentPeer === false) return;
      const ms = reusedAnswerMs(request.timeoutMs);
      staleTimer = setTimeout(() => outgoing.destroy(new OutboundError(`no answer on a reused kept-alive connection within ${ms} ms`, 'STALE_CONNECTION')), ms);
    });
    const fail = (error: Error) => {
      clearTimeout(timer);
      clearTimeout(staleTimer);
      const failure = error instanceof OutboundError ? error : new OutboundError(error.message, (error as NodeJS.ErrnoException).code ?? error.name, { cause: error });
      if (!answered && (CLOSED_BEFORE_ANSWER.has(failure.code) || failure.code === 'STALE_CONNECTION')) resendable.add(failure);
      reject(failure);
    };
    outgoing.on('error', fail);
    outgoing.end(body);
  });
}

/** The TLS options an https pool was made with, for a connection made outside it. */
function tlsIdentityOf(agent: HttpsAgent): Record<string, unknown> {
  const { cert, key, ca, servername } = agent.options;
  return Object.fromEntries(Object.entries({ cert, key, ca, servername }).filter(([, value]) => value !== undefined));
}

/** Closes the idle pooled connections to the peer of `url` (busy ones finish or fail on their own). */
function dropIdleConnections(agents: OutboundAgents, url: URL): void {
  const agent = agents[url.protocol as 'http:' | 'https:'];
  if (!agent) return;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  // The agent names its pools host:port:…; a URL writes an IPv6 host in brackets, the agent does not.
  const prefix = `${url.hostname.replace(/^\[(.*)\]$/, '$1')}:${port}:`;
  for (const [name, sockets] of Object.entries(agent.freeSockets)) {
    if (name.startsWith(prefix)) for (const socket of sockets ?? []) socket.destroy();
  }
}
