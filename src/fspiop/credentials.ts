/**
 * What our DFSPs present to a secured hub and expect of it, resolved: PEM text and secrets already
 * read from their files or environment variables. A value of this type is a secret as a whole: it
 * is never logged, serialised into a report or put in an error message (name the config field or
 * the file instead).
 *
 * Two sources fill it: the config (`security` section of a target reaching a hub it does not own,
 * resolved by the config loader) and a target that secures its own hub (the embedded hub with
 * `hub.security: full` makes a certificate authority at start and issues ours —
 * `StartedEnvironment.issuedCredentials`). The FSPIOP transport built from it is the only place
 * they are used.
 */
export interface DfspCredentials {
  /** Mutual TLS towards the hub: our client certificate and key, the CA bundle the hub's certificate must chain to, and the name checked against it when it is not the URL's host. */
  tls?: { certPem: string; keyPem: string; caPem?: string; serverName?: string };
  /** OAuth2 client credentials: a bearer token from `tokenUrl`, cached and renewed before it expires, on every request to the FSPIOP API. */
  oauth2?: { tokenUrl: string; clientId: string; clientSecret: string; scope?: string };
  /**
   * JWS (FSPIOP-Signature): our requests and callbacks signed with `privateKeyPem` (RS256, as
   * Mojaloop's sdk-standard-components signs); callbacks from an FSP in `verificationKeys`
   * (FSP id → public key PEM: the hub's, the counterparty's) verified, a failure refused like a forgery.
   */
  jws?: { privateKeyPem: string; verificationKeys: Record<string, string> };
  /** Our callback server served over TLS (a secured hub calls back over https), optionally demanding the hub's client certificate. */
  callbackTls?: { certPem: string; keyPem: string; caPem?: string; requireClientCertificate?: boolean };
}
