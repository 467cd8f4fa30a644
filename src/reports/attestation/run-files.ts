import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

/**
 * The files of a run's folder, named as the statement names them: paths relative to the folder,
 * with `/` on every platform, so a statement written on Linux verifies on Windows and after the
 * folder was moved or archived.
 */
export async function runFileNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** The sha256 of a file as lower-case hex, read as a stream (report.html of a long load run is megabytes). */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/**
 * Where `name` (as a statement names it) is inside `dir`, or undefined when it would be outside:
 * a statement is data from disk, and one naming `../../etc/passwd` must not make the verifier read
 * or vouch for a file the run never wrote.
 */
export function insideRunDir(dir: string, name: string): string | undefined {
  if (name === '' || name.startsWith('/') || name.includes('\\') || /^[A-Za-z]:/.test(name)) return undefined;
  if (name.split('/').some((part) => part === '..' || part === '.' || part === '')) return undefined;
  return join(dir, ...name.split('/'));
}
