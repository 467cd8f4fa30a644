import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { DfspCredentials } from './credentials.ts';

/** A token refused or not obtained: names the endpoint, never the client's secret. */
export class TokenRequestError extends Error {
  override readonly name = 'TokenRequestError';
}

type OAuth2 = NonNullable<DfspCredentials['oauth2']>;

/**
 * OAuth2 client credentials (RFC 6749 §4.4) for a simulated DFSP of ours: a bearer token from the
 * endpoint, kept until shortly before it expires (a tenth of its life, at least 5 s) and then
 * asked for again; concurrent callers share one request.
 */
export class ClientCredentialsToken {
  readonly #oauth2: OAuth2;
  readonly #caPem: string | undefined;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  #cached: { value: string; renewAt: number } | undefined;
  #pending: Promise<string> | undefined;

  constructor(oauth2: OAuth2, options: { caPem?: string | undefined; timeoutMs?: number; now?: () => number } = {}) {
    this.#oauth2 = oauth2;
    this.#caPem = options.caPem;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** The Authorization header value: `Bearer <token>`. */
  async authorization(): Promise<string> {
    if (this.#cached && this.#now() < this.#cached.renewAt) return this.#cached.value;
    this.#pending ??= this.#request().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #request(): Promise<string> {
    const { tokenUrl, clientId, clientSecret, scope } = this.#oauth2;
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }).toString();
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    const url = new URL(tokenUrl);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const outgoing = send(url, {
        method: 'POST', timeout: this.#timeoutMs, ...(this.#caPem ? { ca: this.#caPem } : {}),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(form), authorization: `Basic ${basic}`, accept: 'application/json' },
      }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${this.#timeoutMs} ms`)));
      outgoing.on('error', (error) => reject(new TokenRequestError(`the token endpoint ${url.origin}${url.pathname} could not be reached: ${error.message}`)));
      outgoing.end(form);
    });
    let answer: { access_token?: unknown; expires_in?: unknown; error?: unknown };
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      answer = {};
    }
    if (status !== 200 || typeof answer.access_token !== 'string') {
      throw new TokenRequestError(`the token endpoint ${url.origin}${url.pathname} refused client "${clientId}": HTTP ${status}${typeof answer.error === 'string' ? ` ${answer.error}` : ''}`);
    }
    const lifeMs = (typeof answer.expires_in === 'number' ? answer.expires_in : 60) * 1000;
    const value = `Bearer ${answer.access_token}`;
    this.#cached = { value, renewAt: this.#now() + lifeMs - Math.max(5_000, lifeMs / 10) };
    return value;
  }
}
