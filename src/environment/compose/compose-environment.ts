import { resolve } from 'node:path';
import type { Capability } from '../../catalogue/capabilities.ts';
import { ConfigError, EnvironmentUnavailableError } from '../../config/errors.ts';
import type { ConfigFor } from '../../config/schema.ts';
import type { HeldResources } from '../../support/held-resources.ts';
import { configuredCallback } from '../callback-exposure.ts';
import type { CallbackExposure, ConformanceEnvironment, EnvironmentDescription, Providers, StartedEnvironment } from '../environment.ts';
import { readComposeDefinition, type ComposeDefinition } from './compose-definition.ts';
import { inventoryFromDefinition } from './definition-inventory.ts';
import { brokenEngineLine, dockerEndpoint, noEngineLine, pingEngine, type EngineEndpoint, type EngineStatus } from './docker-engine.ts';

export interface ComposeEnvironmentOptions {
  /** Where progress lines go (the run's terminal): engine missing, each service's start, teardown. */
  progress?: (line: string) => void;
  /** Paths the user typed are relative to here (npm runs scripts from the package root). */
  cwd?: string;
  /** The engine's environment (DOCKER_HOST…); default process.env. */
  env?: Record<string, string | undefined>;
  /** Aborted when the run is interrupted: a harness still coming up stops and is torn down. */
  signal?: AbortSignal;
  /** Where the containers the run brings up are held until torn down (what a second Ctrl-C would leave running). */
  held?: HeldResources;
}

/** The harness's compose files, read as the run configures them (folder, files, env file). */
export function readHarnessDefinition(config: ConfigFor<'compose'>, cwd = process.cwd()): Promise<ComposeDefinition> {
  const { compose } = config;
  return readComposeDefinition({
    dir: resolve(cwd, compose.harness!),
    ...(compose.files ? { files: compose.files } : {}),
    extraFiles: compose.extraFiles,
    ...(compose.envFile ? { envFile: compose.envFile } : {}),
  });
}

/**
 * The Core Test Harness as a docker compose project. With a Docker engine it brings the harness up
 * (or attaches to one running) through testcontainers; without one — or with `definitionOnly` — it
 * evaluates what the compose files declare, and says that on one line.
 */
export class ComposeEnvironment implements ConformanceEnvironment {
  readonly kind = 'compose' as const;
  readonly #config: ConfigFor<'compose'>;
  readonly #options: ComposeEnvironmentOptions;

  constructor(config: ConfigFor<'compose'>, options: ComposeEnvironmentOptions = {}) {
    this.#config = config;
    this.#options = options;
  }

  describeTarget(): string {
    const { compose } = this.#config;
    if (compose.minimalCore.enabled) return 'compose (minimal core: the database and the services under test as containers, no harness)';
    return compose.attach ? `compose (attached to project ${compose.attach})` : `compose (harness ${compose.harness})`;
  }

  async start(): Promise<StartedEnvironment> {
    const { compose } = this.#config;
    const progress = this.#options.progress ?? (() => undefined);
    const endpoint = dockerEndpoint(this.#options.env);
    // Asked first: whether an engine answers is the first thing a user without one must hear.
    const asking = compose.definitionOnly ? undefined : pingEngine(endpoint, compose.engineTimeoutMs).then((status) => {
      // Said at once, before the files are read: with a harness the run goes on with its definition.
      if (!status.ok && status.absent && compose.harness) progress(`  ${noEngineLine(endpoint, status.reason)}`);
      return status;
    });
    if (compose.minimalCore.enabled) return this.#startMinimalCore(endpoint, asking!, progress);
    const read = compose.harness ? await readHarnessDefinition(this.#config, this.#options.cwd) : undefined;
    // The candidate images are part of what is certified, read or run.
    const definition = read && withImages(read, compose.images);
    if (!asking) return new DefinitionOnlyEnvironment(definition!, compose.profiles, configuredCallback(this.#config.callback, 0), 'only the compose definition was asked for (--definition-only)');
    const engine = await asking;
    if (!engine.ok && !engine.absent) throw new EnvironmentUnavailableError(brokenEngineLine(endpoint, engine.reason));
    if (!engine.ok) {
      const line = noEngineLine(endpoint, engine.reason);
      // A running project is what attaching reads: without an engine there is nothing to attach to.
      if (!definition) throw new EnvironmentUnavailableError(line);
      return new DefinitionOnlyEnvironment(definition, compose.profiles, configuredCallback(this.#config.callback, 0), `no Docker engine (${engine.reason}); the harness was not brought up`);
    }
    const { startComposeRuntime } = await import('./compose-runtime.ts');
    return startComposeRuntime(this.#config, {
      definition, endpoint, engineVersion: engine.version, progress, env: this.#options.env ?? process.env,
      ...(this.#options.signal ? { signal: this.#options.signal } : {}), ...(this.#options.held ? { held: this.#options.held } : {}),
    });
  }

  /** The minimal core needs a working engine: without one there is nothing to evaluate (exit 4, one line). */
  async #startMinimalCore(endpoint: EngineEndpoint, asking: Promise<EngineStatus>, progress: (line: string) => void): Promise<StartedEnvironment> {
    const engine = await asking;
    if (!engine.ok) {
      throw new EnvironmentUnavailableError(engine.absent
        ? `no Docker engine at ${endpoint.url} (${engine.reason}): the minimal core runs in containers — install and start Docker (docs/compose.md) or set DOCKER_HOST; --target embedded or --target url need no Docker`
        : brokenEngineLine(endpoint, engine.reason));
    }
    const { startMinimalCore } = await import('./minimal-core.ts');
    return startMinimalCore(this.#config, {
      endpoint, engineVersion: engine.version, progress,
      ...(this.#options.signal ? { signal: this.#options.signal } : {}), ...(this.#options.held ? { held: this.#options.held } : {}),
    });
  }
}

/** The definition with candidate images in place (`--image SERVICE=IMAGE`); an unknown service is a config error. */
export function withImages(definition: ComposeDefinition, images: Record<string, string>): ComposeDefinition {
  for (const service of Object.keys(images)) {
    if (!definition.services.some((s) => s.name === service)) {
      throw new ConfigError(`--image ${service}=…: the harness has no service "${service}"; it has ${definition.services.map((s) => s.name).join(', ')}`);
    }
  }
  return { ...definition, services: definition.services.map((s) => (images[s.name] ? { ...s, image: images[s.name] } : s)) };
}

/** The harness as its compose files declare it: nothing runs, so only the definition's guarantees are evaluated. */
export class DefinitionOnlyEnvironment implements StartedEnvironment {
  readonly kind = 'compose' as const;
  readonly callbackRouteUnproven = false;
  readonly hubUrl = 'none (compose definition only: no FSPIOP API runs)';
  readonly provides: Providers = { 'compose-inventory': { inventory: async () => inventoryFromDefinition(this.#definition, this.#profiles) } };
  readonly callbackExposure: CallbackExposure;
  readonly #definition: ComposeDefinition;
  readonly #profiles: readonly string[];
  readonly #why: string;

  constructor(definition: ComposeDefinition, profiles: readonly string[], callbackExposure: CallbackExposure, why: string) {
    this.#definition = definition;
    this.#profiles = profiles;
    this.callbackExposure = callbackExposure;
    this.#why = why;
  }

  whyMissing(capability: Capability): string {
    void capability;
    return `the compose target read only the harness's compose definition (${this.#why}); it needs the harness running — with a Docker engine the compose target brings it up (docs/compose.md)`;
  }

  describe(): EnvironmentDescription {
    const unset = this.#definition.unsetVariables;
    return {
      kind: 'compose',
      summary: `compose definition ${this.#definition.dir} (${this.#definition.files.join(', ')}), profiles ${this.#profiles.join(', ') || 'none'} — nothing started: ${this.#why}`,
      endpoints: {},
      notes: [
        `${this.#definition.services.length} services declared, profiles offered: ${this.#definition.declaredProfiles.join(', ') || 'none'}`,
        ...(unset.length ? [`variables neither the environment nor ${this.#definition.envFile ?? 'an env file'} sets (compose makes them empty): ${unset.join(', ')}`] : []),
      ],
    };
  }

  async connectPayer(): Promise<void> {}

  async stop(): Promise<void> {}
}
