/**
 * What a deployment consists of, as read from its orchestrator — docker compose through the
 * Docker API, Kubernetes through its API. Inventory checks are written against this model only,
 * so each environment kind just has to fill it in.
 */
export type Health = 'healthy' | 'unhealthy' | 'starting' | 'completed' | 'failed' | 'unknown';

export interface DeployedComponent {
  /** Compose service or Kubernetes workload name. */
  name: string;
  kind: 'container' | 'deployment' | 'statefulset' | 'daemonset' | 'job' | 'cronjob' | 'pod';
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
  /** Per-container security settings (Kubernetes securityContext). */
  containers?: Array<{ name: string; runAsNonRoot?: boolean; runAsUser?: number; readOnlyRootFilesystem?: boolean; privileged?: boolean }>;
  /** Persistent volume claims the component mounts, with their phase. */
  volumes?: Array<{ claim: string; phase: 'Bound' | 'Pending' | 'Lost' }>;
  /** For CronJobs: when it is meant to run, and when it last ran and last succeeded (ISO times). */
  schedule?: { cron: string; suspended?: boolean; lastScheduleTime?: string; lastSuccessfulTime?: string };
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
  /** When it was read (ISO time): "ran within its schedule" is judged against it. */
  readAt?: string;
  orchestrator: 'docker-compose' | 'kubernetes';
  nodes: NodeInfo[];
  components: DeployedComponent[];
  helmReleases: HelmRelease[];
  /** Compose profiles the project was started with. */
  composeProfiles?: string[];
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
