import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, HttpServer, readBody, sendJson, type ServerTls } from '../support/http-server.ts';
import type { AccessTokens } from './access-tokens.ts';

/** Where the token endpoint answers, on its own port (as Keycloak or a gateway's /token sits apart from the APIs it guards). */
export const TOKEN_PATH = '/oauth2/token';

/**
 * The secured hub's token endpoint: POST /oauth2/token with `grant_type=client_credentials`
 * (application/x-www-form-urlencoded), the client authenticated by HTTP Basic or by
 * client_id/client_secret in the body (RFC 6749 §2.3.1), an optional `scope`. Answers the token
 * (RFC 6749 §5.1, `Cache-Control: no-store`) or the RFC's error: unknown client or wrong secret
 * 401 invalid_client, a scope the client may not have 400 invalid_scope.
 */
export class OAuth2TokenEndpoint {
  readonly #tokens: AccessTokens;
  readonly #server: HttpServer;

  constructor(tokens: AccessTokens, tls: ServerTls) {
    this.#tokens = tokens;
    this.#server = new HttpServer((request, response) => this.#handle(request, response), () => ({ error: 'server_error' }), { tls });
  }

  /** The token URL (`https://host:port/oauth2/token`). */
  async start(port: number, host: string): Promise<string> {
    return `${await this.#server.start(port, host)}${TOKEN_PATH}`;
  }

  stop(): Promise<void> {
    return this.#server.stop();
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'https://token').pathname;
    if (path !== TOKEN_PATH) {
      request.resume();
      return sendJson(response, 404, { error: 'not_found', error_description: `the token endpoint is POST ${TOKEN_PATH}` });
    }
    if (request.method !== 'POST') {
      request.resume();
      return sendJson(response, 405, { error: 'invalid_request', error_description: 'the token endpoint takes POST' }, { allow: 'POST' });
    }
    let form: URLSearchParams;
    try {
      form = new URLSearchParams(await readBody(request, 8192));
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendJson(response, 413, { error: 'invalid_request', error_description: error.message });
      throw error;
    }
    const refuse = (status: number, error: string, description: string, headers: Record<string, string> = {}) =>
      sendJson(response, status, { error, error_description: description }, { 'cache-control': 'no-store', ...headers });
    const grantType = form.get('grant_type');
    if (grantType !== 'client_credentials') {
      return refuse(400, grantType ? 'unsupported_grant_type' : 'invalid_request', grantType ? `grant_type ${grantType} is not supported (client_credentials is)` : 'grant_type is required');
    }
    const client = basicCredentials(request.headers.authorization) ?? { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' };
    const result = this.#tokens.grant(client.id, client.secret, form.get('scope') ?? undefined);
    if ('error' in result) {
      return refuse(result.status, result.error, result.description, result.status === 401 ? { 'www-authenticate': 'Basic realm="token"' } : {});
    }
    sendJson(response, 200, { access_token: result.accessToken, token_type: 'Bearer', expires_in: result.expiresIn, scope: result.scope }, { 'cache-control': 'no-store', pragma: 'no-cache' });
  }
}

function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  // RFC 6749 §2.3.1: both parts are form-encoded before Basic encoding.
  const unform = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
  try {
    return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}
