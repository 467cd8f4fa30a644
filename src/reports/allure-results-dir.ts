import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ensureDirectory } from '../support/files.ts';

/**
 * `allure-results/` is a folder other tools write to as well (Allure collects every tool's results
 * in one place), so a run removes only what an earlier run of ours wrote. This file says which:
 * written when a run starts with the files that were there before it (`notOurs`), and when it ends
 * with the files it wrote (`ours`) — so even a run killed before its end is cleared up after.
 */
export const OUR_FILES = '.mojaloop-conformance-files.json';

interface OurFiles {
  ours?: string[];
  notOurs?: string[];
}

/** Removes the files our last run wrote; returns the files left, which are not ours, and notes them. */
export async function clearOurAllureResults(allureDir: string): Promise<Set<string>> {
  await ensureDirectory(allureDir);
  const last = await readOurFiles(allureDir);
  const present = (await readdir(allureDir)).filter((file) => file !== OUR_FILES);
  const ours = last.ours ?? (last.notOurs ? present.filter((file) => !last.notOurs!.includes(file)) : []);
  // basename: a tampered list must not reach outside the folder.
  await Promise.all(ours.map((file) => rm(join(allureDir, basename(file)), { force: true })));
  const notOurs = (await readdir(allureDir)).filter((file) => file !== OUR_FILES).sort();
  await writeOurFiles(allureDir, { notOurs });
  return new Set(notOurs);
}

/** Notes as ours every file that appeared since `notOurs` was taken, for the next run to remove. */
export async function recordOurAllureResults(allureDir: string, notOurs: ReadonlySet<string>): Promise<void> {
  const ours = (await readdir(allureDir).catch(() => [] as string[])).filter((file) => !notOurs.has(file) && file !== OUR_FILES).sort();
  await writeOurFiles(allureDir, { ours });
}

async function writeOurFiles(allureDir: string, files: OurFiles): Promise<void> {
  await writeFile(join(allureDir, OUR_FILES), `${JSON.stringify(files, null, 1)}\n`);
}

async function readOurFiles(allureDir: string): Promise<OurFiles> {
  const text = await readFile(join(allureDir, OUR_FILES), 'utf8').catch(() => undefined);
  if (text === undefined) return {};
  try {
    const parsed = JSON.parse(text) as OurFiles;
    const strings = (list: unknown) => (Array.isArray(list) ? list.filter((file): file is string => typeof file === 'string') : undefined);
    const ours = strings(parsed?.ours);
    const notOurs = strings(parsed?.notOurs);
    return { ...(ours ? { ours } : {}), ...(notOurs ? { notOurs } : {}) };
  } catch {
    return {};
  }
}
