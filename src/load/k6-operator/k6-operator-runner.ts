import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CoreV1Api, CustomObjectsApi, DiscoveryV1Api, KubeConfig, Observable,
  type ConfigurationOptions, type ObservableMiddleware, type V1Pod,
} from '@kubernetes/client-node';
import { monotonicClock, type Clock, type ClockTimer } from '../../support/clock.ts';
import { redactUrl } from '../../support/url.ts';
import { buildLoadScripts } from '../k6/k6-scripts.ts';
import { iterationRecord, k6Counts } from '../k6/k6-summary.ts';
import { gracefulStopMs, k6ExitMeaning, K6RunError, scriptVariables, type ScriptSettings } from '../k6/k6-runner.ts';
import { LoadAccounting } from '../load-accounting.ts';
import type { FaultReport, LoadProgress, LoadRequest, LoadRunner, LoadSummary } from '../load-runner.ts';
import { K6OperatorError, operatorFailure, type Attempt, type ClusterName } from './k6-operator-errors.ts';
import { PodLogFollower } from './pod-log-follower.ts';
import { parseRunnerLogLine } from './runner-log.ts';
import {
  inClusterChannelUrl, K6_GROUP, K6_VERSION, loadObjects, managedBySelector, runnerPodSelector, TEST_RUNS,
  type CallbackRoute, type KubeManifest, type LoadObjects, type Stage,
} from './test-run-manifests.ts';

export type { KubeConfig } from '@kubernetes/client-node';

export interface K6OperatorRunnerOptions extends ScriptSettings {
  /** The cluster (the run's kubeconfig and context). */
  kubeConfig: KubeConfig;
  namespace: string;
  parallelism: number;
  image: string;
  separate: boolean;
  /** Where the per-run Service sends the runner pods' WebSockets: our callback server. */
  route: CallbackRoute;
  startTimeoutMs: number;
  finishGraceMs: number;
  pollMs: number;
  /** Budget of each request to the Kubernetes API (not k6's FSPIOP requests: `requestTimeoutMs`). */
  apiTimeoutMs: number;
  /** One line per stage, the runner pods, the cleanup. */
  notice?: ((line: string) => void) | undefined;
  /** Progress ticks, polls, deadlines and the fault's moment; default the monotonic clock. */
  clock?: Clock;
  /** Where the bundles are built; default a temporary folder. */
  bundleDir?: string;
}

/** How many committed transfer ids a summary carries for the validity gate (as the k6 runner). */
const COMMITTED_SAMPLE = 200;
/** The container k6-operator runs k6 in (pkg/resources/jobs/runner.go). */
const K6_CONTAINER = 'k6';
/** k6 exits 99 when a threshold fails; the scripts' thresholds only make k6 compute sub-metrics, so 99 is a finished run. */
const FINISHED_EXITS = new Set([0, 99]);

/** One runner pod as its log is read. */
interface RunnerPod {
  name: string;
  reports: number;
  summary: ReturnType<typeof k6Counts> | undefined;
  /** k6's own words (not our reports), the last few, for an error message. */
  tail: string[];
  /** Set as soon as the pod is seen running; its log read to the end (or given up on). */
  follower?: PodLogFollower;
}

/**
 * Runs the load with grafana/k6-operator: the bundled script in a ConfigMap, the credentials in a
 * Secret, a callback Service per run so the runner pods reach our notification channel (our
 * callback server relays each callback to the WebSocket that registered its key, that is to the
 * pod that sent the request), and a `TestRun` with `parallelism` runners — k6 itself splits the
 * arrival rate and the VUs between them (execution segments `i/n:(i+1)/n`). The stage is followed
 * by polling (bounded: `startTimeoutMs` to start, the load's length plus `finishGraceMs` to
 * finish), each runner pod's log is followed through the API and its iteration reports go into one
 * `LoadAccounting` — so percentiles are over every runner's iterations, dropped arrivals are the
 * runners' `dropped_iterations` summed. Everything made is deleted at the end: on success, on
 * failure and when the run is interrupted.
 */
export class K6OperatorRunner implements LoadRunner {
  readonly name = 'k6-operator';
  readonly #options: K6OperatorRunnerOptions;
  readonly #clock: Clock;
  readonly #cluster: ClusterName;

  constructor(options: K6OperatorRunnerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? monotonicClock;
    const cluster = options.kubeConfig.getCurrentCluster();
    this.#cluster = { server: cluster ? redactUrl(cluster.server) : '(no cluster)', context: options.kubeConfig.getCurrentContext() };
  }

  /**
   * Before any scenario: the TestRun CRD is served, and the API server accepts every object a load
   * makes — created with `dryRun=All`, so it checks RBAC and admission and stores nothing.
   */
  async prepare(): Promise<void> {
    const api = this.#api();
    await this.#requireCrd(api.custom);
    const objects = loadObjects({
      id: 'preflight', namespace: this.#options.namespace, scriptFile: 'p2p.js', script: '', parallelism: this.#options.parallelism,
      image: this.#options.image, separate: this.#options.separate, route: this.#options.route, variables: {},
    });
    await this.#create(api, objects, [], 'All');
    await this.#noteLeftovers(api.custom);
  }

  /** TestRuns of ours already in the namespace: a killed run's, or another run's going on now — named, never deleted. */
  async #noteLeftovers(custom: CustomObjectsApi): Promise<void> {
    const o = this.#options;
    const list = await this.#call(() => custom.listNamespacedCustomObject({ group: K6_GROUP, version: K6_VERSION, namespace: o.namespace, plural: TEST_RUNS, labelSelector: managedBySelector() }, this.#callOptions()),
      { verb: 'list', resource: 'testruns.k6.io', namespace: o.namespace }) as { items?: Array<{ metadata?: { name?: string } }> };
    const names = (list.items ?? []).map((item) => item.metadata?.name ?? '?');
    if (names.length === 0) return;
    this.#notice(`k6-operator: ${names.length} TestRun${names.length > 1 ? 's' : ''} of an earlier or concurrent load already in ${o.namespace} (${names.join(', ')}); if no run uses ${names.length > 1 ? 'them' : 'it'}, remove with \`kubectl -n ${o.namespace} delete testruns.k6.io,configmaps,secrets,services,endpointslices -l ${managedBySelector()}\``);
  }

  async run(request: LoadRequest, onProgress?: (progress: LoadProgress) => void): Promise<LoadSummary> {
    const o = this.#options;
    const api = this.#api();
    await this.#requireCrd(api.custom);
    const id = randomBytes(4).toString('hex');
    const workDir = await mkdtemp(join(tmpdir(), 'conformance-k6-operator-'));
    const created: Array<{ attempt: Attempt; remove: () => Promise<unknown> }> = [];
    const pods = new Map<string, RunnerPod>();
    const timers = new Set<ClockTimer>();
    let objects: LoadObjects | undefined;
    try {
      const scripts = await buildLoadScripts({ outDir: o.bundleDir ?? workDir });
      const script = scripts.find((s) => s.name === request.flow);
      if (!script) throw new Error(`no k6 script for flow "${request.flow}" under load/ (have: ${scripts.map((s) => s.name).join(', ')})`);
      const serviceName = `conformance-k6-${id}-callbacks`;
      const channelUrl = inClusterChannelUrl(o.callbackWsUrl, serviceName, o.namespace, o.route.port);
      objects = loadObjects({
        id, namespace: o.namespace, scriptFile: `${script.name}.js`, script: await readFile(script.bundle, 'utf8'),
        parallelism: o.parallelism, image: o.image, separate: o.separate, route: o.route,
        variables: { ...scriptVariables({ ...o, callbackWsUrl: channelUrl }, request, id), REPORT_TO: 'log', SUMMARY_FILE: '/tmp/k6-summary.json' },
      });
      await this.#create(api, objects, created);
      this.#notice(`k6-operator: TestRun ${o.namespace}/${objects.name} created: ${o.parallelism} runner${o.parallelism > 1 ? 's' : ''} of ${o.image}, ${request.ratePerSecond}/s split between them by k6's execution segments; callbacks through Service ${objects.serviceName}`);
      return await this.#follow(api, objects.name, id, request, pods, timers, onProgress);
    } finally {
      for (const timer of timers) this.#clock.clearTimeout(timer);
      for (const pod of pods.values()) pod.follower?.stop();
      await this.#cleanUp(created, id);
      await rm(workDir, { recursive: true, force: true });
    }
  }

  async #follow(api: Apis, name: string, id: string, request: LoadRequest, pods: Map<string, RunnerPod>, timers: Set<ClockTimer>, onProgress?: (progress: LoadProgress) => void): Promise<LoadSummary> {
    const o = this.#options;
    const books = new LoadAccounting(request, { sampleSize: COMMITTED_SAMPLE });
    if (o.maxVUs !== undefined) books.limitedBy({ maxInFlight: o.maxVUs, maxInFlightSource: `load.maxInFlight (k6 maxVUs, split between ${o.parallelism} runner pods)` });
    const createdAt = this.#clock.now();
    const startDeadline = createdAt + o.startTimeoutMs;
    let loadStart: number | undefined;
    let startedAt: Date | undefined;
    let stage: Stage | undefined;
    let fault: FaultReport | undefined;
    let faultRun: Promise<void> | undefined;
    const later = (fn: () => void, ms: number) => {
      const timer = this.#clock.setTimeout(() => {
        timers.delete(timer);
        fn();
      }, ms);
      timers.add(timer);
    };

    const onReport = (pod: RunnerPod, line: string) => {
      const parsed = parseRunnerLogLine(line);
      if (parsed.kind === 'report') {
        if (parsed.report.run !== undefined && parsed.report.run !== id) return;
        pod.reports += 1;
        books.started(parsed.report.startMs);
        books.record(iterationRecord(parsed.report));
      } else if (parsed.kind === 'summary') {
        pod.summary = k6Counts(parsed.document);
      } else {
        pod.tail.push(parsed.text.slice(0, 300));
        if (pod.tail.length > 10) pod.tail.shift();
      }
    };

    const finishBy = () => (loadStart ?? this.#clock.now()) + request.durationMs + gracefulStopMs(o) + o.finishGraceMs;
    for (;;) {
      const testRun = await this.#call(() => api.custom.getNamespacedCustomObject({ group: K6_GROUP, version: K6_VERSION, namespace: o.namespace, plural: TEST_RUNS, name }, this.#callOptions()),
        { verb: 'get', resource: 'testruns.k6.io', namespace: o.namespace, name }) as { status?: { stage?: Stage } };
      const now = this.#clock.now();
      const next = testRun.status?.stage;
      if (next && next !== stage) {
        stage = next;
        this.#notice(`k6-operator: TestRun ${o.namespace}/${name} stage ${stage}`);
      }
      if (stage === 'error') throw new K6OperatorError(await this.#errorLine(api, name));
      const runnerPods = await this.#runnerPods(api, name);
      for (const pod of runnerPods) this.#stream(pod, pods, onReport);
      if (stage === 'started' && loadStart === undefined) {
        // The starter resumed every runner at once: the load's time 0, as near as polling can tell.
        loadStart = now;
        startedAt = new Date();
        this.#notice(`k6-operator: runner pods ${[...pods.keys()].join(', ') || '(none seen yet)'}`);
        if (request.fault) {
          const { atMs, inject } = request.fault;
          later(() => {
            // An injector that fails broke nothing that can be judged; the run goes on and says so.
            faultRun = inject().then((report) => { fault = report; }, (error: unknown) => { fault = { broke: undefined, atMs, problem: (error as Error).message }; });
          }, atMs);
        }
        if (onProgress) {
          const tick = () => {
            // k6 counts dropped arrivals only in its end-of-test summary: until then progress cannot say.
            onProgress(books.progress(this.#clock.now() - loadStart!, { dropsKnown: false }));
            later(tick, 1000);
          };
          later(tick, 1000);
        }
      }
      if (stage === 'stopped' || stage === 'finished') break;
      if (loadStart === undefined && now > startDeadline) {
        throw new K6OperatorError(`the TestRun ${o.namespace}/${name} did not start within ${o.startTimeoutMs} ms (k6Operator.startTimeoutMs): it is in stage ${stage ?? '(none yet: is the k6-operator running?)'}${describePods(runnerPods)}`);
      }
      if (loadStart !== undefined && now > finishBy()) {
        throw new K6OperatorError(`the TestRun ${o.namespace}/${name} did not finish within ${request.durationMs + gracefulStopMs(o) + o.finishGraceMs} ms of its start (the load, k6's graceful stop and k6Operator.finishGraceMs): it is in stage ${stage}${describePods(runnerPods)}`);
      }
      await this.#sleep(o.pollMs, request.signal, timers, () => {
        throw new K6OperatorError(`interrupted: the TestRun ${o.namespace}/${name} was stopped (deleted with its runner pods) in stage ${stage ?? '(none)'}`);
      });
    }

    // The runners are done: every pod's log is read to its end (bounded), then the books close.
    const finalPods = await this.#runnerPods(api, name);
    for (const pod of finalPods) this.#stream(pod, pods, onReport);
    const remaining = Math.max(0, finishBy() - this.#clock.now());
    const allEnded = Promise.all([...pods.values()].map((p) => p.follower?.ended)).then(() => true);
    const ended = await Promise.race([allEnded, new Promise<false>((resolve) => later(() => resolve(false), Math.max(remaining, o.pollMs)))]);
    await faultRun;

    const failed = finalPods.flatMap((pod) => {
      const exit = pod.status?.containerStatuses?.find((c) => c.name === K6_CONTAINER)?.state?.terminated?.exitCode;
      return exit !== undefined && !FINISHED_EXITS.has(exit) ? [{ name: pod.metadata?.name ?? '?', exit }] : [];
    });
    if (failed.length > 0) {
      const first = failed[0]!;
      const tail = pods.get(first.name)?.tail.join('\n');
      throw new K6RunError(`k6 in runner pod ${o.namespace}/${first.name} failed: ${k6ExitMeaning(first.exit)}${failed.length > 1 ? ` (and ${failed.length - 1} other runner pod${failed.length > 2 ? 's' : ''})` : ''}${tail ? `; last output:\n${tail}` : ''}`, first.exit);
    }

    let dropped = 0;
    let steadyIterations = 0;
    for (const pod of pods.values()) {
      if (pod.follower?.failure) books.runnerError(`the log of runner pod ${pod.name} could not be read to its end: ${pod.follower?.failure}`);
      if (!pod.summary) {
        books.runnerError(`runner pod ${pod.name} wrote no end-of-test summary to its log${ended ? '' : ' (its log was still being read when the time was up)'}`);
        continue;
      }
      dropped += pod.summary.dropped;
      steadyIterations += pod.summary.steadyIterations;
    }
    if (pods.size === 0) books.runnerError(`the TestRun ${o.namespace}/${name} finished without any runner pod seen (label selector ${runnerPodSelector(name)})`);
    books.droppedInTotal(dropped);
    // An iteration a runner ran whose report never reached us cannot be judged: the tool lost it, not the hub.
    const unreported = steadyIterations - books.attemptsInWindow;
    if (unreported > 0) books.runnerError(`the runner pods ran ${steadyIterations} steady-state iterations, ${unreported} of whose reports were not in their logs`, unreported);

    const window = books.window;
    const total = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
    const windowWords = request.warmupMs === 0 && request.drainMs === 0
      ? `whole run of ${total(request.durationMs)}` : `steady state ${total(window.startMs)}–${total(window.endMs)} of ${total(request.durationMs)}`;
    return books.summary({
      runner: 'k6-operator',
      source: `k6-operator runner (${request.flow}, ${pods.size} runner pod${pods.size === 1 ? '' : 's'} of ${o.image}, merged), profile ${request.profile}, ${windowWords}`,
      scheduled: Math.round((request.ratePerSecond * (window.endMs - window.startMs)) / 1000),
      startedAt,
      fault: fault ?? (request.fault ? { broke: undefined, atMs: request.fault.atMs, problem: 'the load ended before the fault was due' } : undefined),
    });
  }

  /** Follows a runner pod's log once its container runs (a pending one has no log yet). */
  #stream(pod: V1Pod, pods: Map<string, RunnerPod>, onLine: (pod: RunnerPod, line: string) => void): void {
    const name = pod.metadata?.name;
    const phase = pod.status?.phase;
    if (!name || pods.has(name) || (phase !== 'Running' && phase !== 'Succeeded' && phase !== 'Failed')) return;
    const o = this.#options;
    const runner: RunnerPod = { name, reports: 0, summary: undefined, tail: [] };
    pods.set(name, runner);
    const core = o.kubeConfig.makeApiClient(CoreV1Api);
    runner.follower = new PodLogFollower({
      kubeConfig: o.kubeConfig, namespace: o.namespace, pod: name, container: K6_CONTAINER, clock: this.#clock,
      onLine: (line) => onLine(runner, line),
      containerDone: async () => {
        try {
          const now = await core.readNamespacedPod({ namespace: o.namespace, name }, this.#callOptions());
          return now.status?.phase === 'Succeeded' || now.status?.phase === 'Failed'
            || now.status?.containerStatuses?.find((c) => c.name === K6_CONTAINER)?.state?.terminated !== undefined;
        } catch (error) {
          // A pod that is gone writes nothing more; any other failure: try the log again.
          return (error as { code?: unknown }).code === 404;
        }
      },
      maxReopens: 10, reopenAfterMs: o.pollMs,
      describe: (error) => operatorFailure(error, this.#cluster, { verb: 'read the log of', resource: 'pods', namespace: o.namespace, name }, o.apiTimeoutMs).message,
    });
  }

  async #runnerPods(api: Apis, name: string): Promise<V1Pod[]> {
    const o = this.#options;
    const list = await this.#call(() => api.core.listNamespacedPod({ namespace: o.namespace, labelSelector: runnerPodSelector(name) }, this.#callOptions()),
      { verb: 'list', resource: 'pods', namespace: o.namespace });
    return list.items;
  }

  /** The line for stage `error`, with what the initializer said when it said something. */
  async #errorLine(api: Apis, name: string): Promise<string> {
    const o = this.#options;
    let said = '';
    try {
      const pods = await api.core.listNamespacedPod({ namespace: o.namespace, labelSelector: `k6_cr=${name}` }, this.#callOptions());
      const initializer = pods.items.find((p) => p.metadata?.labels?.runner !== 'true');
      if (initializer?.metadata?.name) {
        const log = await api.core.readNamespacedPodLog({ namespace: o.namespace, name: initializer.metadata.name, tailLines: 5 }, this.#callOptions());
        said = String(log).trim().split('\n').filter(Boolean).slice(-3).join(' | ').slice(0, 500);
      }
    } catch {
      // The line stands without the initializer's words.
    }
    return `the TestRun ${o.namespace}/${name} went to stage error: k6-operator could not run it (an invalid script or arguments, parallelism ${o.parallelism} above the script's VUs, or a failed initializer)${said ? `; the initializer said: ${said}` : ''}`;
  }

  /** Is the TestRun CRD served? Discovery, which every authenticated user may read. */
  async #requireCrd(custom: CustomObjectsApi): Promise<void> {
    const o = this.#options;
    let resources: Array<{ name: string }> = [];
    try {
      resources = (await custom.getAPIResources({ group: K6_GROUP, version: K6_VERSION }, this.#callOptions())).resources;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 404) throw operatorFailure(error, this.#cluster, { verb: 'get', resource: `the API group ${K6_GROUP}/${K6_VERSION}`, namespace: o.namespace }, o.apiTimeoutMs);
    }
    if (!resources.some((r) => r.name === TEST_RUNS)) {
      throw new K6OperatorError(`the cluster at ${this.#cluster.server} (context ${this.#cluster.context}) has no k6-operator: the TestRun CRD (${TEST_RUNS}.${K6_GROUP}/${K6_VERSION}) is not installed; install grafana/k6-operator (https://grafana.com/docs/k6/latest/set-up/set-up-distributed-k6/install-k6-operator/) or run with --runner builtin or k6`);
    }
  }

  /** Creates the load's objects in order, noting each for the cleanup; with `dryRun` the server only checks it may (a leftover of the same name, 409, proves that too). */
  async #create(api: Apis, objects: LoadObjects, created: Array<{ attempt: Attempt; remove: () => Promise<unknown> }>, dryRun?: 'All'): Promise<void> {
    const o = this.#options;
    const namespace = o.namespace;
    const step = async (resource: string, manifest: KubeManifest, create: () => Promise<unknown>, remove: () => Promise<unknown>) => {
      const attempt: Attempt = { verb: 'create', resource, namespace, name: manifest.metadata.name };
      try {
        await this.#call(create, attempt);
      } catch (error) {
        if (dryRun && ((error as Error).cause as { code?: unknown } | undefined)?.code === 409) return;
        throw error;
      }
      if (!dryRun) created.push({ attempt: { ...attempt, verb: 'delete' }, remove });
    };
    const dry = dryRun ? { dryRun } : {};
    const name = (m: KubeManifest) => ({ namespace, name: m.metadata.name });
    await step('configmaps', objects.configMap, () => api.core.createNamespacedConfigMap({ namespace, body: objects.configMap as never, ...dry }, this.#callOptions()),
      () => api.core.deleteNamespacedConfigMap(name(objects.configMap), this.#callOptions()));
    await step('secrets', objects.secret, () => api.core.createNamespacedSecret({ namespace, body: objects.secret as never, ...dry }, this.#callOptions()),
      () => api.core.deleteNamespacedSecret(name(objects.secret), this.#callOptions()));
    await step('services', objects.service, () => api.core.createNamespacedService({ namespace, body: objects.service as never, ...dry }, this.#callOptions()),
      () => api.core.deleteNamespacedService(name(objects.service), this.#callOptions()));
    const slice = objects.endpointSlice;
    if (slice) {
      await step('endpointslices.discovery.k8s.io', slice, () => api.discovery.createNamespacedEndpointSlice({ namespace, body: slice as never, ...dry }, this.#callOptions()),
        () => api.discovery.deleteNamespacedEndpointSlice(name(slice), this.#callOptions()));
    }
    await step('testruns.k6.io', objects.testRun,
      () => api.custom.createNamespacedCustomObject({ group: K6_GROUP, version: K6_VERSION, namespace, plural: TEST_RUNS, body: objects.testRun, ...dry }, this.#callOptions()),
      // Background propagation: its Jobs and their pods go with it.
      () => api.custom.deleteNamespacedCustomObject({ group: K6_GROUP, version: K6_VERSION, namespace, plural: TEST_RUNS, name: objects.name, propagationPolicy: 'Background' }, this.#callOptions()));
  }

  /** Deletes what was made, newest first (the TestRun, so no runner starts on a script being removed); something left is named with the command that removes it. */
  async #cleanUp(created: Array<{ attempt: Attempt; remove: () => Promise<unknown> }>, id: string): Promise<void> {
    if (created.length === 0) return;
    const left: string[] = [];
    const deleted: string[] = [];
    for (const { attempt, remove } of [...created].reverse()) {
      try {
        await remove();
        deleted.push(attempt.resource);
      } catch (error) {
        if ((error as { code?: unknown }).code === 404) continue;
        left.push(operatorFailure(error, this.#cluster, attempt, this.#options.apiTimeoutMs).message);
      }
    }
    const o = this.#options;
    if (left.length === 0) {
      this.#notice(`k6-operator: deleted what load ${id} made in ${o.namespace} (${deleted.join(', ')})`);
      return;
    }
    this.#notice(`k6-operator: left in the cluster: ${left.join('; ')}; remove with \`kubectl -n ${o.namespace} delete testruns.k6.io,configmaps,secrets,services,endpointslices -l mojaloop-conformance/load=${id}\``);
  }

  #api(): Apis {
    const kc = this.#options.kubeConfig;
    return { core: kc.makeApiClient(CoreV1Api), custom: kc.makeApiClient(CustomObjectsApi), discovery: kc.makeApiClient(DiscoveryV1Api) };
  }

  async #call<T>(request: () => Promise<T>, attempt: Attempt): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw operatorFailure(error, this.#cluster, attempt, this.#options.apiTimeoutMs);
    }
  }

  /**
   * A deadline on every request: the client sets none, and a silent server would hang the load.
   * (The kubernetes target has the same in request-options.ts; load/ sits below environment/ and
   * does not import it.)
   */
  #callOptions(): ConfigurationOptions {
    const timeoutMs = this.#options.apiTimeoutMs;
    const middleware: ObservableMiddleware = {
      pre: (context) => {
        context.setSignal(AbortSignal.timeout(timeoutMs));
        return new Observable(Promise.resolve(context));
      },
      post: (response) => new Observable(Promise.resolve(response)),
    };
    return { middleware: [middleware], middlewareMergeStrategy: 'append' };
  }

  /** Waits `ms`, or runs `onAbort` (which throws) as soon as the run is interrupted. */
  #sleep(ms: number, signal: AbortSignal | undefined, timers: Set<ClockTimer>, onAbort: () => never): Promise<void> {
    if (signal?.aborted) onAbort();
    return new Promise<void>((resolve, reject) => {
      const abort = () => {
        this.#clock.clearTimeout(timer);
        timers.delete(timer);
        try {
          onAbort();
        } catch (error) {
          reject(error);
        }
      };
      const timer = this.#clock.setTimeout(() => {
        timers.delete(timer);
        signal?.removeEventListener('abort', abort);
        resolve();
      }, ms);
      timers.add(timer);
      signal?.addEventListener('abort', abort, { once: true });
    });
  }

  #notice(line: string): void {
    this.#options.notice?.(line);
  }
}

interface Apis {
  core: CoreV1Api;
  custom: CustomObjectsApi;
  discovery: DiscoveryV1Api;
}

/** The runner pods and why they are not running, for a timeout's line. */
function describePods(pods: readonly V1Pod[]): string {
  if (pods.length === 0) return '; no runner pod yet';
  return `; runner pods: ${pods.map((pod) => {
    const waiting = pod.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting;
    return `${pod.metadata?.name ?? '?'} ${pod.status?.phase ?? 'unknown'}${waiting?.reason ? ` (${waiting.reason}${waiting.message ? `: ${waiting.message.slice(0, 120)}` : ''})` : ''}`;
  }).join(', ')}`;
}
