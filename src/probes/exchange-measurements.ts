import type { ZodType } from 'zod';
import type { Measurement } from '../evidence/evidence.ts';
import { describeAnswer } from '../fspiop/answer.ts';
import type { Exchange } from '../fspiop/payer-dfsp.ts';
import { describeZodError, ErrorInformationPut } from '../fspiop/payloads.ts';
import { redactUrl } from '../support/url.ts';

/** Where an exchange's evidence came from, for the `source` of its measurements. */
export function sourceOf(exchange: Exchange): string {
  const callback = exchange.callback ? ` → PUT ${exchange.callback.path}` : '';
  const resent = exchange.resent ? ` (resent once: ${exchange.resent})` : '';
  const toldApart = exchange.answerToldApart ? ` (${exchange.answerToldApart})` : '';
  return `${exchange.method} ${redactUrl(exchange.url)}${resent}${callback}${toldApart}`;
}

/** How an exchange ended, in a few words: "success callback", "error callback 3204", "HTTP 400", "no callback". */
export function outcomeOf(exchange: Exchange): string {
  if ('error' in exchange.ack) return `request failed: ${exchange.ack.error}`;
  if (exchange.ack.status !== 202) return describeAnswer(exchange.ack).text;
  if (exchange.timedOut) return 'no callback';
  if (exchange.callback?.kind === 'error') {
    const parsed = ErrorInformationPut.safeParse(exchange.callback.body);
    return parsed.success
      ? `error callback ${parsed.data.errorInformation.errorCode} (${parsed.data.errorInformation.errorDescription})`
      : 'error callback without a valid errorInformation';
  }
  return 'success callback';
}

/** The callback of an exchange arrived, of the expected kind, within the timeout. */
export function callbackArrived(exchange: Exchange, label: string, expected: 'success' | 'error', timeoutMs: number): Measurement {
  const outcome = outcomeOf(exchange);
  const ok = exchange.callback?.kind === expected;
  return {
    name: `${label} callback`,
    value: exchange.endToEndMs === undefined ? outcome : `${outcome} after ${Math.round(exchange.endToEndMs)} ms`,
    threshold: `${expected} callback within ${timeoutMs} ms`,
    ok,
    source: sourceOf(exchange),
  };
}

/** Parses a callback body; a body that breaks the FSPIOP schema is itself a failed measurement. */
export function parseCallback<T>(exchange: Exchange, label: string, schema: ZodType<T>): { body?: T; measurement: Measurement } {
  const parsed = schema.safeParse(exchange.callback?.body);
  return {
    ...(parsed.success ? { body: parsed.data } : {}),
    measurement: {
      name: `${label} callback body`,
      value: parsed.success ? 'valid' : describeZodError(parsed.error),
      threshold: 'has the fields FSPIOP defines for it, of the right types',
      ok: parsed.success,
      source: sourceOf(exchange),
    },
  };
}

export function equals(name: string, actual: string | undefined, expected: string, source: string): Measurement {
  return { name, value: actual ?? null, threshold: `= ${expected}`, ok: actual === expected, source };
}
