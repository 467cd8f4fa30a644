import { backend, recorder } from '../recorder.ts';

interface Params {
  headers?: Record<string, string>;
  [name: string]: unknown;
}

/** k6/http `asyncRequest`: records the request and lets the backend answer it. */
export async function asyncRequest(method: string, url: string, body?: string | null, params: Params = {}) {
  const { headers = {}, ...rest } = params;
  const call = { module: 'k6/http' as const, method, url, headers: { ...headers }, body: body ?? null, params: rest };
  recorder.calls.push(call);
  const answer = await backend().request(call);
  return { status: answer.status, body: answer.body ?? '', error: answer.error ?? '', error_code: answer.error_code ?? 0, headers: {} };
}

function blocking(): never {
  throw new Error('synchronous k6/http calls block the VU\'s event loop; the load scripts use asyncRequest');
}

export const get = blocking;
export const post = blocking;
export const request = blocking;

export default { asyncRequest, get, post, request };
