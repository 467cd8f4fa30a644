import { connect } from 'node:net';
import type Dockerode from 'dockerode';
import type { ContainerInfo, ContainerInspectInfo } from 'dockerode';
import type { DeployedComponent, DeploymentInventory, Health, PublishedPort } from '../../inventory/deployment-inventory.ts';
import type { ComposeDefinition } from './compose-definition.ts';

export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';

/** Every container of a compose project, running or not, with its inspection. */
/** The labels that say which project a container belongs to and which service it is: compose's, unless another tool groups them (the minimal core). */
export interface GroupLabels {
  project: string;
  service: string;
}
export const COMPOSE_LABELS: GroupLabels = { project: PROJECT_LABEL, service: SERVICE_LABEL };

export async function projectContainers(docker: Dockerode, project: string, labels: GroupLabels = COMPOSE_LABELS): Promise<Array<{ info: ContainerInfo; inspect: ContainerInspectInfo }>> {
  const infos = await docker.listContainers({ all: true, filters: { label: [`${labels.project}=${project}`] } });
  return Promise.all(infos.map(async (info) => ({ info, inspect: await docker.getContainer(info.Id).inspect() })));
}

export function healthOf(inspect: ContainerInspectInfo): Health {
  const state = inspect.State;
  if (state.Status === 'exited' || state.Status === 'dead') return state.ExitCode === 0 ? 'completed' : 'failed';
  if (state.Health?.Status === 'healthy') return 'healthy';
  if (state.Health?.Status === 'unhealthy') return 'unhealthy';
  if (state.Health?.Status === 'starting' || state.Status === 'created' || state.Status === 'restarting') return 'starting';
  // Running, paused, and nothing declared to say whether it is well.
  return 'unknown';
}

/** Whether a TCP connection to the port succeeds within the budget. */
export function reachable(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => { socket.destroy(); clearTimeout(timer); resolve(ok); };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Host ports a container publishes, as Docker reports them (the loopback address is tried for a wildcard binding). */
export function publishedPortsOf(inspect: ContainerInspectInfo): Array<{ host: number; container: number; hostIp: string }> {
  const ports = inspect.NetworkSettings?.Ports ?? {};
  return Object.entries(ports).flatMap(([spec, bindings]) => {
    const [container, protocol] = spec.split('/');
    if (protocol !== 'tcp' || !bindings) return [];
    return bindings.map((b) => ({ host: Number(b.HostPort), container: Number(container), hostIp: b.HostIp || '0.0.0.0' }))
      // Docker lists a wildcard binding once per address family; one is enough.
      .filter((p, i, all) => all.findIndex((q) => q.host === p.host) === i);
  });
}

function dialable(hostIp: string): string {
  return hostIp === '0.0.0.0' || hostIp === '::' || hostIp === '' ? '127.0.0.1' : hostIp;
}

/** Memory (without page cache) and CPU a container uses now, from one stats sample; undefined if it would not say in time. */
async function usageOf(docker: Dockerode, id: string, timeoutMs: number): Promise<{ memoryBytes: number; cpuCores: number } | undefined> {
  const sample = docker.getContainer(id).stats({ stream: false }) as Promise<Dockerode.ContainerStats>;
  const stats = await Promise.race([sample, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs).unref())]).catch(() => undefined);
  if (!stats?.memory_stats?.usage) return undefined;
  const cache = (stats.memory_stats.stats as Record<string, number> | undefined)?.total_inactive_file ?? (stats.memory_stats.stats as Record<string, number> | undefined)?.inactive_file ?? 0;
  const cpuDelta = stats.cpu_stats.cpu_usage.total_usage - (stats.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (stats.cpu_stats.system_cpu_usage ?? 0) - (stats.precpu_stats?.system_cpu_usage ?? 0);
  const cpus = stats.cpu_stats.online_cpus ?? stats.cpu_stats.cpu_usage.percpu_usage?.length ?? 1;
  return { memoryBytes: Math.max(0, stats.memory_stats.usage - cache), cpuCores: systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus : 0 };
}

export interface RuntimeInventoryOptions {
  project: string;
  /** e.g. "Docker engine unix:///var/run/docker.sock (20.10.24)". */
  engine: string;
  definition?: ComposeDefinition;
  profiles?: readonly string[];
  /** Budget of each stats sample. */
  statsTimeoutMs?: number;
}

/**
 * The project as the Docker engine runs it: each container with its service, image, health (or
 * exit code), published ports (declared in the definition? reachable from here?), networks,
 * mounts, restart policy and the memory and CPU it uses.
 */
export async function inventoryFromRuntime(docker: Dockerode, options: RuntimeInventoryOptions): Promise<DeploymentInventory> {
  const containers = await projectContainers(docker, options.project);
  const engineInfo = await docker.info() as { Name?: string; ServerVersion?: string; OperatingSystem?: string };
  const components = await Promise.all(containers.map(async ({ info, inspect }): Promise<DeployedComponent> => {
    const service = info.Labels[SERVICE_LABEL] ?? inspect.Name.replace(/^\//, '');
    const declared = options.definition?.services.find((s) => s.name === service);
    const ports: PublishedPort[] = await Promise.all(publishedPortsOf(inspect).map(async (p) => ({
      host: p.host, container: p.container, hostIp: p.hostIp,
      ...(options.definition ? { declared: declared?.ports.some((d) => d.target === p.container && (d.published === undefined || d.published === p.host)) ?? false } : {}),
      reachable: await reachable(dialable(p.hostIp), p.host),
    })));
    const running = inspect.State.Running && !inspect.State.Paused;
    const usage = running ? await usageOf(docker, info.Id, options.statsTimeoutMs ?? 5000) : undefined;
    const health = healthOf(inspect);
    return {
      name: service,
      kind: 'container',
      images: [inspect.Config.Image],
      labels: info.Labels,
      health,
      ...(inspect.State.Status === 'exited' ? { exitCode: inspect.State.ExitCode } : {}),
      publishedPorts: ports.map((p) => p.host!),
      ports,
      ...(inspect.Config.Healthcheck?.Test ? { healthcheck: inspect.Config.Healthcheck.Test.slice(1).join(' ') } : {}),
      networks: Object.keys(inspect.NetworkSettings?.Networks ?? {}),
      mounts: (inspect.Mounts ?? []).map((m) => ({ type: m.Type, ...(m.Name ?? m.Source ? { source: m.Name ?? m.Source } : {}), target: m.Destination, readOnly: !m.RW })),
      restartPolicy: inspect.HostConfig.RestartPolicy?.Name || 'no',
      ...(usage ? { usage } : {}),
    };
  }));
  const usages = components.flatMap((c) => (c.usage ? [c.usage] : []));
  const running = components.filter((c) => c.health !== 'completed' && c.health !== 'failed');
  return {
    source: `docker compose project ${options.project} via ${options.engine}`,
    observedFrom: 'runtime',
    orchestrator: 'docker-compose',
    nodes: [{ name: engineInfo.Name ?? 'docker host', labels: { 'docker.version': engineInfo.ServerVersion ?? 'unknown', ...(engineInfo.OperatingSystem ? { 'docker.os': engineInfo.OperatingSystem } : {}) } }],
    components,
    helmReleases: [],
    ...(options.profiles ? { composeProfiles: [...options.profiles] } : {}),
    ...(options.definition ? { declaredProfiles: options.definition.declaredProfiles } : {}),
    networks: [...new Set(components.flatMap((c) => c.networks ?? []))],
    volumes: [...new Set(components.flatMap((c) => (c.mounts ?? []).filter((m) => m.type === 'volume').map((m) => m.source ?? '')).filter(Boolean))],
    resources: [],
    settings: {},
    // Only when every running container said: a partial sum would understate the deployment.
    ...(running.length > 0 && usages.length === running.length
      ? { usage: { memoryBytes: usages.reduce((s, u) => s + u.memoryBytes, 0), cpuCores: usages.reduce((s, u) => s + u.cpuCores, 0) } }
      : {}),
  };
}
