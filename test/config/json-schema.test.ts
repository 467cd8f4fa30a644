import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { configJsonSchema } from '../../src/config/json-schema.ts';
import { ROOT } from '../helpers/cli.ts';

describe('config JSON Schema', () => {
  it('is committed up to date (run `npm run schema` after changing the config schema)', async () => {
    const committed = JSON.parse(await readFile(join(ROOT, 'schema', 'conformance-config.schema.json'), 'utf8'));
    assert.deepEqual(committed, configJsonSchema());
  });

  it('describes the tiers an editor should offer, whatever the target', () => {
    const schema = configJsonSchema() as { anyOf: Array<{ properties: { tier: { enum: string[] } } }> };
    assert.equal(schema.anyOf.length, 4);
    for (const shape of schema.anyOf) assert.deepEqual(shape.properties.tier.enum, ['core-test-harness', 'miniloop', 'helm', 'iac']);
  });

  it('has one shape per target, each refusing the sections of the others and requiring no target (the tool implies one)', () => {
    const schema = configJsonSchema() as { anyOf: Array<{ properties: Record<string, { const?: string; not?: object }>; required?: string[] }> };
    const sections = { embedded: ['embedded'], url: ['provision'], compose: ['provision', 'compose'], kubernetes: ['provision', 'kubernetes'] } as const;
    const owned = ['embedded', 'provision', 'compose', 'kubernetes'];
    for (const shape of schema.anyOf) {
      const target = shape.properties.target!.const as keyof typeof sections;
      assert.ok(!(shape.required ?? []).includes('target'), target);
      for (const section of owned) {
        const own = (sections[target] as readonly string[]).includes(section);
        assert.equal(shape.properties[section]?.not !== undefined, !own, `${target}: ${section}`);
      }
    }
  });
});
