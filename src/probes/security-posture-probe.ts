import { connect } from 'node:tls';
import type { ConformanceConfig } from '../config/schema.ts';
import type { Measurement } from '../evidence/evidence.ts';
import type { Exchange, PayerDfsp } from '../fspiop/payer-dfsp.ts';
import { ErrorInformationPut } from '../fspiop/payloads.ts';
import { outcomeOf, sourceOf } from './exchange-measurements.ts';

/**
 * What the hub lets through. Our payer DFSP sends no credentials — no client certificate, no
 * Authorization header, no FSPIOP-Signature — so one of its requests shows the hub's posture:
 * a zero-security tier must accept it, a fully secured one must refuse it.
 */
const TLS_REFUSAL = /certificate|handshake|SSL|EPROTO|ECONNRESET|socket hang up/i;

function errorCodeOf(body: unknown): string | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const parsed = ErrorInformationPut.safeParse(value);
  return parsed.success ? parsed.data.errorInformation.errorCode : undefined;
}

export class SecurityPostureProbe {
  readonly #payer: PayerDfsp;
  readonly #config: ConformanceConfig;
  #exchange: Exchange | undefined;
  #label = 'request';
  #without: 'credentials' | 'signature' = 'credentials';

  constructor(payer: PayerDfsp, config: ConformanceConfig) {
    this.#payer = payer;
    this.#config = config;
  }

  async sendWithout(what: 'credentials' | 'signature'): Promise<void> {
    this.#without = what;
    this.#label = what === 'credentials' ? 'request without credentials' : 'request without FSPIOP-Signature';
    this.#exchange = await this.#payer.lookupParty(this.#config.participants.payee.party);
  }

  accepted(): Measurement[] {
    const exchange = this.#require();
    return [{
      name: this.#label, value: outcomeOf(exchange), threshold: 'accepted: 202 and a success callback (zero security, as declared)',
      ok: exchange.callback?.kind === 'success', source: sourceOf(exchange),
    }];
  }

  /**
   * Refused for the right reason: without credentials, a TLS handshake that fails for want of a
   * client certificate or HTTP 401/403; without a signature, HTTP 401/403 or FSPIOP error 3105
   * (Invalid signature). An unreachable hub or an unrelated error proves nothing.
   */
  refused(): Measurement[] {
    const exchange = this.#require();
    const ack = exchange.ack;
    const status = 'status' in ack ? ack.status : undefined;
    const code = errorCodeOf('status' in ack ? ack.body : undefined) ?? errorCodeOf(exchange.callback?.body);
    const byStatus = status === 401 || status === 403 || status === 495 || status === 496;
    const refused = this.#without === 'credentials'
      ? byStatus || ('error' in ack && TLS_REFUSAL.test(ack.error) && this.#payer.hubUrl.startsWith('https:'))
      : byStatus || code === '3105';
    const expected = this.#without === 'credentials'
      ? 'refused: TLS handshake refused for want of a client certificate, or HTTP 401/403'
      : 'refused: HTTP 401/403 or error 3105 (Invalid signature)';
    return [{ name: this.#label, value: outcomeOf(exchange), threshold: expected, ok: refused, source: sourceOf(exchange) }];
  }

  /** The hub URL must be https and complete a TLS handshake at 1.2 or newer. */
  async tlsAtEdge(): Promise<Measurement[]> {
    const url = new URL(this.#payer.hubUrl);
    const source = `hub URL ${url.origin}`;
    if (url.protocol !== 'https:') {
      return [{ name: 'FSPIOP endpoint transport', value: `${url.protocol.replace(':', '')} (plaintext)`, threshold: 'TLS 1.2 or newer', ok: false, source }];
    }
    const protocol = await new Promise<string>((resolve) => {
      const socket = connect({ host: url.hostname, port: Number(url.port || 443), servername: url.hostname, rejectUnauthorized: false }, () => {
        resolve(socket.getProtocol() ?? 'unknown');
        socket.end();
      });
      socket.setTimeout(this.#config.timeouts.requestMs, () => socket.destroy(new Error('timeout')));
      socket.on('error', (error) => resolve(`handshake failed: ${error.message}`));
    });
    return [{ name: 'FSPIOP endpoint transport', value: protocol, threshold: 'TLS 1.2 or newer', ok: protocol === 'TLSv1.2' || protocol === 'TLSv1.3', source }];
  }

  /** GET {adminUrl}/participants with no credentials must be refused (401/403). */
  async adminApiRefusesAnonymous(): Promise<Measurement[]> {
    const adminUrl = this.#config.hub.adminUrl;
    if (!adminUrl) throw new Error('hub.adminUrl is not configured');
    const url = `${adminUrl.replace(/\/+$/, '')}/participants`;
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
    return [{ name: 'anonymous admin API request', value, threshold: 'refused with HTTP 401 or 403', ok, source: `GET ${url}` }];
  }

  #require(): Exchange {
    if (!this.#exchange) throw new Error('nothing to check yet: add "When a client without credentials sends an FSPIOP request to the hub" before this step');
    return this.#exchange;
  }
}
