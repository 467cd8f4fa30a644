// `npm run harness:images`: builds the images of the reference harness (fixtures/harness) locally —
// no registry is reachable here, so nothing is pulled:
//
//   conformance-harness/node:<hash>            Node 22 FROM scratch: the project's own node binary and
//                                              the shared libraries ldd lists for it
//   conformance-harness/hub-deps:<hash>        node plus the production node_modules (changes with the lock),
//                                              one layer made by docker import
//   conformance-harness/reference-hub:<hash>   that plus this project (src, bin, fixtures/hub, …):
//                                              the hub, its admin API, the payee simulator
//   conformance-harness/mariadb:<hash>         MariaDB FROM scratch: the host's mariadbd (Debian's
//                                              mariadb-server, apt) with its libraries and a data
//                                              folder initialised at build time
//
// Each image is tagged with a hash of its inputs and skipped when that tag exists (a second run
// takes about a second); the `:local` tag, which fixtures/harness/docker-compose.yml uses, is moved
// to the newest build. Prints one line per image: NAME:TAG built|cached (seconds).
// Why MariaDB from the host and not a debootstrap root filesystem: debootstrap fetches ~100
// packages (minutes, and a mirror per build machine); the host's mariadbd with its libraries is
// the same Debian build, copied in ~3 s.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const IMAGES_DIR = join(ROOT, 'fixtures', 'harness', 'images');
const WORK = join(process.env.HARNESS_BUILD_CACHE ?? join(homedir(), '.cache', 'conformance', 'harness-build'));
export const IMAGE_PREFIX = 'conformance-harness';
/** The tag the compose file uses; moved to the newest build of each image. */
export const LOCAL_TAG = 'local';

/** What the application image holds of this project: what `npm run hub` and the payee simulator read. */
const APP_PATHS = ['package.json', 'package-lock.json', 'bin', 'src', 'fixtures/hub', 'fixtures/harness/scripts', 'scenarios', 'features'];
/**
 * Production dependencies the containers never load: they drive Docker and Kafka from the host.
 * Left out of the image (with whatever only they need) to keep it small and its build fast.
 */
const NOT_IN_CONTAINERS = new Set(['testcontainers', '@testcontainers/mysql', '@testcontainers/kafka', '@testcontainers/k3s']);

class BuildError extends Error {}

function fail(message: string): never {
  throw new BuildError(message);
}

function docker(args: string[], input?: string): string {
  const result = spawnSync('docker', args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, DOCKER_BUILDKIT: '0' }, timeout: 600_000 });
  if (result.error) fail(`docker ${args[0]} failed: ${result.error.message} (is Docker installed? scripts/docker-engine.sh installs and starts it)`);
  if (result.status !== 0) fail(`docker ${args.join(' ').slice(0, 80)} failed: ${(result.stderr || result.stdout).trim().split('\n').at(-1)}`);
  return result.stdout;
}

function imageExists(ref: string): boolean {
  return spawnSync('docker', ['image', 'inspect', ref], { stdio: 'ignore', timeout: 30_000 }).status === 0;
}

/** A hash of the files under `paths` (relative to `base`): names and contents, in a stable order. */
function hashFiles(hash: ReturnType<typeof createHash>, base: string, paths: string[]): void {
  const walk = (path: string): void => {
    const full = join(base, path);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const name of readdirSync(full).sort()) walk(join(path, name));
    } else {
      hash.update(`${path}\0`).update(readFileSync(full)).update('\0');
    }
  };
  for (const path of paths) walk(path);
}

/** The shared libraries a binary loads, as ldd resolves them on this host (absolute paths). */
function sharedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return [...out.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((match) => match[1]!);
}

/** Copies files into `rootfs` at the same absolute paths, following symlinks (the image has no others). */
function copyIntoRootfs(rootfs: string, files: string[]): void {
  for (const file of files) {
    const target = join(rootfs, file);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(realpathSync(file), target, { dereference: true });
  }
}

interface Built { ref: string; cached: boolean; seconds: number }

function build(name: string, hash: string, stage: (context: string) => void, buildArgs: Record<string, string> = {}): Built {
  const started = Date.now();
  const ref = `${IMAGE_PREFIX}/${name}:${hash}`;
  const local = `${IMAGE_PREFIX}/${name}:${LOCAL_TAG}`;
  if (imageExists(ref)) {
    docker(['tag', ref, local]);
    return { ref, cached: true, seconds: (Date.now() - started) / 1000 };
  }
  const context = join(WORK, name);
  rmSync(context, { recursive: true, force: true });
  mkdirSync(context, { recursive: true });
  cpSync(join(IMAGES_DIR, name), context, { recursive: true });
  stage(context);
  docker(['build', '-q', '-t', ref, '-t', local, ...Object.entries(buildArgs).flatMap(([key, value]) => ['--build-arg', `${key}=${value}`]), context]);
  // The staged context is only the build's input; the image holds it now.
  rmSync(context, { recursive: true, force: true });
  return { ref, cached: false, seconds: (Date.now() - started) / 1000 };
}

function nodeBinary(): string {
  const binary = join(ROOT, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(binary)) fail(`no Node 22 binary at ${relative(ROOT, binary)}: run npm ci (it installs the project's Node 22)`);
  return realpathSync(binary);
}

function buildNode(): Built {
  const binary = nodeBinary();
  const libraries = sharedLibraries(binary);
  const hash = createHash('sha256');
  hashFiles(hash, IMAGES_DIR, ['node']);
  // The binary's size and mtime stand for its 120 MB of content; the libraries by path and content.
  const { size, mtimeMs } = statSync(binary);
  hash.update(`${binary}\0${size}\0${mtimeMs}\0`);
  for (const library of libraries) hash.update(`${library}\0`).update(readFileSync(library));
  return build('node', hash.digest('hex').slice(0, 12), (context) => stageNodeRootfs(join(context, 'rootfs')));
}

/** Node 22 and the libraries it loads, at their paths, plus /tmp: the root filesystem of the node image. */
function stageNodeRootfs(rootfs: string): void {
  const binary = nodeBinary();
  copyIntoRootfs(rootfs, sharedLibraries(binary));
  mkdirSync(join(rootfs, 'usr', 'local', 'bin'), { recursive: true });
  cpSync(binary, join(rootfs, 'usr', 'local', 'bin', 'node'));
  // Node writes temporary files (and the hub its SQLite ledger) under /tmp.
  mkdirSync(join(rootfs, 'tmp'), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
}

interface LockPackage { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }>; dev?: boolean; link?: boolean }

/**
 * The node_modules folders the containers need: the closure of the project's production
 * dependencies (minus NOT_IN_CONTAINERS), peers included, as package-lock.json resolves them — Node's lookup,
 * nearest node_modules first. Returns lock paths ("node_modules/a", "node_modules/a/node_modules/b").
 */
export function productionPackages(lock: { packages: Record<string, LockPackage> }): string[] {
  const packages = lock.packages;
  const resolve = (from: string, name: string): string | undefined => {
    for (let base = from; ; base = base.slice(0, Math.max(0, base.lastIndexOf('/node_modules/')))) {
      const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
      if (packages[candidate]) return candidate;
      if (!base) return undefined;
    }
  };
  const needed = new Set<string>();
  const visit = (path: string, deps: Record<string, string>): void => {
    for (const name of Object.keys(deps)) {
      if (path === '' && NOT_IN_CONTAINERS.has(name)) continue;
      const found = resolve(path, name);
      if (!found || needed.has(found)) continue;
      needed.add(found);
      const entry = packages[found]!;
      // Peers too (not the optional ones): npm installs them, and libraries require them (central-services-shared its metrics).
      const peers = Object.fromEntries(Object.entries(entry.peerDependencies ?? {}).filter(([peer]) => !entry.peerDependenciesMeta?.[peer]?.optional));
      visit(found, { ...entry.dependencies, ...entry.optionalDependencies, ...peers });
    }
  };
  visit('', packages['']?.dependencies ?? {});
  return [...needed].sort();
}

/**
 * Node and the production node_modules as ONE layer, made by `docker import` from a tar stream of
 * the files where they are — not `docker build` with a COPY: that sends ~300 MB in 33 000 files to
 * the daemon, extracts them, copies them into a layer and tars that again (2.5 min cold under load
 * here, against ~1/4 of it this way). The hub's code goes on top in a small layer of its own.
 */
function buildHubDeps(node: string): Built {
  const started = Date.now();
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };
  const modules = productionPackages(lock);
  const hash = createHash('sha256').update(`${node}\0`);
  // node_modules is what package-lock.json says (npm ci): the lock stands for it; this script
  // decides what of it goes in.
  hashFiles(hash, ROOT, ['package-lock.json', 'scripts/build-harness-images.ts']);
  const ref = `${IMAGE_PREFIX}/hub-deps:${hash.digest('hex').slice(0, 12)}`;
  const local = `${IMAGE_PREFIX}/hub-deps:${LOCAL_TAG}`;
  if (imageExists(ref)) {
    docker(['tag', ref, local]);
    return { ref, cached: true, seconds: (Date.now() - started) / 1000 };
  }
  const context = join(WORK, 'hub-deps');
  rmSync(context, { recursive: true, force: true });
  const rootfs = join(context, 'rootfs');
  stageNodeRootfs(rootfs);
  mkdirSync(join(rootfs, 'app', 'node_modules'), { recursive: true });
  const nodeModules = realpathSync(join(ROOT, 'node_modules'));
  // Top-level folders only: a package nested under one listed comes with it.
  const listed = modules.filter((path) => !modules.some((other) => path !== other && path.startsWith(`${other}/`)) && existsSync(join(dirname(nodeModules), path)));
  const listFile = join(context, 'modules.txt');
  writeFileSync(listFile, `${listed.join('\n')}\n`);
  // A pipe, so the 300 MB never lands on disk twice; pipefail so a failing tar fails the build.
  const result = spawnSync('bash', ['-c', `set -o pipefail
    tar -c -f - -C "$1" . -C "$2" --transform 's,^node_modules/,app/node_modules/,S' -T "$3" \\
      | docker import -c 'ENV PATH=/usr/local/bin' -c 'ENTRYPOINT ["/usr/local/bin/node"]' - "$4"`, 'import', rootfs, dirname(nodeModules), listFile, ref],
  { encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0) fail(`docker import of hub-deps failed: ${(result.stderr || String(result.error)).trim().split('\n').at(-1)}`);
  docker(['tag', ref, local]);
  rmSync(context, { recursive: true, force: true });
  return { ref, cached: false, seconds: (Date.now() - started) / 1000 };
}

function buildReferenceHub(base: string): Built {
  const hash = createHash('sha256').update(`${base}\0`);
  hashFiles(hash, IMAGES_DIR, ['reference-hub']);
  hashFiles(hash, ROOT, APP_PATHS);
  return build('reference-hub', hash.digest('hex').slice(0, 12), (context) => {
    for (const path of APP_PATHS) if (existsSync(join(ROOT, path))) cpSync(join(ROOT, path), join(context, 'app', path), { recursive: true });
  }, { BASE: base });
}

const MARIADB_FILES = ['/usr/sbin/mariadbd', '/usr/bin/mariadb-admin', '/usr/bin/mariadb'];

function buildMariadb(): Built {
  for (const file of MARIADB_FILES) {
    if (!existsSync(file)) fail(`${file} is missing: the MariaDB image is built from the host's MariaDB — apt-get install -y mariadb-server (scripts/central-ledger.sh install does it)`);
  }
  const libraries = [...new Set(MARIADB_FILES.flatMap(sharedLibraries))];
  const hash = createHash('sha256');
  hashFiles(hash, IMAGES_DIR, ['mariadb']);
  for (const file of [...MARIADB_FILES, ...libraries]) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${file}\0${size}\0${mtimeMs}\0`);
  }
  return build('mariadb', hash.digest('hex').slice(0, 12), (context) => {
    const rootfs = join(context, 'rootfs');
    copyIntoRootfs(rootfs, [...MARIADB_FILES, ...libraries]);
    // Error messages and character sets mariadbd reads at start.
    for (const dir of ['english', 'charsets']) cpSync(join('/usr/share/mysql', dir), join(rootfs, 'usr/share/mysql', dir), { recursive: true });
    // The system tables, made by the host's installer now: the image has no shell to run it at start.
    const datadir = join(rootfs, 'var/lib/mysql');
    const install = spawnSync('mariadb-install-db', ['--no-defaults', `--datadir=${datadir}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db', '--innodb-log-file-size=16M'], { encoding: 'utf8', timeout: 120_000 });
    if (install.status !== 0) fail(`mariadb-install-db failed: ${(install.stderr || install.stdout).trim().split('\n').at(-1)}`);
    for (const dir of ['run/mysqld', 'tmp']) {
      mkdirSync(join(rootfs, dir), { recursive: true });
      chmodSync(join(rootfs, dir), 0o1777);
    }
  });
}

/** Builds (or finds) every harness image; returns them in build order. */
export function buildHarnessImages(log: (line: string) => void = () => {}): Built[] {
  const report = (built: Built) => {
    log(`${built.ref} ${built.cached ? 'cached' : 'built'} (${built.seconds.toFixed(1)} s)`);
    return built;
  };
  const node = report(buildNode());
  const deps = report(buildHubDeps(node.ref));
  const hub = report(buildReferenceHub(deps.ref));
  const mariadb = report(buildMariadb());
  return [node, deps, hub, mariadb];
}

if (import.meta.main) {
  try {
    const started = Date.now();
    buildHarnessImages((line) => process.stdout.write(`${line}\n`));
    process.stdout.write(`harness images ready in ${((Date.now() - started) / 1000).toFixed(1)} s (tag :${LOCAL_TAG} points at them)\n`);
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    process.stderr.write(`build-harness-images: ${error.message}\n`);
    process.exit(1);
  }
}
