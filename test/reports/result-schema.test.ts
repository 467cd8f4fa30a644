import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { noRunDocument } from '../../src/reports/result-document.ts';
import { ResultDocumentSchema, resultJsonSchema } from '../../src/reports/result-schema.ts';
import { ROOT } from '../helpers/cli.ts';
import { sampleDocument, validateResult } from '../helpers/result-document.ts';

describe('result.json schema', () => {
  it('is committed up to date (run `npm run schema` after changing result-schema.ts)', async () => {
    const committed = JSON.parse(await readFile(join(ROOT, 'schema', 'result.schema.json'), 'utf8'));
    assert.deepEqual(committed, resultJsonSchema());
  });

  it('accepts a run\'s document and the document of a run with no result, by the JSON Schema as by zod', () => {
    const documents = [
      sampleDocument(),
      sampleDocument(undefined, { interrupted: true, environment: null }),
      noRunDocument({ name: 'mojaloop-conformance', version: '0.1.0' }, 'the run did not start: bad config', 2),
      noRunDocument({ name: 'mojaloop-conformance', version: '0.1.0' }, 'the run has not finished', null, { runId: 'r', startedAt: new Date() }),
    ];
    for (const document of JSON.parse(JSON.stringify(documents)) as unknown[]) {
      assert.ok(validateResult(document), JSON.stringify(validateResult.errors?.slice(0, 3)));
      assert.ok(ResultDocumentSchema.safeParse(document).success);
    }
  });

  it('refuses a document of another schema version, one missing its fingerprint, or one with a verdict it does not know', () => {
    const good = JSON.parse(JSON.stringify(sampleDocument())) as Record<string, unknown>;
    const { fingerprint: _fingerprint, ...unfingerprinted } = good;
    const unknownVerdict = { ...good, guarantees: [{ ...(good.guarantees as object[])[0], verdict: 'MAYBE' }] };
    for (const [what, document] of [['schemaVersion 1', { ...good, schemaVersion: 1 }], ['no fingerprint', unfingerprinted], ['verdict MAYBE', unknownVerdict]] as const) {
      assert.equal(validateResult(document), false, what);
      assert.equal(ResultDocumentSchema.safeParse(document).success, false, what);
    }
  });
});
