import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeNoRunOutputs } from '../../src/reports/no-run-outputs.ts';
import { noRunDocument } from '../../src/reports/result-document.ts';
import { tempDir } from '../helpers/cli.ts';
import { validateResult } from '../helpers/result-document.ts';

describe('the outputs of a run that did not start', () => {
  it('replace an earlier run\'s result.json, junit.xml and summary.md, each saying why, so no CI job reads the earlier run as this one', async () => {
    const reportsDir = await tempDir('reports');
    await mkdir(join(reportsDir, 'latest'));
    await writeFile(join(reportsDir, 'latest', 'junit.xml'), '<testsuites tests="38" failures="0"/>');
    await writeFile(join(reportsDir, 'latest', 'summary.md'), '**Certificate: CERTIFIED**');
    await writeNoRunOutputs(reportsDir, noRunDocument({ name: 'mojaloop-conformance', version: '0.1.0' }, 'the run did not start: unknown tier "helmm"', 2));

    assert.deepEqual((await readdir(join(reportsDir, 'latest'))).sort(), ['junit.xml', 'result.json', 'summary.md']);
    const result = JSON.parse(await readFile(join(reportsDir, 'latest', 'result.json'), 'utf8')) as { exitCode: number };
    assert.ok(validateResult(result), JSON.stringify(validateResult.errors?.slice(0, 3)));
    assert.equal(result.exitCode, 2);
    const junit = await readFile(join(reportsDir, 'latest', 'junit.xml'), 'utf8');
    assert.match(junit, /tests="1" failures="0" errors="1"/);
    assert.match(junit, /<error message="the run did not start: unknown tier &quot;helmm&quot;" type="usage"\/>/);
    assert.match(await readFile(join(reportsDir, 'latest', 'summary.md'), 'utf8'), /^## ⚠️ Mojaloop conformance — the run did not start\n\n\*\*Certificate: INCOMPLETE\*\* — the run did not start: unknown tier "helmm"/);
  });
});
