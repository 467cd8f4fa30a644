import { createServer, type Server, type Socket } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { CoreV1Api, PortForward, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { EnvironmentUnavailableError } from '../../config/errors.ts';
import { kubernetesFailure, type ClusterIdentity } from './kubernetes-errors.ts';

/** A Service port of the hub to reach from this machine (`kubernetes.portForward.fspiop`, `.admin`). */
export interface ForwardSpec {
  service: string;
  port: number;
  namespace?: string | undefined;
}

export interface PortForwardOptions {
  cluster: ClusterIdentity;
  requestTimeoutMs: number;
  /** Where a Service is looked for when its spec names no namespace. */
  defaultNamespace: string;
  /** What the forward is for, in the lines a person reads: "the hub's FSPIOP API" (and the config path it came from). */
  purpose: string;
  configPath: string;
}

/** What this module needs of the stream PortForward opens (a `ws` WebSocket in Node). */
interface ForwardStream {
  close(): void;
  on(event: 'close', listener: () => void): unknown;
}

/** The pod behind a Service port, and the port on the pod it forwards to. */
interface PodTarget {
  pod: string;
  port: number;
}

/**
 * A Service port of the cluster reached from here, as `kubectl port-forward svc/NAME PORT` does:
 * a TCP listener on 127.0.0.1, each connection streamed over its own WebSocket
 * (`pods/portforward`, @kubernetes/client-node's PortForward) to a Ready pod the Service selects.
 * The pod is chosen at open and chosen again when it stops answering (a pod deleted by a fault is
 * replaced by its controller). A connection the cluster refuses or cuts is closed on our side too,
 * so the client sees it end rather than hang; what the error channel said is kept for the notes.
 */
export class ServicePortForward {
  readonly #kc: KubeConfig;
  readonly #spec: Required<ForwardSpec>;
  readonly #options: PortForwardOptions;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #errors: string[] = [];
  #target: PodTarget;
  #localPort = 0;

  private constructor(kc: KubeConfig, spec: Required<ForwardSpec>, options: PortForwardOptions, target: PodTarget) {
    this.#kc = kc;
    this.#spec = spec;
    this.#options = options;
    this.#target = target;
    this.#server = createServer((socket) => this.#connect(socket));
  }

  /** Finds the pod, proves the API lets us forward to it (one stream opened and closed), then listens. */
  static async open(kc: KubeConfig, spec: ForwardSpec, options: PortForwardOptions): Promise<ServicePortForward> {
    const full = { ...spec, namespace: spec.namespace ?? options.defaultNamespace };
    const target = await resolveTarget(kc, full, options);
    const forward = new ServicePortForward(kc, full, options, target);
    await forward.#probe();
    await new Promise<void>((resolve, reject) => {
      forward.#server.once('error', reject);
      forward.#server.listen(0, '127.0.0.1', () => resolve());
    });
    forward.#localPort = (forward.#server.address() as { port: number }).port;
    return forward;
  }

  /** Where the Service is reached from here. */
  get url(): string {
    return `http://127.0.0.1:${this.#localPort}`;
  }

  /** One line for the run's notes: what is forwarded where, and what went wrong on the way. */
  describe(): string {
    const { namespace, service, port } = this.#spec;
    const errors = this.#errors.length > 0 ? `; the cluster reported ${this.#errors.length} failed connection${this.#errors.length === 1 ? '' : 's'}, the last: ${this.#errors.at(-1)}` : '';
    return `${this.#options.purpose} through a port-forward: ${this.url} → Service ${namespace}/${service} port ${port} → pod ${namespace}/${this.#target.pod} port ${this.#target.port} (the Kubernetes API at ${this.#options.cluster.server}, pods/portforward)${errors}`;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Opens one stream to the pod's port and closes it: RBAC and the pod are checked before any guarantee runs. */
  async #probe(): Promise<void> {
    const input = new PassThrough();
    const ws = await this.#stream(this.#target, new PassThrough(), new PassThrough(), input).catch((error: unknown) => {
      throw this.#failure(error, this.#target);
    });
    input.end();
    ws.close();
  }

  /** A WebSocket to the pod's port, carrying `input` there and its answers to `output`; bounded by the request budget. */
  #stream(target: PodTarget, output: Writable, errors: Writable, input: PassThrough | Socket): Promise<ForwardStream> {
    const { namespace } = this.#spec;
    const opening = new PortForward(this.#kc, true).portForward(namespace, target.pod, [target.port], output, errors, input) as unknown as Promise<ForwardStream>;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // A stream that opens after all is closed at once: nobody reads it.
        void opening.then((ws) => ws.close(), () => undefined);
        reject(Object.assign(new Error(`no answer within ${this.#options.requestTimeoutMs} ms`), { name: 'TimeoutError' }));
      }, this.#options.requestTimeoutMs);
    });
    return Promise.race([opening, timeout]).finally(() => clearTimeout(timer));
  }

  #connect(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.#sockets.delete(socket));
    // Data the client sends before the stream is open waits in the socket (paused until the client's handler reads it).
    socket.pause();
    const errorText: Buffer[] = [];
    const errors = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        // Each channel's first frame is the port alone: the client hands it on empty.
        if (chunk.length === 0) return done();
        errorText.push(chunk);
        // The kubelet writes the error and closes; the connection is over either way.
        this.#remember(Buffer.concat(errorText).toString('utf8'));
        socket.destroy();
        done();
      },
    });
    const output = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        if (socket.destroyed) return done();
        socket.write(chunk, () => done());
      },
    });
    const attempt = async (target: PodTarget, again: boolean): Promise<void> => {
      try {
        const ws = await this.#stream(target, output, errors, socket);
        if (socket.destroyed) return void ws.close();
        ws.on('close', () => socket.end());
        socket.on('close', () => ws.close());
        socket.resume();
      } catch (error) {
        // The pod may have gone (a fault deleted it): choose again once — a StatefulSet's replacement has the same name — then give up on this connection.
        if (again) {
          const next = await resolveTarget(this.#kc, this.#spec, this.#options).catch(() => undefined);
          if (next) {
            this.#target = next;
            return attempt(next, false);
          }
        }
        this.#remember(this.#failure(error, target).message);
        socket.destroy();
      }
    };
    void attempt(this.#target, true);
  }

  #remember(line: string): void {
    this.#errors.push(line.split('\n')[0]!.trim());
    if (this.#errors.length > 20) this.#errors.shift();
  }

  /** The stream refused, as one line: the WebSocket client gives only the status, so the line says what each one means. */
  #failure(error: unknown, target: PodTarget): EnvironmentUnavailableError {
    const { namespace, service, port } = this.#spec;
    const at = `the Kubernetes API at ${this.#options.cluster.server} (context ${this.#options.cluster.context})`;
    const what = `pod ${namespace}/${target.pod} port ${target.port} (behind Service ${namespace}/${service} port ${port}, ${this.#options.configPath})`;
    // The WebSocket client rejects with its error event, not an Error: its message is all there is.
    const message = typeof (error as { message?: unknown })?.message === 'string' ? (error as { message: string }).message : String(error);
    const code = /Unexpected server response: (\d{3})/.exec(message)?.[1];
    if (code === '403') {
      return new EnvironmentUnavailableError(`${at} forbids port-forwarding to ${what} (403 Forbidden); the port-forward needs create on pods/portforward in namespace ${namespace} (docs/kubernetes.md, "Reaching the hub"): grant it, or give the hub's URL instead (--hub-url, e.g. its ingress host)`, [], { cause: error });
    }
    if (code === '404') {
      return new EnvironmentUnavailableError(`${at} has no ${what} to port-forward to (404 Not Found: the pod is gone); rerun once the Service's pods are running (kubectl -n ${namespace} get pods)`, [], { cause: error });
    }
    if (code) return kubernetesFailure(Object.assign(new Error(message), { code: Number(code), body: '' }), this.#options.cluster, `pods/portforward of ${what}`);
    return kubernetesFailure(error, this.#options.cluster, `pods/portforward of ${what}`);
  }
}

/** The Service's port, the Ready pods it selects (the first by name), and the pod port behind it (a named targetPort looked up in the pod). */
async function resolveTarget(kc: KubeConfig, spec: Required<ForwardSpec>, options: PortForwardOptions): Promise<PodTarget> {
  const core = kc.makeApiClient(CoreV1Api);
  const { namespace, service: name, port } = spec;
  const subject = `Service ${namespace}/${name}`;
  const service = await withBudget(core.readNamespacedService({ name, namespace }), options).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 404) {
      throw new EnvironmentUnavailableError(`no ${subject} in the cluster at ${options.cluster.server} (context ${options.cluster.context}) to reach ${options.purpose} through; name the hub's Service in ${options.configPath} (kubectl -n ${namespace} get services), or give its URL (--hub-url)`, [], { cause: error });
    }
    throw kubernetesFailure(error, options.cluster, subject);
  });
  const servicePort = service.spec?.ports?.find((p) => p.port === port);
  if (!servicePort) {
    const ports = (service.spec?.ports ?? []).map((p) => p.port).join(', ') || 'none';
    throw new EnvironmentUnavailableError(`${subject} has no port ${port} (its ports: ${ports}); set ${options.configPath}.port to one of them`);
  }
  const selector = service.spec?.selector ?? {};
  if (Object.keys(selector).length === 0) {
    throw new EnvironmentUnavailableError(`${subject} selects no pods (no selector: its endpoints are managed by hand), so there is no pod to port-forward to; give the hub's URL instead (--hub-url)`);
  }
  const labelSelector = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
  const pods = await withBudget(core.listNamespacedPod({ namespace, labelSelector }), options).catch((error: unknown) => {
    throw kubernetesFailure(error, options.cluster, `pods of ${subject}`);
  });
  const ready = pods.items.filter(isReady).sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!));
  const pod = ready[0];
  if (!pod) {
    throw new EnvironmentUnavailableError(`no Ready pod behind ${subject} (selector ${labelSelector}: ${pods.items.length} pod${pods.items.length === 1 ? '' : 's'}, none Ready) to port-forward to; wait for the hub to be ready (kubectl -n ${namespace} get pods -l ${labelSelector})`);
  }
  const targetPort = servicePort.targetPort ?? port;
  const podPort = typeof targetPort === 'number' ? targetPort
    : /^\d+$/.test(targetPort) ? Number(targetPort)
      : pod.spec?.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === targetPort)?.containerPort;
  if (podPort === undefined) {
    throw new EnvironmentUnavailableError(`${subject} port ${port} targets the pod port named "${targetPort}", which pod ${namespace}/${pod.metadata!.name} does not declare`);
  }
  return { pod: pod.metadata!.name!, port: podPort };
}

function isReady(pod: V1Pod): boolean {
  return pod.status?.phase === 'Running' && (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** A request to the API server within the run's budget: a server that never answers fails the start, never hangs it. */
function withBudget<T>(work: Promise<T>, options: PortForwardOptions): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${options.requestTimeoutMs} ms`), { name: 'TimeoutError' })), options.requestTimeoutMs);
    }),
  ]);
}
