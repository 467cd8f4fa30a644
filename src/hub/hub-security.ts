import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorInformation, FspiopErrorCode } from '../fspiop/error-codes.ts';
import { FspiopTransport } from '../fspiop/fspiop-transport.ts';
import { FspiopSignatureVerifier } from '../fspiop/jws.ts';
import { sendJson, type ServerTls } from '../support/http-server.ts';
import { AccessTokens } from './access-tokens.ts';
import { HUB_SCOPES, type HubSecurityMaterial } from './hub-credentials.ts';

/**
 * The policy of the fully secured hub, one object the FSPIOP API, the admin API and the token
 * endpoint share: TLS 1.2+ only (every `HttpServer` served with TLS); mutual TLS on the FSPIOP API
 * (a client certificate issued by the hub's CA, or no handshake); a bearer token on every FSPIOP
 * request (scope `fspiop`) and every admin request (scope `admin`); the JWS of every POST and PUT
 * verified against the sending FSP's registered key (400 with 3105, as Mojaloop's JWS validators
 * answer — a missing signature too); the callbacks the hub writes itself signed with its own key,
 * those it relays passed on with their sender's signature; its calls to DFSPs made with its own
 * client certificate (`transport`).
 */
export class HubSecurity {
  readonly tokens: AccessTokens;
  /** How the hub calls DFSPs: its client certificate, the CA their callback servers chain to, its signature on what it writes itself. */
  readonly transport: FspiopTransport;
  readonly #material: HubSecurityMaterial;
  readonly #verifier: FspiopSignatureVerifier;

  constructor(material: HubSecurityMaterial, options: { tokenTtlSeconds?: number; now?: () => number } = {}) {
    this.#material = material;
    this.tokens = new AccessTokens(material, { ttlSeconds: options.tokenTtlSeconds, now: options.now });
    this.#verifier = new FspiopSignatureVerifier(Object.fromEntries(Object.entries(material.dfsps).map(([fspId, issued]) => [fspId, issued.jws.publicKeyPem])));
    this.transport = FspiopTransport.from({
      tls: { certPem: material.hubClient.certPem, keyPem: material.hubClient.keyPem, caPem: material.caPem },
      jws: { privateKeyPem: material.hubJws.privateKeyPem, verificationKeys: {} },
    });
  }

  /** The FSPIOP API's TLS: a client certificate from our CA is demanded, and a handshake without one fails. */
  get mutualTls(): ServerTls {
    return { ...this.serverTls, caPem: this.#material.caPem, requireClientCertificate: true };
  }

  /** TLS of the admin API and the token endpoint: the hub's certificate, no client certificate asked (a token is what they check). */
  get serverTls(): ServerTls {
    return { certPem: this.#material.server.certPem, keyPem: this.#material.server.keyPem };
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

  /**
   * Why the signature of a POST or PUT does not hold against its sender's registered key, or
   * undefined when it does. A sender with no key registered cannot be verified, so it is refused too.
   */
  signatureProblem(method: string, path: string, headers: IncomingMessage['headers'], body: string): string | undefined {
    const check = this.#verifier.check(method, path, headers, body);
    return check.outcome === 'verified' ? undefined : check.reason;
  }
}

export { HUB_SCOPES };
