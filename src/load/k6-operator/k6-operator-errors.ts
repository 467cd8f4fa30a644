import { EnvironmentUnavailableError } from '../../config/errors.ts';

/**
 * The k6-operator runner could not drive its load: no TestRun CRD, a role that may not create what
 * it needs, a TestRun in stage `error`, a stage not reached in time, a cluster that does not
 * answer. One line naming the cluster and what to do; exit code 4, as for any target that cannot
 * be driven (docs/kubernetes.md).
 */
export class K6OperatorError extends EnvironmentUnavailableError {}

/** Which cluster, as it may be shown: the server without credentials, and the context. */
export interface ClusterName {
  server: string;
  context: string;
}

/** What the runner was doing when a request failed: a verb and an object, e.g. `create` `configmaps "conformance-k6-1a2b" in namespace "load"`. */
export interface Attempt {
  verb: 'create' | 'get' | 'list' | 'delete' | 'read the log of';
  resource: string;
  namespace: string;
  name?: string;
}

/** The grant the runner needs, for the 403 line (docs/kubernetes.md has it as a Role). */
const GRANT = 'create, get, list and delete on testruns.k6.io, configmaps, secrets, services and endpointslices, and get and list on pods and pods/log';

export function operatorFailure(error: unknown, cluster: ClusterName, attempt: Attempt, requestTimeoutMs: number): K6OperatorError {
  if (error instanceof K6OperatorError) return error;
  const at = `the Kubernetes API at ${cluster.server} (context ${cluster.context})`;
  const what = `${attempt.resource}${attempt.name ? ` "${attempt.name}"` : ''} in namespace "${attempt.namespace}"`;
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new K6OperatorError(`${at} did not answer within ${requestTimeoutMs} ms when asked to ${attempt.verb} ${what}; check that the cluster runs and is reachable from here`, [], { cause: error });
  }
  const code = typeof (error as { code?: unknown }).code === 'number' && 'body' in (error as object) ? (error as { code: number }).code : undefined;
  if (code !== undefined) {
    const message = statusMessage(error);
    if (code === 401) {
      return new K6OperatorError(`${at} refused our credentials (401 Unauthorized) when asked to ${attempt.verb} ${what}: the context's token or certificate has expired or is wrong; log in again and rerun`, [], { cause: error });
    }
    if (code === 403) {
      return new K6OperatorError(`${at} forbids us to ${attempt.verb} ${what} (403 Forbidden${message ? `: ${message}` : ''}); the k6-operator runner needs ${GRANT} in that namespace (docs/kubernetes.md), or run with --runner builtin or k6`, [], { cause: error });
    }
    return new K6OperatorError(`${at} answered ${code} when asked to ${attempt.verb} ${what}${message ? ` (${message})` : ''}`, [], { cause: error });
  }
  const cause = innermost(error);
  return new K6OperatorError(`${at} could not be reached to ${attempt.verb} ${what} (${cause}); check that the cluster runs and the kubeconfig points at it`, [], { cause: error });
}

/** The API server's own words, from the Status object it answered with. */
function statusMessage(error: unknown): string | undefined {
  const body = (error as { body?: unknown }).body;
  try {
    const parsed = typeof body === 'string' ? JSON.parse(body) as { message?: unknown } : body as { message?: unknown } | undefined;
    return typeof parsed?.message === 'string' ? oneLine(parsed.message) : undefined;
  } catch {
    return undefined;
  }
}

/** The socket error under the client's wrappers ("connection refused", a code, a message). */
function innermost(error: unknown): string {
  let at = error as { cause?: unknown; code?: unknown; message?: string } | undefined;
  for (let depth = 0; depth < 5 && at && typeof at === 'object'; depth += 1) {
    if (typeof at.code === 'string') return at.code === 'ECONNREFUSED' ? 'connection refused' : at.code;
    if (!at.cause) break;
    at = at.cause as typeof at;
  }
  return oneLine(at?.message ?? String(error));
}

function oneLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
