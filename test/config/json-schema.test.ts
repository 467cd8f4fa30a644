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

  it('describes the tiers an editor should offer', () => {
    const schema = configJsonSchema() as { properties: { tier: { enum: string[] } } };
    assert.deepEqual(schema.properties.tier.enum, ['core-test-harness', 'miniloop', 'helm', 'iac']);
  });
});
