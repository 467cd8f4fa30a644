import { fspiopHeaders, type FspiopResource } from './headers.ts';

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  resource: FspiopResource;
  source: string;
  destination?: string | undefined;
  body?: unknown;
  timeoutMs: number;
  /** Extra or overriding headers (a relaying hub passes the original FSPIOP headers through). */
  headers?: Record<string, string>;
  /** Aborts the request early, e.g. when its owner shuts down. */
  signal?: AbortSignal;
}

export interface OutboundResult {
  status: number;
  body: string;
  contentType: string | undefined;
  elapsedMs: number;
}

/** Sends one FSPIOP request with the versioned headers and a hard timeout. */
export async function sendFspiop(request: OutboundRequest): Promise<OutboundResult> {
  const started = performance.now();
  const response = await fetch(request.url, {
    method: request.method,
    headers: {
      ...fspiopHeaders({
        resource: request.resource,
        source: request.source,
        destination: request.destination,
        isCallback: request.method === 'PUT',
      }),
      ...request.headers,
    },
    body: request.body === undefined ? null : JSON.stringify(request.body),
    signal: request.signal
      ? AbortSignal.any([request.signal, AbortSignal.timeout(request.timeoutMs)])
      : AbortSignal.timeout(request.timeoutMs),
  });
  const body = await response.text();
  return { status: response.status, body, contentType: response.headers.get('content-type') ?? undefined, elapsedMs: performance.now() - started };
}
