import { z } from 'zod';
import { ConfigSchema } from './schema.ts';

/** JSON Schema of the config file as a user writes it (every field optional), for editor completion. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://mojaloop.io/conformance/conformance-config.schema.json',
    title: 'Mojaloop conformance configuration',
  };
}
