import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HubSecurityMaterial } from './hub-credentials.ts';
import { HUB_SCOPES } from './hub-credentials.ts';

/** An OAuth2 error (RFC 6749 §5.2): the HTTP status and the `error` code the token endpoint answers with. */
export interface TokenError {
  status: 400 | 401;
  error: 'invalid_request' | 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type';
  description: string;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  scope: string;
}

/** The outcome of presenting a bearer token for a scope (RFC 6750 §3.1). */
export type TokenCheck = { ok: true; clientId: string } | { ok: false; error: 'invalid_token' | 'insufficient_scope'; description: string };

export const DEFAULT_TOKEN_TTL_SECONDS = 3600;

/**
 * The secured hub's OAuth2 client credentials grant (RFC 6749 §4.4) and the bearer tokens it
 * issues: self-contained (client, scope, expiry) and signed with HMAC-SHA256, so the hub keeps no
 * table of them and a token outlives a hub restart on the same material, as a gateway's JWT does.
 * Each client may ask only for its own scopes: a DFSP for `fspiop`, the operator for `admin`.
 */
export class AccessTokens {
  readonly #clients = new Map<string, { secret: string; scopes: readonly string[] }>();
  readonly #key: string;
  readonly #ttlSeconds: number;
  readonly #now: () => number;

  constructor(material: HubSecurityMaterial, options: { ttlSeconds?: number; now?: () => number } = {}) {
    for (const issued of Object.values(material.dfsps)) this.#clients.set(issued.clientId, { secret: issued.clientSecret, scopes: [HUB_SCOPES.fspiop] });
    this.#clients.set(material.admin.clientId, { secret: material.admin.clientSecret, scopes: [HUB_SCOPES.admin] });
    this.#key = material.tokenKey;
    this.#ttlSeconds = options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
    this.#now = options.now ?? Date.now;
  }

  /** The client credentials grant: a token for `clientId`, or why not (unknown client or wrong secret alike: invalid_client). */
  grant(clientId: string, clientSecret: string, requestedScope: string | undefined): IssuedToken | TokenError {
    const client = this.#clients.get(clientId);
    if (!client || !sameSecret(client.secret, clientSecret)) return { status: 401, error: 'invalid_client', description: 'client authentication failed' };
    const scopes = requestedScope?.trim() ? requestedScope.trim().split(/\s+/) : [...client.scopes];
    const refused = scopes.filter((scope) => !client.scopes.includes(scope));
    if (refused.length > 0) return { status: 400, error: 'invalid_scope', description: `scope ${refused.join(' ')} is not granted to this client` };
    const scope = scopes.join(' ');
    const expiresAt = Math.floor(this.#now() / 1000) + this.#ttlSeconds;
    const claims = Buffer.from(JSON.stringify({ sub: clientId, scope, exp: expiresAt })).toString('base64url');
    return { accessToken: `${claims}.${this.#mac(claims)}`, expiresIn: this.#ttlSeconds, scope };
  }

  /** Whether an Authorization header carries a valid, unexpired bearer token granting `scope`. */
  check(authorization: string | undefined, scope: string): TokenCheck {
    const match = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/i.exec(authorization ?? '');
    if (!match) return { ok: false, error: 'invalid_token', description: authorization ? 'the Authorization header is not a bearer token this hub issued' : 'a bearer token is required' };
    const [, claims, mac] = match as unknown as [string, string, string];
    if (!sameSecret(this.#mac(claims), mac)) return { ok: false, error: 'invalid_token', description: 'the bearer token was not issued by this hub' };
    const { sub, scope: granted, exp } = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as { sub: string; scope: string; exp: number };
    if (exp * 1000 <= this.#now()) return { ok: false, error: 'invalid_token', description: 'the bearer token has expired' };
    if (!granted.split(' ').includes(scope)) return { ok: false, error: 'insufficient_scope', description: `the bearer token does not grant scope ${scope}` };
    return { ok: true, clientId: sub };
  }

  #mac(claims: string): string {
    return createHmac('sha256', this.#key).update(claims).digest('base64url');
  }
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
