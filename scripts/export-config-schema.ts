import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configJsonSchema } from '../src/config/json-schema.ts';

const file = join(import.meta.dirname, '..', 'schema', 'conformance-config.schema.json');
await writeFile(file, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
