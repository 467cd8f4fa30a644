import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { testedVersions } from '../../inventory/tested-versions.ts';
import type { Capability } from '../../catalogue/capabilities.ts';
import { ConfigError, EnvironmentUnavailableError } from '../../config/errors.ts';
import type { ConfigFor, ConformanceConfig } from '../../config/schema.ts';
import { componentKindsWith } from '../../inventory/component-kinds.ts';
import type { DeploymentInventory } from '../../inventory/deployment-inventory.ts';
import { systemClock, type Clock } from '../../support/clock.ts';
import type { HeldResources } from '../../support/held-resources.ts';
import { redactUrl } from '../../support/url.ts';
import { configuredCallback } from '../callback-exposure.ts';
import type { CallbackExposure, ConformanceEnvironment, EnvironmentDescription, PayerConnection, Providers, StartedEnvironment } from '../environment.ts';
import { UrlEnvironment } from '../url/url-environment.ts';
import type { FspiopTransport } from '../../fspiop/fspiop-transport.ts';
import type { ClusterIdentity } from './kubernetes-errors.ts';
import { KubernetesFaults, type FaultSurvey, type KubernetesFaultsOptions } from './kubernetes-faults.ts';
import { ServicePortForward } from './hub-port-forward.ts';
import type { K3sDeps, K3sSettings, StartedK3sCluster } from './k3s-cluster.ts';
import { KubernetesInventory } from './kubernetes-inventory.ts';
import { awaitHubWorkloads } from './workload-readiness.ts';

/** No request to the API server may take longer than this, whatever `timeouts.requestMs` says: a start must fail in seconds. */
const MAX_REQUEST_MS = 10_000;

export interface KubernetesEnvironmentOptions {
  /** What our DFSPs present (the run's transport): the hub URL inside is reached, and our DFSPs provisioned, with it. */
  transport?: FspiopTransport | undefined;
  /** Where KUBECONFIG and HOME are read (tests give their own). */
  env?: NodeJS.ProcessEnv;
  /** Objects per LIST request (tests make it small to exercise `continue`). */
  pageSize?: number;
  /** How the replacement of a deleted pod is awaited (tests poll often). */
  faults?: Pick<KubernetesFaultsOptions, 'pollMs' | 'replacementTimeoutMs' | 'clock'>;
  /** Where progress lines go (the run's terminal): the readiness wait says what it waits for. */
  progress?: (line: string) => void;
  /** Aborted when the run is interrupted: a readiness wait stops. */
  signal?: AbortSignal;
  /** The readiness wait's clock (tests move it by hand) and its pause between reads (default 2 s). */
  clock?: Clock;
  readinessIntervalMs?: number;
  /** Where a k3s cluster the run brings up (`--k3s`) is held until removed (what a second Ctrl-C would leave running). */
  held?: HeldResources;
  /** What brings the k3s cluster up (tests give a stand-in; default @testcontainers/k3s, `startK3sCluster`). */
  startK3s?: (settings: K3sSettings, deps: K3sDeps) => Promise<StartedK3sCluster>;
}

/**
 * A Kubernetes cluster the run attaches to (it deploys nothing): its inventory through the API,
 * read once at start with get and list only. With `hub.url` the FSPIOP side is a url target
 * inside (the hub's ingress host, or a port-forward), so the functional guarantees run too.
 */
export class KubernetesEnvironment implements ConformanceEnvironment {
  readonly kind = 'kubernetes' as const;
  readonly #config: ConfigFor<'kubernetes'>;
  readonly #options: KubernetesEnvironmentOptions;

  constructor(config: ConfigFor<'kubernetes'>, options: KubernetesEnvironmentOptions = {}) {
    this.#config = config;
    this.#options = options;
  }

  describeTarget(): string {
    const { context, k3s, portForward } = this.#config.kubernetes;
    const hub = this.#config.hub.url ? `, hub ${redactUrl(this.#config.hub.url)}`
      : portForward.fspiop ? `, hub through a port-forward to Service ${portForward.fspiop.namespace ? `${portForward.fspiop.namespace}/` : ''}${portForward.fspiop.service}:${portForward.fspiop.port}` : '';
    return `kubernetes${k3s.enabled ? ` (a k3s cluster of ${k3s.image} brought up by the run)` : context ? ` (context ${context})` : ''}${hub}`;
  }

  async start(): Promise<StartedEnvironment> {
    const k3s = this.#config.kubernetes.k3s.enabled ? await this.#startK3s() : undefined;
    try {
      return await this.#attach(k3s);
    } catch (error) {
      // Whatever stops the start (a cluster that never gets ready, Ctrl-C), the cluster we brought up goes.
      await k3s?.stop();
      throw error;
    }
  }

  async #startK3s(): Promise<StartedK3sCluster> {
    const start = this.#options.startK3s ?? (await import('./k3s-cluster.ts')).startK3sCluster;
    return start(this.#config.kubernetes.k3s, { progress: this.#options.progress ?? (() => undefined), signal: this.#options.signal, held: this.#options.held, env: this.#options.env });
  }

  async #attach(k3s: StartedK3sCluster | undefined): Promise<StartedEnvironment> {
    const settings = k3s ? { ...this.#config.kubernetes, kubeconfig: k3s.kubeconfig } : this.#config.kubernetes;
    const { kc, file } = loadKubeConfig(settings, this.#options.env ?? process.env);
    const requestTimeoutMs = Math.min(this.#config.timeouts.requestMs, MAX_REQUEST_MS);
    const cluster: ClusterIdentity = { server: redactUrl(kc.getCurrentCluster()!.server), context: kc.getCurrentContext(), requestTimeoutMs };
    const reader = new KubernetesInventory(kc, {
      cluster, requestTimeoutMs,
      ...(this.#config.kubernetes.namespaces.length > 0 ? { namespaces: this.#config.kubernetes.namespaces } : {}),
      ...(this.#options.pageSize ? { pageSize: this.#options.pageSize } : {}),
    });
    // Read at start: an unreachable server, an expired token or a role that may not list workloads stops the run here, in one line.
    const version = await reader.serverVersion();
    let inventory = await reader.read();
    // A hub still rolling out would fail guarantees it will meet in a minute: wait (bounded) for its workloads, and read again what changed.
    const waited = await awaitHubWorkloads(() => reader.workloadStates(), {
      timeoutMs: this.#config.kubernetes.readinessTimeoutMs,
      intervalMs: this.#options.readinessIntervalMs ?? 2000,
      clock: this.#options.clock ?? systemClock,
      progress: this.#options.progress ?? (() => undefined),
      signal: this.#options.signal,
      cluster: `${cluster.server} (context ${cluster.context})`,
    });
    if (waited) inventory = await reader.read();
    // Where no URL is given for the hub's APIs, port-forwards to their Services stand for them.
    const forwards = await openHubForwards(kc, this.#config, { cluster, requestTimeoutMs });
    try {
      // A hub URL means the FSPIOP side is reachable from here: the url target serves it, provisioning included.
      const { kubernetes: _cluster, hub: given, ...shared } = this.#config;
      const hubSettings = { ...given, ...(forwards.fspiop ? { url: forwards.fspiop.url } : {}), ...(forwards.admin ? { adminUrl: forwards.admin.url } : {}) };
      const hub = hubSettings.url ? await new UrlEnvironment({ ...shared, hub: hubSettings, target: 'url' }, { transport: this.#options.transport }).start() : undefined;
      // Faults happen under load, and load needs the hub: without a hub URL no pod is ever deleted.
      let faults: { injector: KubernetesFaults; survey: FaultSurvey } | undefined;
      if (hub) {
        const namespaces = this.#config.kubernetes.namespaces;
        const injector = new KubernetesFaults(kc, { cluster, requestTimeoutMs, namespaces, kinds: componentKindsWith(this.#config.components), ...this.#options.faults });
        faults = { injector, survey: await injector.survey().catch(async (error: unknown) => { await hub.stop(); throw error; }) };
      }
      return new StartedKubernetesEnvironment({ cluster, version, file, inventory, hub, faults, k3s, forwards, callback: configuredCallback(this.#config.callback, 0) });
    } catch (error) {
      await closeForwards(forwards);
      throw error;
    }
  }
}

/** The port-forwards a run holds to the hub's APIs (each absent where a URL was given or no forward configured). */
interface HubForwards {
  fspiop?: ServicePortForward;
  admin?: ServicePortForward;
}

/** Opens the configured forwards (FSPIOP first); one that cannot be opened closes those already open and stops the start. */
async function openHubForwards(kc: KubeConfig, config: ConfigFor<'kubernetes'>, budget: { cluster: ClusterIdentity; requestTimeoutMs: number }): Promise<HubForwards> {
  const { fspiop, admin } = config.kubernetes.portForward;
  const context = kc.getContextObject(kc.getCurrentContext());
  const defaultNamespace = config.kubernetes.namespaces[0] ?? context?.namespace ?? 'default';
  const opened: HubForwards = {};
  try {
    if (fspiop && !config.hub.url) opened.fspiop = await ServicePortForward.open(kc, fspiop, { ...budget, defaultNamespace, purpose: 'the hub\'s FSPIOP API', configPath: 'kubernetes.portForward.fspiop' });
    if (admin && !config.hub.adminUrl) opened.admin = await ServicePortForward.open(kc, admin, { ...budget, defaultNamespace, purpose: 'the hub\'s admin API', configPath: 'kubernetes.portForward.admin' });
  } catch (error) {
    await closeForwards(opened);
    throw error;
  }
  return opened;
}

async function closeForwards(forwards: HubForwards): Promise<void> {
  await Promise.all([forwards.fspiop?.close(), forwards.admin?.close()]);
}

/**
 * The kubeconfig of the cluster a k6-operator load runs in, whatever the target: `k6Operator`'s own
 * kubeconfig and context, else the kubernetes target's, else as kubectl finds it.
 */
export function loadRunKubeConfig(config: ConformanceConfig, env: NodeJS.ProcessEnv): { kc: KubeConfig; file: string } {
  const target: { kubeconfig?: string | undefined; context?: string | undefined } = config.target === 'kubernetes' ? config.kubernetes : {};
  const { kubeconfig = target.kubeconfig, context = target.context } = config.k6Operator;
  return loadKubeConfig({ ...(kubeconfig ? { kubeconfig } : {}), ...(context ? { context } : {}) }, env);
}

/** The kubeconfig as kubectl finds it: --kubeconfig, else KUBECONFIG, else ~/.kube/config, else in-cluster. */
export function loadKubeConfig(settings: Pick<ConfigFor<'kubernetes'>['kubernetes'], 'kubeconfig' | 'context'>, env: NodeJS.ProcessEnv): { kc: KubeConfig; file: string } {
  const kc = new KubeConfig();
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  const files = settings.kubeconfig ? [settings.kubeconfig] : fromEnv.length > 0 ? fromEnv : existsSync(home) ? [home] : [];
  const inCluster = files.length === 0 && env.KUBERNETES_SERVICE_HOST !== undefined && existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token');
  if (files.length === 0 && !inCluster) {
    throw new EnvironmentUnavailableError(`no kubeconfig found (KUBECONFIG is unset and ${home} does not exist), so there is no cluster to read; `
      + 'point KUBECONFIG or --kubeconfig at the cluster\'s kubeconfig (the one kubectl uses)');
  }
  const where = inCluster ? 'the in-cluster service account' : files.join(delimiter);
  for (const [index, file] of files.entries()) {
    if (!existsSync(file)) throw new ConfigError(`kubeconfig ${file} does not exist${settings.kubeconfig ? ' (--kubeconfig / kubernetes.kubeconfig)' : ' (KUBECONFIG)'}; give the path of the cluster's kubeconfig`);
    try {
      const one = new KubeConfig();
      one.loadFromFile(file);
      if (index === 0) kc.loadFromFile(file);
      else kc.mergeConfig(one, true);
    } catch (error) {
      // The parser's message may quote the line it stopped at, and that line may hold a token: only its kind is shown.
      throw new ConfigError(`kubeconfig ${file} cannot be read as a kubeconfig (${(error as Error).name}); check it with \`kubectl --kubeconfig ${file} config view\``, [], { cause: error });
    }
  }
  if (inCluster) kc.loadFromCluster();
  if (settings.context) {
    if (!kc.getContextObject(settings.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new ConfigError(`--context "${settings.context}" is not in ${where}; its contexts: ${known.length > 0 ? known.join(', ') : 'none'}`);
    }
    kc.setCurrentContext(settings.context);
  }
  const context = kc.getCurrentContext();
  if (!context || !kc.getContextObject(context)) {
    throw new ConfigError(`${where} names no current context; pass --context (its contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new ConfigError(`context "${context}" of ${where} names no cluster server; fix the kubeconfig (kubectl config view)`);
  return { kc, file: where };
}

class StartedKubernetesEnvironment implements StartedEnvironment {
  readonly kind = 'kubernetes' as const;
  /** The cluster's inventory, plus — with a hub URL — what the url target inside serves. */
  readonly provides: Providers;
  readonly callbackExposure: CallbackExposure;
  readonly #cluster: ClusterIdentity;
  readonly #version: string;
  readonly #file: string;
  readonly #inventory: DeploymentInventory;
  readonly #hub: StartedEnvironment | undefined;
  readonly #faults: { injector: KubernetesFaults; survey: FaultSurvey } | undefined;
  /** Present with `fault-injection` or `data-tier-fault-injection`: pods deleted through the API. */
  readonly faults?: KubernetesFaults;

  readonly #k3s: StartedK3sCluster | undefined;
  readonly #forwards: HubForwards;

  constructor(parts: { cluster: ClusterIdentity; version: string; file: string; inventory: DeploymentInventory; hub: StartedEnvironment | undefined; faults?: { injector: KubernetesFaults; survey: FaultSurvey } | undefined; k3s?: StartedK3sCluster | undefined; forwards?: HubForwards; callback: CallbackExposure }) {
    this.#k3s = parts.k3s;
    this.#forwards = parts.forwards ?? {};
    this.#cluster = parts.cluster;
    this.#version = parts.version;
    this.#file = parts.file;
    this.#inventory = parts.inventory;
    this.#hub = parts.hub;
    this.#faults = parts.faults;
    const survey = parts.faults?.survey;
    if (survey?.hubPod || survey?.dataTierPod) this.faults = parts.faults!.injector;
    const inventory = parts.inventory;
    this.provides = {
      'kubernetes-inventory': { inventory: async () => inventory }, ...parts.hub?.provides,
      // One injector deletes a hub pod or a data-tier one, whichever the scenario names: granted when either is there.
      ...(survey?.hubPod || survey?.dataTierPod ? { 'fault-injection': parts.faults!.injector } : {}),
      ...(survey?.dataTierPod ? { 'data-tier-fault-injection': { component: survey.dataTierPod } } : {}),
    };
    this.callbackExposure = parts.callback;
    const hub = parts.hub;
    if (hub?.provisioningPlan) this.provisioningPlan = (payer) => hub.provisioningPlan!(payer);
  }

  get hubUrl(): string {
    return this.#hub?.hubUrl ?? '';
  }

  get callbackRouteUnproven(): boolean {
    return this.#hub?.callbackRouteUnproven ?? false;
  }

  readonly provisioningPlan?: StartedEnvironment['provisioningPlan'];

  describe(): EnvironmentDescription {
    const hub = this.#hub?.describe();
    const unreadable = Object.entries(this.#inventory.unreadable ?? {}).map(([what, why]) => `could not read ${what} (${why}): the guarantees that need it are NOT EVALUATED`);
    return {
      kind: this.kind,
      summary: `Kubernetes cluster at ${this.#cluster.server} (context ${this.#cluster.context}, ${this.#version}, ${plural(this.#inventory.nodes.length, 'node')}; ${this.#k3s ? 'k3s brought up by the run' : 'attached'}, ${this.faults ? 'read-only but for the pods resilience scenarios delete' : 'read-only'})`
        + (hub ? `; FSPIOP: ${hub.summary}` : '; no hub URL, so no FSPIOP guarantee runs'),
      endpoints: { kubernetesApi: this.#cluster.server, ...hub?.endpoints },
      tested: { 'kubernetes server': this.#version, ...testedVersions(this.#inventory) },
      notes: [this.#k3s ? this.#k3s.description : `kubeconfig: ${this.#file}`, ...this.#forwardNotes(), ...unreadable, ...this.#faultNotes(), ...hub?.notes ?? []],
    };
  }

  whyMissing(capability: Capability): string {
    if (this.#hub && ['fspiop-api', 'controlled-payee', 'payee-observation', 'bystander-dfsp', 'hub-ledger', 'admin-api'].includes(capability)) return this.#hub.whyMissing(capability);
    switch (capability) {
      case 'admin-api':
      case 'fspiop-api':
      case 'controlled-payee':
      case 'payee-observation':
      case 'bystander-dfsp':
      case 'hub-ledger':
        return `the kubernetes target reads the cluster; give it the hub's FSPIOP endpoint too (--hub-url ${this.#ingressHost(/ml-api-adapter/) ?? 'URL, e.g. the ml-api-adapter ingress host'}`
          + ` and --hub-admin-url ${this.#ingressHost(/central-?ledger/) ?? 'URL of central-ledger\'s admin API'}, or port-forwards: --port-forward fspiop=SERVICE:3000 --port-forward admin=SERVICE:3001) and the FSPIOP guarantees run against that hub`;
      case 'resource-metrics':
        return 'this version reads no usage figures from the cluster (metrics-server) yet';
      case 'fault-injection':
        return this.#faults
          ? `no pod of the hub to delete: looked for ${this.#faults.injector.describeSearch('central-ledger')}, or any running pod of a mojaloop/ image`
          : 'pods are deleted under load, and load needs the hub: give the kubernetes target the hub\'s FSPIOP endpoint (--hub-url) and the resilience scenarios delete pods of the cluster';
      case 'data-tier-fault-injection':
        return this.#faults
          ? `no pod of the data tier to delete: looked for ${this.#faults.injector.describeSearch('mysql')}; and for ${this.#faults.injector.describeSearch('kafka')}`
          : 'data-tier pods are deleted under load, and load needs the hub: give the kubernetes target the hub\'s FSPIOP endpoint (--hub-url) and the data-tier scenario deletes a database or broker pod';
      case 'compose-inventory':
        return 'a Kubernetes cluster is no docker compose deployment';
      default:
        return `the kubernetes target does not offer ${capability}`;
    }
  }

  /** Each port-forward, what it reaches and what failed on it; and the ingress hosts that would serve instead. */
  #forwardNotes(): string[] {
    const forwards = [this.#forwards.fspiop, this.#forwards.admin].filter((f): f is ServicePortForward => f !== undefined);
    if (forwards.length === 0) return [];
    const hosts = [this.#ingressHost(/ml-api-adapter/), this.#ingressHost(/central-?ledger/)].filter(Boolean);
    return [
      ...forwards.map((f) => f.describe()),
      'callbacks: the hub calls our callback server at the URL our DFSPs registered, from inside the cluster — a port-forward carries requests to the hub only; '
        + 'give --callback-public-url an address the hub\'s pods reach (this machine\'s address on their network, or a tunnel to it); the run proves that route with one round trip before any scenario',
      ...(hosts.length > 0 ? [`the cluster's ingress also serves ${hosts.join(' and ')}: --hub-url${hosts[1] ? '/--hub-admin-url' : ''} with ${hosts.length === 1 ? 'it' : 'them'} reach the hub without a port-forward`] : []),
    ];
  }

  /** What a person should know before resilience scenarios run: they delete pods of this cluster. */
  #faultNotes(): string[] {
    const survey = this.#faults?.survey;
    if (!this.faults || !survey) return [];
    const examples = [survey.hubPod && `e.g. ${survey.hubPod}`, survey.dataTierPod && `data tier e.g. ${survey.dataTierPod}`].filter(Boolean).join('; ');
    return [`resilience scenarios delete one pod of the component they name (gracePeriodSeconds 0; ${examples}) and read back when its replacement is Ready: the context's user needs delete on pods for them`];
  }

  /** An Ingress host the cluster serves a component on, as a URL to suggest (mini-loop: http://ml-api-adapter.local). */
  #ingressHost(component: RegExp): string | undefined {
    const ingress = this.#inventory.resources.find((r) => r.kind === 'Ingress' && component.test(`${r.name} ${r.details?.hosts ?? ''}`) && r.details?.hosts);
    const host = ingress?.details?.hosts?.split(', ').find((h) => h !== '*');
    return host ? `http://${host}` : undefined;
  }

  async connectPayer(payer: PayerConnection): Promise<void> {
    await this.#hub?.connectPayer(payer);
  }

  async stop(): Promise<void> {
    this.#faults?.injector.stop();
    await this.#hub?.stop();
    await closeForwards(this.#forwards);
    await this.#k3s?.stop();
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
