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
  /** For CronJobs: when it is meant to run, and when it last ran and last succeeded (ISO times). */
  schedule?: { cron: string; suspended?: boolean; lastScheduleTime?: string; lastSuccessfulTime?: string };
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
  /** What the node offers (Kubernetes node capacity). */
  capacity?: { cpuCores: number; memoryBytes: number };
}

/** A resource other than a workload: Ingress, NetworkPolicy, Schedule (velero), Application (argocd), … */
export interface InventoryResource {
  kind: string;
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  status?: string;
  /** The fields a guarantee reads, e.g. an Application's `destination`, a backup Schedule's `ttl`. */
  details?: Record<string, string>;
}

export interface ServiceInfo {
  name: string;
  namespace?: string;
  /** ClusterIP, NodePort, LoadBalancer, ExternalName. */
  type: string;
  ports: number[];
  nodePorts: number[];
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
  /** When it was read (ISO time): "ran within its schedule" is judged against it. */
  readAt?: string;
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
  resources: InventoryResource[];
  services?: ServiceInfo[];
  /** Settings read from config objects: `kafka.replicationFactor`, `kafka.retentionHours`, … */
  settings: Record<string, number | string>;
  /** Where each setting was read, e.g. "ConfigMap default/kafka-controller-configuration (server.properties)". */
  settingSources?: Record<string, string>;
  /** What the environment could not read (e.g. "nodes": "403 Forbidden …"): checks on it are NOT EVALUATED, never judged on an empty list. */
  unreadable?: Record<string, string>;
  /** Measured at rest, when the environment can read it. */
  usage?: { memoryBytes: number; cpuCores: number };
}
