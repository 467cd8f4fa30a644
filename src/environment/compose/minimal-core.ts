import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import type { StartedTestContainer } from 'testcontainers';
import type { Capability } from '../../catalogue/capabilities.ts';
import { EnvironmentUnavailableError } from '../../config/errors.ts';
import type { ConfigFor } from '../../config/schema.ts';
import type { HeldResources } from '../../support/held-resources.ts';
import { configuredCallback } from '../callback-exposure.ts';
import type { CallbackExposure, EnvironmentDescription, PayerConnection, Providers, StartedEnvironment } from '../environment.ts';
import { firstLine, interruptedBy, stoppedOnFailure, within } from '../bring-up.ts';
import { saveLogs } from './compose-runtime.ts';
import { ComposeFaults } from './compose-faults.ts';
import type { EngineEndpoint } from './docker-engine.ts';
import { freePort, gatewayOf, noGateway, reachHubInside } from './hub-inside.ts';
import type { GroupLabels } from './runtime-inventory.ts';

/** The labels that group the minimal core's containers and network (not compose's: no compose project is made). */
export const MINIMAL_CORE_LABELS: GroupLabels = { project: 'org.mojaloop.conformance.minimal-core', service: 'org.mojaloop.conformance.minimal-core.service' };
/** The database's name on the core's network, as in the harness (central-ledger's default host). */
export const DATABASE_SERVICE = 'mysql';

/**
 * Why the minimal core has no broker, said in its description and in docs/compose.md: what it runs
 * without, and what that leaves NOT EVALUATED.
 */
export const NO_BROKER = 'no message broker: the minimal core starts no Kafka — @testcontainers/kafka needs a Kafka image (confluentinc/cp-kafka or apache/kafka), '
  + 'none can be built or pulled where this tool is built and tested, and a broker path never run would be a pretence. Its services must work without one '
  + '(the reference hub routes in process; a real central-ledger\'s handlers and ml-api-adapter need Kafka to move transfers). A data-tier fault hits mysql alone, never a broker; '
  + 'the deployment guarantees (CTH-DEP-01…11, among them the backing services CTH-DEP-09 expects, Kafka included; CTH-SEC-02, CTH-CI-01) and resource use (CTH-RES-01) '
  + 'are NOT EVALUATED: the minimal core is not the harness';

export interface MinimalCoreDeps {
  endpoint: EngineEndpoint;
  engineVersion: string;
  progress: (line: string) => void;
  signal?: AbortSignal;
  held?: HeldResources;
}

/** One container of the core as configured: what to start and how to know it is ready. */
interface Planned {
  service: string;
  image: string;
  build: () => Promise<StartedTestContainer>;
}

/** The last lines a container wrote, kept while it runs: testcontainers removes a container that failed its wait, logs and all. */
class LogTail {
  readonly #lines: string[] = [];
  readonly #limit: number;
  constructor(limit = 200) { this.#limit = limit; }

  follow(stream: Readable): void {
    stream.on('data', (chunk: string | Buffer) => {
      for (const line of String(chunk).split('\n')) {
        if (line === '') continue;
        this.#lines.push(line);
        if (this.#lines.length > this.#limit) this.#lines.shift();
      }
    }).on('error', () => undefined);
  }

  text(): string {
    return this.#lines.map((l) => `${l}\n`).join('');
  }
}

/** The command that removes what a minimal core left: its containers by label, then its network. */
export function removeCommand(project: string): string {
  return `docker rm -f -v $(docker ps -aq --filter label=${MINIMAL_CORE_LABELS.project}=${project}); docker network rm ${project}`;
}

/**
 * The minimal core: the database through @testcontainers/mysql and the services under test as
 * GenericContainers, on one network of its own, each waited for; torn down on success, failure and
 * interruption. The hub inside is reached as the compose target reaches the harness's.
 */
export async function startMinimalCore(config: ConfigFor<'compose'>, deps: MinimalCoreDeps): Promise<StartedEnvironment> {
  const { compose } = config;
  const core = compose.minimalCore;
  const [{ getContainerRuntimeClient, GenericContainer, Wait, PullPolicy }, { MySqlContainer }] = await Promise.all([import('testcontainers'), import('@testcontainers/mysql')]);
  const budget = compose.engineTimeoutMs + 5000;
  const client = await within(getContainerRuntimeClient(), budget, () => `testcontainers found no working container runtime at ${deps.endpoint.url} within ${budget} ms`);
  const docker = client.container.dockerode;
  const engine = `Docker engine ${deps.endpoint.url} (${deps.engineVersion})`;
  const imageOf = (service: string, configured: string) => compose.images[service] ?? configured;

  // Nothing is pulled: a missing image is said at once, by name, before anything starts.
  const wanted = new Map<string, string>([[DATABASE_SERVICE, imageOf(DATABASE_SERVICE, core.database.image)], ...Object.entries(core.services).map(([name, s]) => [name, imageOf(name, s.image)] as [string, string])]);
  const missing: string[] = [];
  for (const [service, image] of wanted) if (!(await docker.getImage(image).inspect().then(() => true, () => false))) missing.push(`${image} (${service})`);
  if (missing.length) {
    throw new EnvironmentUnavailableError(`the minimal core's images are not on the ${engine}: ${missing.join(', ')}; the run pulls nothing — build them (npm run harness:images builds the reference ones) or docker pull them first`);
  }

  const project = `conformance-core-${randomBytes(3).toString('hex')}`;
  const labels = (service: string) => ({ [MINIMAL_CORE_LABELS.project]: project, [MINIMAL_CORE_LABELS.service]: service });
  const logs = new Map<string, LogTail>();
  const tail = (service: string) => {
    const t = new LogTail();
    logs.set(service, t);
    return (stream: Readable) => t.follow(stream);
  };
  // Host ports chosen now and kept: a container killed and started again (a fault) keeps them.
  const hostPorts = new Map<string, Map<number, number>>();
  for (const [name, service] of Object.entries(core.services)) {
    hostPorts.set(name, new Map(await Promise.all(service.ports.map(async (p) => [p, await freePort('127.0.0.1')] as [number, number]))));
  }
  const databasePort = await freePort('127.0.0.1');

  const planned: Planned[] = [
    {
      service: DATABASE_SERVICE, image: wanted.get(DATABASE_SERVICE)!,
      // MySqlContainer's own wait (its port bound, checked inside the container with /bin/sh) never passes on an image
      // without a shell, as the harness's FROM-scratch MariaDB is: its health check (mariadb-admin ping) is waited for
      // instead. Its MYSQL_* variables create the database and user on the official images; the harness's image makes
      // the same ones (central_ledger / password) from its init file.
      build: () => new MySqlContainer(wanted.get(DATABASE_SERVICE)!)
        .withDatabase('central_ledger').withUsername('central_ledger').withUserPassword('password')
        .withName(`${project}-${DATABASE_SERVICE}`).withLabels(labels(DATABASE_SERVICE))
        .withNetworkMode(project).withNetworkAliases(DATABASE_SERVICE)
        // Its port pinned too (MySqlContainer publishes 3306 on an ephemeral one): the data-tier fault restarts it.
        .withExposedPorts({ container: 3306, host: databasePort })
        .withHealthCheck({ test: ['CMD', ...core.database.healthcheck], interval: 2000, timeout: 5000, retries: 30, startPeriod: 5000 })
        .withWaitStrategy(Wait.forHealthCheck()).withStartupTimeout(compose.startupMs)
        .withPullPolicy(PullPolicy.neverPull()).withAutoCleanup(false).withLogConsumer(tail(DATABASE_SERVICE))
        .start(),
    },
    ...Object.entries(core.services).map(([name, service]): Planned => ({
      service: name, image: wanted.get(name)!,
      build: () => {
        let container = new GenericContainer(wanted.get(name)!)
          .withName(`${project}-${name}`).withLabels(labels(name))
          .withNetworkMode(project).withNetworkAliases(name, ...service.aliases)
          .withEnvironment(service.environment)
          .withExposedPorts(...[...hostPorts.get(name)!].map(([container, host]) => ({ container, host })))
          // Asked from the host through the published port: no shell or curl needed in the image.
          .withWaitStrategy(Wait.forHttp(service.health.path, service.health.port).forStatusCode(200))
          .withStartupTimeout(compose.startupMs)
          .withPullPolicy(PullPolicy.neverPull()).withAutoCleanup(false).withLogConsumer(tail(name));
        if (service.command) container = container.withCommand(service.command);
        return container.start();
      },
    })),
  ];

  // A network of its own, labelled like the containers: two runs side by side never meet, and a sweep by label finds all.
  await docker.createNetwork({ Name: project, CheckDuplicate: true, Driver: 'bridge', Labels: { [MINIMAL_CORE_LABELS.project]: project } }).catch((error: unknown) => {
    // e.g. the engine's address pools exhausted by networks other runs left: said on one line, not as a defect.
    throw new EnvironmentUnavailableError(`the minimal core's network ${project} could not be created on the ${engine}: ${firstLine(error)}`);
  });
  let created = 0;
  const release = deps.held?.hold({ name: `minimal core ${project}`, containers: () => created, removeWith: removeCommand(project) }) ?? (() => undefined);
  const started: Array<{ service: string; container: StartedTestContainer }> = [];
  const teardown = async () => {
    // Each container stopped (10 s to end cleanly, as compose down), then the sweep by label removes whatever a start left behind.
    for (const { container } of started.toReversed()) await container.stop({ timeout: 10_000, remove: true, removeVolumes: true }).catch(() => undefined);
    await removeMinimalCore(docker, project);
  };
  deps.progress(`  minimal core ${project}: bringing up ${planned.map((p) => `${p.service} (${p.image})`).join(', ')} on network ${project}, budget ${Math.round(compose.startupMs / 1000)} s; ${NO_BROKER.split(':')[0]}`);
  const began = Date.now();
  for (const step of planned) {
    created += 1;
    const starting = step.build();
    try {
      const container = await within(Promise.race([starting, interruptedBy(deps.signal, 'interrupted while the minimal core was coming up')]), compose.startupMs + 30_000, () => `${step.service} did not come up within ${compose.startupMs + 30_000} ms`);
      started.push({ service: step.service, container });
      deps.progress(`  minimal core ${project}: ${step.service} ready (${((Date.now() - began) / 1000).toFixed(1)} s)`);
    } catch (error) {
      // A start still under way would create its container after the sweep: let it settle (bounded) first.
      await within(starting.then((c) => { started.push({ service: step.service, container: c }); }, () => undefined), 30_000, () => 'start still running').catch(() => undefined);
      const kept = deps.signal?.aborted ? [] : await saveLogs(join(config.reportsDir, 'compose-logs'), new Map([[step.service, logs.get(step.service)?.text() ?? '']]));
      await within(teardown(), 120_000, () => 'teardown took over 120 s').catch(() => undefined);
      release();
      throw new EnvironmentUnavailableError(`the minimal core did not come up (${project}): ${step.service} (${step.image}): ${firstLine(error)}${kept.length ? `; logs: ${kept.join(', ')}` : ''}; torn down`);
    }
  }
  deps.progress(`  minimal core ${project}: up`);
  const running = new StartedMinimalCore(config, { docker, project, engine, hostPorts, images: wanted, teardown, release });
  return stoppedOnFailure(running, () => running.connectHub());
}

/** Removes every container and the network labelled as the minimal core's. */
export async function removeMinimalCore(docker: Dockerode, project: string): Promise<void> {
  const filters = { label: [`${MINIMAL_CORE_LABELS.project}=${project}`] };
  for (const info of await docker.listContainers({ all: true, filters })) {
    await docker.getContainer(info.Id).remove({ force: true, v: true }).catch(() => undefined);
  }
  for (const network of await docker.listNetworks({ filters })) await docker.getNetwork(network.Id).remove().catch(() => undefined);
}

interface CoreParts {
  docker: Dockerode;
  project: string;
  engine: string;
  hostPorts: ReadonlyMap<string, ReadonlyMap<number, number>>;
  images: ReadonlyMap<string, string>;
  teardown: () => Promise<void>;
  release: () => void;
}

/** A running minimal core: the hub inside reached through its published ports, faults on its containers. */
export class StartedMinimalCore implements StartedEnvironment {
  readonly kind = 'compose' as const;
  readonly faults: ComposeFaults;
  readonly #config: ConfigFor<'compose'>;
  readonly #parts: CoreParts;
  readonly #notes: string[] = [];
  #hub: StartedEnvironment | undefined;
  #stopped: Promise<void> | undefined;

  hubUrl = 'none (no service of the minimal core serves FSPIOP)';
  callbackRouteUnproven = false;
  /** Nothing until the hub inside is reached (`connectHub`); then the hub's capabilities and faults on the core's containers. */
  provides: Providers = {};
  provisioningPlan?: StartedEnvironment['provisioningPlan'];
  #callbackListen: CallbackExposure | undefined;

  constructor(config: ConfigFor<'compose'>, parts: CoreParts) {
    this.#config = config;
    this.#parts = parts;
    this.faults = new ComposeFaults(parts.docker, parts.project, MINIMAL_CORE_LABELS);
  }

  /** The service answering to a name on the core's network (its own name or an alias), and the host port of one of its container ports. */
  #published(name: string, port: number): { service: string; host: number } | undefined {
    const services = this.#config.compose.minimalCore.services;
    const service = Object.hasOwn(services, name) ? name : Object.keys(services).find((s) => services[s]!.aliases.includes(name));
    const host = service === undefined ? undefined : this.#parts.hostPorts.get(service)?.get(port);
    return service === undefined || host === undefined ? undefined : { service, host };
  }

  /** On the gateway of the core's network once the hub inside is reached: the address containers reach the host by. */
  get callbackExposure(): CallbackExposure {
    return this.#callbackListen ?? configuredCallback(this.#config.callback, 0);
  }

  async connectHub(): Promise<void> {
    const { fspiop, admin } = this.#config.compose.endpoints;
    const served = this.#published(fspiop.service, fspiop.port);
    if (!served) return;
    const adminServed = this.#published(admin.service, admin.port);
    const gateway = await gatewayOf(this.#parts.docker, this.#parts.project);
    if (!gateway) throw noGateway(`the minimal core's network ${this.#parts.project}`);
    const inside = await reachHubInside(this.#config, {
      fspiopPort: served.host, adminPort: adminServed?.host, gateway,
      fspiopFrom: `${fspiop.service} = service ${served.service} port ${fspiop.port}`, adminFrom: `service ${adminServed?.service}`, network: "the minimal core's network",
    });
    const hub = inside.hub;
    this.#hub = hub;
    if (inside.callbackListen) this.#callbackListen = inside.callbackListen;
    this.hubUrl = hub.hubUrl;
    this.callbackRouteUnproven = hub.callbackRouteUnproven;
    this.provides = { ...hub.provides, 'fault-injection': this.faults, 'data-tier-fault-injection': { component: DATABASE_SERVICE } };
    if (hub.provisioningPlan) this.provisioningPlan = (payer) => hub.provisioningPlan!(payer);
    this.#notes.push(inside.note);
  }

  whyMissing(capability: Capability): string {
    if (capability === 'compose-inventory' || capability === 'kubernetes-inventory') return 'the minimal core is not the harness: no compose definition, profiles or broker to evaluate (--harness DIR certifies the harness\'s deployment)';
    if (capability === 'resource-metrics') return 'the minimal core is not the harness whose memory and CPU the tier bounds (--harness DIR measures them)';
    if (this.#hub) return this.#hub.whyMissing(capability);
    const { service, port } = this.#config.compose.endpoints.fspiop;
    return `no service of the minimal core answers to ${service} and publishes port ${port} (compose.endpoints.fspiop; a service's name or one of its aliases)`;
  }

  describe(): EnvironmentDescription {
    const images = [...this.#parts.images].map(([service, image]) => `${service} ${image}`).join(', ');
    return {
      kind: 'compose',
      summary: `minimal core ${this.#parts.project} on the ${this.#parts.engine}: ${images}, one network — no harness, no message broker`,
      endpoints: this.#hub?.describe().endpoints ?? {},
      notes: [...this.#notes, NO_BROKER],
      tested: Object.fromEntries([...this.#parts.images].map(([service, image]) => [`image ${service}`, image])),
    };
  }

  async connectPayer(payer: PayerConnection): Promise<void> {
    await this.#hub?.connectPayer(payer);
  }

  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      await this.#hub?.stop().catch(() => undefined);
      await this.faults.reconnectAll().catch(() => undefined);
      if (this.#config.compose.keep) {
        const line = `minimal core ${this.#parts.project} left running (--keep); remove it with: ${removeCommand(this.#parts.project)}`;
        this.#notes.push(line);
        process.stderr.write(`${line}\n`);
        this.#parts.release();
        return;
      }
      await within(this.#parts.teardown(), 120_000, () => `minimal core ${this.#parts.project} not torn down within 120 s; remove it with \`${removeCommand(this.#parts.project)}\``);
      this.#parts.release();
    })();
    return this.#stopped;
  }
}
