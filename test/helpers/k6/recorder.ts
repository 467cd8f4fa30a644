/**
 * What a k6 script did through k6's modules, recorded by the fakes in ./fakes/ (mapped in by
 * ./loader-hooks.ts), and the backend that answers it like a hub and a notification channel would.
 * One recorder per process: a test resets it before each run of a script.
 */

export type K6Call =
  | { module: 'k6/http'; method: string; url: string; headers: Record<string, string>; body: string | null; params: Record<string, unknown> }
  | { module: 'k6/websockets'; event: 'connect' | 'send' | 'receive' | 'close'; url: string; data?: string }
  | { module: 'k6/metrics'; metric: string; value: number; tags: Record<string, string> }
  | { module: 'k6'; check: string; ok: boolean; tags: Record<string, string> };

export interface FakeResponse {
  status: number;
  body?: string;
  error?: string;
  error_code?: number;
}

/** The socket side a backend sees: what it may do to a k6 script's WebSocket. */
export interface FakeSocketHandle {
  readonly url: string;
  /** Delivers a text frame to the script (recorded as `receive`). */
  deliver(data: string): void;
  open(): void;
  fail(error: string): void;
  closeFromServer(): void;
}

export interface K6Backend {
  request(call: Extract<K6Call, { module: 'k6/http' }>): Promise<FakeResponse>;
  connect(socket: FakeSocketHandle): void;
  send(socket: FakeSocketHandle, data: string): void;
  close(socket: FakeSocketHandle): void;
}

interface RecorderState {
  calls: K6Call[];
  backend: K6Backend | undefined;
  scenario: { name: string; startTime: number };
}

const KEY = Symbol.for('mojaloop-conformance.k6-recorder');
const shared = globalThis as typeof globalThis & { [KEY]?: RecorderState };

/** The one recorder of this process (module instances may differ; the state does not). */
export const recorder: RecorderState = (shared[KEY] ??= { calls: [], backend: undefined, scenario: { name: 'steady', startTime: Date.now() } });

export function resetRecorder(backend: K6Backend, scenario = { name: 'steady', startTime: Date.now() }): void {
  recorder.calls.length = 0;
  recorder.backend = backend;
  recorder.scenario = scenario;
}

export function backend(): K6Backend {
  if (!recorder.backend) throw new Error('no k6 backend: call resetRecorder(backend) before running the script');
  return recorder.backend;
}
