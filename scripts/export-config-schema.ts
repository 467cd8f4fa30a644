import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configJsonSchema } from '../src/config/json-schema.ts';
import { resultJsonSchema } from '../src/reports/result-schema.ts';

// `npm run schema`: the JSON Schemas of what a user writes (the config) and of what a run writes (result.json), from their zod schemas.
for (const [name, schema] of [['conformance-config.schema.json', configJsonSchema()], ['result.schema.json', resultJsonSchema()]] as const) {
  const file = join(import.meta.dirname, '..', 'schema', name);
  await writeFile(file, `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n`);
}
