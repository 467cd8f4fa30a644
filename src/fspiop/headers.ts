/** FSPIOP resources this framework speaks. */
export type FspiopResource = 'parties' | 'quotes' | 'transfers' | 'participants';

/**
 * The FSPIOP versions this framework holds messages to: each has its official definition in
 * `@mojaloop/api-snippets`. Mojaloop's services accept 1.0, 1.1 and 2.0 and originate their own
 * callbacks (errors, expiries, GET answers) in their configured default, 2.0 in current releases
 * (central-ledger / ml-api-adapter `PROTOCOL_VERSIONS.CONTENT.DEFAULT`). The config repeats these
 * lists (it may not import the protocol, and the k6 scripts that import this file must not carry
 * the config's zod): a test holds them together.
 */
export const FSPIOP_VERSIONS = ['1.1', '2.0'] as const;
export type FspiopVersion = (typeof FSPIOP_VERSIONS)[number];
export const FSPIOP_VERSION: FspiopVersion = '1.1';
/** Versions an Accept header may name: a major ("1": any 1.x) or an exact version ("1.1"). */
export const ACCEPTABLE_VERSIONS = ['1', '1.0', '1.1', '2', '2.0'] as const;
/** What our DFSPs accept unless told otherwise: both majors, so a hub answering in its configured 2.0 is not refused. */
export const DEFAULT_ACCEPTED: readonly string[] = ['1', '2'];

export function contentType(resource: FspiopResource, version: string = FSPIOP_VERSION): string {
  return `application/vnd.interoperability.${resource}+json;version=${version}`;
}

/**
 * Accept on requests: one media type per accepted version, comma-separated with no space —
 * central-services-shared's header validation (what every Mojaloop API service runs) matches
 * `type(,type)*` and refuses anything else.
 */
export function accept(resource: FspiopResource, versions: readonly string[] = DEFAULT_ACCEPTED): string {
  return versions.map((version) => `application/vnd.interoperability.${resource}+json;version=${version}`).join(',');
}

export interface FspiopHeaderInput {
  resource: FspiopResource;
  source: string;
  destination?: string | undefined;
  /** Requests carry Accept; callbacks (PUT) do not. */
  isCallback?: boolean;
  date?: Date;
  /** The version the body is written in (Content-Type); default 1.1. */
  version?: string;
  /** The versions a callback to this request may come in (Accept); default majors 1 and 2. */
  accepted?: readonly string[];
}

export function fspiopHeaders(input: FspiopHeaderInput): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': contentType(input.resource, input.version),
    date: (input.date ?? new Date()).toUTCString(),
    'fspiop-source': input.source,
  };
  if (!input.isCallback) headers.accept = accept(input.resource, input.accepted);
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

/** "2.0", "1" — a media type's version as written. */
export function versionOf(media: ParsedMediaType): string {
  return media.minor === undefined ? String(media.major) : `${media.major}.${media.minor}`;
}

const ACCEPT_ITEM = /^application\/vnd\.interoperability\.([a-zA-Z]+)\+json(?:\s?;\s?version=(\d+(?:\.\d+)?))?$/;

/**
 * The versions an Accept header lists for the resource (`*` for an item without a version: any),
 * or undefined when it is not a list of FSPIOP media types of that resource.
 */
export function parseAcceptHeader(resource: string, value: string | undefined): string[] | undefined {
  if (!value) return undefined;
  const versions: string[] = [];
  for (const item of value.split(',')) {
    const match = ACCEPT_ITEM.exec(item.trim());
    if (!match || match[1]!.toLowerCase() !== resource.toLowerCase()) return undefined;
    versions.push(match[2] ?? '*');
  }
  return versions;
}

/** Whether a message in `version` ("2.0") is one an Accept listing `accepted` ("1", "2.0", "*") asked for. */
export function isAccepted(version: string, accepted: readonly string[]): boolean {
  const [major] = version.split('.');
  return accepted.some((entry) => entry === '*' || entry === version || entry === major);
}

/** The definition a message in this version is held to: 1.x by v1.1 (a superset of 1.0), 2.x by v2.0. */
export function definitionFor(version: string): FspiopVersion | undefined {
  if (/^1(\.[01])?$/.test(version)) return '1.1';
  if (/^2(\.0)?$/.test(version)) return '2.0';
  return undefined;
}
