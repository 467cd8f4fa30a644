import { rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ensureDirectory } from '../support/files.ts';

/** Writes aside and renames, so a reader (a CI step, another tool) never sees half a file — even when the run is interrupted. */
export async function writeFileAtomically(path: string, content: string): Promise<void> {
  await ensureDirectory(dirname(path));
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}
