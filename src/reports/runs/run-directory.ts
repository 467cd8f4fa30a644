import { randomBytes } from 'node:crypto';
import { cp, lstat, mkdir, readdir, readlink, rename, rm, stat, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ensureDirectory } from '../../support/files.ts';

/**
 * Where each run's outputs live: `REPORTS/runs/<run id>/`, and `REPORTS/latest` for the newest.
 *
 * `latest` is a symbolic link (`runs/<run id>`, relative, so the reports folder can be moved or
 * archived whole), replaced by renaming a new link over it: a reader of
 * `reports/latest/result.json` sees the previous run or the new one, never a mix, and no
 * moment without one. On Windows it is a directory junction (creating one needs no administrator
 * right or developer mode, unlike a symbolic link; a junction cannot be renamed over another, so
 * there the old one is removed first — a moment without `latest`). Where no link can be made at all
 * (a FAT or SMB file system), `latest` is a copy of the run's folder, made beside it and swapped in.
 */
export const DEFAULT_KEPT_RUNS = 20;
export const RUNS_FOLDER = 'runs';
export const LATEST = 'latest';

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Sortable by time, unique without coordination: "20261205T111130123Z-4f9a1c". */
export function newRunId(now: Date = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace('.', '')}-${randomBytes(3).toString('hex')}`;
}

export function isRunId(value: string): boolean {
  return RUN_ID.test(value) && value !== '.' && value !== '..';
}

export interface RunDirectory {
  runId: string;
  /** Absolute path of `REPORTS/runs/<run id>/`, created empty. */
  dir: string;
}

/** Creates the run's own folder; a run id already used is refused (a run never writes into another's folder). */
export async function allocateRunDirectory(reportsDir: string, runId: string = newRunId()): Promise<RunDirectory> {
  if (!isRunId(runId)) throw new Error(`run id "${runId}" cannot name a folder (letters, digits, ".", "_", "-")`);
  const runs = join(resolve(reportsDir), RUNS_FOLDER);
  await ensureDirectory(runs);
  const dir = join(runs, runId);
  await mkdir(dir); // EEXIST when the id was used: a defect of whoever chose it, not something to paper over
  return { runId, dir };
}

export interface PublishOptions {
  /** Runs kept under runs/, the one published included (default 20); older ones are removed. */
  keep?: number;
  /** 'link' (default; falls back to a copy where the file system has no links) or 'copy'. */
  latestAs?: 'link' | 'copy';
}

export interface Published {
  latest: string;
  latestAs: 'link' | 'copy';
  /** Run ids removed to keep the bound. */
  removed: string[];
  /** A `latest/` folder of the layout before run ids, kept as this run id. */
  migrated?: string;
}

/**
 * Makes `runId` the newest run (`REPORTS/latest`), then removes the oldest runs beyond `keep`.
 * Call it under the run's `ReportsLock`, once when the run's folder holds its in-progress
 * result.json (so `latest` never shows an older run's verdict while a newer one runs or after it
 * was killed) and again when its files are written.
 */
export async function publishLatest(reportsDir: string, runId: string, options: PublishOptions = {}): Promise<Published> {
  const root = resolve(reportsDir);
  const keep = options.keep ?? DEFAULT_KEPT_RUNS;
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`keep must be a whole number of runs, at least 1 (got ${keep})`);
  const target = join(root, RUNS_FOLDER, runId);
  if (!(await stat(target).catch(() => undefined))?.isDirectory()) throw new Error(`no run folder ${target} to publish`);
  const latest = join(root, LATEST);
  const migrated = await keepFolderOfOldLayout(root, latest);
  let latestAs: Published['latestAs'] = options.latestAs ?? 'link';
  if (latestAs === 'link') {
    try {
      await replaceWithLink(latest, runId);
    } catch (error) {
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EINVAL', 'ENOSYS'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
      latestAs = 'copy';
    }
  }
  if (latestAs === 'copy') await replaceWithCopy(latest, target);
  const removed = await pruneRuns(root, keep, runId);
  return { latest, latestAs, removed, ...(migrated ? { migrated } : {}) };
}

async function replaceWithLink(latest: string, runId: string): Promise<void> {
  const draft = `${latest}.${process.pid}.link`;
  await rm(draft, { force: true, recursive: true });
  if (process.platform === 'win32') {
    await symlink(resolve(latest, '..', RUNS_FOLDER, runId), draft, 'junction');
    await rm(latest, { force: true, recursive: false }).catch(() => undefined);
  } else {
    await symlink(`${RUNS_FOLDER}/${runId}`, draft, 'dir');
  }
  try {
    await rename(draft, latest);
  } catch (error) {
    await rm(draft, { force: true });
    throw error;
  }
}

/** A copy made beside `latest`, then swapped in; the previous copy is removed after. */
async function replaceWithCopy(latest: string, target: string): Promise<void> {
  const draft = `${latest}.${process.pid}.copy`;
  await rm(draft, { force: true, recursive: true });
  await cp(target, draft, { recursive: true });
  const old = `${latest}.${process.pid}.old`;
  const existing = await lstat(latest).catch(() => undefined);
  if (existing) await rename(latest, old);
  await rename(draft, latest);
  if (existing) await rm(old, { force: true, recursive: true });
}

/**
 * `latest/` as a real folder written straight into, by a version before run ids (or a copy of
 * this one): a copy of a run already kept is dropped, anything else kept as a run of its own
 * ("before-run-ids-<time>"), never deleted.
 */
async function keepFolderOfOldLayout(root: string, latest: string): Promise<string | undefined> {
  const found = await lstat(latest).catch(() => undefined);
  if (!found || !found.isDirectory() || found.isSymbolicLink()) return undefined;
  const result = await stat(join(latest, 'result.json')).catch(() => undefined);
  const runId = `before-run-ids-${newRunId(result?.mtime ?? found.mtime)}`;
  await ensureDirectory(join(root, RUNS_FOLDER));
  await rename(latest, join(root, RUNS_FOLDER, runId));
  return runId;
}

/**
 * Keeps the `keep` newest runs (by when their result.json was written: written once when the run
 * ends, unlike the folder, which signing a statement later touches) and `protect`; removes the others. Only folders that hold a result.json or an
 * attestation are runs: anything else a user put under runs/ is left alone.
 */
export async function pruneRuns(reportsDir: string, keep: number, protect?: string): Promise<string[]> {
  const runs = join(resolve(reportsDir), RUNS_FOLDER);
  const entries = await readdir(runs, { withFileTypes: true }).catch(() => []);
  const found: Array<{ runId: string; changed: number }> = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !isRunId(entry.name)) continue;
    const dir = join(runs, entry.name);
    const marker = await stat(join(dir, 'result.json')).catch(() => stat(join(dir, 'attestation.intoto.json'))).catch(() => undefined);
    if (!marker) continue;
    found.push({ runId: entry.name, changed: marker.mtimeMs });
  }
  found.sort((a, b) => b.changed - a.changed || (a.runId < b.runId ? 1 : -1));
  const kept = new Set(found.slice(0, keep).map((run) => run.runId));
  if (protect) kept.add(protect);
  const removed = found.filter((run) => !kept.has(run.runId)).map((run) => run.runId);
  for (const runId of removed) await rm(join(runs, runId), { recursive: true, force: true });
  return removed;
}

/** The run id `REPORTS/latest` points to, when it is a link (a copy names none). */
export async function latestRunId(reportsDir: string): Promise<string | undefined> {
  const target = await readlink(join(resolve(reportsDir), LATEST)).catch(() => undefined);
  return target?.split(/[\\/]/).filter(Boolean).at(-1);
}
