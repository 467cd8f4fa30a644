import { Agent, request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { DfspCredentials } from '../fspiop/credentials.ts';
import { redactUrl } from '../support/url.ts';

/** One request as it goes out: the body as the exact text sent (a signature covers these bytes). */
export interface PlainRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** The hub's synchronous answer, or why there was none (never a secret in it). */
export type PlainAnswer = { status: number; body: string; location?: string } | { error: string; code?: string };

/** What the token endpoint gave for a scope: a token (kept out of every message), or its refusal. */
export type TokenAnswer =
  | { token: string; grantedScope?: string }
  | { refused: string };

const MAX_ANSWER_CHARS = 4096;

/**
 * The security probe's own way to the hub, as our DFSP: the client certificate of the
 * credentials on every connection, a bearer token when OAuth2 is configured — so that a probe can
 * leave out exactly one thing (the signature, the right scope) and nothing else. Kept apart from
 * the payer's transport on purpose: a probe must be able to send what the transport never would.
 * Tokens are used and dropped, never put in a message.
 */
export class CredentialedClient {
  readonly #credentials: DfspCredentials | undefined;
  readonly #timeoutMs: number;
  readonly #agent: Agent;
  #token: Promise<TokenAnswer> | undefined;

  constructor(credentials: DfspCredentials | undefined, timeoutMs: number, options: { verifyServer?: boolean } = {}) {
    this.#credentials = credentials;
    this.#timeoutMs = timeoutMs;
    const tls = credentials?.tls;
    this.#agent = new Agent({
      keepAlive: false,
      rejectUnauthorized: options.verifyServer ?? true,
      ...(tls ? { cert: tls.certPem, key: tls.keyPem } : {}),
      ...(tls?.caPem ? { ca: tls.caPem } : {}),
      ...(tls?.serverName ? { servername: tls.serverName } : {}),
    });
  }

  /** A client with nothing at all to present, that does not check the server's certificate either: what anyone on the network can send. */
  static anonymous(timeoutMs: number): CredentialedClient {
    return new CredentialedClient(undefined, timeoutMs, { verifyServer: false });
  }

  get credentials(): DfspCredentials | undefined {
    return this.#credentials;
  }

  /** What the requests present, in words for evidence: "client certificate, bearer token", or "nothing". */
  get presents(): string {
    const parts = [this.#credentials?.tls ? 'our client certificate' : '', this.#credentials?.oauth2 ? 'a bearer token' : ''].filter(Boolean);
    return parts.length > 0 ? parts.join(' and ') : 'no client certificate and no token (none configured)';
  }

  /**
   * Sends `request` with our client certificate and, when OAuth2 is configured, the configured
   * scope's token — or `token` instead of it. A token that could not be had is a failure named
   * after the endpoint.
   */
  async send(request: PlainRequest, token?: string): Promise<PlainAnswer> {
    const bearer = token ?? await this.#configuredToken();
    if (bearer && typeof bearer === 'object' && 'refused' in bearer) return { error: bearer.refused, code: 'TOKEN_REFUSED' };
    return this.#http(request.url, { method: request.method, headers: { ...request.headers, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) } }, request.body);
  }

  /**
   * A token for `scope` (default: the configured one) from the configured token endpoint;
   * undefined without OAuth2. The client authenticates with HTTP Basic (RFC 6749 §2.3.1, what
   * every server must take) or, `body`, with client_id and client_secret as form fields.
   */
  async token(scope?: string, authentication: 'basic' | 'body' = 'basic'): Promise<TokenAnswer | undefined> {
    const oauth2 = this.#credentials?.oauth2;
    if (!oauth2) return undefined;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (authentication === 'basic') {
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(oauth2.clientId)}:${encodeURIComponent(oauth2.clientSecret)}`).toString('base64')}`;
    } else {
      form.set('client_id', oauth2.clientId);
      form.set('client_secret', oauth2.clientSecret);
    }
    const wanted = scope ?? oauth2.scope;
    if (wanted) form.set('scope', wanted);
    const answer = await this.#http(oauth2.tokenUrl, { method: 'POST', headers }, form.toString());
    const endpoint = `token endpoint ${redactUrl(oauth2.tokenUrl)}`;
    if ('error' in answer) return { refused: `${endpoint} did not answer: ${answer.error}` };
    let parsed: { access_token?: unknown; scope?: unknown; error?: unknown } = {};
    try {
      parsed = JSON.parse(answer.body) as typeof parsed;
    } catch {
      // Not JSON: refused below with the status alone.
    }
    if (answer.status !== 200 || typeof parsed.access_token !== 'string') {
      return { refused: `${endpoint} answered HTTP ${answer.status}${typeof parsed.error === 'string' ? ` (${parsed.error.slice(0, 60)})` : ''}` };
    }
    return { token: parsed.access_token, ...(typeof parsed.scope === 'string' ? { grantedScope: parsed.scope } : {}) };
  }

  close(): void {
    this.#agent.destroy();
  }

  async #configuredToken(): Promise<string | TokenAnswer | undefined> {
    if (!this.#credentials?.oauth2) return undefined;
    this.#token ??= this.token().then((answer) => answer!);
    const answer = await this.#token;
    return 'token' in answer ? answer.token : answer;
  }

  #http(url: string, options: { method: string; headers: Record<string, string> }, body?: string): Promise<PlainAnswer> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    const headers = { ...options.headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) };
    return new Promise((resolve) => {
      const outgoing = send(target, { method: options.method, headers, ...(secure ? { agent: this.#agent } : {}), timeout: this.#timeoutMs }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < MAX_ANSWER_CHARS) text += chunk;
        });
        const location = response.headers.location;
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text.slice(0, MAX_ANSWER_CHARS), ...(location ? { location } : {}) }));
        response.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.message, ...(error.code ? { code: error.code } : {}) }));
      });
      outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error(`no answer within ${this.#timeoutMs} ms`), { code: 'TIMEOUT' })));
      outgoing.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.message.split('\n')[0]!, ...(error.code ? { code: error.code } : {}) }));
      outgoing.end(body);
    });
  }
}
