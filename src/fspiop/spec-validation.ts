import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Document, OpenAPIBackend, Operation, ValidationResult } from 'openapi-backend';
import { parse as parseYaml } from 'yaml';
import { definitionFor, FSPIOP_VERSION, FSPIOP_VERSIONS, isAccepted, parseAcceptHeader, parseFspiopMediaType, versionOf, type FspiopResource, type FspiopVersion } from './headers.ts';

/** One rule of an FSPIOP OpenAPI definition a message breaks. */
export interface SpecViolation {
  /** The definition the message was held to (its Content-Type's version). */
  version: FspiopVersion;
  /** The operation the message was matched to; undefined when none matches. */
  operationId: string | undefined;
  /** `body.transferAmount.amount`, `header.fspiop-source`, `path.ID`, `body`, `method`, `route`. */
  field: string;
  /** In short human words: `is required`, `must match pattern "…"`, `must be one of: …`. */
  rule: string;
}

export interface FspiopMessage {
  method: string;
  /** As on the wire: `/transfers/{id}`, with or without a query string. */
  path: string;
  headers: Record<string, string>;
  body?: unknown;
  /** When given, checked against the method: FSPIOP callbacks are the PUTs. */
  direction?: 'request' | 'callback';
}

/** The official definitions, by version, as `@mojaloop/api-snippets` ships them. */
export const FSPIOP_SPEC_FILES: Record<FspiopVersion, string> = {
  '1.1': 'docs/fspiop-rest-v1.1-openapi3-snippets.yaml',
  '2.0': 'docs/fspiop-rest-v2.0-openapi3-snippets.yaml',
};

type AjvError = NonNullable<ValidationResult['errors']>[number];

type RequestValidator = ((parameters: unknown) => boolean) & { errors?: AjvError[] | null };

interface Route {
  operation: Operation;
  method: string;
  template: string;
  pattern: RegExp;
  /** The template's parameter names, in the order of the pattern's groups. */
  parameters: readonly string[];
  validators: readonly RequestValidator[];
  /** The operation's body is JSON only: a body that is not an object must at least parse. */
  jsonBodyOnly: boolean;
}

interface Definition {
  api: OpenAPIBackend;
  // Ordered most specific first, so `/parties/{Type}/{ID}/error` wins over `/parties/{Type}/{ID}/{SubId}` for a PUT.
  routes: readonly Route[];
}

/**
 * The official FSPIOP OpenAPI definitions, v1.1 and v2.0 (`@mojaloop/api-snippets`), compiled
 * once: every request and callback a hub or DFSP receives is an operation of the definition of
 * the version its Content-Type names, callbacks being PUTs.
 */
export class FspiopSpecification {
  readonly #definitions: ReadonlyMap<FspiopVersion, Definition>;

  private constructor(definitions: ReadonlyMap<FspiopVersion, Definition>) {
    this.#definitions = definitions;
  }

  /** Prefer `loadFspiopSpecification()`: compiling takes about a second and is needed once per process. */
  static async load(): Promise<FspiopSpecification> {
    const definitions = new Map<FspiopVersion, Definition>();
    for (const version of FSPIOP_VERSIONS) definitions.set(version, await compile(FSPIOP_SPEC_FILES[version]));
    return new FspiopSpecification(definitions);
  }

  /**
   * Every rule the message breaks, of the definition of the version its Content-Type names (v1.1
   * when it names none); empty when it conforms.
   */
  validate(message: FspiopMessage, /** @internal the slow reference path, for the parity test */ libraryParsing = false): SpecViolation[] {
    const media = parseFspiopMediaType(headerOf(message.headers, 'content-type'));
    const version = media ? definitionFor(versionOf(media)) : FSPIOP_VERSION;
    if (!version) {
      return [{ version: FSPIOP_VERSION, operationId: undefined, field: 'header.content-type', rule: `names FSPIOP version ${versionOf(media!)}, which has no definition (${FSPIOP_VERSIONS.join(', ')})` }];
    }
    return validateAgainst(this.#definitions.get(version)!, version, message, libraryParsing);
  }
}

async function compile(file: string): Promise<Definition> {
  const { OpenAPIBackend } = await import('openapi-backend');
  const root = dirname(createRequire(import.meta.url).resolve('@mojaloop/api-snippets/package.json'));
  const definition = parseYaml(await readFile(join(root, file), 'utf8')) as Document;
  const api = new OpenAPIBackend({
    definition,
    strict: false,
    validate: true,
    // quick: no validation of the published document against the OpenAPI meta-schema, and no
    // response validators (we never validate responses) — together most of the 2 s of a default init.
    quick: true,
    // allErrors: a conformance report names every broken rule, not the first one.
    // unicodeRegExp (ajv's default, stated because it matters): the name patterns use \p{L}, which
    // without the u flag would silently mean the characters p, {, L, } and reject "Zoë".
    ajvOpts: { allErrors: true, unicodeRegExp: true },
  });
  await api.init();
  const routes: Route[] = [];
  for (const operation of api.router.getOperations()) {
    if (!operation.operationId) continue;
    const validators = (api.validator.getRequestValidatorsForOperation(operation.operationId) ?? []) as RequestValidator[];
    // Compiling all operations blocks for ~0.5 s; yielding between them lets a caller that started
    // the load early keep serving meanwhile.
    await new Promise((resolve) => setImmediate(resolve));
    const pattern = new RegExp(`^${operation.path.split(/\{[^}]+\}/).map(escapeRegExp).join('([^/]+)')}$`);
    const parameters = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
    const bodyFormats = Object.keys((operation.requestBody as { content?: object } | undefined)?.content ?? {});
    const jsonBodyOnly = bodyFormats.length === 1 && bodyFormats[0] === 'application/json';
    routes.push({ operation, method: operation.method.toUpperCase(), template: operation.path, pattern, parameters, validators, jsonBodyOnly });
  }
  routes.sort((a, b) => literalLength(b.template) - literalLength(a.template));
  return { api, routes };
}

function validateAgainst({ api, routes }: Definition, version: FspiopVersion, message: FspiopMessage, libraryParsing: boolean): SpecViolation[] {
  const method = message.method.toUpperCase();
  const path = normalisePath(message.path);
  const onPath = routes.filter((route) => route.pattern.test(path));
  const route = onPath.find((candidate) => candidate.method === method);
  if (!route) {
    const allowed = [...new Set(onPath.map((candidate) => candidate.method))].sort();
    const rule = `no such operation in FSPIOP v${version}: ${method} ${path}` + (allowed.length ? ` (the path allows ${allowed.join(', ')})` : '');
    return [{ version, operationId: undefined, field: 'route', rule }];
  }
  const operationId = route.operation.operationId;
  const violations: SpecViolation[] = [];
  if (message.direction === 'callback' && method !== 'PUT') {
    violations.push({ version, operationId, field: 'method', rule: `a callback is a PUT, not a ${method}` });
  } else if (message.direction === 'request' && method === 'PUT') {
    violations.push({ version, operationId, field: 'method', rule: 'a PUT is a callback, not a request' });
  }
  const errors = libraryParsing
    ? api.validateRequest({ method, path, headers: message.headers, body: message.body }, route.operation).errors ?? []
    : runValidators(route, path, message);
  for (const error of withoutNoise(errors)) {
    violations.push({ version, operationId, field: fieldOf(error), rule: ruleOf(error) });
  }
  return violations;
}

/**
 * What openapi-backend's `validateRequest` does with a message (its query left out, as FSPIOP
 * defines none) — the same parameters object (path parameters decoded, header names in lower
 * case, the body when it is an object) handed to the same compiled validators — without its
 * per-message router work (a path template compiled per call, lodash over the headers), which
 * was most of a load runner's validation CPU. test/fspiop/spec-validation.test.ts holds the two
 * to the same answers.
 */
function runValidators(route: Route, path: string, message: FspiopMessage): AjvError[] {
  const values = route.pattern.exec(path);
  const pathParameters: Record<string, string> = {};
  route.parameters.forEach((name, index) => {
    const raw = values?.[index + 1] ?? '';
    try {
      pathParameters[name] = decodeURIComponent(raw);
    } catch {
      pathParameters[name] = raw;
    }
  });
  const header: Record<string, string> = {};
  for (const name in message.headers) header[name.toLowerCase()] = message.headers[name]!;
  let requestBody = message.body;
  if (requestBody && typeof requestBody !== 'object') {
    try {
      requestBody = JSON.parse(String(requestBody));
    } catch {
      // The validators report the body as it is.
    }
  }
  const parameters: Record<string, unknown> = { path: pathParameters, query: {}, header, cookie: {} };
  if (typeof requestBody === 'object' || header['content-type'] === 'application/json') parameters.requestBody = requestBody;
  const errors: AjvError[] = [];
  if (route.jsonBodyOnly && typeof message.body !== 'object' && message.body !== undefined) {
    try {
      JSON.parse(String(message.body));
    } catch (error) {
      errors.push({ keyword: 'parse', instancePath: '', schemaPath: '#/requestBody', params: [], message: (error as Error).message } as unknown as AjvError);
    }
  }
  for (const validate of route.validators) {
    validate(parameters);
    if (validate.errors) errors.push(...validate.errors);
  }
  return errors;
}

/** The slow reference: openapi-backend parsing the message itself. Only for the test that holds `validate` to it. */
export function validateThroughLibrary(spec: FspiopSpecification, message: FspiopMessage): SpecViolation[] {
  return spec.validate(message, true);
}

function headerOf(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

/** One line per violation, for evidence and assertion messages. */
export function describeViolation(violation: SpecViolation): string {
  return `${violation.operationId ?? '(no operation)'} (v${violation.version}): ${violation.field} ${violation.rule}`;
}

let loading: Promise<FspiopSpecification> | undefined;

/** The process's one compiled specification; concurrent and later calls share it. */
export function loadFspiopSpecification(): Promise<FspiopSpecification> {
  loading ??= FspiopSpecification.load().catch((error: unknown) => {
    // A failed load must not be the process's answer forever: the next caller tries again.
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * Starts the load without waiting for it, so it overlaps other start-up work. A failure is not
 * lost: it is raised to whoever awaits `loadFspiopSpecification()`, which then tries once more.
 */
export function preloadFspiopSpecification(): void {
  loadFspiopSpecification().catch(() => undefined);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function literalLength(template: string): number {
  return template.replace(/\{[^}]+\}/g, '').length;
}

function normalisePath(path: string): string {
  const withoutQuery = path.split('?')[0] ?? '';
  const withSlash = withoutQuery.startsWith('/') ? withoutQuery : `/${withoutQuery}`;
  return withSlash.length > 1 && withSlash.endsWith('/') ? withSlash.slice(0, -1) : withSlash;
}

const SECTIONS: Record<string, string> = { requestBody: 'body', header: 'header', path: 'path', query: 'query', cookie: 'cookie' };

function fieldOf(error: AjvError): string {
  const segments = error.instancePath.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const child = error.keyword === 'required' ? (error.params as { missingProperty?: string }).missingProperty
    : error.keyword === 'additionalProperties' ? (error.params as { additionalProperty?: string }).additionalProperty
      : undefined;
  if (child !== undefined) segments.push(child);
  const [section, ...rest] = segments;
  if (section === undefined) return 'body';
  let field = SECTIONS[section] ?? section;
  for (const segment of rest) field += /^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`;
  return field;
}

const ENUM_LISTED = 12;

function ruleOf(error: AjvError): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': return 'is required';
    case 'pattern': return `must match pattern "${String(params.pattern)}"`;
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      return allowed.length <= ENUM_LISTED
        ? `must be one of: ${allowed.join(', ')}`
        : `must be one of ${allowed.length} values: ${allowed.slice(0, ENUM_LISTED).join(', ')}, …`;
    }
    case 'type': return `must be ${withArticle(String(params.type))}`;
    case 'minLength': return `must be at least ${plural(Number(params.limit), 'character')} long`;
    case 'maxLength': return `must be at most ${plural(Number(params.limit), 'character')} long`;
    case 'minItems': return `must have at least ${plural(Number(params.limit), 'item')}`;
    case 'maxItems': return `must have at most ${plural(Number(params.limit), 'item')}`;
    case 'additionalProperties': return 'is not allowed here';
    case 'anyOf':
    case 'oneOf': return 'must match one of the forms the specification allows';
    case 'parse': return `is not valid JSON (${error.message ?? 'unparsable'})`;
    default: return error.message ?? `breaks the "${error.keyword}" rule`;
  }
}

/**
 * Drops what only restates another error: under a failed anyOf/oneOf, each branch's complaints say
 * less than "matches none of them"; an unparsable body is also reported as a missing one.
 */
function withoutNoise(errors: readonly AjvError[]): AjvError[] {
  const alternatives = errors.filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf').map((error) => `${error.schemaPath}/`);
  const unparsable = errors.some((error) => error.keyword === 'parse');
  return errors.filter((error) => !alternatives.some((prefix) => error.schemaPath.startsWith(prefix))
    && !(unparsable && error.keyword === 'required' && error.instancePath === '' && (error.params as { missingProperty?: string }).missingProperty === 'requestBody'));
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

// ── Callback headers ──────────────────────────────────────────────────────────────────────────

/** One FSPIOP header rule checked on a callback. */
export interface HeaderFinding {
  /** Lower-case header name. */
  header: string;
  /** As received; undefined when the header is absent. */
  value: string | undefined;
  rule: string;
  ok: boolean;
  /** Why it failed, when the rule alone does not say. */
  detail?: string;
}

export interface CallbackHeaderInput {
  resource: FspiopResource;
  headers: Record<string, string>;
  expectedDestination: string;
  allowedSources: readonly string[];
  /** The receiver's clock (ms since epoch); defaults to now. */
  now?: number;
  /** Allowed distance between Date and `now`; defaults to 5 minutes. */
  dateToleranceMs?: number;
}

export const DATE_TOLERANCE_MS = 5 * 60_000;

const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * The header rules a callback must satisfy beyond what the OpenAPI definition states (it types
 * these headers as plain strings). Whether its version is one the request accepted is version
 * negotiation, checked on its own (`negotiatedVersion`), so that a hub answering in another
 * version fails that guarantee, not every functional one.
 */
export function checkCallbackHeaders(input: CallbackHeaderInput): HeaderFinding[] {
  const headers = new Map(Object.entries(input.headers).map(([name, value]) => [name.toLowerCase(), value]));
  const now = input.now ?? Date.now();
  const tolerance = input.dateToleranceMs ?? DATE_TOLERANCE_MS;
  const findings: HeaderFinding[] = [];

  const contentType = headers.get('content-type');
  const media = parseFspiopMediaType(contentType);
  const version = media && versionOf(media);
  findings.push({
    header: 'content-type',
    value: contentType,
    rule: `is application/vnd.interoperability.${input.resource}+json;version=<major.minor> of a version with a definition (1.0, 1.1, 2.0)`,
    ok: media !== undefined && media.resource === input.resource && media.minor !== undefined && definitionFor(version!) !== undefined,
    ...(media === undefined ? {}
      : media.resource !== input.resource ? { detail: `names the resource "${media.resource}", the callback is on /${input.resource}` }
        : media.minor === undefined ? { detail: 'has no minor version: a Content-Type states the exact version' }
          : definitionFor(version!) === undefined ? { detail: `version ${version} has no FSPIOP definition` } : {}),
  });

  const date = headers.get('date');
  // Date.parse accepts far more than IMF-fixdate; a round trip through toUTCString (which writes
  // IMF-fixdate) also rejects a weekday that does not match the date and out-of-range fields.
  const dateMs = date !== undefined && IMF_FIXDATE.test(date) ? Date.parse(date) : Number.NaN;
  const isFixdate = !Number.isNaN(dateMs) && new Date(dateMs).toUTCString() === date;
  findings.push({
    header: 'date',
    value: date,
    rule: 'is an RFC 7231 IMF-fixdate (e.g. "Sun, 06 Nov 1994 08:49:37 GMT")',
    ok: isFixdate,
    ...(date === undefined ? { detail: 'is absent' } : {}),
  });
  const skewMs = isFixdate ? dateMs - now : Number.NaN;
  findings.push({
    header: 'date',
    value: date,
    rule: `is within ±${formatDuration(tolerance)} of the receiver's clock`,
    ok: isFixdate && Math.abs(skewMs) <= tolerance,
    ...(!isFixdate ? { detail: 'cannot be compared: not an IMF-fixdate' }
      : Math.abs(skewMs) > tolerance ? { detail: `is ${formatDuration(Math.abs(skewMs))} ${skewMs < 0 ? 'behind' : 'ahead of'} the receiver's clock` } : {}),
  });

  const source = headers.get('fspiop-source');
  findings.push({
    header: 'fspiop-source',
    value: source,
    rule: `is one of: ${input.allowedSources.join(', ')}`,
    ok: source !== undefined && input.allowedSources.includes(source),
  });

  const destination = headers.get('fspiop-destination');
  findings.push({
    header: 'fspiop-destination',
    value: destination,
    rule: `is ${input.expectedDestination}`,
    ok: destination === input.expectedDestination,
  });
  return findings;
}

function formatDuration(ms: number): string {
  if (ms % 60_000 === 0) return plural(ms / 60_000, 'minute');
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} minutes`;
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

/** What version negotiation found for one callback: the version it came in and what its request accepted. */
export interface NegotiationFinding {
  /** As received. */
  contentType: string | undefined;
  /** The request's Accept header. */
  accept: string | undefined;
  ok: boolean;
}

/** A callback must come in a version its request's Accept listed (FSPIOP API Definition, section "Version negotiation"). */
export function negotiatedVersion(resource: FspiopResource, requestAccept: string | undefined, callbackContentType: string | undefined): NegotiationFinding {
  const media = parseFspiopMediaType(callbackContentType);
  const accepted = parseAcceptHeader(resource, requestAccept);
  return { contentType: callbackContentType, accept: requestAccept, ok: media !== undefined && accepted !== undefined && isAccepted(versionOf(media), accepted) };
}
