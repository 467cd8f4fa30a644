import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerOptions as TlsServerOptions } from 'node:https';
import { errorInformation, FspiopErrorCode } from '../fspiop/error-codes.ts';
import { signatureProblem, signFspiop, type SignableMessage, type SignatureHeaders } from '../fspiop/jws-signature.ts';
import type { OutboundTls } from '../fspiop/outbound.ts';
import { sendJson } from '../support/http-server.ts';
import { AccessTokens } from './access-tokens.ts';
import { HUB_SCOPES, type HubSecurityMaterial } from './hub-credentials.ts';

/** The hub's security posture: `none` is today's plain, open hub (the development tiers'); `full` is an IaC hub's. */
export type HubSecurityLevel = 'none' | 'full';

/** TLS 1.2 and later only: 1.0 and 1.1 are deprecated (RFC 8996). */
const MIN_TLS_VERSION = 'TLSv1.2';

/**
 * The policy of the fully secured hub, one object the FSPIOP API, the admin API and the token
 * endpoint share: TLS 1.2+ only; mutual TLS on the FSPIOP API (a client certificate issued by the
 * hub's CA, or no handshake); a bearer token on every FSPIOP request (scope `fspiop`) and every
 * admin request (scope `admin`); the JWS of every POST and PUT verified against the sending FSP's
 * registered key (400 with 3105, as Mojaloop's JWS validators answer — a missing signature too);
 * the callbacks the hub writes itself signed with its own key, those it relays passed on with
 * their sender's signature; and its calls to DFSPs made with its own client certificate.
 */
export class HubSecurity {
  readonly tokens: AccessTokens;
  readonly #material: HubSecurityMaterial;
  readonly #publicKeys: Record<string, string>;
  /** The hub's identity towards a DFSP's callback endpoint (one object: one pool of connections). */
  readonly hubClientTls: OutboundTls;

  constructor(material: HubSecurityMaterial, options: { tokenTtlSeconds?: number; now?: () => number } = {}) {
    this.#material = material;
    this.tokens = new AccessTokens(material, { ttlSeconds: options.tokenTtlSeconds, now: options.now });
    this.#publicKeys = Object.fromEntries(Object.entries(material.dfsps).map(([fspId, issued]) => [fspId, issued.jws.publicKeyPem]));
    this.hubClientTls = { certPem: material.hubClient.certPem, keyPem: material.hubClient.keyPem, caPem: material.caPem };
  }

  /** The FSPIOP API's TLS: a client certificate from our CA is demanded, and a handshake without one fails. */
  get mutualTls(): TlsServerOptions {
    return { ...this.serverTls, ca: this.#material.caPem, requestCert: true, rejectUnauthorized: true };
  }

  /** TLS of the admin API and the token endpoint: the hub's certificate, no client certificate asked (a token is what they check). */
  get serverTls(): TlsServerOptions {
    return { cert: this.#material.server.certPem, key: this.#material.server.keyPem, minVersion: MIN_TLS_VERSION };
  }

  /**
   * Answers the request with 401 (no or a bad token) or 403 (a token without `scope`), the
   * WWW-Authenticate challenge of RFC 6750 §3 and an FSPIOP error body; true when it was refused.
   */
  refuseUnauthorized(request: IncomingMessage, response: ServerResponse, scope: (typeof HUB_SCOPES)[keyof typeof HUB_SCOPES]): boolean {
    const check = this.tokens.check(request.headers.authorization, scope);
    if (check.ok) return false;
    request.resume();
    const status = check.error === 'insufficient_scope' ? 403 : 401;
    const challenge = `Bearer realm="${scope}", error="${check.error}", error_description="${check.description}"${status === 403 ? `, scope="${scope}"` : ''}`;
    sendJson(response, status, errorInformation(FspiopErrorCode.genericClientError, `${status === 401 ? 'Unauthorized' : 'Forbidden'}: ${check.description}`), { 'www-authenticate': challenge });
    return true;
  }

  /** Why the signature of a POST or PUT from a DFSP does not hold against its registered key, or undefined. */
  signatureProblem(headers: Record<string, string | undefined>, body: unknown): string | undefined {
    return signatureProblem({ headers, body }, this.#publicKeys);
  }

  /** The signature headers of a message the hub writes itself. */
  sign(message: SignableMessage): SignatureHeaders {
    return signFspiop(message, this.#material.hubJws.privateKeyPem);
  }
}

export { HUB_SCOPES };
