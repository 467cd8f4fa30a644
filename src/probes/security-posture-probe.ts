import type { ConformanceConfig } from '../config/schema.ts';
import type { Measurement } from '../evidence/evidence.ts';
import type { Exchange, PayerDfsp } from '../fspiop/payer-dfsp.ts';
import { parseErrorInformation } from '../fspiop/answer.ts';
import type { NotEvaluated } from '../evidence/finding.ts';
import { probeClientCertificateDemand, tlsHandshake } from '../support/tls-probe.ts';
import { joinUrl, redactUrl, withoutQuery } from '../support/url.ts';
import { outcomeOf, sourceOf } from './exchange-measurements.ts';

/**
 * What the hub lets through. Our payer DFSP sends no credentials — no client certificate, no
 * Authorization header, no FSPIOP-Signature — so one of its requests shows the hub's posture:
 * a zero-security tier must accept it, a fully secured one must refuse it.
 */
export class SecurityPostureProbe {
  readonly #payer: PayerDfsp;
  readonly #config: ConformanceConfig;
  readonly #adminUrl: string | undefined;
  #exchange: Exchange | undefined;
  #label = 'request';

  /** `adminUrl`: the admin API of the target under test, when it has one. */
  constructor(payer: PayerDfsp, config: ConformanceConfig, adminUrl?: string) {
    this.#payer = payer;
    this.#config = config;
    this.#adminUrl = adminUrl;
  }

  async sendWithout(what: 'credentials' | 'signature'): Promise<void> {
    this.#label = what === 'credentials' ? 'request without credentials' : 'request without FSPIOP-Signature';
    // Without credentials: no client certificate, token, signature or API key in the URL (the CA is still
    // trusted, so a refusal is the hub's). Without a signature: every credential but the signature.
    const payer = what === 'credentials' ? this.#payer.withoutCredentials() : this.#payer.withoutSignature();
    this.#exchange = await payer.lookupParty(this.#config.participants.payee.party);
  }

  accepted(): Measurement[] {
    const exchange = this.#require();
    return [{
      name: this.#label, value: outcomeOf(exchange), threshold: 'accepted: 202 and a success callback (zero security, as declared)',
      ok: exchange.callback?.kind === 'success', source: sourceOf(exchange),
    }];
  }

  /**
   * Signatures enforced: only error 3105 (Invalid signature) proves it. A refusal before the
   * signature check (TLS handshake, HTTP 401/403) hides it: not evaluated.
   */
  refused(): Measurement[] | NotEvaluated {
    const exchange = this.#require();
    const ack = exchange.ack;
    const status = 'status' in ack ? ack.status : undefined;
    if (('error' in ack && this.#payer.hubUrl.startsWith('https:')) || status === 401 || status === 403) {
      return { notEvaluated: `the hub refused the request before any signature check (${outcomeOf(exchange)}); signing needs credentials this tool cannot present yet (client certificate, token)` };
    }
    const code = (parseErrorInformation(status !== undefined && 'body' in ack ? ack.body : undefined) ?? parseErrorInformation(exchange.callback?.body))?.errorCode;
    return [{ name: this.#label, value: outcomeOf(exchange), threshold: 'refused with error 3105 (Invalid signature)', ok: code === '3105', source: sourceOf(exchange) }];
  }

  /**
   * Mutual TLS: connect without a client certificate and ask for /health. Only a refusal that
   * demands a certificate proves it; an HTTP answer disproves it; a bare reset or close says
   * nothing either way.
   */
  async mutualTls(): Promise<Measurement[] | NotEvaluated> {
    const url = new URL(this.#payer.hubUrl);
    const source = `TLS connection to ${url.host} without a client certificate`;
    const threshold = 'TLS handshake refused without a client certificate';
    if (url.protocol !== 'https:') {
      return [{ name: 'client certificate demanded', value: 'no: the endpoint is plaintext http', threshold, ok: false, source }];
    }
    const seen = await probeClientCertificateDemand(url, this.#config.timeouts.requestMs);
    if (seen.outcome === 'unclear') return { notEvaluated: `cannot tell mutual TLS from another refusal: ${seen.detail}` };
    return [{ name: 'client certificate demanded', value: seen.detail, threshold, ok: seen.outcome === 'demanded', source }];
  }

  /** The hub URL must be https and complete a TLS handshake at 1.2 or newer. */
  async tlsAtEdge(): Promise<Measurement[]> {
    const url = new URL(this.#payer.hubUrl);
    const source = `hub URL ${url.origin}`;
    if (url.protocol !== 'https:') {
      return [{ name: 'FSPIOP endpoint transport', value: `${url.protocol.replace(':', '')} (plaintext)`, threshold: 'TLS 1.2 or newer', ok: false, source }];
    }
    const seen = await tlsHandshake(url, this.#config.timeouts.requestMs);
    const modern = seen.protocol === 'TLSv1.2' || seen.protocol === 'TLSv1.3';
    const value = !seen.protocol ? seen.problem ?? 'handshake failed'
      : seen.trusted ? `${seen.protocol}, trusted certificate` : `${seen.protocol}, certificate not trusted${seen.problem ? ` (${seen.problem})` : ''}`;
    return [{
      name: 'FSPIOP endpoint transport', value,
      threshold: 'TLS 1.2 or newer with a certificate this machine trusts (private CA: set NODE_EXTRA_CA_CERTS)',
      ok: modern && seen.trusted, source,
    }];
  }

  /** GET {adminUrl}/participants with no credentials must be refused (401/403). */
  async adminApiRefusesAnonymous(): Promise<Measurement[]> {
    const adminUrl = this.#adminUrl;
    if (!adminUrl) throw new Error('the target has no admin API to probe (hub.adminUrl)');
    const url = joinUrl(withoutQuery(adminUrl), '/participants');
    let value: string;
    let ok = false;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.#config.timeouts.requestMs) });
      await response.body?.cancel();
      value = `HTTP ${response.status}`;
      ok = response.status === 401 || response.status === 403;
    } catch (error) {
      value = `no answer: ${(error as Error).message}`;
    }
    return [{ name: 'anonymous admin API request', value, threshold: 'refused with HTTP 401 or 403', ok, source: `GET ${redactUrl(url)}` }];
  }

  #require(): Exchange {
    if (!this.#exchange) throw new Error('nothing to check yet: add "When a client without credentials sends an FSPIOP request to the hub" before this step');
    return this.#exchange;
  }
}
