/**
 * What a deployment consists of, as read from its orchestrator — docker compose through the
 * Docker API, Kubernetes through its API. Inventory checks are written against this model only,
 * so each environment kind just has to fill it in.
 */
export type Health = 'healthy' | 'unhealthy' | 'starting' | 'completed' | 'failed' | 'unknown';

export interface DeployedComponent {
  /** Compose service or Kubernetes workload name. */
  name: string;
  /** `service`: a compose service as its definition declares it (nothing observed running). */
  kind: 'service' | 'container' | 'deployment' | 'statefulset' | 'daemonset' | 'job' | 'cronjob' | 'pod';
  /** The file that declares it, where the inventory was read from definitions (e.g. `docker-compose.yml`). */
  definedIn?: string;
  namespace?: string;
  images: string[];
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  health: Health;
  replicas?: { desired: number; ready: number };
  /** For jobs and one-shot containers. */
  exitCode?: number;
  /** Ports published outside the deployment (compose host ports, NodePorts). */
  publishedPorts?: number[];
  /** The same ports in detail: host port (absent: ephemeral, chosen at start), container port, whether the definition declares it, whether a connection from the host succeeded. */
  ports?: PublishedPort[];
  /** The health check the definition declares, as one command line. */
  healthcheck?: string;
  /** Compose profiles that start it (none: always started). */
  profiles?: string[];
  networks?: string[];
  /** Bind mounts, named volumes and tmpfs (compose); the `volumes` field below is Kubernetes claims. */
  mounts?: Array<{ type: string; source?: string; target: string; readOnly: boolean }>;
  restartPolicy?: string;
  /** Files kept with the run's results: a job's reports, the logs of a component that failed. */
  artifacts?: string[];
  /** Memory and CPU in use, where the runtime reports it. */
  usage?: { memoryBytes: number; cpuCores: number };
  /** Per-container security settings (Kubernetes securityContext). */
  containers?: Array<{ name: string; runAsNonRoot?: boolean; runAsUser?: number; readOnlyRootFilesystem?: boolean; privileged?: boolean }>;
  /** Persistent volume claims the component mounts, with their phase. */
  volumes?: Array<{ claim: string; phase: 'Bound' | 'Pending' | 'Lost' }>;
}

export interface PublishedPort {
  host?: number;
  container: number;
  hostIp?: string;
  /** Declared in the deployment's definition (its documentation of what it publishes). */
  declared?: boolean;
  /** A TCP connection from the host succeeded; absent when not tried (no running deployment). */
  reachable?: boolean;
}

export interface NodeInfo {
  name: string;
  labels: Record<string, string>;
  kubeletVersion?: string;
  providerId?: string;
}

export interface HelmRelease {
  name: string;
  namespace: string;
  chart: string;
  status: string;
}

export interface DeploymentInventory {
  /** Where this was read, e.g. "Kubernetes API https://10.0.0.1:6443 (context prod)". No credentials. */
  source: string;
  /**
   * `definition`: read from what the deployment declares (compose files), nothing observed running —
   * health, exit codes, reachability and usage are then unknown, never guessed. Default `runtime`.
   */
  observedFrom?: 'definition' | 'runtime';
  orchestrator: 'docker-compose' | 'kubernetes';
  nodes: NodeInfo[];
  components: DeployedComponent[];
  helmReleases: HelmRelease[];
  /** Compose profiles the project was started with (or, from a definition, selected). */
  composeProfiles?: string[];
  /** Every profile the compose definition offers to choose from. */
  declaredProfiles?: string[];
  /** Networks and named volumes of the project. */
  networks?: string[];
  volumes?: string[];
  /** Other resources by kind: Ingress, NetworkPolicy, Schedule (velero), Application (argocd), … */
  resources: Array<{ kind: string; name: string; namespace?: string; labels?: Record<string, string>; status?: string }>;
  /** Settings read from config objects: `kafka.replicationFactor`, `kafka.retentionHours`, … */
  settings: Record<string, number | string>;
  /** Measured at rest, when the environment can read it. */
  usage?: { memoryBytes: number; cpuCores: number };
}
