import { EnvironmentUnavailableError } from '../../config/errors.ts';

/** Which cluster a run talks to, as it may be shown: no user, no token, no key. */
export interface ClusterIdentity {
  /** The API server's URL, credentials and query removed. */
  server: string;
  context: string;
  requestTimeoutMs: number;
}

export type FailureKind = 'unreachable' | 'timeout' | 'unauthorized' | 'forbidden' | 'tls' | 'answered';

/** A request to the API server that failed, said once: what kind of failure, and the line for the user. */
export class KubernetesFailure extends EnvironmentUnavailableError {
  readonly kind: FailureKind;
  readonly reason: string;
  constructor(kind: FailureKind, reason: string, line: string, cause: unknown) {
    super(line, [], { cause });
    this.kind = kind;
    this.reason = reason;
  }
}

/**
 * A failed request to the API server as one line a person acts on: what was asked, of which
 * cluster, what it answered and what to do. Never the credentials, never a stack (the cause keeps
 * the original error for `--debug`-like inspection by code).
 */
export function kubernetesFailure(error: unknown, cluster: ClusterIdentity, what: string, action: 'reading' | 'deleting' = 'reading'): KubernetesFailure {
  if (error instanceof KubernetesFailure) return error;
  const at = `the Kubernetes API at ${cluster.server} (context ${cluster.context})`;
  const make = (kind: FailureKind, reason: string, line: string) => new KubernetesFailure(kind, reason, line, error);
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return make('timeout', `no answer within ${cluster.requestTimeoutMs} ms`,
      `${at} did not answer within ${cluster.requestTimeoutMs} ms when ${action} ${what}; check the server address, and any VPN, proxy or firewall between here and the cluster`);
  }
  // The client's ApiException: an HTTP status and the server's Status body (a DOMException's numeric code is no HTTP status).
  const code = typeof (error as { code?: unknown }).code === 'number' && 'body' in (error as object) ? (error as { code: number }).code : undefined;
  if (code !== undefined) {
    const message = statusMessage(error);
    if (code === 401) {
      return make('unauthorized', '401 Unauthorized',
        `${at} refused our credentials (401 Unauthorized) when ${action} ${what}: the token or client certificate of that context has expired or is wrong; log in again (e.g. refresh the cloud provider's credentials, or run \`kubectl get nodes\` to check) and rerun`);
    }
    if (code === 403) {
      const reason = `403 Forbidden${message ? `: ${message}` : ''}`;
      return make('forbidden', reason, action === 'deleting'
        ? `${at} forbids deleting ${what} (${reason}); the resilience scenarios need delete on pods there (docs/kubernetes.md, "Faults"): grant it, or leave them out with --tags 'not @concern:resilience'`
        : `${at} forbids reading ${what} (${reason}); grant the context's user get and list on it (read-only, see docs/kubernetes.md), or narrow the run with --namespace`);
    }
    return make('answered', `${code}${message ? ` ${message}` : ''}`, `${at} answered ${code} when ${action} ${what}${message ? ` (${message})` : ''}; is it a Kubernetes API server?`);
  }
  const cause = causeOf(error);
  const why = cause.code === 'ECONNREFUSED' ? 'connection refused'
    : cause.code === 'ENOTFOUND' || cause.code === 'EAI_AGAIN' ? 'host not found'
      : cause.code === 'ECONNRESET' ? 'connection reset'
        : cause.code === 'EHOSTUNREACH' || cause.code === 'ENETUNREACH' ? 'host unreachable' : undefined;
  if (why) {
    return make('unreachable', why,
      `no Kubernetes API answers at ${cluster.server} (context ${cluster.context}: ${why}); start the cluster, or point the run at the right one (KUBECONFIG, --kubeconfig, --context; \`kubectl config current-context\` shows the current one)`);
  }
  if (/certificate|self.signed|SSL|TLS/i.test(`${cause.code ?? ''} ${cause.message ?? ''}`)) {
    return make('tls', 'TLS handshake failed', `${at}: TLS handshake failed (${firstLine(cause.message ?? cause.code ?? 'unknown')}); check the cluster's certificate-authority in the kubeconfig`);
  }
  return make('unreachable', firstLine(cause.message ?? (error as Error).message ?? String(error)),
    `${at} could not be ${action === 'deleting' ? 'asked to delete' : 'read'} (${what}: ${firstLine(cause.message ?? (error as Error).message ?? String(error))}); check that the cluster runs and the kubeconfig points at it`);
}

/** The API server's own words, from the Status object it answered with. */
function statusMessage(error: unknown): string | undefined {
  const body = (error as { body?: unknown }).body;
  try {
    const parsed = typeof body === 'string' ? JSON.parse(body) as { message?: unknown } : body as { message?: unknown } | undefined;
    return typeof parsed?.message === 'string' ? firstLine(parsed.message) : undefined;
  } catch {
    return undefined;
  }
}

/** The innermost cause (undici wraps the socket error in "fetch failed"). */
function causeOf(error: unknown): { code?: string; message?: string } {
  let at = error as { cause?: unknown; code?: unknown; message?: string } | undefined;
  for (let depth = 0; depth < 5 && at && typeof at === 'object'; depth += 1) {
    if (typeof at.code === 'string') return { code: at.code, message: at.message };
    if (!at.cause) break;
    at = at.cause as typeof at;
  }
  return { message: (at as { message?: string } | undefined)?.message };
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
