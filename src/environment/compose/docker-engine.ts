import { readFileSync } from 'node:fs';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';

/** Where the Docker engine is, as the docker CLI finds it from the environment: DOCKER_HOST, else the default socket. */
export interface EngineEndpoint {
  /** e.g. `unix:///var/run/docker.sock`, `tcp://127.0.0.1:2375`. */
  url: string;
  request: RequestOptions;
  tls: boolean;
}

export function dockerEndpoint(env: Record<string, string | undefined> = process.env): EngineEndpoint {
  const host = env.DOCKER_HOST?.trim() || 'unix:///var/run/docker.sock';
  if (host.startsWith('unix://')) return { url: host, request: { socketPath: host.slice('unix://'.length) }, tls: false };
  if (host.startsWith('npipe://')) return { url: host, request: { socketPath: host.slice('npipe://'.length).replace(/\//g, '\\') }, tls: false };
  const parsed = new URL(host.replace(/^tcp:/, 'http:'));
  const tls = env.DOCKER_TLS_VERIFY === '1' || parsed.protocol === 'https:';
  const request: RequestOptions = { host: parsed.hostname, port: Number(parsed.port || (tls ? 2376 : 2375)) };
  if (tls && env.DOCKER_CERT_PATH) {
    const read = (name: string) => readFileSync(join(env.DOCKER_CERT_PATH!, name));
    Object.assign(request, { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') });
  }
  return { url: host, request, tls };
}

/**
 * `absent`: nothing listens there (no socket, connection refused, no permission) — a machine without
 * Docker. `unresponsive`: something accepted the connection and did not answer as an engine in time.
 */
export type EngineStatus = { ok: true; version: string; apiVersion: string } | { ok: false; reason: string; absent: boolean };

/**
 * Asks the engine for its version, within `timeoutMs` for the whole exchange — an engine that
 * accepts the connection and never answers counts as absent (testcontainers would wait forever).
 */
export function pingEngine(endpoint: EngineEndpoint, timeoutMs: number): Promise<EngineStatus> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (status: EngineStatus) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(status);
    };
    const req = (endpoint.tls ? httpsRequest : httpRequest)({ ...endpoint.request, path: '/version', method: 'GET', headers: { host: 'docker' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => {
        if (res.statusCode !== 200) return done({ ok: false, reason: `it answered /version with HTTP ${res.statusCode}`, absent: false });
        try {
          const version = JSON.parse(body) as { Version?: string; ApiVersion?: string };
          done({ ok: true, version: version.Version ?? 'unknown', apiVersion: version.ApiVersion ?? 'unknown' });
        } catch {
          done({ ok: false, reason: 'what answered there is not a Docker engine (no JSON version)', absent: false });
        }
      });
      res.on('error', (error) => done({ ok: false, reason: describeError(error), absent: false }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => done({ ok: false, reason: describeError(error), absent: ['ENOENT', 'ECONNREFUSED', 'EACCES', 'ENOTFOUND', 'EHOSTUNREACH'].includes(error.code ?? '') }));
    const timer = setTimeout(() => done({ ok: false, reason: `it accepted the connection but did not answer within ${timeoutMs} ms`, absent: false }), timeoutMs);
    req.end();
  });
}

function describeError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT': return 'no such socket';
    case 'ECONNREFUSED': return 'connection refused';
    case 'EACCES': return 'permission denied (is this user in the docker group?)';
    default: return error.code ?? error.message;
  }
}

/** The one line for an engine that is there but does not work: the run stops (exit 4) rather than certify less than asked. */
export function brokenEngineLine(endpoint: EngineEndpoint, reason: string): string {
  return `the Docker engine at ${endpoint.url} does not work (${reason}): check it with \`docker info\`, or evaluate the compose files alone with --definition-only`;
}

/** The one line a run without an engine prints: what is missing, how to get it, what still works. */
export function noEngineLine(endpoint: EngineEndpoint, reason: string): string {
  return `no Docker engine at ${endpoint.url} (${reason}): the harness cannot be brought up — install and start Docker (docs/compose.md) or set DOCKER_HOST; `
    + 'the compose-definition guarantees are evaluated from the files alone, and --target embedded or --target url need no Docker';
}
