import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ensureDirectory } from '../support/files.ts';

/**
 * `allure-results/` is a folder other tools write to as well (Allure collects every tool's results
 * in one place). A run removes only the files an earlier run of ours wrote, listed in this file,
 * and lists its own when it ends; another tool's files are never touched.
 */
export const OUR_FILES = '.mojaloop-conformance-files.json';

/** Removes the files our last run listed; returns the files left, which are not ours. */
export async function clearOurAllureResults(allureDir: string): Promise<Set<string>> {
  await ensureDirectory(allureDir);
  const listed = await readOurFiles(allureDir);
  // basename: a tampered list must not reach outside the folder.
  await Promise.all(listed.map((file) => rm(join(allureDir, basename(file)), { force: true })));
  await rm(join(allureDir, OUR_FILES), { force: true });
  return new Set(await readdir(allureDir));
}

/** Lists as ours every file that appeared since `notOurs` was taken, for the next run to remove. */
export async function recordOurAllureResults(allureDir: string, notOurs: ReadonlySet<string>): Promise<void> {
  const ours = (await readdir(allureDir).catch(() => [] as string[])).filter((file) => !notOurs.has(file) && file !== OUR_FILES).sort();
  await writeFile(join(allureDir, OUR_FILES), `${JSON.stringify(ours, null, 1)}\n`);
}

async function readOurFiles(allureDir: string): Promise<string[]> {
  const text = await readFile(join(allureDir, OUR_FILES), 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  try {
    const list: unknown = JSON.parse(text);
    return Array.isArray(list) ? list.filter((file): file is string => typeof file === 'string') : [];
  } catch {
    return [];
  }
}
