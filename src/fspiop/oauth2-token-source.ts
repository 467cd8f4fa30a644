import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { systemClock, type Clock } from '../support/clock.ts';
import { redactUrl } from '../support/url.ts';

export interface OAuth2ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string | undefined;
}

export interface OAuth2TokenSourceOptions {
  /**
   * How the client authenticates to the token endpoint (RFC 6749 §2.3.1): `basic` (HTTP Basic, what
   * the RFC asks every server to support — the default) or `body` (client_id and client_secret as
   * form fields, for servers that only take those).
   */
  clientAuthentication?: 'basic' | 'body';
  /** Tokens are renewed this long before they expire (default 30 s, at most half their lifetime). */
  renewBeforeMs?: number;
  /** A token whose answer gives no expires_in is kept this long (default 60 s). */
  defaultLifetimeMs?: number;
  timeoutMs?: number;
  clock?: Clock;
  /** TLS towards the token endpoint: the CA it chains to, our client certificate where it asks for one. */
  tls?: { caPem?: string | undefined; certPem?: string | undefined; keyPem?: string | undefined; serverName?: string | undefined };
}

/**
 * The token endpoint did not give us a token. The message names the endpoint (redacted) and what
 * it answered — the HTTP status and the RFC 6749 `error` field — never the client secret.
 * `refused`: it answered and said no (a credentials problem, the user's); otherwise it could not be reached.
 */
export class TokenRequestError extends Error {
  override readonly name = 'TokenRequestError';
  readonly code: 'TOKEN_REFUSED' | 'TOKEN_UNREACHABLE';
  readonly refused: boolean;
  constructor(message: string, refused: boolean) {
    super(message);
    this.refused = refused;
    this.code = refused ? 'TOKEN_REFUSED' : 'TOKEN_UNREACHABLE';
  }
}

interface CachedToken {
  accessToken: string;
  /** On the clock: when to ask for the next one. */
  renewAt: number;
}

/**
 * OAuth2 client credentials grant (RFC 6749 §4.4): a bearer token for our DFSP, asked for once,
 * kept until shortly before it expires, shared by every concurrent caller — under load thousands
 * of requests a second must not become thousands of token requests.
 */
export class OAuth2TokenSource {
  readonly #credentials: OAuth2ClientCredentials;
  readonly #options: OAuth2TokenSourceOptions;
  readonly #clock: Clock;
  #cached: CachedToken | undefined;
  #pending: Promise<string> | undefined;

  constructor(credentials: OAuth2ClientCredentials, options: OAuth2TokenSourceOptions = {}) {
    this.#credentials = credentials;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** The token endpoint as it may be shown. */
  get endpoint(): string {
    return redactUrl(this.#credentials.tokenUrl);
  }

  /** A current access token: the cached one, or one asked for now (one request however many callers wait). */
  token(): Promise<string> {
    const cached = this.#cached;
    if (cached && this.#clock.now() < cached.renewAt) return Promise.resolve(cached.accessToken);
    this.#pending ??= this.#request().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** Forgets the cached token (the API refused it with 401): the next call asks for a new one. */
  invalidate(): void {
    this.#cached = undefined;
  }

  async #request(): Promise<string> {
    const { clientId, clientSecret, scope } = this.#credentials;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) form.set('scope', scope);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if ((this.#options.clientAuthentication ?? 'basic') === 'basic') {
      // RFC 6749 §2.3.1: each part form-encoded before being joined, then Base64.
      headers.authorization = `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
    } else {
      form.set('client_id', clientId);
      form.set('client_secret', clientSecret);
    }
    const askedAt = this.#clock.now();
    const answer = await this.#post(form.toString(), headers);
    let body: { access_token?: unknown; token_type?: unknown; expires_in?: unknown; error?: unknown } = {};
    try {
      body = JSON.parse(answer.body) as typeof body;
    } catch {
      // Judged below by status and fields.
    }
    if (answer.status !== 200 || typeof body.access_token !== 'string' || body.access_token === '') {
      const said = typeof body.error === 'string' ? ` (error "${body.error.slice(0, 60)}")` : answer.status === 200 ? ' without an access_token' : '';
      throw new TokenRequestError(`the token endpoint ${this.endpoint} refused the client credentials grant for client "${clientId}": HTTP ${answer.status}${said}`, true);
    }
    if (typeof body.token_type === 'string' && body.token_type.toLowerCase() !== 'bearer') {
      throw new TokenRequestError(`the token endpoint ${this.endpoint} issued a "${body.token_type.slice(0, 30)}" token; only bearer tokens can be presented`, true);
    }
    const expiresInMs = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000
      : typeof body.expires_in === 'string' && Number(body.expires_in) > 0 ? Number(body.expires_in) * 1000
        : this.#options.defaultLifetimeMs ?? 60_000;
    const margin = Math.min(this.#options.renewBeforeMs ?? 30_000, expiresInMs / 2);
    this.#cached = { accessToken: body.access_token, renewAt: askedAt + expiresInMs - margin };
    return body.access_token;
  }

  #post(form: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
    const url = new URL(this.#credentials.tokenUrl);
    const timeoutMs = this.#options.timeoutMs ?? 10_000;
    const tls = this.#options.tls;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const tlsOptions = url.protocol === 'https:' && tls
      ? { ...(tls.caPem ? { ca: tls.caPem } : {}), ...(tls.certPem ? { cert: tls.certPem, key: tls.keyPem } : {}), ...(tls.serverName ? { servername: tls.serverName } : {}) }
      : {};
    return new Promise((resolve, reject) => {
      const outgoing = send(url, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(form) }, agent: false, timeout: timeoutMs, ...tlsOptions }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          // A token answer is a few hundred bytes; more is not an answer worth keeping.
          if (size <= 65_536) chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => reject(this.#unreachable(error)));
      });
      outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'TIMEOUT' })));
      outgoing.on('error', (error) => reject(this.#unreachable(error)));
      outgoing.end(form);
    });
  }

  #unreachable(error: Error): TokenRequestError {
    const code = (error as NodeJS.ErrnoException).code;
    return new TokenRequestError(`the token endpoint ${this.endpoint} could not be reached: ${code ?? error.message}`, false);
  }
}

/** application/x-www-form-urlencoded, as RFC 6749 Appendix B asks of the Basic credentials' parts. */
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
