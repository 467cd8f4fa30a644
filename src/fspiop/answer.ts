import { ErrorInformationPut } from './payloads.ts';

export interface HttpAnswer {
  status: number;
  body: string;
  contentType?: string | undefined;
}

/**
 * A synchronous answer that is not the 202 FSPIOP asks for, in one line: an FSPIOP error with its
 * code, or — when the body is no FSPIOP error at all (an HTML page, a proxy's text) — what it
 * was, never the raw body pasted into a verdict.
 */
export function describeAnswer(answer: HttpAnswer): { text: string; fspiop: boolean } {
  const error = parseErrorInformation(answer.body);
  if (error) {
    const description = error.errorDescription.replace(/\s+/g, ' ').slice(0, 120);
    return { text: `HTTP ${answer.status} instead of 202: error ${error.errorCode} (${description})`, fspiop: true };
  }
  const bytes = Buffer.byteLength(answer.body);
  const kind = answer.contentType?.split(';')[0]?.trim() || 'untyped';
  const what = bytes === 0 ? 'an empty body' : `a ${kind} body of ${bytes} bytes`;
  return { text: `HTTP ${answer.status} instead of 202, with ${what} (not an FSPIOP error)`, fspiop: false };
}

export function parseErrorInformation(body: unknown): ErrorInformationPut['errorInformation'] | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const parsed = ErrorInformationPut.safeParse(value);
  return parsed.success ? parsed.data.errorInformation : undefined;
}
