/** FSPIOP v1.1 resources this framework speaks. */
export type FspiopResource = 'parties' | 'quotes' | 'transfers' | 'participants';

export const FSPIOP_VERSION = '1.1';

export function contentType(resource: FspiopResource, version = FSPIOP_VERSION): string {
  return `application/vnd.interoperability.${resource}+json;version=${version}`;
}

/** Accept on requests: major version only, as the Mojaloop simulators send it. */
export function accept(resource: FspiopResource): string {
  return `application/vnd.interoperability.${resource}+json;version=1`;
}

export interface FspiopHeaderInput {
  resource: FspiopResource;
  source: string;
  destination?: string | undefined;
  /** Requests carry Accept; callbacks (PUT) do not. */
  isCallback?: boolean;
  date?: Date;
}

export function fspiopHeaders(input: FspiopHeaderInput): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': contentType(input.resource),
    date: (input.date ?? new Date()).toUTCString(),
    'fspiop-source': input.source,
  };
  if (!input.isCallback) headers.accept = accept(input.resource);
  if (input.destination) headers['fspiop-destination'] = input.destination;
  return headers;
}

const MEDIA_TYPE = /^application\/vnd\.interoperability\.([a-z]+)\+json\s*;\s*version\s*=\s*(\d+)(?:\.(\d+))?\s*$/i;

export interface ParsedMediaType {
  resource: string;
  major: number;
  minor: number | undefined;
}

/** Parses an FSPIOP versioned media type; undefined when the header is not one. */
export function parseFspiopMediaType(value: string | undefined): ParsedMediaType | undefined {
  const match = value ? MEDIA_TYPE.exec(value) : null;
  if (!match) return undefined;
  return { resource: match[1]!.toLowerCase(), major: Number(match[2]), minor: match[3] === undefined ? undefined : Number(match[3]) };
}
