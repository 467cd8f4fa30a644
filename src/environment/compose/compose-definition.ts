import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../config/errors.ts';

/**
 * A docker compose project as its files declare it: what `docker compose --profile … up` would
 * start, read without a Docker engine. Compose semantics kept: a service without `profiles:` is
 * always on; later files override earlier ones service by service; `${VAR}`, `${VAR:-default}`,
 * `${VAR-default}` and `$VAR` are interpolated from the shell environment first, then the env file.
 */
export interface ComposeHealthcheck {
  /** The command as one line, e.g. `wget -q http://127.0.0.1:3001/health -O /dev/null || exit 1`. */
  test: string;
  intervalMs?: number;
  timeoutMs?: number;
  retries?: number;
  startPeriodMs?: number;
  disabled: boolean;
}

export interface ComposePort {
  /** Host port, when the definition fixes one; absent = an ephemeral port chosen at start. */
  published?: number;
  target: number;
  hostIp?: string;
  protocol: string;
}

export interface ComposeVolume {
  type: 'bind' | 'volume' | 'tmpfs';
  source?: string;
  target: string;
  readOnly: boolean;
}

export interface ComposeService {
  name: string;
  /** The file that declares it last (evidence: file and service). */
  file: string;
  image?: string;
  build: boolean;
  profiles: string[];
  containerName?: string;
  healthcheck?: ComposeHealthcheck;
  ports: ComposePort[];
  networks: string[];
  volumes: ComposeVolume[];
  dependsOn: Array<{ service: string; condition: string }>;
  restart?: string;
  extraHosts: string[];
  labels: Record<string, string>;
  /** Swarm-only placement settings, which a single engine ignores. */
  deploy?: { mode?: string; replicas?: number };
  memLimit?: string;
  cpus?: number;
}

export interface ComposeDefinition {
  /** Folder of the project (compose's working directory). */
  dir: string;
  files: string[];
  envFile?: string;
  /** What `docker compose` names the project by default: its top-level `name:`, else the folder's name, lower-cased. */
  projectName: string;
  services: ComposeService[];
  /** Top-level networks: key → the name docker gives it. */
  networks: Record<string, { name: string; external: boolean }>;
  volumes: string[];
  /** Every profile some service names, sorted. */
  declaredProfiles: string[];
  /** Variables a file uses that neither the environment nor the env file sets (compose makes them ""). */
  unsetVariables: string[];
}

/** The compose file names `docker compose` looks for, in its order. */
export const DEFAULT_COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
/**
 * Env files tried when none is configured: compose's `.env`, then `dot-env` — the name a copy of
 * the harness's `.env` gets where dot files are awkward (our reference copy of it).
 */
export const DEFAULT_ENV_FILES = ['.env', 'dot-env'];

export interface ReadDefinitionOptions {
  dir: string;
  /** Compose files relative to dir; default: the first of DEFAULT_COMPOSE_FILES that exists. */
  files?: readonly string[];
  /** More files on top (e.g. docker-compose-monitoring.yml). */
  extraFiles?: readonly string[];
  envFile?: string;
  /** Variables that take precedence over the env file (compose: the shell's). Default: process.env. */
  environment?: Record<string, string | undefined>;
}

export async function readComposeDefinition(options: ReadDefinitionOptions): Promise<ComposeDefinition> {
  const dir = resolve(options.dir);
  if (!existsSync(dir)) throw new ConfigError(`compose.harness "${options.dir}" does not exist; give the folder of a compose project (a checkout of mojaloop/ml-core-test-harness, or fixtures/harness)`);
  const base = options.files?.length ? [...options.files] : DEFAULT_COMPOSE_FILES.filter((f) => existsSync(join(dir, f))).slice(0, 1);
  if (base.length === 0) {
    throw new ConfigError(`compose.harness "${options.dir}" holds no compose file (${DEFAULT_COMPOSE_FILES.join(', ')}); give the harness folder, or name its files in compose.files`);
  }
  const files = [...base, ...(options.extraFiles ?? [])];
  for (const file of files) {
    if (!existsSync(join(dir, file))) throw new ConfigError(`compose file "${file}" does not exist in ${dir}; fix compose.files / compose.extraFiles (--compose-file)`);
  }
  const envFile = options.envFile ?? DEFAULT_ENV_FILES.find((f) => existsSync(join(dir, f)));
  if (options.envFile && !existsSync(resolve(dir, options.envFile))) throw new ConfigError(`compose.envFile "${options.envFile}" does not exist (relative to ${dir})`);
  const fromFile = envFile ? parseEnvFile(await readFile(resolve(dir, envFile), 'utf8')) : {};
  const shell = options.environment ?? process.env;
  const lookup = (name: string): string | undefined => shell[name] ?? fromFile[name];
  const unset = new Set<string>();

  const services = new Map<string, { file: string; raw: Record<string, unknown> }>();
  const networks: ComposeDefinition['networks'] = {};
  const volumes = new Set<string>();
  let declaredName: string | undefined;
  for (const file of files) {
    let doc: unknown;
    try {
      doc = parseYaml(await readFile(join(dir, file), 'utf8'), { merge: true });
    } catch (error) {
      throw new ConfigError(`compose file "${file}" failed to parse: ${String((error as Error).message).split('\n')[0]}`);
    }
    const project = interpolate(doc, lookup, unset) as Record<string, unknown> | null;
    if (!isObject(project)) throw new ConfigError(`compose file "${file}" holds no compose project (no top-level mapping)`);
    for (const [name, raw] of Object.entries(asObject(project.services))) {
      const earlier = services.get(name);
      services.set(name, { file, raw: earlier ? mergeService(earlier.raw, asObject(raw)) : asObject(raw) });
    }
    for (const [key, raw] of Object.entries(asObject(project.networks))) {
      const net = asObject(raw);
      networks[key] = { name: typeof net.name === 'string' ? net.name : key, external: net.external === true };
    }
    for (const key of Object.keys(asObject(project.volumes))) volumes.add(key);
    if (typeof project.name === 'string') declaredName = project.name;
  }
  const parsed = [...services].map(([name, { file, raw }]) => toService(name, file, raw));
  return {
    dir,
    files,
    ...(envFile ? { envFile } : {}),
    projectName: declaredName ?? basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, ''),
    services: parsed,
    networks,
    volumes: [...volumes],
    declaredProfiles: [...new Set(parsed.flatMap((s) => s.profiles))].sort(),
    unsetVariables: [...unset].sort(),
  };
}

/** The services `docker compose --profile p1 --profile p2 up` starts: those without profiles, and those in any selected profile. */
export function selectServices(definition: ComposeDefinition, profiles: readonly string[]): ComposeService[] {
  return definition.services.filter((s) => s.profiles.length === 0 || s.profiles.some((p) => profiles.includes(p)));
}

/** `KEY=VALUE` lines; `#` comments, optional `export `, quotes removed. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!.trim();
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    out[match[1]!] = value;
  }
  return out;
}

/** Compose interpolation over every string of a parsed document. `$$` is a literal `$`. */
export function interpolate(value: unknown, lookup: (name: string) => string | undefined, unset: Set<string> = new Set()): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (whole, braced: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
        if (whole === '$$') return '$';
        const name = (braced ?? bare)!;
        const current = lookup(name);
        const empty = current === undefined || (op?.startsWith(':') === true && current === '');
        if (op === ':-' || op === '-') return empty ? (arg ?? '') : current!;
        if (op === ':+' || op === '+') return empty ? '' : (arg ?? '');
        if ((op === ':?' || op === '?') && empty) {
          throw new ConfigError(`compose variable ${name} is required${arg ? ` (${arg})` : ''}; set it in the env file or the environment`);
        }
        if (current === undefined) unset.add(name);
        return current ?? '';
      });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, lookup, unset));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, lookup, unset)]));
  return value;
}

function mergeService(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    if (Array.isArray(current) && Array.isArray(value) && ['ports', 'volumes', 'extra_hosts', 'profiles', 'expose'].includes(key)) {
      out[key] = [...new Set([...current, ...value].map((v) => JSON.stringify(v)))].map((v) => JSON.parse(v) as unknown);
    } else if (isObject(current) && isObject(value)) out[key] = { ...current, ...value };
    else out[key] = value;
  }
  return out;
}

function toService(name: string, file: string, raw: Record<string, unknown>): ComposeService {
  const healthcheck = asObject(raw.healthcheck);
  const deploy = asObject(raw.deploy);
  const dependsOn = Array.isArray(raw.depends_on)
    ? raw.depends_on.map((service) => ({ service: String(service), condition: 'service_started' }))
    : Object.entries(asObject(raw.depends_on)).map(([service, v]) => ({ service, condition: String(asObject(v).condition ?? 'service_started') }));
  const memLimit = raw.mem_limit ?? asObject(asObject(deploy.resources).limits).memory;
  const cpus = raw.cpus ?? asObject(asObject(deploy.resources).limits).cpus;
  return {
    name,
    file,
    ...(typeof raw.image === 'string' ? { image: raw.image } : {}),
    build: raw.build !== undefined,
    profiles: Array.isArray(raw.profiles) ? raw.profiles.map(String) : [],
    ...(typeof raw.container_name === 'string' ? { containerName: raw.container_name } : {}),
    ...(Object.keys(healthcheck).length > 0 ? { healthcheck: toHealthcheck(healthcheck) } : {}),
    ports: (Array.isArray(raw.ports) ? raw.ports : []).flatMap(toPorts),
    networks: Array.isArray(raw.networks) ? raw.networks.map(String) : Object.keys(asObject(raw.networks)),
    volumes: (Array.isArray(raw.volumes) ? raw.volumes : []).map(toVolume),
    dependsOn,
    ...(typeof raw.restart === 'string' ? { restart: raw.restart } : {}),
    extraHosts: Array.isArray(raw.extra_hosts) ? raw.extra_hosts.map(String) : Object.entries(asObject(raw.extra_hosts)).map(([h, ip]) => `${h}:${String(ip)}`),
    labels: Array.isArray(raw.labels)
      ? Object.fromEntries(raw.labels.map((l) => String(l).split(/=(.*)/s).slice(0, 2) as [string, string]))
      : Object.fromEntries(Object.entries(asObject(raw.labels)).map(([k, v]) => [k, String(v)])),
    ...(Object.keys(deploy).length > 0 ? { deploy: { ...(typeof deploy.mode === 'string' ? { mode: deploy.mode } : {}), ...(deploy.replicas !== undefined ? { replicas: Number(deploy.replicas) } : {}) } } : {}),
    ...(memLimit !== undefined ? { memLimit: String(memLimit) } : {}),
    ...(cpus !== undefined && !Number.isNaN(Number(cpus)) ? { cpus: Number(cpus) } : {}),
  };
}

function toHealthcheck(raw: Record<string, unknown>): ComposeHealthcheck {
  const test = raw.test;
  let line: string;
  if (Array.isArray(test)) {
    const [kind, ...rest] = test.map(String);
    line = kind === 'CMD-SHELL' ? rest.join(' ') : kind === 'NONE' ? 'NONE' : rest.join(' ');
  } else line = String(test ?? '');
  const ms = (v: unknown) => (typeof v === 'string' ? durationMs(v) : undefined);
  const out: ComposeHealthcheck = { test: line, disabled: raw.disable === true || line === 'NONE' };
  const interval = ms(raw.interval); if (interval !== undefined) out.intervalMs = interval;
  const timeout = ms(raw.timeout); if (timeout !== undefined) out.timeoutMs = timeout;
  const start = ms(raw.start_period); if (start !== undefined) out.startPeriodMs = start;
  if (typeof raw.retries === 'number') out.retries = raw.retries;
  return out;
}

/** Compose durations: `1m30s`, `20s`, `500ms`, `1h`. */
export function durationMs(text: string): number | undefined {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|us|h|m|s)/g)];
  if (parts.length === 0) return undefined;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 };
  return Math.round(parts.reduce((sum, [, n, u]) => sum + Number(n) * unit[u!]!, 0));
}

/** Short syntax `[HOST_IP:][HOST:]CONTAINER[/PROTO]` (ranges expanded) or the long syntax. */
function toPorts(raw: unknown): ComposePort[] {
  if (isObject(raw)) {
    const published = raw.published === undefined ? undefined : Number(raw.published);
    return [{ target: Number(raw.target), ...(published !== undefined && !Number.isNaN(published) ? { published } : {}), ...(typeof raw.host_ip === 'string' ? { hostIp: raw.host_ip } : {}), protocol: String(raw.protocol ?? 'tcp') }];
  }
  const text = String(raw);
  const [spec, protocol = 'tcp'] = text.split('/');
  // An IPv6 host address is bracketed: [::1]:8080:80.
  const ipv6 = /^\[([^\]]+)\]:(.*)$/.exec(spec!);
  const parts = ipv6 ? [ipv6[1]!, ...ipv6[2]!.split(':')] : spec!.split(':');
  const container = parts.pop()!;
  const host = parts.pop();
  const hostIp = parts.pop();
  const range = (r: string) => { const [a, b] = r.split('-').map(Number); return Array.from({ length: (b ?? a!) - a! + 1 }, (_, i) => a! + i); };
  const targets = range(container);
  const hosts = host ? range(host) : [];
  return targets.map((target, i) => ({ target, ...(hosts[i] !== undefined ? { published: hosts[i] } : {}), ...(hostIp ? { hostIp } : {}), protocol }));
}

function toVolume(raw: unknown): ComposeVolume {
  if (isObject(raw)) {
    return { type: (raw.type as ComposeVolume['type']) ?? 'volume', ...(raw.source !== undefined ? { source: String(raw.source) } : {}), target: String(raw.target), readOnly: raw.read_only === true };
  }
  const parts = String(raw).split(':');
  if (parts.length === 1) return { type: 'volume', target: parts[0]!, readOnly: false };
  const [source, target, mode = ''] = parts as [string, string, string?];
  const bind = /^[./~]/.test(source);
  return { type: bind ? 'bind' : 'volume', source, target, readOnly: mode.split(',').includes('ro') };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}
