import { EnvironmentUnavailableError } from '../../config/errors.ts';
import type { Clock } from '../../support/clock.ts';

/**
 * The workloads a Mojaloop hub needs running before it can be tested: its central services and
 * their data tier, recognised by workload name or image (as mini-loop, mojaloop/helm and iac-modules
 * name them). Other workloads of the cluster (ingress, monitoring, portals) are not waited for.
 */
export const HUB_WORKLOAD_PATTERNS: readonly RegExp[] = [
  /central-?ledger/, /ml-?api-?adapter/, /quoting-?service/, /account-?lookup/, /central-?settlement/,
  /transaction-?requests/, /als-?oracle/, /central-?event-?processor/, /bulk-?api-?adapter/,
  /mysql/, /percona|pxc/, /kafka/, /mongo/, /redis/,
];

/** A Deployment or StatefulSet as its status says it: how many replicas it wants and how many are available. */
export interface WorkloadState {
  kind: 'Deployment' | 'StatefulSet';
  namespace: string | undefined;
  name: string;
  images: string[];
  desired: number;
  available: number;
}

export interface ReadinessOptions {
  /** How long to wait for every hub workload; 0 = do not wait (the cluster is read as it is). */
  timeoutMs: number;
  /** Pause between two reads of the workloads' status. */
  intervalMs: number;
  clock: Clock;
  /** Where progress lines go (the run's terminal). */
  progress: (line: string) => void;
  /** Aborted when the run is interrupted: the wait stops at once. */
  signal?: AbortSignal | undefined;
  /** The cluster as messages name it, e.g. "https://10.0.0.1:6443 (context prod)". */
  cluster: string;
}

export function isHubWorkload(workload: Pick<WorkloadState, 'name' | 'images'>): boolean {
  return HUB_WORKLOAD_PATTERNS.some((pattern) => pattern.test(workload.name) || workload.images.some((image) => pattern.test(image)));
}

export function isReady(workload: WorkloadState): boolean {
  return workload.available >= workload.desired;
}

function named(workload: WorkloadState): string {
  return `${workload.kind} ${workload.namespace ? `${workload.namespace}/` : ''}${workload.name} (${workload.available}/${workload.desired} available)`;
}

/** The progress line for one read: how many hub workloads are ready, and the first few still awaited. */
export function readinessLine(hub: readonly WorkloadState[]): string {
  const waiting = hub.filter((workload) => !isReady(workload));
  const shown = waiting.slice(0, 3).map(named).join(', ');
  return `${hub.length - waiting.length}/${hub.length} hub workloads ready: waiting for ${shown}${waiting.length > 3 ? ` and ${waiting.length - 3} more` : ''}`;
}

/**
 * Waits, bounded, until every hub workload has as many available replicas as it wants, reading
 * their status every `intervalMs` and printing a line whenever it changes. A workload still not
 * ready when the budget is spent is the target's problem, named in one line (exit 4).
 * Returns whether it had to wait (the inventory read before is then out of date).
 */
export async function awaitHubWorkloads(read: () => Promise<WorkloadState[]>, options: ReadinessOptions): Promise<boolean> {
  if (options.timeoutMs === 0) return false;
  const { clock } = options;
  const startedAt = clock.now();
  let shown = '';
  for (;;) {
    const hub = (await read()).filter(isHubWorkload);
    const waiting = hub.filter((workload) => !isReady(workload));
    if (waiting.length === 0) {
      if (shown) options.progress(`  all ${hub.length} hub workloads ready after ${seconds(clock.now() - startedAt)}`);
      return shown !== '';
    }
    const line = readinessLine(hub);
    if (line !== shown) options.progress(`  ${line}`);
    shown = line;
    const left = options.timeoutMs - (clock.now() - startedAt);
    if (left <= 0) {
      throw new EnvironmentUnavailableError(`${waiting.length} of ${hub.length} hub workloads of the cluster at ${options.cluster} not ready after ${seconds(options.timeoutMs)}: `
        + `${waiting.map(named).join(', ')}; see why with \`kubectl describe\` on them, wait longer (kubernetes.readinessTimeoutMs) or read the cluster as it is (kubernetes.readinessTimeoutMs: 0)`);
    }
    await pause(clock, Math.min(options.intervalMs, left), options.signal);
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

function pause(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clock.clearTimeout(timer);
      reject(new EnvironmentUnavailableError('the run was interrupted while waiting for the hub workloads to be ready'));
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });
}
