import type Dockerode from 'dockerode';
import type { FaultInjector } from '../../load/load-runner.ts';
import { COMPOSE_LABELS, projectContainers, publishedPortsOf, type GroupLabels } from './runtime-inventory.ts';

/** Names compared without case or punctuation: "centralledger" (the features' word) finds "central-ledger". */
const normalised = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Faults on the containers of a compose project: kill, stop, pause, or cut one off its networks.
 * Each names the container it hit; a component no container matches hits nothing (undefined).
 */
export class ComposeFaults implements FaultInjector {
  readonly #docker: Dockerode;
  readonly #project: string;
  readonly #labels: GroupLabels;
  /** Network connections cut, to be restored: container id → networks. */
  readonly #cut = new Map<string, Array<{ network: string; aliases: string[] }>>();

  constructor(docker: Dockerode, project: string, labels: GroupLabels = COMPOSE_LABELS) {
    this.#docker = docker;
    this.#project = project;
    this.#labels = labels;
  }

  #service(labels: Record<string, string>): string | undefined {
    return labels[this.#labels.service];
  }

  /** The running container of a service: exact service name first, then the same name without punctuation. */
  async find(component: string): Promise<{ id: string; name: string; service: string; restartPolicy: string } | undefined> {
    const running = (await projectContainers(this.#docker, this.#project, this.#labels)).filter((c) => c.inspect.State.Running);
    const hit = running.find((c) => this.#service(c.info.Labels) === component)
      ?? running.find((c) => normalised(this.#service(c.info.Labels) ?? '') === normalised(component));
    return hit && { id: hit.info.Id, name: hit.inspect.Name.replace(/^\//, ''), service: this.#service(hit.info.Labels)!, restartPolicy: hit.inspect.HostConfig.RestartPolicy?.Name || 'no' };
  }

  /** SIGKILL to the service's container, which the run then starts again (a crash and its restart). */
  async killOne(component: string): Promise<string | undefined> {
    const target = await this.find(component);
    if (!target) return undefined;
    const container = this.#docker.getContainer(target.id);
    const before = publishedPortsOf(await container.inspect()).map((p) => p.host);
    await container.kill({ signal: 'SIGKILL' });
    // Docker never restarts a container it was told to kill, whatever its policy: the run starts it
    // again, as the policy (or an orchestrator) would after a crash. The time to serve again is the service's own.
    await container.start();
    const after = publishedPortsOf(await container.inspect()).map((p) => p.host);
    // An ephemeral host port is allocated anew at each start: whoever used the old one lost the service for good.
    const moved = before.join(',') !== after.join(',') ? `; its published ports moved from ${before.join(', ')} to ${after.join(', ')} (a harness --attach'ed to should publish fixed host ports for fault scenarios)` : '';
    return `container ${target.name} (service ${target.service}, id ${target.id.slice(0, 12)}) killed with SIGKILL and started again by the run (restart policy ${target.restartPolicy})${moved}`;
  }

  async stopOne(component: string, timeoutS = 10): Promise<string | undefined> {
    const target = await this.find(component);
    if (!target) return undefined;
    await this.#docker.getContainer(target.id).stop({ t: timeoutS });
    return `container ${target.name} (service ${target.service}, id ${target.id.slice(0, 12)}) stopped`;
  }

  async startOne(component: string): Promise<string | undefined> {
    const all = await projectContainers(this.#docker, this.#project, this.#labels);
    const hit = all.find((c) => this.#service(c.info.Labels) === component) ?? all.find((c) => normalised(this.#service(c.info.Labels) ?? '') === normalised(component));
    if (!hit) return undefined;
    await this.#docker.getContainer(hit.info.Id).start();
    return `container ${hit.inspect.Name.replace(/^\//, '')} started`;
  }

  async pauseOne(component: string): Promise<string | undefined> {
    const target = await this.find(component);
    if (!target) return undefined;
    await this.#docker.getContainer(target.id).pause();
    return `container ${target.name} (service ${target.service}, id ${target.id.slice(0, 12)}) paused`;
  }

  async unpauseOne(component: string): Promise<string | undefined> {
    const all = await projectContainers(this.#docker, this.#project, this.#labels);
    const hit = all.find((c) => this.#service(c.info.Labels) === component && c.inspect.State.Paused);
    if (!hit) return undefined;
    await this.#docker.getContainer(hit.info.Id).unpause();
    return `container ${hit.inspect.Name.replace(/^\//, '')} unpaused`;
  }

  /** Disconnects the container from every network it is on (its aliases are remembered for `reconnect`). */
  async isolateOne(component: string): Promise<string | undefined> {
    const target = await this.find(component);
    if (!target) return undefined;
    const inspect = await this.#docker.getContainer(target.id).inspect();
    const networks = Object.entries(inspect.NetworkSettings.Networks ?? {}).map(([network, settings]) => ({ network, aliases: (settings.Aliases ?? []).filter((a: string) => !target.id.startsWith(a)) }));
    for (const { network } of networks) await this.#docker.getNetwork(network).disconnect({ Container: target.id, Force: true });
    this.#cut.set(target.id, networks);
    return `container ${target.name} (service ${target.service}, id ${target.id.slice(0, 12)}) cut off ${networks.map((n) => n.network).join(', ')}`;
  }

  /** Puts back every network connection `isolateOne` cut. */
  async reconnectAll(): Promise<void> {
    for (const [id, networks] of this.#cut) {
      for (const { network, aliases } of networks) {
        await this.#docker.getNetwork(network).connect({ Container: id, EndpointConfig: { Aliases: aliases } }).catch(() => undefined);
      }
      this.#cut.delete(id);
    }
  }
}
