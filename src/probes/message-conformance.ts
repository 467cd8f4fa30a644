import type { Measurement } from '../evidence/evidence.ts';
import { definitionFor, FSPIOP_VERSION, parseFspiopMediaType, versionOf, type FspiopResource } from '../fspiop/headers.ts';
import type { Exchange } from '../fspiop/payer-dfsp.ts';
import { checkCallbackHeaders, describeViolation, negotiatedVersion, type FspiopSpecification } from '../fspiop/spec-validation.ts';
import { sourceOf } from './exchange-measurements.ts';

/** The definition a message is held to, named for the evidence: the one of the version its Content-Type states. */
function specOf(headers: Record<string, string>): string {
  const media = parseFspiopMediaType(headers['content-type']);
  const version = media ? definitionFor(versionOf(media)) ?? versionOf(media) : FSPIOP_VERSION;
  return `the FSPIOP v${version} API definition (@mojaloop/api-snippets)`;
}

/**
 * Who may send a callback to one of our DFSPs: the hub itself, or the payee DFSP it relays. Whom it
 * must be addressed to is the DFSP that sent the request (the payer, or the bystander asking about a
 * transfer of the payer's), read from the request itself.
 */
export interface CallbackAddressing {
  senders: readonly string[];
}

/**
 * Holds every message of an exchange to the specification, as evidence: the request we sent and
 * the callback we got, against the official OpenAPI definition (field path and rule broken), and
 * the callback's headers against the header rules (versioned Content-Type, Date, who may send it
 * to whom).
 */
export class MessageConformance {
  readonly #spec: FspiopSpecification;
  readonly #addressing: CallbackAddressing;

  constructor(spec: FspiopSpecification, addressing: CallbackAddressing) {
    this.#spec = spec;
    this.#addressing = addressing;
  }

  /** The callback's body and headers; nothing when no callback arrived (that is measured elsewhere). */
  callback(exchange: Exchange, label: string): Measurement[] {
    const callback = exchange.callback;
    if (!callback) return [];
    const source = sourceOf(exchange);
    const violations = this.#spec.validate({ method: 'PUT', path: callback.path, headers: callback.headers, body: callback.body, direction: 'callback' });
    const resource = callback.path.split('/')[1] as FspiopResource;
    const asker: string | undefined = exchange.requestHeaders['fspiop-source'];
    const broken = checkCallbackHeaders({ resource, headers: callback.headers, expectedDestination: asker ?? '', allowedSources: this.#addressing.senders })
      .filter((finding) => !finding.ok);
    return [
      {
        name: `${label} callback against ${specOf(callback.headers)}`,
        value: violations.length === 0 ? 'no violation' : violations.map(describeViolation).join('; '),
        threshold: 'no violation', ok: violations.length === 0, source,
      },
      {
        name: `${label} callback headers`,
        value: broken.length === 0 ? 'Content-Type, Date, FSPIOP-Source and FSPIOP-Destination as specified'
          : broken.map((finding) => `${finding.header} ${JSON.stringify(finding.value ?? null)} breaks "${finding.rule}"${finding.detail ? ` (${finding.detail})` : ''}`).join('; '),
        threshold: `versioned Content-Type of the resource, a current IMF-fixdate Date, sent by the hub or the payee DFSP to ${asker ?? 'the DFSP that asked'}`, ok: broken.length === 0, source,
      },
    ];
  }

  /**
   * The callback came in a version the request's Accept listed: version negotiation, judged on its
   * own so that a hub answering in another version fails this, not every functional guarantee.
   */
  negotiation(exchange: Exchange, label: string): Measurement | undefined {
    const callback = exchange.callback;
    if (!callback) return undefined;
    const resource = callback.path.split('/')[1] as FspiopResource;
    const found = negotiatedVersion(resource, exchange.requestHeaders.accept, callback.headers['content-type']);
    return {
      name: `${label} callback version`, value: `Content-Type ${JSON.stringify(found.contentType ?? null)}`,
      threshold: `a version the request accepted (Accept: ${found.accept ?? 'none'})`, ok: found.ok, source: sourceOf(exchange),
    };
  }

  /** The request as we sent it conforms (a defect of ours, were it not). */
  request(exchange: Exchange, label: string): Measurement {
    const violations = this.#requestViolations(exchange);
    return {
      name: `${label} request against ${specOf(exchange.requestHeaders)}`,
      value: violations.length === 0 ? 'no violation' : violations.join('; '),
      threshold: 'no violation', ok: violations.length === 0, source: sourceOf(exchange),
    };
  }

  /** A request made invalid on purpose breaks the rule it was meant to break: proof that the hub's refusal is about that. */
  requestBreaks(exchange: Exchange, label: string, field: string): Measurement {
    const violations = this.#requestViolations(exchange);
    return {
      name: `${label} request against ${specOf(exchange.requestHeaders)}`,
      value: violations.length === 0 ? 'no violation' : violations.join('; '),
      // Only that rule broken: the hub's refusal must be about it, not about a mistake of ours elsewhere.
      threshold: `violates ${field} (on purpose), and nothing else`, ok: violations.length > 0 && violations.every((violation) => violation.includes(field)), source: sourceOf(exchange),
    };
  }

  #requestViolations(exchange: Exchange): string[] {
    return this.#spec.validate({ method: exchange.method, path: exchange.path, headers: exchange.requestHeaders, body: exchange.requestBody, direction: 'request' })
      .map(describeViolation);
  }
}
