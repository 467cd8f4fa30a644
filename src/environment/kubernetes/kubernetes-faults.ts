import { CoreV1Api, type ConfigurationOptions, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { requestOptions } from './request-options.ts';
import { DATA_TIER_KINDS, type ComponentKind, type ComponentKinds } from '../../inventory/component-kinds.ts';
import type { FaultAftermath, FaultInjector } from '../../load/load-runner.ts';
import { monotonicClock, type Clock } from '../../support/clock.ts';
import { kubernetesFailure, type ClusterIdentity } from './kubernetes-errors.ts';

export interface KubernetesFaultsOptions {
  cluster: ClusterIdentity;
  /** Budget of each request to the API server. */
  requestTimeoutMs: number;
  /** Look for pods only in these namespaces; empty or absent: every namespace. */
  namespaces?: readonly string[] | undefined;
  /** How components are recognised (the inventory's kinds, with the config's `components` in place). */
  kinds: ComponentKinds;
  /** Pause between two reads of the replacement's readiness. Default 1000 ms. */
  pollMs?: number;
  /** How long after the delete the replacement's readiness is awaited. Default 180 s: past twice the chart's 75 s readiness. */
  replacementTimeoutMs?: number;
  /** Measures the time to ready and paces the polls; default the monotonic clock. */
  clock?: Clock;
}

/** A pod as a fault sees it: where it is, what owns it, what it runs and keeps. */
export interface PodView {
  namespace: string;
  name: string;
  uid: string;
  /** Its controller (ReplicaSet, StatefulSet, DaemonSet, StrimziPodSet, …), which replaces it when it is deleted. */
  owner: { kind: string; name: string } | undefined;
  /** The workload it belongs to: a ReplicaSet's Deployment, else its controller, else itself. */
  workload: string;
  images: string[];
  claims: string[];
  running: boolean;
  ready: boolean;
  /** When its Ready condition last changed, as the API server says. */
  readySince: string | undefined;
  deleting: boolean;
}

/** The pod a fault on a component hits, and why it was chosen. */
export interface FaultTarget {
  pod: PodView;
  kind: ComponentKind | undefined;
  /** "image mojaloop/central-ledger:v19.4.1", "workload name centralledger". */
  matchedBy: string;
  dataTier: boolean;
}

/** What `survey` found: a pod of the hub a fault could hit, and one of its data tier. */
export interface FaultSurvey {
  hubPod: string | undefined;
  dataTierPod: string | undefined;
}

const DEFAULT_POLL_MS = 1000;
const DEFAULT_REPLACEMENT_TIMEOUT_MS = 180_000;
/** A hub's own services run Mojaloop's images: what makes a pod one a fault on the hub may hit. */
const MOJALOOP_IMAGE = /(^|\/)mojaloop\//;

/** Names compared without case or punctuation: the features' "centralledger" is the kind central-ledger. */
const normalised = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Faults on a Kubernetes cluster through its API: one pod of a named component deleted at once
 * (gracePeriodSeconds 0, a crash rather than a drain), its controller left to replace it, and the
 * replacement's readiness read back from the API. Components are recognised as the inventory
 * recognises them (`ComponentKinds`: images and workload names, data, overridable in the config);
 * a name that is no kind is a workload's name. What was looked for and not found, and a role that
 * may not delete, are thrown as one line: the guarantee is then NOT EVALUATED with it.
 */
export class KubernetesFaults implements FaultInjector {
  readonly #core: CoreV1Api;
  readonly #options: KubernetesFaultsOptions;
  readonly #clock: Clock;
  /** The watch of each delete's replacement, by what `killOne` said it broke. */
  readonly #watches = new Map<string, { deleted: FaultTarget; watch: (signal?: AbortSignal) => Promise<Omit<FaultAftermath, 'data'>> }>();
  /** Ends every watch still polling: a run that stops before asking for the aftermath leaves nothing behind. */
  readonly #stopped = new AbortController();

  constructor(kc: KubeConfig, options: KubernetesFaultsOptions) {
    this.#core = kc.makeApiClient(CoreV1Api);
    this.#options = options;
    this.#clock = options.clock ?? monotonicClock;
  }

  /** Which pods a fault could hit: one of the hub's (central-ledger or another Mojaloop image), one of its data tier. */
  async survey(): Promise<FaultSurvey> {
    const pods = (await this.#listPods()).filter((p) => p.running && !p.deleting);
    const hub = pods.find((p) => this.#match(p, 'central-ledger')) ?? pods.find((p) => p.images.some((i) => MOJALOOP_IMAGE.test(i)));
    const dataTier = pods.find((p) => DATA_TIER_KINDS.some((kind) => this.#match(p, kind)));
    return { hubPod: hub && `${hub.namespace}/${hub.name}`, dataTierPod: dataTier && `${dataTier.namespace}/${dataTier.name}` };
  }

  /** What a component's name is looked for as, in words (the reason when nothing matches). */
  describeSearch(component: string): string {
    const kind = this.#kindOf(component);
    const where = this.#where();
    if (!kind) {
      return `running pods of a workload named "${component}" (case and punctuation aside) ${where}; `
        + `"${component}" is no component kind (${Object.keys(this.#options.kinds).join(', ')})`;
    }
    const patterns = this.#options.kinds[kind];
    return `running pods of ${kind} ${where}: workload names matching ${patterns.names.map(String).join(', ') || 'none'} `
      + `or images matching ${patterns.images.map(String).join(', ') || 'none'} (config components.${kind})`;
  }

  /** The pod a fault on `component` hits: both image and workload name matching first, then the name, then the image; the shortest workload name, a ready pod. */
  async find(component: string): Promise<FaultTarget | undefined> {
    const kind = this.#kindOf(component);
    const candidates = (await this.#listPods()).filter((p) => p.running && !p.deleting).flatMap((pod) => {
      if (!kind) return normalised(pod.workload) === normalised(component) ? [{ pod, rank: 0, matchedBy: `workload name ${pod.workload}` }] : [];
      const hit = this.#match(pod, kind);
      return hit ? [{ pod, ...hit }] : [];
    });
    candidates.sort((a, b) => a.rank - b.rank || a.pod.workload.length - b.pod.workload.length || Number(b.pod.ready) - Number(a.pod.ready)
      || `${a.pod.namespace}/${a.pod.name}`.localeCompare(`${b.pod.namespace}/${b.pod.name}`));
    const chosen = candidates[0];
    return chosen && { pod: chosen.pod, kind, matchedBy: chosen.matchedBy, dataTier: kind !== undefined && DATA_TIER_KINDS.includes(kind) };
  }

  /**
   * Deletes one pod of the component and starts watching for its replacement. Throws, with the line
   * to show, when no pod matches or the API refuses the delete: nothing was broken.
   */
  async killOne(component: string): Promise<string> {
    const target = await this.find(component);
    if (!target) throw new Error(`no pod of "${component}" to delete in ${this.#options.cluster.server} (context ${this.#options.cluster.context}): looked for ${this.describeSearch(component)}`);
    const { pod } = target;
    // The replacement is the controller's pod that was not there before the delete.
    const before = new Set((await this.#listPods(pod.namespace)).filter((p) => sameOwner(p, pod)).map((p) => p.uid));
    try {
      await this.#core.deleteNamespacedPod({ name: pod.name, namespace: pod.namespace, gracePeriodSeconds: 0 }, this.#callOptions());
    } catch (error) {
      throw kubernetesFailure(error, this.#options.cluster, `pod ${pod.namespace}/${pod.name}`, 'deleting');
    }
    const deletedAt = this.#clock.now();
    const owner = pod.owner ? `owner ${pod.owner.kind} ${pod.owner.name}` : 'no owner: nothing recreates it';
    const broke = `pod ${pod.namespace}/${pod.name} (${owner}; ${target.kind ?? 'workload'} ${pod.workload}, matched by ${target.matchedBy}) `
      + `deleted with gracePeriodSeconds 0 through the Kubernetes API ${this.#options.cluster.server} (context ${this.#options.cluster.context})`;
    // Started now, so its time to ready counts from the delete whatever the load does meanwhile; awaited by `aftermath`.
    const controller = new AbortController();
    this.#stopped.signal.addEventListener('abort', () => controller.abort(), { once: true });
    const running = this.#watchReplacement(pod, before, deletedAt, controller.signal);
    running.catch(() => undefined);
    this.#watches.set(broke, {
      deleted: target,
      watch: (signal) => {
        signal?.addEventListener('abort', () => controller.abort(), { once: true });
        return running;
      },
    });
    return broke;
  }

  async aftermath(broke: string, signal?: AbortSignal): Promise<FaultAftermath> {
    const entry = this.#watches.get(broke);
    if (!entry) return { replacementReadyMs: undefined, replacement: 'not watched: this injector deleted no such pod', data: 'not known' };
    const aftermath = await entry.watch(signal);
    return { ...aftermath, data: keptData(entry.deleted) };
  }

  /** Stops watching replacements (the environment stops): an aftermath asked for later says the run stopped. */
  stop(): void {
    this.#stopped.abort();
  }

  /** Polls the namespace until a pod of the deleted pod's controller that was not there before is Ready, or the wait is over. */
  async #watchReplacement(deleted: PodView, before: ReadonlySet<string>, deletedAt: number, signal: AbortSignal): Promise<Omit<FaultAftermath, 'data'>> {
    const name = `${deleted.namespace}/${deleted.name}`;
    if (!deleted.owner) return { replacementReadyMs: undefined, replacement: `pod ${name} had no controller: nothing replaces it` };
    const owner = `${deleted.owner.kind} ${deleted.owner.name}`;
    const pollMs = this.#options.pollMs ?? DEFAULT_POLL_MS;
    const timeoutMs = this.#options.replacementTimeoutMs ?? DEFAULT_REPLACEMENT_TIMEOUT_MS;
    let seen = 'none seen';
    for (;;) {
      try {
        const fresh = (await this.#listPods(deleted.namespace)).filter((p) => sameOwner(p, deleted) && !before.has(p.uid));
        const ready = fresh.find((p) => p.ready);
        if (ready) {
          const readyMs = Math.round(this.#clock.now() - deletedAt);
          return {
            replacementReadyMs: readyMs,
            replacement: `pod ${ready.namespace}/${ready.name}, created by ${owner} for ${name}, seen Ready ${readyMs} ms after the delete `
              + `(Kubernetes API ${this.#options.cluster.server} polled every ${pollMs} ms${ready.readySince ? `; its Ready condition since ${ready.readySince}` : ''})`,
          };
        }
        seen = fresh.length > 0 ? fresh.map((p) => `${p.name} ${p.running ? 'running, not Ready' : 'not running'}`).join(', ') : 'none created yet';
      } catch (error) {
        seen = `the last read failed: ${kubernetesFailure(error, this.#options.cluster, `pods in namespace ${deleted.namespace}`).reason}`;
      }
      const waited = this.#clock.now() - deletedAt;
      if (signal.aborted) return { replacementReadyMs: undefined, replacement: `the run stopped ${Math.round(waited)} ms after ${name} was deleted, before a replacement from ${owner} was Ready (${seen})` };
      if (waited >= timeoutMs) {
        return { replacementReadyMs: undefined, replacement: `no replacement of ${name} from ${owner} was Ready within ${timeoutMs / 1000} s of the delete (${seen}; Kubernetes API ${this.#options.cluster.server})` };
      }
      await this.#pause(Math.min(pollMs, timeoutMs - waited), signal);
    }
  }

  #pause(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.#clock.setTimeout(() => {
        signal.removeEventListener('abort', stop);
        resolve();
      }, ms);
      const stop = () => {
        this.#clock.clearTimeout(timer);
        resolve();
      };
      signal.addEventListener('abort', stop, { once: true });
    });
  }

  /** How a pod matches a kind: both its image and workload name (rank 0), the name (1), or the image (2). */
  #match(pod: PodView, kind: ComponentKind): { rank: number; matchedBy: string } | undefined {
    const { images, names } = this.#options.kinds[kind];
    const image = pod.images.find((i) => images.some((pattern) => pattern.test(i)));
    const named = names.some((pattern) => pattern.test(pod.workload));
    if (image && named) return { rank: 0, matchedBy: `image ${image} and workload name ${pod.workload}` };
    if (named) return { rank: 1, matchedBy: `workload name ${pod.workload}` };
    if (image) return { rank: 2, matchedBy: `image ${image}` };
    return undefined;
  }

  #kindOf(component: string): ComponentKind | undefined {
    return (Object.keys(this.#options.kinds) as ComponentKind[]).find((kind) => normalised(kind) === normalised(component));
  }

  #where(): string {
    const namespaces = this.#options.namespaces ?? [];
    return namespaces.length > 0 ? `in namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.join(', ')}` : 'in every namespace';
  }

  /** Every pod of one namespace, or of the configured namespaces (all when none), page by page. */
  async #listPods(namespace?: string): Promise<PodView[]> {
    const namespaces = namespace ? [namespace] : this.#options.namespaces ?? [];
    const lists = namespaces.length === 0
      ? [await this.#pages('pods', (cont) => this.#core.listPodForAllNamespaces({ _continue: cont, limit: 250 }, this.#callOptions()))]
      : await Promise.all(namespaces.map((ns) => this.#pages(`pods in namespace ${ns}`, (cont) => this.#core.listNamespacedPod({ namespace: ns, _continue: cont, limit: 250 }, this.#callOptions()))));
    return lists.flat().map(podView);
  }

  async #pages(what: string, page: (cont: string | undefined) => Promise<{ items: V1Pod[]; metadata?: { _continue?: string } }>): Promise<V1Pod[]> {
    const items: V1Pod[] = [];
    let cont: string | undefined;
    do {
      let result: Awaited<ReturnType<typeof page>>;
      try {
        result = await page(cont);
      } catch (error) {
        throw kubernetesFailure(error, this.#options.cluster, what);
      }
      items.push(...result.items);
      cont = result.metadata?._continue || undefined;
    } while (cont);
    return items;
  }

  /** A deadline on each request: the client sets none, and a silent server would hang the fault. */
  #callOptions(): ConfigurationOptions {
    return requestOptions(this.#options.requestTimeoutMs);
  }
}

function podView(pod: V1Pod): PodView {
  const controller = (pod.metadata?.ownerReferences ?? []).find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  const owner = controller && { kind: controller.kind, name: controller.name };
  const ready = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const readySince = ready?.lastTransitionTime;
  return {
    namespace: pod.metadata?.namespace ?? 'default',
    name: pod.metadata?.name ?? '',
    uid: pod.metadata?.uid ?? `${pod.metadata?.namespace}/${pod.metadata?.name}`,
    owner,
    workload: workloadOf(pod, owner),
    images: [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.image ?? ''),
    claims: (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : [])),
    running: pod.status?.phase === 'Running',
    ready: ready?.status === 'True',
    readySince: readySince === undefined ? undefined : new Date(readySince).toISOString(),
    deleting: pod.metadata?.deletionTimestamp !== undefined,
  };
}

/** A ReplicaSet is named `<deployment>-<pod-template-hash>`: its pods belong to the Deployment. */
function workloadOf(pod: V1Pod, owner: { kind: string; name: string } | undefined): string {
  if (!owner) return pod.metadata?.name ?? '';
  if (owner.kind !== 'ReplicaSet') return owner.name;
  const hash = pod.metadata?.labels?.['pod-template-hash'];
  if (hash && owner.name.endsWith(`-${hash}`)) return owner.name.slice(0, -hash.length - 1);
  return owner.name.replace(/-[a-z0-9]{5,10}$/, '');
}

function sameOwner(a: PodView, b: PodView): boolean {
  return a.owner !== undefined && b.owner !== undefined && a.owner.kind === b.owner.kind && a.owner.name === b.owner.name && a.namespace === b.namespace;
}

/** What the deleted pod kept, and so what deleting it could lose. */
function keptData({ pod, kind, dataTier }: FaultTarget): string {
  const claims = pod.claims.length > 0 ? `persistent volume claim${pod.claims.length > 1 ? 's' : ''} ${pod.claims.join(', ')}` : undefined;
  if (dataTier && claims) return `data tier (${kind}): its data is on ${claims}, which the replacement mounts again; committed transfers surviving this show the ledger survives the loss of a node of its data tier`;
  if (dataTier) return `data tier (${kind}) with no persistent volume claim: its data lived in the pod's own filesystem and went with it; only copies elsewhere (replicas, backups) keep it`;
  if (claims) return `keeps data on ${claims}, which the replacement mounts again`;
  return `stateless: pod ${pod.namespace}/${pod.name} mounts no persistent volume and is not of the data tier (${DATA_TIER_KINDS.join(', ')}), so deleting it cannot lose stored data; `
    + 'no committed transfer lost here shows only that none was reported COMMITTED before it was stored — the data-tier fault is the one that can lose data';
}
