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
  orchestrator: 'docker-compose' | 'kubernetes';
  nodes: NodeInfo[];
  components: DeployedComponent[];
  helmReleases: HelmRelease[];
  /** Compose profiles the project was started with. */
  composeProfiles?: string[];
  /** Other resources by kind: Ingress, NetworkPolicy, Schedule (velero), Application (argocd), … */
  resources: Array<{ kind: string; name: string; namespace?: string; labels?: Record<string, string>; status?: string }>;
  /** Settings read from config objects: `kafka.replicationFactor`, `kafka.retentionHours`, … */
  settings: Record<string, number | string>;
  /** Measured at rest, when the environment can read it. */
  usage?: { memoryBytes: number; cpuCores: number };
}
