import type { IterationReport } from '../../src/fspiop/notification-channel.ts';
import { FAILURE_REASONS, ITERATION_TREND, PHASES, SUMMARY_FORMAT } from '../../src/load/load-contract.ts';
import { FakeKubeApi, readClusterFixture, type KubeObject } from './fake-kube-api.ts';
import { waitFor } from './wait.ts';

/** The TestRun CRD as grafana/k6-operator installs it (config/crd/bases/k6.io_testruns.yaml), as far as discovery needs it. */
export const TEST_RUN_CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'testruns.k6.io' },
  spec: { group: 'k6.io', scope: 'Namespaced', names: { plural: 'testruns', singular: 'testrun', kind: 'TestRun', listKind: 'TestRunList' }, versions: [{ name: 'v1alpha1', served: true, storage: true }] },
};

/** A fake cluster (the Miniloop snapshot) with, or without, k6-operator's CRD. */
export async function clusterWithOperator(options: { crd?: boolean; forbidden?: string[] } = {}): Promise<FakeKubeApi> {
  const snapshot = await readClusterFixture('miniloop-k3s');
  return new FakeKubeApi({ ...snapshot, objects: [...snapshot.objects, ...(options.crd === false ? [] : [TEST_RUN_CRD])] }, options.forbidden ? { forbidden: options.forbidden } : {}).start();
}

/**
 * Plays k6-operator against the fake, one step when the test says so: the TestRun's stages, its
 * runner pods (labelled as k6-operator labels them: app=k6, k6_cr, runner=true) and what k6 writes
 * in their logs, and the pods' end with k6's exit code.
 */
export class OperatorPlay {
  readonly #fake: FakeKubeApi;
  readonly namespace: string;

  constructor(fake: FakeKubeApi, namespace: string) {
    this.#fake = fake;
    this.namespace = namespace;
  }

  /** The TestRun the runner made (the newest), once it is there. */
  async testRun(): Promise<KubeObject> {
    return waitFor(() => this.#fake.objectsOf('TestRun', this.namespace).at(-1), { timeoutMs: 10_000, what: 'the runner to create its TestRun' });
  }

  stage(name: string, stage: string): void {
    this.#fake.setStatus('TestRun', this.namespace, name, { stage });
  }

  /** The runner pods `<name>-<i>-xxxxx` (i from 1, as k6-operator's Jobs name them), running, with nothing logged yet. */
  runners(name: string, count: number, phase = 'Running'): string[] {
    return Array.from({ length: count }, (_, index) => {
      const pod = `${name}-${index + 1}-${String(index).padStart(5, 'x')}`;
      this.#fake.addObject({
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: pod, namespace: this.namespace, labels: { app: 'k6', k6_cr: name, runner: 'true', 'job-name': `${name}-${index + 1}` } },
        spec: { containers: [{ name: 'k6', image: 'grafana/k6:latest' }] },
        status: { phase, containerStatuses: [{ name: 'k6', ready: phase === 'Running', state: phase === 'Pending' ? { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "grafana/k6:latest"' } } : { running: {} } }] },
      });
      return pod;
    });
  }

  log(pod: string, lines: readonly string[]): void {
    this.#fake.appendLog(this.namespace, pod, lines);
  }

  /** k6 exited: the pod Succeeded (0, or 99 when a threshold failed) or Failed, its log ends. */
  finish(pod: string, exitCode = 0): void {
    this.#fake.setStatus('Pod', this.namespace, pod, {
      phase: exitCode === 0 ? 'Succeeded' : 'Failed',
      containerStatuses: [{ name: 'k6', ready: false, state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error' } } }],
    });
    this.#fake.endLog(this.namespace, pod);
  }
}

/** One iteration as the scripts report it (load/lib/flow.ts), for a runner pod's log. */
export function report(run: string, startMs: number, iterationMs: number, failure?: { phase: string; reason: string }): IterationReport {
  const third = Math.round(iterationMs / 3);
  return failure
    ? { run, scenario: 'steady', startMs, endMs: startMs + iterationMs, ok: false, phase: failure.phase, reason: failure.reason, phasesMs: { lookups: third } }
    : { run, scenario: 'steady', startMs, endMs: startMs + iterationMs, ok: true, phasesMs: { lookups: third, quotes: third, transfers: iterationMs - 2 * third }, iterationMs, committedTransferId: `t-${run}-${startMs}` };
}

/**
 * What k6 writes to a runner pod's log with `REPORT_TO=log` and `--log-format=raw`: a line per
 * iteration, k6's own chatter, and the end-of-test summary line (the counts the runner reads:
 * steady-state iterations by outcome, dropped arrivals).
 */
export function runnerLog(reports: readonly IterationReport[], dropped: number, format: 'raw' | 'json' | 'text' = 'raw'): string[] {
  const line = (message: string) => format === 'raw' ? message
    : format === 'json' ? JSON.stringify({ level: 'info', msg: message, source: 'console', time: '2026-12-05T09:00:00Z' })
      : `time="2026-12-05T09:00:00Z" level=info msg=${JSON.stringify(message)} source=console`;
  const steady = reports.filter((r) => r.scenario === 'steady');
  const metrics: Record<string, { values: Record<string, number> }> = {
    [`${ITERATION_TREND}{scenario:steady}`]: { values: { count: steady.filter((r) => r.ok).length } },
    'dropped_iterations{scenario:steady}': { values: { count: dropped } },
  };
  for (const phase of PHASES) {
    for (const reason of FAILURE_REASONS) {
      const count = steady.filter((r) => !r.ok && r.phase === phase && reasonTag(r.reason) === reason).length;
      if (count > 0) metrics[`failures{scenario:steady,phase:${phase},reason:${reason}}`] = { values: { count } };
    }
  }
  const summary = { format: SUMMARY_FORMAT, script: 'p2p', load: { rate: 10, durationMs: 4000, warmupMs: 0, drainMs: 0 }, data: { metrics, state: { testRunDurationMs: 4000 } } };
  return [
    'time="2026-12-05T09:00:00Z" level=warning msg="Insufficient VUs, reached 20 active VUs and cannot initialize more" executor=constant-arrival-rate scenario=steady',
    ...reports.map((r) => line(JSON.stringify({ report: r }))),
    JSON.stringify({ summary }),
  ];
}

function reasonTag(reason: string | undefined): string {
  if (!reason) return 'channel';
  if (reason === 'timeout') return 'timeout';
  if (reason.startsWith('HTTP ')) return 'http';
  if (reason.startsWith('error callback')) return 'error_callback';
  return 'channel';
}
