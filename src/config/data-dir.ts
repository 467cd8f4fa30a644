import { ensureDirectory } from '../support/files.ts';
import { ConfigError } from './errors.ts';

/**
 * Creates the embedded hub's ledger folder (`mkdir -p`) before anything starts, so a folder that
 * cannot be made is a user's mistake named by its field, not SQLite's "unable to open database
 * file" from deep inside the hub.
 */
export async function prepareDataDir(path: string, field: string): Promise<void> {
  try {
    await ensureDirectory(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError(`${field}: the folder "${path}" cannot be created (${code}); name a folder you can write, or leave it out`, [], { cause: error });
  }
}
