import { joinUrl } from '../support/url.ts';

/**
 * The endpoint type under which the embedded onboarding keeps a participant's callback base URL:
 * the hub appends the FSPIOP path to it. Not a central-ledger type — a DFSP provisioned through the
 * admin API registers central-ledger's per-resource types instead, which this routing reads too.
 */
export const CALLBACK_BASE_URL = 'FSPIOP_CALLBACK_URL';

/** Types registered as a base URL: the FSPIOP path is appended (central-ledger's quoting service does the same). */
const BASE_URL_TYPES: { pattern: RegExp; type: string }[] = [
  { pattern: /^\/quotes(\/|$)/, type: 'FSPIOP_CALLBACK_URL_QUOTES' },
  { pattern: /^\/bulkQuotes(\/|$)/, type: 'FSPIOP_CALLBACK_URL_BULK_QUOTES' },
  { pattern: /^\/transactionRequests(\/|$)/, type: 'FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE' },
  { pattern: /^\/authorizations(\/|$)/, type: 'FSPIOP_CALLBACK_URL_AUTHORIZATIONS' },
];

/**
 * Where the hub delivers `method path` to a participant: its base URL when it has one, else the
 * endpoint of central-ledger's type for this callback with its `{{…}}` placeholders filled from the
 * path. Undefined when the participant registered neither.
 */
export function callbackUrl(endpointOf: (type: string) => string | undefined, method: string, path: string): string | undefined {
  const base = endpointOf(CALLBACK_BASE_URL);
  if (base) return joinUrl(base, path);
  for (const { pattern, type } of BASE_URL_TYPES) {
    if (pattern.test(path)) {
      const value = endpointOf(type);
      return value === undefined ? undefined : joinUrl(value, path);
    }
  }
  const typed = templatedType(method, path);
  const template = typed && endpointOf(typed.type);
  if (!typed || !template) return undefined;
  return template.replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) => typed.values[name] ?? placeholder);
}

function templatedType(method: string, path: string): { type: string; values: Record<string, string> } | undefined {
  const segments = path.split('/').slice(1);
  const isError = segments.at(-1) === 'error';
  const ids = isError ? segments.slice(1, -1) : segments.slice(1);
  const error = isError ? '_ERROR' : '';
  switch (segments[0]) {
    case 'parties':
    case 'participants': {
      if (ids.length < 2 || ids.length > 3) return undefined;
      const values = { partyIdType: ids[0]!, partyIdentifier: ids[1]!, ...(ids[2] === undefined ? {} : { partySubIdOrType: ids[2] }) };
      const subId = ids.length === 3 ? '_SUB_ID' : '';
      if (segments[0] === 'parties') return { type: `FSPIOP_CALLBACK_URL_PARTIES${subId}_${method === 'GET' ? 'GET' : 'PUT'}${error}`, values };
      return { type: `FSPIOP_CALLBACK_URL_PARTICIPANT${subId}_PUT${error}`, values };
    }
    case 'transfers':
      if (method === 'POST' && ids.length === 0) return { type: 'FSPIOP_CALLBACK_URL_TRANSFER_POST', values: {} };
      if (ids.length !== 1) return undefined;
      return { type: isError ? 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR' : 'FSPIOP_CALLBACK_URL_TRANSFER_PUT', values: { transferId: ids[0]! } };
    default:
      return undefined;
  }
}
