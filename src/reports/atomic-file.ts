import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ensureDirectory } from '../support/files.ts';

/**
 * Writes aside and renames, so a reader (a CI step, another tool, a digest over the folder) never
 * sees half a file — even when the run is interrupted. A failed write leaves no draft behind.
 */
export async function writeFileAtomically(path: string, content: string | Buffer): Promise<void> {
  await ensureDirectory(dirname(path));
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
