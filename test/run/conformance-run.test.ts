import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ResultDocumentSchema } from '../../src/reports/result-schema.ts';
import { validateResult } from '../helpers/result-document.ts';
import { runInProcess } from '../helpers/run.ts';

// Whole runs — every guarantee of a tier, load, faults, interruption — are in the *.e2e.test.ts files
// beside this one. This is the pipeline once through, in seconds, for npm test: config → embedded
// hub → Cucumber scenario → probe → verdict → certificate → every reporter's output.
describe('ConformanceRun, one guarantee through the whole pipeline', () => {
  it('evaluates the golden path on the embedded hub and writes what it measured', async () => {
    const { result, exitCode, byId, output, reportsDir } = await runInProcess({}, { tags: '@guarantee:CTH-FUN-01' });
    assert.equal(exitCode, 0, output);
    const golden = byId['CTH-FUN-01']!;
    assert.equal(golden.verdict, 'PASS', golden.reason ?? output);
    assert.match(golden.measured!, /transfer state: COMMITTED/);
    assert.ok(golden.evidence.length > 0 && golden.evidence.every((m) => m.ok));
    assert.equal(result.summary.passed, 1);
    assert.equal(result.certificate.status, 'INCOMPLETE', 'one guarantee selected by --tags never certifies a tier');
    const written = JSON.parse(await readFile(join(reportsDir, 'latest', 'result.json'), 'utf8')) as { guarantees: { id: string; verdict: string }[] };
    assert.equal(written.guarantees.find((g) => g.id === 'CTH-FUN-01')?.verdict, 'PASS');
    // What a CI system checks before it gates: the file validates against the exported JSON Schema.
    assert.ok(validateResult(written), JSON.stringify(validateResult.errors?.slice(0, 3)));
    assert.ok(ResultDocumentSchema.safeParse(written).success);
    assert.equal(result.schemaVersion, 2);
    assert.match(result.runId, /^\d{8}T\d{9}Z-[0-9a-f]{6}$/);
    assert.equal(result.fingerprint.target.kind, 'embedded');
    assert.match(result.fingerprint.configDigest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(result.fingerprint.node, process.version);
    assert.match(result.fingerprint.target.tested.hub!, /^reference hub of mojaloop-conformance /);
    assert.equal(result.guarantees.length, 38, 'every guarantee of the tier, the ones --tags left out NOT EVALUATED');

    const latest = await readdir(join(reportsDir, 'latest'));
    for (const file of ['result.json', 'junit.xml', 'summary.md']) assert.ok(latest.includes(file), file);
    assert.match(await readFile(join(reportsDir, 'latest', 'junit.xml'), 'utf8'), /<testcase classname="functional" name="CTH-FUN-01 /);
    assert.match(await readFile(join(reportsDir, 'latest', 'summary.md'), 'utf8'), /\*\*Certificate: INCOMPLETE\*\*/);

    const allure = join(reportsDir, 'allure-results');
    const files = await readdir(allure);
    assert.ok(files.some((file) => file.endsWith('-result.json')));
    assert.ok(files.includes('categories.json') && files.includes('environment.properties'));
    assert.match(await readFile(join(allure, 'environment.properties'), 'utf8'), /^config\\ digest=sha256:/m);
    // Allure shows a fixture without a name as "Unknown test": every hook is named.
    for (const file of files.filter((name) => name.endsWith('-container.json'))) {
      const container = JSON.parse(await readFile(join(allure, file), 'utf8')) as { befores?: { name?: string }[]; afters?: { name?: string }[] };
      for (const fixture of [...container.befores ?? [], ...container.afters ?? []]) assert.ok(fixture.name, `${file}: a hook without a name`);
    }
  });
});
