import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type Dockerode from 'dockerode';
import type { StartedDockerComposeEnvironment } from 'testcontainers';
import type { Capability } from '../../catalogue/capabilities.ts';
import { ConfigError, EnvironmentUnavailableError } from '../../config/errors.ts';
import type { ConfigFor } from '../../config/schema.ts';
import type { DeploymentInventory } from '../../inventory/deployment-inventory.ts';
import type { HeldResources } from '../../support/held-resources.ts';
import { configuredCallback } from '../callback-exposure.ts';
import type { CallbackExposure, EnvironmentDescription, PayerConnection, Providers, StartedEnvironment } from '../environment.ts';
import { readComposeDefinition, selectServices, type ComposeDefinition, type ComposeService } from './compose-definition.ts';
import { ComposeFaults } from './compose-faults.ts';
import type { EngineEndpoint } from './docker-engine.ts';
import { freePort, gatewayOf, noGateway, reachHubInside } from './hub-inside.ts';
import { interruptedBy, stoppedOnFailure, within } from '../bring-up.ts';
import { healthOf, inventoryFromRuntime, PROJECT_LABEL, projectContainers, publishedPortsOf, SERVICE_LABEL } from './runtime-inventory.ts';

export interface RuntimeDeps {
  definition: ComposeDefinition | undefined;
  endpoint: EngineEndpoint;
  engineVersion: string;
  progress: (line: string) => void;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
  held?: HeldResources;
}

/** The last lines a container wrote (stdout and stderr, demultiplexed), as text. */
export async function containerLogs(docker: Dockerode, id: string, tail = 200): Promise<string> {
  const raw = await within(docker.getContainer(id).logs({ stdout: true, stderr: true, tail, follow: false }) as Promise<Buffer>, 5000, () => 'logs not read in 5 s');
  const buffer = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw));
  // Without a TTY Docker frames each chunk: [stream, 0, 0, 0, size (4 bytes, big-endian)] + payload.
  if (buffer.length < 8 || buffer[1] !== 0 || buffer[2] !== 0 || buffer[3] !== 0 || buffer[0]! > 2) return buffer.toString('utf8');
  let text = '';
  for (let offset = 0; offset + 8 <= buffer.length;) {
    const size = buffer.readUInt32BE(offset + 4);
    text += buffer.subarray(offset + 8, offset + 8 + size).toString('utf8');
    offset += 8 + size;
  }
  return text;
}

/** What one poll of the project shows of each service: "healthy", "starting", "exited 1"… */
async function serviceStates(docker: Dockerode, project: string): Promise<Map<string, { id: string; state: string; bad: boolean }>> {
  const states = new Map<string, { id: string; state: string; bad: boolean }>();
  for (const { info, inspect } of await projectContainers(docker, project)) {
    const health = healthOf(inspect);
    const state = health === 'completed' ? 'exited 0' : health === 'failed' ? `exited ${inspect.State.ExitCode}` : health === 'unknown' ? inspect.State.Status : health;
    states.set(info.Labels[SERVICE_LABEL] ?? info.Id.slice(0, 12), { id: info.Id, state, bad: health === 'failed' || health === 'unhealthy' });
  }
  return states;
}

/**
 * Follows a project while it comes up: prints each service's state as it changes, and keeps the
 * latest logs of every service in trouble (they are gone once a failed start is torn down).
 */
class StartupWatch {
  readonly troubled = new Map<string, string>();
  readonly #states = new Map<string, string>();
  readonly #started = Date.now();
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> = Promise.resolve();

  readonly docker: Dockerode;
  readonly project: string;
  readonly progress: (line: string) => void;

  constructor(docker: Dockerode, project: string, progress: (line: string) => void) {
    this.docker = docker;
    this.project = project;
    this.progress = progress;
  }

  start(intervalMs = 1000): void {
    const tick = () => {
      this.#polling = this.poll().catch(() => undefined).finally(() => { if (this.#timer) this.#timer = setTimeout(tick, intervalMs); });
    };
    this.#timer = setTimeout(tick, 0);
  }

  async poll(): Promise<void> {
    const states = await within(serviceStates(this.docker, this.project), 5000, () => 'poll timed out');
    for (const [service, { id, state, bad }] of states) {
      if (this.#states.get(service) !== state) {
        this.#states.set(service, state);
        this.progress(`  compose ${this.project}: ${service} ${state} (${((Date.now() - this.#started) / 1000).toFixed(1)} s)`);
      }
      // Logs read earlier are kept when a later read fails: a container being removed (a failed start torn down) has none to give.
      if (bad || state === 'starting') this.troubled.set(service, await containerLogs(this.docker, id).catch((e) => this.troubled.get(service) ?? `(logs not read: ${(e as Error).message})`));
      else this.troubled.delete(service);
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#polling;
  }

  /** Containers of the project the last poll saw. */
  get containers(): number {
    return this.#states.size;
  }

  /** Services not (yet) well, with their states. */
  notReady(): string[] {
    return [...this.#states].filter(([, state]) => !['healthy', 'running', 'exited 0'].includes(state)).map(([service, state]) => `${service} ${state}`);
  }
}

/** Writes each service's captured logs to DIR/<service>.log; returns the files. */
export async function saveLogs(dir: string, logs: ReadonlyMap<string, string>): Promise<string[]> {
  if (logs.size === 0) return [];
  await mkdir(dir, { recursive: true });
  return Promise.all([...logs].map(async ([service, text]) => {
    const file = join(dir, `${service}.log`);
    await writeFile(file, text);
    return file;
  }));
}

/**
 * The override compose file of a run: candidate images in place (`--image`), and every port the
 * harness publishes on an ephemeral host port pinned to one the run chose — Docker allocates an
 * ephemeral port anew each time a container starts, so a container killed and started again
 * (a fault) would otherwise move out from under the run. `!override` replaces the service's list.
 */
export function runOverride(images: Record<string, string>, pinned: Record<string, string[]>): string {
  const services = [...new Set([...Object.keys(images), ...Object.keys(pinned)])];
  return '# written by mojaloop-conformance: candidate images (--image) and the host ports this run pinned\nservices:\n'
    + services.map((service) => `  ${JSON.stringify(service)}:\n`
      + (images[service] ? `    image: ${JSON.stringify(images[service])}\n` : '')
      + (pinned[service] ? `    ports: !override\n${pinned[service]!.map((p) => `      - ${JSON.stringify(p)}\n`).join('')}` : '')).join('');
}

/** Each selected service's ports, with an ephemeral host port replaced by a free one (only services that have one). */
async function pinPorts(services: readonly ComposeService[]): Promise<Record<string, string[]>> {
  const pinned: Record<string, string[]> = {};
  for (const service of services) {
    if (!service.ports.some((p) => p.published === undefined)) continue;
    pinned[service.name] = await Promise.all(service.ports.map(async (p) => {
      const hostIp = p.hostIp ?? '127.0.0.1';
      const host = p.published ?? await freePort(hostIp === '0.0.0.0' ? '127.0.0.1' : hostIp);
      return `${hostIp.includes(':') ? `[${hostIp}]` : hostIp}:${host}:${p.target}/${p.protocol}`;
    }));
  }
  return pinned;
}

export async function startComposeRuntime(config: ConfigFor<'compose'>, deps: RuntimeDeps): Promise<StartedEnvironment> {
  const compose = config.compose;
  const { getContainerRuntimeClient } = await import('testcontainers');
  const client = await within(getContainerRuntimeClient(), compose.engineTimeoutMs + 5000, () => `testcontainers found no working container runtime at ${deps.endpoint.url} within ${compose.engineTimeoutMs + 5000} ms`);
  const docker = client.container.dockerode;
  const engine = `Docker engine ${deps.endpoint.url} (${deps.engineVersion})`;
  const logsDir = join(config.reportsDir, 'compose-logs');

  if (compose.attach) {
    const containers = await projectContainers(docker, compose.attach);
    if (containers.length === 0) throw new EnvironmentUnavailableError(`no compose project "${compose.attach}" runs on the ${engine}; list them with \`docker compose ls\` and give one to --attach`);
    const definition = deps.definition ?? await definitionFromLabels(containers[0]!.info.Labels);
    const attached = new StartedComposeEnvironment(config, { docker, project: compose.attach, owned: undefined, definition, engine, notes: [`attached to the running project ${compose.attach}; the run leaves it running`], logsDir });
    await attached.connectHub();
    return attached;
  }

  const definition = deps.definition!;
  const profiles = compose.profiles;
  const selected = selectServices(definition, profiles);
  if (selected.length === 0) throw new ConfigError(`the profiles ${profiles.join(', ')} select no service of ${definition.dir}; it offers: ${definition.declaredProfiles.join(', ')}`);
  for (const service of Object.keys(compose.images)) {
    if (!definition.services.some((s) => s.name === service)) throw new ConfigError(`--image ${service}=…: the harness has no service "${service}"; it has ${definition.services.map((s) => s.name).join(', ')}`);
  }
  const project = compose.projectName ?? `conformance-${randomBytes(3).toString('hex')}`;
  const scratch = await mkdtemp(join(tmpdir(), 'conformance-compose-'));
  const files = [...definition.files];
  const pinned = await pinPorts(selected);
  if (Object.keys(compose.images).length > 0 || Object.keys(pinned).length > 0) {
    const override = join(scratch, 'conformance.override.yml');
    await writeFile(override, runOverride(compose.images, pinned));
    files.push(override);
  }
  const { DockerComposeEnvironment, Wait } = await import('testcontainers');
  let environment = new DockerComposeEnvironment(definition.dir, files)
    .withProjectName(project)
    .withProfiles(...profiles)
    // Our own teardown does the reaper's job (no reaper image can be pulled where no registry is reachable).
    .withAutoCleanup(false)
    .withStartupTimeout(compose.startupMs);
  if (definition.envFile) environment = environment.withEnvironmentFile(resolve(definition.dir, definition.envFile));
  // A wait strategy per service from its health check: healthy, or (without one) its ports listening.
  for (const service of selected.filter((s) => !compose.jobs.includes(s.name))) {
    const name = service.containerName ?? `${service.name}-1`;
    environment = environment.withWaitStrategy(name, service.healthcheck && !service.healthcheck.disabled ? Wait.forHealthCheck() : Wait.forListeningPorts());
  }
  deps.progress(`  compose ${project}: bringing up ${selected.length} services of ${definition.dir} (profiles ${profiles.join(', ')}${Object.keys(compose.images).length ? `; images ${Object.entries(compose.images).map(([s, i]) => `${s}=${i}`).join(', ')}` : ''}), budget ${Math.round(compose.startupMs / 1000)} s`);
  const watch = new StartupWatch(docker, project, deps.progress);
  // Held from before `up`: a second Ctrl-C at any point after this must say what it leaves running.
  const release = deps.held?.hold({ name: `compose project ${project}`, containers: () => watch.containers, removeWith: `docker compose -p ${project} down -v` }) ?? (() => undefined);
  watch.start();
  const composeOptions = [...(definition.envFile ? ['--env-file', resolve(definition.dir, definition.envFile)] : []), ...profiles.flatMap((p) => ['--profile', p])];
  // `compose down` sees only the services of the profiles it is given; the sweep by label catches anything else of the project.
  const down = async () => {
    await client.compose.down({ filePath: definition.dir, files, projectName: project, composeOptions }, { removeVolumes: true, timeout: 10_000 }).catch(() => undefined);
    await removeProject(docker, project);
  };
  let started: StartedDockerComposeEnvironment;
  const upping = environment.up();
  try {
    started = await within(Promise.race([upping, interruptedBy(deps.signal, 'interrupted while the harness was coming up')]), compose.startupMs + 30_000, () => `the harness did not come up within ${compose.startupMs + 30_000} ms`);
  } catch (error) {
    // compose up may still be starting containers: let it finish (bounded) before the teardown, or it recreates what was removed.
    if (deps.signal?.aborted) await within(upping.catch(() => undefined), 30_000, () => 'up still running').catch(() => undefined);
    await watch.poll().catch(() => undefined);
    await watch.stop();
    const notReady = watch.notReady();
    const files = await saveLogs(logsDir, watch.troubled);
    await down().catch(() => undefined);
    release();
    await rm(scratch, { recursive: true, force: true });
    const cause = firstUsefulLine(error);
    throw new EnvironmentUnavailableError(`the harness ${definition.dir} did not come up (project ${project}): ${cause}`
      + `${notReady.length ? `; not ready: ${notReady.join(', ')}` : ''}${files.length ? `; logs: ${files.join(', ')}` : ''}; torn down`);
  }
  await watch.stop();
  // The states as they are now, so the terminal shows every service ready before "up".
  await watch.poll().catch(() => undefined);
  deps.progress(`  compose ${project}: up`);
  const running = new StartedComposeEnvironment(config, {
    docker, project, definition, engine, logsDir,
    owned: { started, scratch, down, files, release },
    notes: [],
  });
  return stoppedOnFailure(running, () => running.connectHub());
}

/** Removes every container, network and volume labelled as the project's (what `compose down -v` removes, whatever the profiles). */
export async function removeProject(docker: Dockerode, project: string): Promise<void> {
  const filters = { label: [`${PROJECT_LABEL}=${project}`] };
  for (const info of await docker.listContainers({ all: true, filters })) {
    await docker.getContainer(info.Id).remove({ force: true, v: true }).catch(() => undefined);
  }
  for (const network of await docker.listNetworks({ filters })) await docker.getNetwork(network.Id).remove().catch(() => undefined);
  const { Volumes } = await docker.listVolumes({ filters });
  for (const volume of Volumes ?? []) await docker.getVolume(volume.Name).remove().catch(() => undefined);
}

/** The first line of an error from compose that says what went wrong. */
function firstUsefulLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /error|failed|unhealthy|not found|denied|pull access|no such/i.test(l)) ?? lines[0] ?? 'unknown error';
}

/** The compose files a running project was started from, as compose labels its containers, if they can be read here. */
async function definitionFromLabels(labels: Record<string, string>): Promise<ComposeDefinition | undefined> {
  const dir = labels['com.docker.compose.project.working_dir'];
  const files = labels['com.docker.compose.project.config_files']?.split(',');
  if (!dir || !files) return undefined;
  return readComposeDefinition({ dir, files }).catch(() => undefined);
}

interface Owned {
  started: StartedDockerComposeEnvironment;
  scratch: string;
  files: string[];
  down: () => Promise<void>;
  /** Ends the hold on the project (torn down, or left running on purpose). */
  release: () => void;
}

/** A running harness: inventory from the engine, faults on its containers, its jobs' exit codes and reports. */
export class StartedComposeEnvironment implements StartedEnvironment {
  readonly kind = 'compose' as const;
  readonly faults: ComposeFaults;
  readonly #config: ConfigFor<'compose'>;
  readonly #docker: Dockerode;
  readonly #project: string;
  readonly #definition: ComposeDefinition | undefined;
  readonly #engine: string;
  readonly #owned: Owned | undefined;
  readonly #notes: string[];
  readonly #logsDir: string;
  readonly #startedAt = Date.now();
  #stopped: Promise<void> | undefined;
  #fspiopMissing: string;

  constructor(config: ConfigFor<'compose'>, parts: { docker: Dockerode; project: string; owned: Owned | undefined; definition: ComposeDefinition | undefined; engine: string; notes: string[]; logsDir: string }) {
    this.#config = config;
    this.#docker = parts.docker;
    this.#project = parts.project;
    this.#owned = parts.owned;
    this.#definition = parts.definition;
    this.#engine = parts.engine;
    this.#notes = parts.notes;
    this.#logsDir = parts.logsDir;
    this.faults = new ComposeFaults(parts.docker, parts.project);
    const { service, port } = config.compose.endpoints.fspiop;
    this.#fspiopMissing = `service ${service} of the harness publishes no port ${port} to the host; publish it in a compose file of yours (ports: ["127.0.0.1::${port}"], --compose-file) or name the service that serves FSPIOP in compose.endpoints.fspiop (docs/compose.md)`;
  }

  hubUrl = 'none (the harness publishes no FSPIOP endpoint)';
  callbackRouteUnproven = false;
  /** The engine's view until the hub inside is reached (`connectHub`); then the hub's capabilities and faults on its containers too. */
  provides: Providers = { 'compose-inventory': { inventory: () => this.#inventory() }, 'resource-metrics': true };
  provisioningPlan?: StartedEnvironment['provisioningPlan'];
  #callbackListen: CallbackExposure | undefined;
  #hub: StartedEnvironment | undefined;

  /** On the gateway of the harness's network once the hub inside is reached: the address containers reach the host by. */
  get callbackExposure(): CallbackExposure {
    return this.#callbackListen ?? configuredCallback(this.#config.callback, 0);
  }

  /**
   * Reaches the hub inside the harness through the ports it publishes on the host, as the url
   * target reaches any hub — our test DFSPs provisioned through its admin API, when published —
   * and has our callback server and payee listen on the harness network's gateway, the address
   * containers reach the host by.
   */
  async connectHub(): Promise<void> {
    const { fspiop, admin } = this.#config.compose.endpoints;
    const fspiopPort = await this.publishedPort(fspiop.service, fspiop.port);
    if (fspiopPort === undefined) return;
    const adminPort = await this.publishedPort(admin.service, admin.port);
    const inside = await reachHubInside(this.#config, {
      fspiopPort, adminPort, gateway: await this.#gatewayOf(fspiop.service),
      fspiopFrom: `service ${fspiop.service} port ${fspiop.port}`, adminFrom: `service ${admin.service}`, network: "the harness's network",
    });
    const hub = inside.hub;
    this.#hub = hub;
    if (inside.callbackListen) this.#callbackListen = inside.callbackListen;
    this.hubUrl = hub.hubUrl;
    this.callbackRouteUnproven = hub.callbackRouteUnproven;
    const { dataTier } = this.#config.compose;
    this.provides = {
      ...this.provides, ...hub.provides, 'fault-injection': this.faults,
      ...(await this.faults.find(dataTier) ? { 'data-tier-fault-injection': { component: dataTier } } : {}),
    };
    if (hub.provisioningPlan) this.provisioningPlan = (payer) => hub.provisioningPlan!(payer);
    this.#notes.push(inside.note);
  }

  /** The gateway of the first network a service's container is on: the host, as containers see it. */
  async #gatewayOf(service: string): Promise<string> {
    const container = await this.#serving(service);
    for (const name of Object.keys(container?.inspect.NetworkSettings.Networks ?? {})) {
      const gateway = await gatewayOf(this.#docker, name);
      if (gateway) return gateway;
    }
    throw noGateway(`service ${service}`);
  }

  whyMissing(capability: Capability): string {
    if (capability === 'data-tier-fault-injection' && this.#hub) return `no running container of service ${this.#config.compose.dataTier} (compose.dataTier) to kill`;
    if (capability === 'fault-injection' || capability === 'data-tier-fault-injection') return `faults are injected into the harness's containers under load, which needs its FSPIOP API: ${this.#fspiopMissing}`;
    if (this.#hub) return this.#hub.whyMissing(capability);
    if (capability === 'compose-inventory' || capability === 'resource-metrics') return `the compose target has ${capability}`;
    return this.#fspiopMissing;
  }

  describe(): EnvironmentDescription {
    return {
      kind: 'compose',
      summary: `docker compose project ${this.#project}${this.#definition ? ` from ${this.#definition.dir}` : ''} on the ${this.#engine}${this.#owned ? '' : ' (attached; left running)'}`,
      endpoints: this.#hub?.describe().endpoints ?? {},
      notes: [...this.#notes],
      // As declared, with the candidate images (--image) in place; an attached project's running images are in its inventory.
      tested: Object.fromEntries((this.#definition?.services ?? []).flatMap((service) => {
        const image = this.#config.compose.images[service.name] ?? service.image;
        return image ? [[`image ${service.name}`, image]] : [];
      })),
    };
  }

  async connectPayer(payer: PayerConnection): Promise<void> {
    await this.#hub?.connectPayer(payer);
  }

  async #inventory(): Promise<DeploymentInventory> {
    await this.#awaitJobs();
    const inventory = await inventoryFromRuntime(this.#docker, {
      project: this.#project, engine: this.#engine,
      ...(this.#definition ? { definition: this.#definition } : {}),
      ...(this.#owned ? { profiles: this.#config.compose.profiles } : {}),
    });
    // Logs of whatever is not well, and the jobs' reports, kept with the run's results.
    for (const component of inventory.components) {
      if (component.health === 'failed' || component.health === 'unhealthy') {
        const id = (await projectContainers(this.#docker, this.#project)).find((c) => c.info.Labels[SERVICE_LABEL] === component.name)?.info.Id;
        if (id) {
          const [file] = await saveLogs(this.#logsDir, new Map([[component.name, await containerLogs(this.#docker, id).catch(() => '')]]));
          component.artifacts = [...(component.artifacts ?? []), file!];
        }
      }
      if (this.#config.compose.jobs.includes(component.name)) component.artifacts = [...(component.artifacts ?? []), ...await this.#jobReports(component.name)];
    }
    return inventory;
  }

  /** The harness's Testing Toolkit jobs finish after `up` returns: their exit codes are what CTH-CI-01 reads. */
  async #awaitJobs(): Promise<void> {
    const jobs = (await projectContainers(this.#docker, this.#project)).filter((c) => this.#config.compose.jobs.includes(c.info.Labels[SERVICE_LABEL] ?? ''));
    const budget = Math.max(1000, this.#config.compose.startupMs - (Date.now() - this.#startedAt));
    await Promise.all(jobs.filter((j) => j.inspect.State.Running).map((j) => within(this.#docker.getContainer(j.info.Id).wait(), budget, () => `job ${j.info.Labels[SERVICE_LABEL]} still running`).catch(() => undefined)));
  }

  /** Reports a job wrote into the harness's report folder since the run started, copied next to the run's results. */
  async #jobReports(job: string): Promise<string[]> {
    if (!this.#definition) return [];
    const dir = resolve(this.#definition.dir, this.#config.compose.jobReportsDir);
    const entries = await readdir(dir).catch(() => [] as string[]);
    const copied: string[] = [];
    for (const name of entries.filter((n) => n.startsWith(job))) {
      const from = join(dir, name);
      if ((await stat(from)).mtimeMs < this.#startedAt - 60_000) continue;
      const to = join(this.#config.reportsDir, 'compose-jobs', name);
      await mkdir(join(this.#config.reportsDir, 'compose-jobs'), { recursive: true });
      await copyFile(from, to);
      copied.push(to);
    }
    return copied;
  }

  /**
   * The container that answers to a name inside the harness: the service of that name, else the one
   * with it as a network alias (the reference harness serves ml-api-adapter's API from central-ledger).
   */
  async #serving(name: string) {
    const containers = await projectContainers(this.#docker, this.#project);
    return containers.find((c) => c.info.Labels[SERVICE_LABEL] === name)
      ?? containers.find((c) => Object.values(c.inspect.NetworkSettings.Networks ?? {}).some((n) => (n.Aliases ?? []).includes(name)));
  }

  /** Published host port of a service's container port, if any. */
  async publishedPort(service: string, containerPort: number): Promise<number | undefined> {
    const container = await this.#serving(service);
    return container && publishedPortsOf(container.inspect).find((p) => p.container === containerPort)?.host;
  }

  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await this.#hub?.stop().catch(() => undefined);
      await this.faults.reconnectAll().catch(() => undefined);
      if (!this.#owned) return;
      if (this.#config.compose.keep) {
        this.#notes.push(`left running (--keep): take it down with \`docker compose -p ${this.#project} down -v\``);
        process.stderr.write(`compose project ${this.#project} left running (--keep); take it down with: docker compose -p ${this.#project} down -v\n`);
        this.#owned.release();
        return;
      }
      try {
        await within(this.#owned.down(), 120_000, () => `compose project ${this.#project} not torn down within 120 s; remove it with \`docker compose -p ${this.#project} down -v\``);
        this.#owned.release();
      } finally {
        await rm(this.#owned.scratch, { recursive: true, force: true });
      }
    })();
    return this.#stopped;
  }
}
