import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: features, steps and package.json are found relative to it, wherever the CLI is started from. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const manifest = JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

/** Name and version as package.json states them, stamped on every result. */
export const TOOL: { name: string; version: string } = { name: manifest.name, version: manifest.version };
