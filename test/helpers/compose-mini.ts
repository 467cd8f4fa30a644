import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { dockerEndpoint, pingEngine } from '../../src/environment/compose/docker-engine.ts';
import { ROOT } from './cli.ts';

const run = promisify(execFile);
export const MINI_HARNESS = join(ROOT, 'fixtures', 'compose-mini');
export const MINI_IMAGE = 'conformance-test/mini:local';

/**
 * Whether Docker tests run: with an engine, yes; without one, they are skipped with the reason —
 * except under CI=true, where a missing engine is a failure (CI installs and starts Docker).
 */
export async function dockerOrSkip(): Promise<string | undefined> {
  const status = await pingEngine(dockerEndpoint(), 10_000);
  if (status.ok) return undefined;
  const reason = `no Docker engine at ${dockerEndpoint().url} (${status.reason})`;
  // An engine that is there and broken is a failure anywhere; a missing one only under CI.
  if (process.env.CI === 'true' || !status.absent) throw new Error(`${reason}: ${status.absent ? 'CI must run the Docker tests (scripts/docker-engine.sh starts one)' : 'fix the engine (docker info)'}`);
  return `${reason}; start one to run these tests (docs/compose.md)`;
}

/**
 * Builds the compose-mini image FROM scratch: this project's Node binary, the shared libraries it
 * links, and the fixture's scripts. Skipped when an image of the same content exists (label).
 */
export async function buildMiniImage(tag = MINI_IMAGE): Promise<void> {
  const node = process.execPath;
  const scripts = join(MINI_HARNESS, 'image');
  const names = (await readdir(scripts)).filter((n) => n.endsWith('.mjs')).sort();
  const hash = createHash('sha256').update(node).update(process.version);
  for (const name of names) hash.update(name).update(await readFile(join(scripts, name)));
  const digest = hash.digest('hex').slice(0, 16);
  const existing = await run('docker', ['image', 'inspect', '--format', '{{ index .Config.Labels "content" }}', tag]).catch(() => undefined);
  if (existing?.stdout.trim() === digest) return;
  const context = await mkdtemp(join(tmpdir(), 'compose-mini-image-'));
  try {
    const { stdout } = await run('ldd', [node]);
    const libraries = [...stdout.matchAll(/(\/\S+\.so[.\d]*)/g)].map((m) => m[1]!);
    for (const library of new Set(libraries)) {
      await mkdir(join(context, 'root', dirname(library)), { recursive: true });
      await copyFile(library, join(context, 'root', library));
    }
    await copyFile(node, join(context, 'root', 'node'));
    for (const name of names) await copyFile(join(scripts, name), join(context, 'root', name));
    await writeFile(join(context, 'Dockerfile'), `FROM scratch\nCOPY root/ /\nLABEL content=${digest}\n`);
    await run('docker', ['build', '-q', '-t', tag, context], { maxBuffer: 16 * 1024 * 1024 });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

/** Names of containers, networks and volumes on the engine that contain `marker`. */
export async function leftovers(marker: string): Promise<string[]> {
  const list = async (args: string[]) => (await run('docker', args)).stdout.split('\n').filter((l) => l.includes(marker));
  return [
    ...await list(['ps', '-a', '--format', 'container {{.Names}}']),
    ...await list(['network', 'ls', '--format', 'network {{.Name}}']),
    ...await list(['volume', 'ls', '--format', 'volume {{.Name}}']),
  ];
}

/** Takes a project down (a test's own cleanup, whatever happened). */
export async function composeDown(project: string): Promise<void> {
  await run('docker', ['compose', '-p', project, 'down', '-v', '-t', '1']).catch(() => undefined);
}
