import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { EnvironmentUnavailableError } from '../../config/errors.ts';
import type { ConfigFor } from '../../config/schema.ts';
import type { HeldResources } from '../../support/held-resources.ts';
import { firstLine, interruptedBy, within } from '../bring-up.ts';

/** The engine's pull error is JSON-ish ("(HTTP code 500) server error - Get …: dial tcp: lookup … no such host"): kept whole up to this, it is the reason. */
const PULL_ERROR_MAX = 300;
import { brokenEngineLine, dockerEndpoint, pingEngine } from '../compose/docker-engine.ts';

/** The label every k3s container a run starts carries: a sweep by label finds what a killed run left. */
export const K3S_LABEL = 'org.mojaloop.conformance.k3s';

export type K3sSettings = ConfigFor<'kubernetes'>['kubernetes']['k3s'];

export interface K3sDeps {
  progress: (line: string) => void;
  /** Aborted when the run is interrupted: a cluster still coming up stops and is removed. */
  signal?: AbortSignal | undefined;
  held?: HeldResources | undefined;
  /** The engine's environment (DOCKER_HOST…); default process.env. */
  env?: Record<string, string | undefined> | undefined;
}

/** A k3s cluster this run brought up: the kubeconfig that reaches it, and its removal. */
export interface StartedK3sCluster {
  /** A kubeconfig file (mode 0600, in a temporary folder of its own) whose current context is the cluster. */
  readonly kubeconfig: string;
  /** "k3s cluster conformance-k3s-1a2b3c (rancher/k3s:…) on the Docker engine unix:///…", for the run's notes. */
  readonly description: string;
  /** Removes the container and the kubeconfig. Safe to call twice. */
  stop(): Promise<void>;
}

/** The command that removes what a run's k3s cluster left behind. */
export function removeK3sCommand(name: string): string {
  return `docker rm -f -v ${name}`;
}

/**
 * Brings up a single-node k3s cluster with @testcontainers/k3s: the engine asked first (bounded),
 * the image looked for and pulled only when absent, the container held while it exists (what a
 * second Ctrl-C would leave) and removed on failure and on interruption. Every failure is one line
 * that names the image or the engine and what to do; none leaves a container behind.
 */
export async function startK3sCluster(settings: K3sSettings, deps: K3sDeps): Promise<StartedK3sCluster> {
  const endpoint = dockerEndpoint(deps.env);
  const engine = await pingEngine(endpoint, 10_000);
  if (!engine.ok) {
    throw new EnvironmentUnavailableError(engine.absent
      ? `no Docker engine at ${endpoint.url} (${engine.reason}): --k3s runs a k3s cluster in a container — install and start Docker (docs/compose.md) or set DOCKER_HOST, or point the run at a cluster with --kubeconfig`
      : brokenEngineLine(endpoint, engine.reason).replace(', or evaluate the compose files alone with --definition-only', ', or point the run at a cluster with --kubeconfig'));
  }
  const [{ getContainerRuntimeClient, PullPolicy }, { K3sContainer }] = await Promise.all([import('testcontainers'), import('@testcontainers/k3s')]);
  const client = await within(getContainerRuntimeClient(), 15_000, () => `testcontainers found no working container runtime at ${endpoint.url} within 15000 ms`);
  const docker = client.container.dockerode;
  const where = `the Docker engine ${endpoint.url} (${engine.version})`;
  await ensureImage(docker, settings, where, deps);

  const name = `conformance-k3s-${randomBytes(3).toString('hex')}`;
  let created = 0;
  const release = deps.held?.hold({ name: `k3s cluster ${name}`, containers: () => created, removeWith: removeK3sCommand(name) }) ?? (() => undefined);
  const remove = () => within(docker.getContainer(name).remove({ force: true, v: true }), 60_000, () => 'not removed in 60 s').catch(() => undefined);
  deps.progress(`  k3s cluster ${name}: starting ${settings.image} on ${where}, budget ${Math.round(settings.startupTimeoutMs / 1000)} s`);
  const began = Date.now();
  created = 1;
  const starting = new K3sContainer(settings.image)
    .withName(name).withLabels({ [K3S_LABEL]: name })
    .withPullPolicy(PullPolicy.neverPull()).withAutoCleanup(false)
    .withStartupTimeout(settings.startupTimeoutMs)
    .start();
  let kubeconfigDir: string | undefined;
  try {
    const container = await within(Promise.race([starting, interruptedBy(deps.signal, 'interrupted')]), settings.startupTimeoutMs + 30_000,
      () => `k3s did not come up within ${settings.startupTimeoutMs + 30_000} ms`);
    kubeconfigDir = await mkdtemp(join(tmpdir(), 'conformance-k3s-'));
    const kubeconfig = join(kubeconfigDir, 'kubeconfig');
    // The cluster's admin credentials: readable by this user only, and gone with the cluster.
    await writeFile(kubeconfig, container.getKubeConfig(), { mode: 0o600 });
    deps.progress(`  k3s cluster ${name}: ready (${((Date.now() - began) / 1000).toFixed(1)} s)`);
    let stopped: Promise<void> | undefined;
    const dir = kubeconfigDir;
    return {
      kubeconfig,
      description: `k3s cluster ${name} (${settings.image}) brought up by the run on ${where}, removed at its end`,
      stop: () => stopped ??= (async () => {
        await within(container.stop({ timeout: 10_000, remove: true, removeVolumes: true }), 60_000, () => 'not stopped in 60 s').catch(() => undefined);
        await remove();
        await rm(dir, { recursive: true, force: true });
        release();
      })(),
    };
  } catch (error) {
    // A start still under way would create its container after the removal: let it settle (bounded) first.
    await within(starting.then(() => undefined, () => undefined), 30_000, () => 'start still running').catch(() => undefined);
    await remove();
    if (kubeconfigDir) await rm(kubeconfigDir, { recursive: true, force: true });
    release();
    const reason = deps.signal?.aborted ? 'interrupted while it was coming up' : firstLine(error, PULL_ERROR_MAX);
    throw new EnvironmentUnavailableError(`the k3s cluster ${name} (${settings.image}) did not come up: ${reason}; removed — check that ${where} may run privileged containers (k3s needs it), or point the run at a cluster with --kubeconfig`);
  }
}

/**
 * The image on the engine, or pulled there within the start budget. Where nothing can be pulled
 * (no registry), the line says so with what to do: load the image, or use a cluster that exists.
 */
async function ensureImage(docker: Dockerode, settings: K3sSettings, where: string, deps: K3sDeps): Promise<void> {
  if (await docker.getImage(settings.image).inspect().then(() => true, () => false)) return;
  deps.progress(`  k3s: ${settings.image} is not on ${where}; pulling it`);
  const pulled = new Promise<void>((resolve, reject) => {
    docker.pull(settings.image, (error: Error | null, stream?: NodeJS.ReadableStream) => {
      if (error || !stream) return reject(error ?? new Error('no pull stream'));
      docker.modem.followProgress(stream, (failed: Error | null) => (failed ? reject(failed) : resolve()));
    });
  });
  try {
    await within(Promise.race([pulled, interruptedBy(deps.signal, 'interrupted')]), settings.startupTimeoutMs, () => `no pull within ${settings.startupTimeoutMs} ms`);
  } catch (error) {
    throw new EnvironmentUnavailableError(`the k3s image ${settings.image} is not on ${where} and cannot be pulled from here (${firstLine(error, PULL_ERROR_MAX)}); `
      + `load it with \`docker load -i k3s.tar\` (made with \`docker save ${settings.image}\` where a registry is reachable), choose one the engine has with --k3s-image, or point the run at a cluster with --kubeconfig`);
  }
}

