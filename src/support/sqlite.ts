import { createRequire } from 'node:module';
import type * as Sqlite from 'node:sqlite';

const require = createRequire(import.meta.url);
let loaded: typeof Sqlite | undefined;

/**
 * node:sqlite, loaded on first use. Node 22 flags it experimental and prints a warning on load;
 * that warning is about Node's API, not about anything the user did, so it is kept out of their
 * terminal. Every other warning still shows.
 */
export function sqlite(): typeof Sqlite {
  if (loaded) return loaded;
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning).includes('SQLite is an experimental feature')) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    loaded = require('node:sqlite') as typeof Sqlite;
  } finally {
    process.emitWarning = emitWarning;
  }
  return loaded;
}
