import { z } from 'zod';
import { ConfigSchema } from './schema.ts';

/**
 * JSON Schema of the config file as a user writes it (every field optional), for editor completion:
 * one shape per target. A file without `target` is any shape whose sections fit (the tool implies the
 * target: a hub URL means url, a harness compose, else embedded), so the shapes are `anyOf`, none
 * requiring `target`; sections another target owns are `not: {}` in each shape.
 */
export function configJsonSchema(): Record<string, unknown> {
  const { oneOf, ...rest } = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as { oneOf: Array<Record<string, unknown>> } & Record<string, unknown>;
  return {
    ...rest,
    anyOf: oneOf.map(({ required, ...shape }) => {
      const stillRequired = (required as string[] | undefined)?.filter((field) => field !== 'target') ?? [];
      return stillRequired.length > 0 ? { ...shape, required: stillRequired } : shape;
    }),
    $id: 'https://mojaloop.io/conformance/conformance-config.schema.json',
    title: 'Mojaloop conformance configuration',
  };
}
