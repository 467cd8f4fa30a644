import { randomUUID } from 'node:crypto';
import type { ConformanceConfig } from '../config/schema.ts';
import type { Measurement } from '../evidence/evidence.ts';
import type { NotEvaluated } from '../evidence/finding.ts';
import { parseErrorInformation } from '../fspiop/answer.ts';
import { CallbackCorrelator, type ReceivedCallback } from '../fspiop/callback-correlator.ts';
import type { DfspCredentials } from '../fspiop/credentials.ts';
import { fspiopHeaders } from '../fspiop/headers.ts';
import { partyKey, partyPath, quoteRequest } from '../fspiop/messages.ts';
import type { Exchange, PayerDfsp } from '../fspiop/payer-dfsp.ts';
import { certificateRequestSeen } from '../support/certificate-request.ts';
import { askOverTls, plaintextAttempt, probeClientCertificateDemand, tlsHandshake, type TlsAnswer, type TlsClientOptions } from '../support/tls-probe.ts';
import { joinUrl, redactUrl, withoutQuery } from '../support/url.ts';
import { CredentialedClient, type PlainAnswer, type PlainRequest, type TokenAnswer } from './credentialed-client.ts';
import { outcomeOf, sourceOf } from './exchange-measurements.ts';
import { signedWithUnknownKey } from './unknown-key-signature.ts';

/** TLS versions a hub must no longer accept (RFC 8996 deprecates both). */
const WEAK_VERSIONS = ['TLSv1', 'TLSv1.1'] as const;
const VERSION_NAMES = { TLSv1: 'TLS 1.0', 'TLSv1.1': 'TLS 1.1' } as const;
/** OpenSSL 3 will not offer TLS 1.0/1.1 at its default security level; level 0 lets the probe offer them. */
const OFFER_WEAK_CIPHERS = 'DEFAULT@SECLEVEL=0';
/** The TLS stack of this process cannot offer the version at all: nothing is learnt about the server. */
const CLIENT_CANNOT_OFFER = new Set(['ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'ERR_SSL_UNSUPPORTED_PROTOCOL']);
const DAY_MS = 86_400_000;

export interface SecurityPostureOptions {
  /** The admin API of the target under test, when it has one. */
  adminUrl?: string | undefined;
  /** What our DFSP presents to a secured hub (issued by the target, or the config's); absent: nothing. Never printed. */
  credentials?: DfspCredentials | undefined;
  /** Plaintext ports besides the hub URL's own and 80 that must not serve http (e.g. the ones the deployment's inventory publishes). */
  plaintextPorts?: readonly number[];
}

/**
 * What the hub lets through, each guarantee shown positively: a refusal proves something only
 * when the same request, put right, is accepted — so the probe presents our credentials (client
 * certificate, token) and leaves out exactly the one thing the guarantee is about.
 */
export class SecurityPostureProbe {
  readonly #payer: PayerDfsp;
  readonly #config: ConformanceConfig;
  readonly #options: SecurityPostureOptions;
  #exchange: Exchange | undefined;
  #label = 'request';

  constructor(payer: PayerDfsp, config: ConformanceConfig, options: SecurityPostureOptions = {}) {
    this.#payer = payer;
    this.#config = config;
    this.#options = options;
  }

  get #timeoutMs(): number {
    return this.#config.timeouts.requestMs;
  }

  get #tls(): DfspCredentials['tls'] {
    return this.#options.credentials?.tls;
  }

  /** How the hub's certificate is checked: against the configured CA when there is one, else this machine's trust store. */
  get #trust(): TlsClientOptions {
    const tls = this.#tls;
    return { ...(tls?.caPem ? { caPem: tls.caPem } : {}), ...(tls?.serverName ? { serverName: tls.serverName } : {}) };
  }

  get #trustSource(): string {
    return this.#tls?.caPem ? 'the CA configured for the hub' : 'this machine\'s trust store (private CA: set NODE_EXTRA_CA_CERTS)';
  }

  /** Zero-security tiers: a lookup without any credentials (nor the API key a hub URL's query may carry) must be accepted. */
  async sendWithout(what: 'credentials'): Promise<void> {
    this.#label = `request without ${what}`;
    this.#exchange = await this.#payer.withoutCredentials().lookupParty(this.#config.participants.payee.party);
  }

  accepted(): Measurement[] {
    const exchange = this.#exchange;
    if (!exchange) throw new Error('nothing to check yet: add "When a client without credentials sends an FSPIOP request to the hub" before this step');
    return [{
      name: this.#label, value: outcomeOf(exchange), threshold: 'accepted: 202 and a success callback (zero security, as declared)',
      ok: exchange.callback?.kind === 'success', source: sourceOf(exchange),
    }];
  }

  /**
   * IAC-SEC-01: the hub URL completes a TLS 1.2+ handshake with a trusted certificate, and
   * plaintext gets nowhere — `http://` on the same host and port, on port 80, on the ports the
   * deployment's inventory exposes and on any other port named is refused or redirected to https.
   * Each attempt is a measurement of its own.
   */
  async tlsAtEdge(exposedPorts: readonly number[] = []): Promise<Measurement[]> {
    const url = new URL(this.#payer.hubUrl);
    const source = `hub URL ${url.origin}`;
    if (url.protocol !== 'https:') {
      return [{ name: 'FSPIOP endpoint transport', value: `${url.protocol.replace(':', '')} (plaintext)`, threshold: 'TLS 1.2 or newer', ok: false, source }];
    }
    const seen = await tlsHandshake(url, this.#timeoutMs, { ...this.#trust, ...this.#clientCertificate() });
    const modern = seen.protocol === 'TLSv1.2' || seen.protocol === 'TLSv1.3';
    const value = !seen.protocol ? seen.problem ?? 'handshake failed'
      : seen.trusted ? `${seen.protocol}, trusted certificate` : `${seen.protocol}, certificate not trusted${seen.problem ? ` (${seen.problem})` : ''}`;
    const handshake: Measurement = {
      name: 'FSPIOP endpoint transport', value, threshold: `TLS 1.2 or newer with a certificate trusted by ${this.#trustSource}`, ok: modern && seen.trusted, source,
    };
    return [handshake, ...await this.#plaintextAttempts(url, exposedPorts)];
  }

  async #plaintextAttempts(url: URL, exposedPorts: readonly number[]): Promise<Measurement[]> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || 443);
    // A port that serves TLS (the hub's own, 443) is tried too: plaintext on it must be refused as well.
    const ports = [...new Set([port, 80, ...(this.#options.plaintextPorts ?? []), ...exposedPorts])];
    const path = url.pathname || '/';
    return Promise.all(ports.map(async (candidate) => {
      const attempt = await plaintextAttempt(host, candidate, path, this.#timeoutMs);
      const target = `http://${url.hostname}:${candidate}${path}`;
      return {
        name: `plaintext ${target}${candidate === port ? ' (the TLS port)' : ''}`,
        value: `${attempt.outcome === 'served' ? 'served in plaintext' : attempt.outcome === 'refused' ? 'refused' : 'redirected to https'}: ${attempt.detail}`,
        threshold: 'refused or redirected to https', ok: attempt.outcome !== 'served', source: `GET ${target} without TLS`,
      };
    }));
  }

  /**
   * IAC-SEC-02, shown positively: a connection without a client certificate is refused AND the
   * same connection with ours is answered. A refusal alone (a HANDSHAKE_FAILURE alert) is also what
   * a cipher or protocol mismatch gives; only nginx's own words ("No required SSL certificate")
   * name the certificate. Without a certificate of our own, a refusal is not evaluated.
   */
  async mutualTls(): Promise<Measurement[] | NotEvaluated> {
    const url = new URL(this.#payer.hubUrl);
    const threshold = 'refused without a client certificate, answered with ours';
    const source = `TLS connections to ${url.host}, GET /health`;
    if (url.protocol !== 'https:') {
      return [{ name: 'client certificate demanded', value: 'no: the endpoint is plaintext http', threshold, ok: false, source }];
    }
    const tls = this.#tls;
    if (!tls) return this.#mutualTlsWithoutOurCertificate(url, threshold, source);
    const [without, withOurs] = await Promise.all([
      askOverTls(url, this.#timeoutMs, this.#trust),
      askOverTls(url, this.#timeoutMs, { ...this.#trust, clientCertificate: tls }),
    ]);
    const refusedWithout = without.kind !== 'answered' || /No required SSL certificate|SSL certificate error/i.test(without.text);
    if (withOurs.kind !== 'answered') {
      if (!refusedWithout) return [{ name: 'connection without a client certificate', value: describeTlsAnswer(without), threshold: 'refused', ok: false, source }];
      return { notEvaluated: `refused without a client certificate (${describeTlsAnswer(without)}) and with ours too (${describeTlsAnswer(withOurs)}): the refusal cannot be tied to the certificate — check the configured client certificate and CA` };
    }
    return [
      { name: 'connection without a client certificate', value: describeTlsAnswer(without), threshold: 'refused', ok: refusedWithout, source: `${source} without a client certificate` },
      { name: 'connection with our client certificate', value: describeTlsAnswer(withOurs), threshold: 'answered (the TLS layer accepts it)', ok: true, source: `${source} with our client certificate` },
    ];
  }

  /**
   * Without a certificate of our own: the refusal counts when the server's TLS 1.2 handshake
   * carries a CertificateRequest (it asks, and refuses whoever has none), or when nginx says so.
   */
  async #mutualTlsWithoutOurCertificate(url: URL, threshold: string, source: string): Promise<Measurement[] | NotEvaluated> {
    const [seen, request] = await Promise.all([
      probeClientCertificateDemand(url, this.#timeoutMs),
      certificateRequestSeen(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port || 443), this.#tls?.serverName, this.#timeoutMs),
    ]);
    const without = `${source} without a client certificate`;
    if (seen.outcome === 'answered') return [{ name: 'client certificate demanded', value: seen.detail, threshold, ok: false, source: without }];
    if (seen.outcome === 'demanded' && /No required SSL certificate/i.test(seen.detail)) {
      return [{ name: 'client certificate demanded', value: seen.detail, threshold: 'the server says a client certificate is required', ok: true, source: without }];
    }
    const handshake = `TLS 1.2 handshake with ${url.host}, read up to ServerHelloDone`;
    if (request.outcome === 'unknown') {
      return { notEvaluated: `refused without a client certificate (${seen.detail}), but a TLS refusal alone can be a cipher or protocol mismatch, and whether the server asks for a certificate could not be read (${request.detail}); configure our client certificate (security.tls) to show the same connection succeeds with it` };
    }
    return [
      { name: 'client certificate requested by the server', value: request.detail, threshold: 'a CertificateRequest in the handshake', ok: request.outcome === 'requested', source: handshake },
      { name: 'connection without a client certificate', value: `refused: ${seen.detail}`, threshold: 'refused', ok: true, source: without },
    ];
  }

  /**
   * IAC-SEC-03: Mojaloop validates signatures on POST and PUT, not GET, so a quote request is
   * sent twice — without an FSPIOP-Signature, and signed with a key the hub cannot know — each
   * otherwise authenticated as our DFSP (client certificate and token when configured). The
   * refusal Mojaloop prescribes: HTTP 400 with error 3105 (Invalid signature) — sdk-scheme-adapter's
   * inbound JWS validation (InboundServer/middlewares.js, createJwsValidator) answers every non-GET
   * request whose JWS does not validate so, a missing FSPIOP-Signature included (sdk-standard-
   * components' Jws.validator throws "fspiop-uri, fspiop-http-method and fspiop-signature HTTP
   * headers are all required"); an error callback 3105 after a 202 is accepted as the same refusal.
   */
  async signaturesEnforced(): Promise<Measurement[] | NotEvaluated> {
    const client = new CredentialedClient(this.#options.credentials, this.#timeoutMs);
    try {
      const attempts: Array<{ label: string; sign: (request: PlainRequest & { body: string }) => Promise<PlainRequest> }> = [
        { label: 'quote request without an FSPIOP-Signature', sign: async (request) => request },
        { label: 'quote request signed with a key the hub cannot know', sign: signedWithUnknownKey },
      ];
      const results = [];
      for (const attempt of attempts) results.push({ label: attempt.label, ...await this.#postQuote(client, attempt.sign) });
      const before = results.find((r) => r.before);
      if (before) {
        return { notEvaluated: `the hub refused the ${before.label} before any signature check (${before.outcome}), presenting ${client.presents}: the signature check cannot be reached${this.#options.credentials ? '' : ' — configure our credentials (security.tls, security.oauth2)'}` };
      }
      return results.map((r) => ({ name: r.label, value: r.outcome, threshold: 'refused with error 3105 (Invalid signature)', ok: r.code === '3105', source: `${r.source}, presenting ${client.presents}` }));
    } finally {
      client.close();
    }
  }

  async #postQuote(client: CredentialedClient, sign: (request: PlainRequest & { body: string }) => Promise<PlainRequest>): Promise<{ outcome: string; code?: string | undefined; before: boolean; source: string }> {
    const { payer, payee } = this.#config.participants;
    const body = quoteRequest({
      quoteId: randomUUID(), transactionId: randomUUID(), payerFsp: this.#payer.fspId, payer: payer.party,
      payeeFsp: payee.fspId, payee: payee.party, amount: { amount: '1', currency: payer.currency },
    });
    const url = joinUrl(this.#payer.hubUrl, '/quotes');
    const headers = fspiopHeaders({ resource: 'quotes', source: this.#payer.fspId, destination: payee.fspId, version: this.#config.fspiop.version, accepted: this.#config.fspiop.accept });
    const request = await sign({ method: 'POST', url, headers, body: JSON.stringify(body) });
    const expected = this.#payer.expectCallback(CallbackCorrelator.key('quotes', body.quoteId));
    expected.callback.catch(() => undefined);
    const source = `POST ${redactUrl(url)}`;
    const answer = await client.send(request);
    if ('error' in answer || answer.status !== 202) expected.cancel();
    if ('error' in answer) {
      // A TLS endpoint that refuses the connection refuses before any signature check; a plaintext one that does not answer is unreachable.
      return { outcome: `request failed: ${answer.error}`, before: url.startsWith('https:') || answer.code === 'TOKEN_REFUSED', source };
    }
    if (answer.status === 401 || answer.status === 403) return { outcome: `HTTP ${answer.status}`, before: true, source };
    if (answer.status !== 202) {
      const code = parseErrorInformation(answer.body)?.errorCode;
      return { outcome: `HTTP ${answer.status}${code ? ` error ${code}` : ''}`, code, before: false, source };
    }
    const callback = await expected.callback.catch(() => undefined);
    return { ...describeCallback(callback), before: false, source: `${source}${callback ? ` → PUT ${callback.path}` : ''}` };
  }

  /** IAC-SEC-04: anonymous GET {adminUrl}/participants is refused — 401/403, a redirect to a login page, or nothing reachable at all. */
  async adminApiRefusesAnonymous(): Promise<Measurement[] | NotEvaluated> {
    const adminUrl = this.#options.adminUrl;
    if (!adminUrl) throw new Error('the target has no admin API to probe (hub.adminUrl)');
    const url = joinUrl(withoutQuery(adminUrl), '/participants');
    const threshold = 'refused: HTTP 401 or 403, a redirect to a login page, or not exposed (connection refused or unanswered)';
    const source = `GET ${redactUrl(url)} without credentials`;
    const client = CredentialedClient.anonymous(this.#timeoutMs);
    try {
      const answer = await client.send({ method: 'GET', url, headers: { accept: 'application/json' } });
      const seen = classifyAdminAnswer(answer, url);
      if (seen.verdict === 'unclear') return { notEvaluated: `the anonymous admin API request got ${seen.value}: neither served nor refused (is hub.adminUrl the admin API?)` };
      return [{ name: 'anonymous admin API request', value: seen.value, threshold, ok: seen.verdict === 'refused', source }];
    } finally {
      client.close();
    }
  }

  /** The certificate the hub serves: within its validity period, chaining to a trusted root; the days left are recorded beside it. */
  async certificateValid(now = new Date()): Promise<Measurement[] | NotEvaluated> {
    const url = new URL(this.#payer.hubUrl);
    const source = `TLS handshake with ${url.host}`;
    if (url.protocol !== 'https:') {
      return [{ name: 'hub certificate', value: 'none: the endpoint is plaintext http', threshold: 'a valid certificate chaining to a trusted root', ok: false, source: `hub URL ${url.origin}` }];
    }
    const seen = await tlsHandshake(url, this.#timeoutMs, { ...this.#trust, ...this.#clientCertificate() });
    if (!seen.certificate) return { notEvaluated: `no certificate could be read: ${seen.problem ?? 'the handshake did not complete'}` };
    const { validFrom, validTo, chain } = seen.certificate;
    const daysLeft = Math.floor((validTo.getTime() - now.getTime()) / DAY_MS);
    const current = now >= validFrom && now <= validTo;
    const period = `valid ${validFrom.toISOString()} to ${validTo.toISOString()}`;
    return [
      {
        name: 'hub certificate validity', threshold: 'within its validity period', ok: current, source,
        value: now < validFrom ? `not yet valid (${period})` : now > validTo ? `expired ${Math.floor((now.getTime() - validTo.getTime()) / DAY_MS)} days ago (${period})` : period,
      },
      { name: 'hub certificate days left', value: daysLeft, unit: 'days', threshold: 'recorded', ok: true, informational: true, source },
      {
        name: 'hub certificate chain', threshold: `chains to a root trusted by ${this.#trustSource} and names the host`, ok: seen.trusted, source,
        value: `${chain.join(' ← issued by ')}${seen.trusted ? ': trusted' : `: not trusted (${seen.problem ?? 'unknown reason'})`}`,
      },
    ];
  }

  /**
   * TLS 1.0 and 1.1 refused. This process must be able to offer them first (OpenSSL 3 will not at
   * its default security level; the probe lowers it for these handshakes only): a version it cannot
   * offer is NOT EVALUATED, never a pass. A refusal counts only while a modern handshake succeeds.
   */
  async weakProtocolsRefused(): Promise<Measurement[] | NotEvaluated> {
    const url = new URL(this.#payer.hubUrl);
    const source = `TLS handshakes with ${url.host}`;
    if (url.protocol !== 'https:') {
      return [{ name: 'TLS 1.0 and 1.1', value: 'none: the endpoint is plaintext http, no TLS at all', threshold: 'refused (TLS 1.2 or newer only)', ok: false, source: `hub URL ${url.origin}` }];
    }
    const client = { ...this.#trust, ...this.#clientCertificate() };
    const modern = await tlsHandshake(url, this.#timeoutMs, client);
    if (!modern.protocol) return { notEvaluated: `the endpoint completes no TLS handshake at all (${modern.problem ?? 'failed'}): a refused old version would prove nothing` };
    const attempts = await Promise.all(WEAK_VERSIONS.map(async (version) => ({
      version, seen: await tlsHandshake(url, this.#timeoutMs, { ...client, minVersion: version, maxVersion: version, ciphers: OFFER_WEAK_CIPHERS }),
    })));
    const measurements = attempts.filter(({ seen }) => !CLIENT_CANNOT_OFFER.has(seen.code ?? '')).map(({ version, seen }) => ({
      name: `${VERSION_NAMES[version]} handshake`,
      value: seen.protocol ? `accepted (${seen.protocol})` : `refused: ${seen.problem ?? 'failed'}`,
      threshold: `refused (a ${modern.protocol} handshake succeeded)`, ok: !seen.protocol, source,
    }));
    const unoffered = attempts.filter(({ seen }) => CLIENT_CANNOT_OFFER.has(seen.code ?? '')).map(({ version, seen }) => `${version} (${seen.code})`);
    if (unoffered.length > 0 && measurements.every((m) => m.ok)) {
      return { notEvaluated: `this process's TLS library (OpenSSL ${process.versions.openssl}) cannot offer ${unoffered.join(', ')} even at security level 0, so whether the hub refuses it is unknown${measurements.length > 0 ? `; ${measurements.map((m) => `${m.name} ${m.value}`).join('; ')}` : ''}` };
    }
    return measurements;
  }

  /**
   * A token for a scope the hub does not grant our DFSP is refused: either the token endpoint will
   * not issue it, or the FSPIOP API refuses it (401/403) on a lookup made with our client
   * certificate. Shown against a control: our configured scope's token is issued the same way
   * (else the refusal may be of our client credentials) and, where the wrong one was issued, is
   * accepted on the same lookup (else the refusal may be of every token). An endpoint that
   * silently issues another scope instead gives nothing to test.
   */
  async wrongScopeRefused(): Promise<Measurement[] | NotEvaluated> {
    const oauth2 = this.#options.credentials?.oauth2;
    if (!oauth2) return { notEvaluated: 'no OAuth2 client credentials are configured for our DFSP (security.oauth2): no token of any scope can be had' };
    const client = new CredentialedClient(this.#options.credentials, this.#timeoutMs);
    try {
      const control = await this.#controlToken(client);
      if ('refused' in control.answer) return { notEvaluated: `our own client credentials got no token for the configured scope (${control.answer.refused}): a refused wrong scope would prove nothing` };
      const wrongScope = `conformance-unknown-scope-${randomUUID().slice(0, 8)}`;
      const tokenSource = `client credentials grant at ${redactUrl(oauth2.tokenUrl)}, scope "${wrongScope}"`;
      const threshold = 'refused by the token endpoint or the FSPIOP API, while our configured scope is not';
      const issued = await client.token(wrongScope, control.authentication);
      if (!issued || 'refused' in issued) {
        return [{ name: 'token for a scope not granted to us', value: `not issued: ${issued?.refused ?? 'no answer'} (our configured scope's was issued)`, threshold, ok: true, source: tokenSource }];
      }
      if (!issued.grantedScope?.split(' ').includes(wrongScope)) {
        return { notEvaluated: `the token endpoint ignored the requested scope "${wrongScope}" and issued ${issued.grantedScope ? `"${issued.grantedScope}"` : 'a token naming no scope'}: no token with a wrong scope could be had` };
      }
      const right = await this.#lookupWith(client, control.answer.token);
      if (right !== 202) return { notEvaluated: `the FSPIOP lookup with our configured scope's token got ${typeof right === 'number' ? `HTTP ${right}` : right}: a refused wrong scope would prove nothing` };
      const wrong = await this.#lookupWith(client, issued.token);
      return [{
        name: 'FSPIOP lookup with a token of a scope not granted to us', value: typeof wrong === 'number' ? `HTTP ${wrong}` : wrong,
        threshold, ok: wrong === 401 || wrong === 403, source: `GET ${redactUrl(joinUrl(this.#payer.hubUrl, partyPath(this.#config.participants.payee.party)))} presenting ${client.presents.replace('a bearer token', 'the token')} of ${tokenSource}`,
      }];
    } finally {
      client.close();
    }
  }

  /** Our configured scope's token, by HTTP Basic client authentication or, where that is refused, by form fields. */
  async #controlToken(client: CredentialedClient): Promise<{ answer: TokenAnswer; authentication: 'basic' | 'body' }> {
    const basic = (await client.token(undefined, 'basic'))!;
    if ('token' in basic) return { answer: basic, authentication: 'basic' };
    const body = (await client.token(undefined, 'body'))!;
    return 'token' in body ? { answer: body, authentication: 'body' } : { answer: basic, authentication: 'basic' };
  }

  /** GET /parties for our payee with `token`: its status, or why there was none. Its callback, if any, is awaited so it is not taken for a stray one. */
  async #lookupWith(client: CredentialedClient, token: string): Promise<number | string> {
    const party = this.#config.participants.payee.party;
    const url = joinUrl(this.#payer.hubUrl, partyPath(party));
    const headers = fspiopHeaders({ resource: 'parties', source: this.#payer.fspId, version: this.#config.fspiop.version, accepted: this.#config.fspiop.accept });
    const expected = this.#payer.expectCallback(CallbackCorrelator.key('parties', partyKey(party)));
    expected.callback.catch(() => undefined);
    const answer = await client.send({ method: 'GET', url, headers }, token);
    if ('error' in answer || answer.status !== 202) {
      expected.cancel();
      return 'error' in answer ? `request failed: ${answer.error}` : answer.status;
    }
    await expected.callback.catch(() => undefined);
    return answer.status;
  }

  #clientCertificate(): TlsClientOptions {
    const tls = this.#tls;
    return tls ? { clientCertificate: { certPem: tls.certPem, keyPem: tls.keyPem } } : {};
  }
}

function describeTlsAnswer(answer: TlsAnswer): string {
  return answer.kind === 'answered' ? `answered: ${answer.statusLine}` : `refused: ${answer.detail}`;
}

function describeCallback(callback: ReceivedCallback | undefined): { outcome: string; code?: string } {
  if (!callback) return { outcome: 'HTTP 202, then no callback' };
  const information = parseErrorInformation(callback.body);
  if (callback.kind !== 'error' || !information) return { outcome: 'HTTP 202, then a success callback (accepted)' };
  return { outcome: `HTTP 202, then error callback ${information.errorCode} (${information.errorDescription})`, code: information.errorCode };
}

/** Not exposed at all: nothing listens, or nothing answers. A name that does not resolve is a misconfiguration, not a refusal. */
const NOT_EXPOSED = new Set(['ECONNREFUSED', 'TIMEOUT', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

function classifyAdminAnswer(answer: PlainAnswer, url: string): { verdict: 'refused' | 'served' | 'unclear'; value: string } {
  if ('error' in answer) {
    if (answer.code && NOT_EXPOSED.has(answer.code)) return { verdict: 'refused', value: `not exposed: ${answer.error}` };
    if (answer.code?.startsWith('ERR_SSL') || /alert|handshake/i.test(answer.error)) return { verdict: 'refused', value: `refused at the TLS handshake: ${answer.error}` };
    return { verdict: 'unclear', value: `no answer: ${answer.error}` };
  }
  const { status } = answer;
  if (status === 401 || status === 403) return { verdict: 'refused', value: `HTTP ${status}` };
  if (status >= 300 && status < 400) {
    const location = answer.location;
    if (location) {
      const target = new URL(location, url);
      const asked = new URL(url);
      if (target.host !== asked.host || target.pathname !== asked.pathname) return { verdict: 'refused', value: `HTTP ${status}, redirected to a login page: ${redactUrl(target.href)}` };
    }
    return { verdict: 'unclear', value: `HTTP ${status} to ${location ?? 'nowhere'}` };
  }
  if (status >= 200 && status < 300) return { verdict: 'served', value: `HTTP ${status}` };
  return { verdict: 'unclear', value: `HTTP ${status}` };
}
