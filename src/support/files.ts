import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`, one level at a time. Node's recursive mkdir never returns under /proc (it retries
 * forever at full CPU); creating each missing level ourselves fails there at once with ENOENT.
 */
export async function ensureDirectory(path: string): Promise<void> {
  // A few stat calls: the synchronous walk costs nothing worth a second copy of it.
  ensureDirectorySync(path);
}

/** `ensureDirectory` for a caller that must have the folder before it goes on (a database file opened next). */
export function ensureDirectorySync(path: string): void {
  const missing: string[] = [];
  for (let current = resolve(path); ; current = dirname(current)) {
    try {
      if (!statSync(current).isDirectory()) throw Object.assign(new Error(`${current} is not a directory`), { code: 'ENOTDIR' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.unshift(current);
      if (dirname(current) === current) break;
    }
  }
  for (const directory of missing) {
    try {
      mkdirSync(directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
