import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import { connect as connectTcp } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { join } from 'node:path';
import { ROOT } from './cli.ts';
import { closeServer, listen } from './servers.ts';

/**
 * A Kubernetes API server over real HTTPS (the test-only certificate in `fixtures/tls/`, which the
 * generated kubeconfig names as the cluster's certificate authority, as a real one does), serving a cluster snapshot (`fixtures/clusters/<name>.json`:
 * raw objects as `kubectl get -o json` shows them, plus the server version). It answers what the real
 * @kubernetes/client-node and kubectl ask: `/version`, discovery (`/api`, `/apis`, each group
 * version's resource list with short names, scope and verbs), cluster-wide and namespaced LIST with
 * `limit` + `continue`, label and field selectors, kubectl's Table and metadata-only views, and GET
 * of one object. A DELETE of a pod replaces it as its controller would (the block "Pods deleted and
 * replaced"). It also takes what the k6-operator runner makes — POST creates a namespaced
 * object (409 when it exists, 404 for a kind the cluster does not serve, such as a TestRun without
 * its CRD; with `dryRun=All` nothing is stored), DELETE removes one (a TestRun takes its runner pods with it, as owner references do) —
 * and serves pod logs (`…/pods/NAME/log`, `follow=true` kept open until the test ends the log), and
 * port-forwards (`…/pods/NAME/portforward`, the block "Port-forwards": WebSocket, v4.channel.k8s.io, to
 * where the test says the pod's port listens). A test moves objects on (`setStatus`, `addObject`,
 * `appendLog`, `endLog`, `servePodPort`, `cutPortForwards`); nothing moves by itself.
 *
 * Honest on purpose: Secrets are served as metadata only (a snapshot's `data` never leaves it), a
 * wrong bearer token is answered 401 and a forbidden resource 403 with the API server's own wording,
 * so the messages the tool prints are tested against what a cluster really says.
 */

export interface ClusterSnapshot {
  description?: string;
  /** When the snapshot was taken: its status times are served moved forward to now, so "ran within its schedule" keeps meaning what it meant then. */
  takenAt?: string;
  version: { major: string; minor: string; gitVersion: string; platform?: string };
  objects: KubeObject[];
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; creationTimestamp?: string; [key: string]: unknown };
  [key: string]: unknown;
}

interface ResourceType {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
}

/** The built-in resources a 1.27-1.30 API server has, as far as the tool and kubectl ask about them. */
const BUILTIN: ResourceType[] = [
  ['', 'v1', 'pods', 'Pod', true, ['po']],
  ['', 'v1', 'nodes', 'Node', false, ['no']],
  ['', 'v1', 'namespaces', 'Namespace', false, ['ns']],
  ['', 'v1', 'services', 'Service', true, ['svc']],
  ['', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, ['pvc']],
  ['', 'v1', 'persistentvolumes', 'PersistentVolume', false, ['pv']],
  ['', 'v1', 'configmaps', 'ConfigMap', true, ['cm']],
  ['', 'v1', 'secrets', 'Secret', true, []],
  ['', 'v1', 'serviceaccounts', 'ServiceAccount', true, ['sa']],
  ['apps', 'v1', 'deployments', 'Deployment', true, ['deploy']],
  ['apps', 'v1', 'statefulsets', 'StatefulSet', true, ['sts']],
  ['apps', 'v1', 'daemonsets', 'DaemonSet', true, ['ds']],
  ['apps', 'v1', 'replicasets', 'ReplicaSet', true, ['rs']],
  ['batch', 'v1', 'jobs', 'Job', true, []],
  ['batch', 'v1', 'cronjobs', 'CronJob', true, ['cj']],
  ['networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, ['ing']],
  ['networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false, []],
  ['networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, ['netpol']],
  ['policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, ['pdb']],
  ['autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, ['hpa']],
  ['apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, ['crd', 'crds']],
  ['discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true, []],
].map(([group, version, plural, kind, namespaced, shortNames]) => ({
  group, version, plural, kind, namespaced, shortNames, singular: (kind as string).toLowerCase(),
}) as ResourceType);

const VERBS = ['create', 'delete', 'get', 'list', 'watch'];

export interface FakeKubeApiOptions {
  /** The bearer token the server accepts; any other (or none) is answered 401. Default: no check. */
  token?: string;
  /** Resources (plural, e.g. "nodes", or "*") the token may not list or get: answered 403. */
  forbidden?: string[];
  /** Pages never larger than this, whatever `limit` asks (a real server may return fewer). */
  maxPageSize?: number;
}

export interface RequestSeen {
  method: string;
  path: string;
  query: Record<string, string>;
  accept: string;
  authorization: string | undefined;
}

/** One pod's log: its lines so far, whether the container is done writing, and the `follow` readers waiting for more. */
interface PodLog {
  /** Each line with the time the kubelet would stamp it (RFC 3339, nanoseconds, trailing zeros dropped). */
  lines: Array<{ at: string; text: string }>;
  ended: boolean;
  /** Follow readers, each with whether it asked for timestamps. */
  followers: Map<ServerResponse, boolean>;
}

export class FakeKubeApi {
  readonly snapshot: ClusterSnapshot;
  readonly requests: RequestSeen[] = [];
  readonly #logs = new Map<string, PodLog>();
  #lastStampMs = 0;
  #stampSeq = 0;
  readonly #types: ResourceType[];
  readonly #options: FakeKubeApiOptions;
  #server: Server | undefined;
  #url: string | undefined;

  constructor(snapshot: ClusterSnapshot, options: FakeKubeApiOptions = {}) {
    this.snapshot = snapshot.takenAt ? { ...snapshot, objects: shiftTimes(snapshot.objects, Date.now() - Date.parse(snapshot.takenAt)) as KubeObject[] } : snapshot;
    this.#options = options;
    this.#types = [...BUILTIN, ...customTypes(snapshot.objects)];
  }

  static async fromFixture(name: string, options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
    return new FakeKubeApi(await readClusterFixture(name), options);
  }

  get url(): string {
    if (!this.#url) throw new Error('the fake Kubernetes API is not started');
    return this.#url;
  }

  /** Changes who may do what while running (a token that expires, a role that is taken away). */
  set token(token: string | undefined) {
    this.#options.token = token;
  }

  set forbidden(resources: string[]) {
    this.#options.forbidden = resources;
  }

  /**
   * Changes an object's status from now on, as its controller or the kubelet would (a Deployment's
   * replicas becoming available, a TestRun's stage, a pod's phase): the test moves the cluster, no timer does.
   */
  setStatus(kind: string, namespace: string | undefined, name: string, status: Record<string, unknown>): void {
    const object = this.snapshot.objects.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);
    if (!object) throw new Error(`the snapshot has no ${kind} ${namespace ?? ''}/${name}`);
    object.status = { ...(object.status as Record<string, unknown> | undefined), ...status };
  }

  async start(): Promise<this> {
    const [key, cert] = await Promise.all([readFile(join(ROOT, 'fixtures', 'tls', 'hub-test-only.key')), readFile(join(ROOT, 'fixtures', 'tls', 'hub-test-only.crt'))]);
    this.#server = createServer({ key, cert }, (request, response) => this.#handle(request, response));
    this.#server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => this.#upgrade(request, socket, head));
    this.#url = (await listen(this.#server)).replace(/^http:/, 'https:');
    return this;
  }

  async stop(): Promise<void> {
    this.cutPortForwards();
    this.#portForwardSockets.close();
    if (this.#server) await closeServer(this.#server);
  }

  /** A kubeconfig for this server, written to `file`, as kubectl and the client read it. */
  async writeKubeconfig(file: string, options: { token?: string; context?: string; namespace?: string } = {}): Promise<string> {
    await writeFile(file, kubeconfigFor(this.url, { ...options, certificateAuthority: await testCertificateAuthority() }));
    return file;
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const accept = request.headers.accept ?? '';
    this.requests.push({ method: request.method ?? 'GET', path: url.pathname, query, accept, authorization: request.headers.authorization });
    const token = this.#options.token;
    if (token !== undefined && request.headers.authorization !== `Bearer ${token}`) {
      return send(response, 401, status(401, 'Unauthorized', 'Unauthorized'));
    }
    const method = request.method ?? 'GET';
    if (method !== 'GET' && method !== 'POST' && method !== 'DELETE') return send(response, 405, status(405, 'MethodNotAllowed', `the fake Kubernetes API takes GET, POST and DELETE (${method})`));
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const log = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(path);
    if (log && method === 'GET') return this.#serveLog(log[1]!, log[2]!, query, response);
    if (path === '/version') return send(response, 200, this.snapshot.version);
    if (path === '/api') return send(response, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: new URL(this.url).host }] });
    if (path === '/apis') return send(response, 200, this.#groupList());
    const route = this.#route(path);
    if (!route) return send(response, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
    if ('resources' in route) return send(response, 200, route.resources);
    const { type, namespace, name } = route;
    const forbidden = this.#options.forbidden ?? [];
    if (forbidden.includes('*') || forbidden.includes(type.plural)) {
      const verb = method === 'POST' ? 'create' : method === 'DELETE' ? 'delete' : name ? 'get' : 'list';
      const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
      return send(response, 403, status(403, 'Forbidden',
        `${type.plural}${type.group ? `.${type.group}` : ''}${name ? ` "${name}"` : ''} is forbidden: User "system:serviceaccount:default:conformance" cannot ${verb} resource "${type.plural}" in API group "${type.group}" ${scope}`,
        { kind: type.plural, group: type.group }));
    }
    if (method === 'POST') {
      if (!namespace || name) return send(response, 405, status(405, 'MethodNotAllowed', 'create a namespaced object on its collection'));
      return void readBody(request).then((body) => this.#create(type, namespace, body, response, query.dryRun === 'All'));
    }
    if (method === 'DELETE') {
      if (!name) return send(response, 405, status(405, 'MethodNotAllowed', 'delete one object by name'));
      // A pod is replaced by its controller (fault injection); other objects are simply gone.
      if (type.plural === 'pods') return void this.#deletePod(path, response);
      return this.#delete(type, namespace, name, response);
    }
    const objects = this.snapshot.objects
      .filter((o) => o.kind === type.kind && groupOf(o.apiVersion) === type.group && (!namespace || o.metadata.namespace === namespace))
      .map((o) => (type.kind === 'Secret' ? withoutSecretData(o) : o));
    if (name) {
      const found = objects.find((o) => o.metadata.name === name);
      if (!found) return send(response, 404, status(404, 'NotFound', `${type.plural}${type.group ? `.${type.group}` : ''} "${name}" not found`, { name, kind: type.plural, group: type.group }));
      return send(response, 200, accept.includes('as=Table') ? table(type, [found], undefined) : found);
    }
    const selected = objects.filter((o) => matchesLabels(o, query.labelSelector) && matchesFields(o, query.fieldSelector)).sort(byKey);
    const offset = query.continue ? decodeContinue(query.continue) : 0;
    if (offset === undefined) return send(response, 410, status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'));
    const asked = query.limit ? Number(query.limit) : Infinity;
    const size = Math.min(asked > 0 ? asked : Infinity, this.#options.maxPageSize ?? Infinity);
    const page = selected.slice(offset, offset + size);
    const next = offset + page.length < selected.length ? encodeContinue(offset + page.length) : undefined;
    if (accept.includes('as=Table')) return send(response, 200, table(type, page, next));
    if (accept.includes('as=PartialObjectMetadataList')) {
      return send(response, 200, {
        kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '1', ...(next ? { continue: next } : {}) },
        items: page.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata })),
      });
    }
    return send(response, 200, {
      kind: `${type.kind}List`, apiVersion: type.group ? `${type.group}/${type.version}` : type.version,
      metadata: { resourceVersion: '1', ...(next ? { continue: next } : {}) },
      items: page.map((o) => ({ ...o })),
    });
  }

  // ── Pods deleted and replaced (fault injection) ─────────────────────────────────────────────
  // A DELETE of a pod removes it at once (as gracePeriodSeconds 0 does) and, where a controller owns
  // it, puts its replacement in its place, not Ready: the test says when it is (`markPodReady`),
  // typically once whatever the pod stands for has been started again. No timer decides anything.

  /** false: the role may not delete pods, answered 403 with the API server's wording. */
  podDeletesAllowed = true;
  /** What the pod hooks threw. */
  readonly hookErrors: unknown[] = [];
  /** Pods deleted so far, as they were. */
  readonly deletedPods: KubeObject[] = [];
  /** Awaited before the delete is answered: the pod is gone when the API says so (a test stops what the pod stood for here). */
  onPodDeleted: ((pod: KubeObject) => void | Promise<void>) | undefined;
  /** Called once the delete is answered, with the controller's replacement (a test starts what it stands for, then `markPodReady`). */
  onPodReplaced: ((replacement: KubeObject, deleted: KubeObject) => void) | undefined;

  /** The replacement (or any pod) becomes Running and Ready now, as its readiness probe passing would make it. */
  markPodReady(namespace: string, name: string): void {
    const pod = this.snapshot.objects.find((o) => o.kind === 'Pod' && o.metadata.namespace === namespace && o.metadata.name === name);
    if (!pod) throw new Error(`no pod ${namespace}/${name} to mark Ready`);
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const containers = ((pod.spec as { containers?: Array<{ name: string; image: string }> }).containers ?? []);
    pod.status = {
      phase: 'Running', startTime: now,
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }],
      containerStatuses: containers.map((c) => ({ name: c.name, image: c.image, imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: now } } })),
    };
  }

  async #deletePod(path: string, response: ServerResponse): Promise<void> {
    const route = this.#route(path);
    if (!route || 'resources' in route || route.type.plural !== 'pods' || !route.namespace || !route.name) {
      return send(response, 405, status(405, 'MethodNotAllowed', 'the fake Kubernetes API deletes pods only'));
    }
    const { namespace, name } = route;
    if (!this.podDeletesAllowed) {
      return send(response, 403, status(403, 'Forbidden',
        `pods "${name}" is forbidden: User "system:serviceaccount:default:conformance" cannot delete resource "pods" in API group "" in the namespace "${namespace}"`,
        { name, kind: 'pods' }));
    }
    const objects = this.snapshot.objects;
    const index = objects.findIndex((o) => o.kind === 'Pod' && o.metadata.namespace === namespace && o.metadata.name === name);
    if (index < 0) return send(response, 404, status(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }));
    const [pod] = objects.splice(index, 1) as [KubeObject];
    this.deletedPods.push(pod);
    const replacement = replacementOf(pod);
    // A hook that fails is the test's problem, kept for it to assert on; the API answers all the same.
    await Promise.resolve(this.onPodDeleted?.(pod)).catch((error: unknown) => { this.hookErrors.push(error); });
    if (replacement) objects.push(replacement);
    send(response, 200, pod);
    if (replacement) {
      try {
        this.onPodReplaced?.(replacement, pod);
      } catch (error) {
        this.hookErrors.push(error);
      }
    }
  }

  // ── Port-forwards: the pods/portforward WebSocket subresource ────────────────────────────────
  //
  // As the API server and kubelet serve it to @kubernetes/client-node's PortForward (v4.channel.k8s.io):
  // one WebSocket per forwarded connection, `?ports=P`; channel 0 carries data, channel 1 errors, each
  // frame's first byte the channel, and each channel's first frame from the server the port
  // (uint16, little-endian). The pod's port is wherever the test says it listens (`servePodPort`):
  // nothing there, and the error channel says the connection was refused, as the kubelet does.
  // RBAC: `forbidden` with "pods/portforward" answers the upgrade 403; a pod not there, 404.

  readonly #portForwardSockets = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered: Set<string>) => (offered.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false),
  });
  readonly #podPorts = new Map<string, { host: string; port: number }>();
  readonly #openForwards = new Set<WebSocket>();
  /** Every port-forward asked for: pod, port, and whether it was let through. */
  readonly portForwards: Array<{ namespace: string; pod: string; port: number; status: number }> = [];

  /** Says where a pod's port is served (a TCP server the test runs): a forward to it reaches there. */
  servePodPort(namespace: string, pod: string, port: number, target: { host: string; port: number }): void {
    this.#podPorts.set(`${namespace}/${pod}:${port}`, target);
  }

  /** Closes every open port-forward stream, as an API server restarting or a proxy timing out does. */
  cutPortForwards(): void {
    for (const ws of this.#openForwards) ws.close(1001, 'going away');
    this.#openForwards.clear();
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'https://fake');
    const refuse = (code: number, reason: string, body: unknown) => {
      const text = JSON.stringify(body);
      socket.end(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    };
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/.exec(url.pathname);
    this.requests.push({ method: 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), accept: request.headers.accept ?? '', authorization: request.headers.authorization });
    if (!match) return refuse(404, 'Not Found', status(404, 'NotFound', 'the server could not find the requested resource'));
    const [, namespace, pod] = match as unknown as [string, string, string];
    const port = Number(url.searchParams.get('ports'));
    const record = (code: number) => this.portForwards.push({ namespace, pod, port, status: code });
    if (this.#options.token !== undefined && request.headers.authorization !== `Bearer ${this.#options.token}`) {
      record(401);
      return refuse(401, 'Unauthorized', status(401, 'Unauthorized', 'Unauthorized'));
    }
    const forbidden = this.#options.forbidden ?? [];
    if (forbidden.includes('*') || forbidden.includes('pods/portforward')) {
      record(403);
      return refuse(403, 'Forbidden', status(403, 'Forbidden',
        `pods "${pod}" is forbidden: User "system:serviceaccount:default:conformance" cannot create resource "pods/portforward" in API group "" in the namespace "${namespace}"`,
        { name: pod, kind: 'pods' }));
    }
    if (!this.objectsOf('Pod', namespace).some((p) => p.metadata.name === pod)) {
      record(404);
      return refuse(404, 'Not Found', status(404, 'NotFound', `pods "${pod}" not found`, { name: pod, kind: 'pods' }));
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      record(400);
      return refuse(400, 'Bad Request', status(400, 'BadRequest', `invalid port "${url.searchParams.get('ports') ?? ''}"`));
    }
    record(101);
    this.#portForwardSockets.handleUpgrade(request, socket, head, (ws) => this.#forward(ws, namespace, pod, port));
  }

  #forward(ws: WebSocket, namespace: string, pod: string, port: number): void {
    this.#openForwards.add(ws);
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16LE(port);
    const frame = (channel: number, data: Buffer) => Buffer.concat([Buffer.from([channel]), data]);
    ws.send(frame(0, prefix));
    ws.send(frame(1, prefix));
    const target = this.#podPorts.get(`${namespace}/${pod}:${port}`);
    const failed = (why: string) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(frame(1, Buffer.from(`an error occurred forwarding ${port} -> ${port}: error forwarding port ${port} to pod ${pod}, uid : ${why}`)));
      ws.close(1000);
    };
    if (!target) return failed(`dial tcp 127.0.0.1:${port}: connect: connection refused`);
    const tcp = connectTcp(target.port, target.host);
    const pending: Buffer[] = [];
    tcp.on('connect', () => { for (const chunk of pending.splice(0)) tcp.write(chunk); });
    tcp.on('data', (chunk: Buffer) => { if (ws.readyState === ws.OPEN) ws.send(frame(0, chunk)); });
    tcp.on('error', (error: NodeJS.ErrnoException) => failed(`dial tcp ${target.host}:${target.port}: ${error.code ?? error.message}`));
    tcp.on('end', () => ws.close(1000));
    ws.on('message', (data: Buffer) => {
      // The client's frames carry the channel too; it writes data on channel 0 only.
      if (data[0] !== 0 || data.length < 2) return;
      if (tcp.connecting) pending.push(data.subarray(1));
      else tcp.write(data.subarray(1));
    });
    ws.on('close', () => { this.#openForwards.delete(ws); tcp.end(); });
    ws.on('error', () => tcp.destroy());
  }

  // ── What the k6-operator runner makes: creates, deletes, pod logs ───────────────────────────

  /** Objects of a kind (and namespace) as they are now. */
  objectsOf(kind: string, namespace?: string): KubeObject[] {
    return this.snapshot.objects.filter((o) => o.kind === kind && (!namespace || o.metadata.namespace === namespace));
  }

  /** Adds an object as a controller would (a runner pod of a TestRun). */
  addObject(object: KubeObject): KubeObject {
    this.snapshot.objects.push(object);
    return object;
  }

  /** Lines the pod's container writes: served to every reader, followers at once. */
  appendLog(namespace: string, pod: string, lines: readonly string[]): void {
    const log = this.#log(namespace, pod);
    const stamped = lines.map((text) => ({ at: this.#stamp(), text }));
    log.lines.push(...stamped);
    for (const [follower, timestamps] of log.followers) follower.write(stamped.map((l) => logLine(l, timestamps)).join(''));
  }

  /** Ends every follow stream of the pod's log while its container still runs, as an API server or a proxy closing a long connection does. */
  cutLog(namespace: string, pod: string): void {
    const log = this.#log(namespace, pod);
    for (const [follower] of log.followers) follower.end();
    log.followers.clear();
  }

  /** Strictly increasing stamps within and across milliseconds, in the kubelet's RFC3339Nano form. */
  #stamp(): string {
    const ms = Math.max(Date.now(), this.#lastStampMs);
    this.#stampSeq = ms === this.#lastStampMs ? this.#stampSeq + 1 : 0;
    this.#lastStampMs = ms;
    const nanos = String(this.#stampSeq * 1000).padStart(6, '0');
    return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_, milli: string) => `.${`${milli}${nanos}`.replace(/0+$/, '')}Z`).replace('.Z', 'Z');
  }

  /** The container stopped: followers' streams end. */
  endLog(namespace: string, pod: string): void {
    const log = this.#log(namespace, pod);
    log.ended = true;
    for (const [follower] of log.followers) follower.end();
    log.followers.clear();
  }

  #log(namespace: string, pod: string): PodLog {
    const key = `${namespace}/${pod}`;
    let log = this.#logs.get(key);
    if (!log) this.#logs.set(key, log = { lines: [], ended: false, followers: new Map() });
    return log;
  }

  #serveLog(namespace: string, pod: string, query: Record<string, string>, response: ServerResponse): void {
    if (!this.objectsOf('Pod', namespace).some((p) => p.metadata.name === pod)) {
      return send(response, 404, status(404, 'NotFound', `pods "${pod}" not found`, { name: pod, kind: 'pods' }));
    }
    const log = this.#log(namespace, pod);
    const timestamps = query.timestamps === 'true';
    // sinceTime is whole seconds (metav1.Time): every line of that second and after.
    const since = query.sinceTime ? query.sinceTime.replace(/Z$/, '') : undefined;
    const from = since ? log.lines.filter((l) => l.at.slice(0, 19) >= since) : log.lines;
    const tail = query.tailLines ? from.slice(-Number(query.tailLines)) : from;
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.write(tail.map((l) => logLine(l, timestamps)).join(''));
    if (query.follow !== 'true' || log.ended) return void response.end();
    log.followers.set(response, timestamps);
    response.on('close', () => log.followers.delete(response));
  }

  #create(type: ResourceType, namespace: string, body: unknown, response: ServerResponse, dryRun = false): void {
    const object = body as KubeObject | undefined;
    if (!object?.metadata?.name) return send(response, 422, status(422, 'Invalid', `${type.kind} is invalid: metadata.name: Required value`));
    if (this.objectsOf(type.kind, namespace).some((o) => o.metadata.name === object.metadata.name && groupOf(o.apiVersion) === type.group)) {
      return send(response, 409, status(409, 'AlreadyExists', `${type.plural}${type.group ? `.${type.group}` : ''} "${object.metadata.name}" already exists`, { name: object.metadata.name, kind: type.plural }));
    }
    const stored: KubeObject = {
      ...object,
      metadata: { ...object.metadata, namespace, uid: randomUUID(), resourceVersion: '1', creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') },
    };
    // As the API server does: stringData is written into data (and data is never served back here).
    if (type.kind === 'Secret' && stored.stringData) {
      stored.data = Object.fromEntries(Object.entries(stored.stringData as Record<string, string>).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
      delete stored.stringData;
    }
    // dryRun=All: checked (RBAC above, names here), answered as created, never stored.
    if (!dryRun) this.snapshot.objects.push(stored);
    send(response, 201, type.kind === 'Secret' ? withoutSecretData(stored) : stored);
  }

  #delete(type: ResourceType, namespace: string | undefined, name: string, response: ServerResponse): void {
    const index = this.snapshot.objects.findIndex((o) => o.kind === type.kind && groupOf(o.apiVersion) === type.group && o.metadata.name === name && (!namespace || o.metadata.namespace === namespace));
    if (index < 0) return send(response, 404, status(404, 'NotFound', `${type.plural}${type.group ? `.${type.group}` : ''} "${name}" not found`, { name, kind: type.plural, group: type.group }));
    this.snapshot.objects.splice(index, 1);
    // Owner references, as the garbage collector follows them: a TestRun's pods (through its Jobs) go with it.
    if (type.kind === 'TestRun') {
      for (let i = this.snapshot.objects.length - 1; i >= 0; i -= 1) {
        const o = this.snapshot.objects[i]!;
        if (o.kind === 'Pod' && o.metadata.namespace === namespace && o.metadata.labels?.k6_cr === name) {
          this.snapshot.objects.splice(i, 1);
          if (namespace) this.endLog(namespace, o.metadata.name);
        }
      }
    }
    send(response, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, kind: type.plural, group: type.group } });
  }

  #groupList() {
    const groups = new Map<string, Set<string>>();
    for (const type of this.#types) if (type.group) groups.set(type.group, (groups.get(type.group) ?? new Set()).add(type.version));
    return {
      kind: 'APIGroupList', apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => {
        const list = [...versions].map((version) => ({ groupVersion: `${name}/${version}`, version }));
        return { name, versions: list, preferredVersion: list[0] };
      }),
    };
  }

  /** `/api/v1[/namespaces/NS]/PLURAL[/NAME]` and `/apis/GROUP/VERSION[…]`, or a group version's resource list. */
  #route(path: string): { resources: unknown } | { type: ResourceType; namespace?: string; name?: string } | undefined {
    const parts = path.split('/').filter(Boolean);
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api') [group, version, rest] = ['', parts[1] ?? '', parts.slice(2)];
    else if (parts[0] === 'apis') [group, version, rest] = [parts[1] ?? '', parts[2] ?? '', parts.slice(3)];
    else return undefined;
    const types = this.#types.filter((t) => t.group === group && t.version === version);
    if (types.length === 0) return undefined;
    if (rest.length === 0) {
      return {
        resources: {
          kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version,
          resources: types.map((t) => ({ name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: VERBS, ...(t.shortNames.length ? { shortNames: t.shortNames } : {}) })),
        },
      };
    }
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const type = types.find((t) => t.plural === rest[0]);
    if (!type || rest.length > 2 || (namespace && !type.namespaced)) return undefined;
    return { type, ...(namespace ? { namespace } : {}), ...(rest[1] ? { name: rest[1] } : {}) };
  }
}

/**
 * What a pod's controller creates when it is deleted: a StatefulSet the same name, a ReplicaSet or
 * DaemonSet a new one; a new uid, Pending and not Ready. A pod nothing owns is not replaced.
 */
function replacementOf(pod: KubeObject): KubeObject | undefined {
  const owner = (pod.metadata.ownerReferences as Array<{ kind: string; name: string; controller?: boolean }> | undefined)?.find((o) => o.controller);
  if (!owner) return undefined;
  const suffix = Array.from(randomBytes(5), (byte) => 'bcdfghjklmnpqrstvwxz2456789'[byte % 27]).join('');
  const name = owner.kind === 'StatefulSet' ? pod.metadata.name : `${owner.name}-${suffix}`;
  const copy = structuredClone(pod);
  const { deletionTimestamp: _deleting, ...metadata } = copy.metadata;
  return {
    ...copy,
    metadata: { ...metadata, name, uid: randomUUID(), resourceVersion: String(Date.now()), creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') },
    status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }] },
  };
}

export async function readClusterFixture(name: string): Promise<ClusterSnapshot> {
  return JSON.parse(await readFile(join(ROOT, 'fixtures', 'clusters', `${name}.json`), 'utf8')) as ClusterSnapshot;
}

/** The certificate the fake serves, which is its own authority (PEM). */
export async function testCertificateAuthority(): Promise<string> {
  return readFile(join(ROOT, 'fixtures', 'tls', 'hub-test-only.crt'), 'utf8');
}

/** A kubeconfig in kubectl's format: one cluster, one user with a bearer token, one context. */
export function kubeconfigFor(server: string, options: { token?: string; context?: string; namespace?: string; clientKeyData?: string; certificateAuthority?: string } = {}): string {
  const context = options.context ?? 'fake';
  const user: Record<string, string> = {};
  if (options.token) user.token = options.token;
  if (options.clientKeyData) user['client-key-data'] = options.clientKeyData;
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': context, preferences: {},
    clusters: [{ name: `${context}-cluster`, cluster: { server, ...(options.certificateAuthority ? { 'certificate-authority-data': Buffer.from(options.certificateAuthority).toString('base64') } : {}) } }],
    users: [{ name: `${context}-user`, user }],
    contexts: [{ name: context, context: { cluster: `${context}-cluster`, user: `${context}-user`, ...(options.namespace ? { namespace: options.namespace } : {}) } }],
  }, null, 2);
}

/** Resource types the snapshot's CustomResourceDefinitions declare (served versions). */
function customTypes(objects: readonly KubeObject[]): ResourceType[] {
  return objects.filter((o) => o.kind === 'CustomResourceDefinition').flatMap((crd) => {
    const spec = crd.spec as { group: string; scope: string; names: { plural: string; singular?: string; kind: string; shortNames?: string[] }; versions: Array<{ name: string; served: boolean }> };
    return spec.versions.filter((v) => v.served).map((v) => ({
      group: spec.group, version: v.name, plural: spec.names.plural, singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
      kind: spec.names.kind, namespaced: spec.scope === 'Namespaced', shortNames: spec.names.shortNames ?? [],
    }));
  });
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Every timestamp of the snapshot moved by `deltaMs` (status times, creation times). */
function shiftTimes(value: unknown, deltaMs: number): unknown {
  if (typeof value === 'string' && ISO_TIME.test(value)) return new Date(Date.parse(value) + deltaMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (Array.isArray(value)) return value.map((v) => shiftTimes(v, deltaMs));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftTimes(v, deltaMs)]));
  return value;
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
}

function withoutSecretData(secret: KubeObject): KubeObject {
  const { data: _data, stringData: _stringData, ...rest } = secret;
  return rest as KubeObject;
}

function byKey(a: KubeObject, b: KubeObject): number {
  return `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`);
}

/** Equality selectors only (`a=b,c!=d`, `a==b`), which is what the tool and these tests use. */
function matchesLabels(object: KubeObject, selector: string | undefined): boolean {
  return matchesSelector(selector, (key) => object.metadata.labels?.[key]);
}

function matchesFields(object: KubeObject, selector: string | undefined): boolean {
  return matchesSelector(selector, (key) => {
    const value = key.split('.').reduce<unknown>((at, part) => (at as Record<string, unknown> | undefined)?.[part], object);
    return value === undefined ? undefined : String(value);
  });
}

function matchesSelector(selector: string | undefined, read: (key: string) => string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const negated = term.match(/^([^!=]+)!=(.*)$/);
    if (negated) return read(negated[1]!.trim()) !== negated[2]!.trim();
    const equal = term.match(/^([^=]+)==?(.*)$/);
    if (equal) return read(equal[1]!.trim()) === equal[2]!.trim();
    return read(term.trim()) !== undefined;
  });
}

function encodeContinue(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodeContinue(token: string): number | undefined {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset: unknown };
    return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}

/** kubectl's server-side printing (`Accept: …;as=Table;…`): name and age columns, each row carrying its metadata. */
function table(_type: ResourceType, objects: readonly KubeObject[], next: string | undefined) {
  return {
    kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '1', ...(next ? { continue: next } : {}) },
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name', priority: 0 },
      { name: 'Age', type: 'string', format: '', description: 'CreationTimestamp', priority: 0 },
    ],
    rows: objects.map((o) => ({
      cells: [o.metadata.name, age(o.metadata.creationTimestamp)],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}

function age(created: string | undefined): string {
  if (!created) return '<unknown>';
  const days = Math.floor((Date.now() - Date.parse(created)) / 86_400_000);
  return `${Math.max(days, 0)}d`;
}

function status(code: number, reason: string, message: string, details?: Record<string, string>) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

function logLine(line: { at: string; text: string }, timestamps: boolean): string {
  return `${timestamps ? `${line.at} ` : ''}${line.text}\n`;
}

function readBody(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        resolve(undefined);
      }
    });
  });
}

function send(response: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}
