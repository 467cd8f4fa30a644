import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { alignAllureWithVerdicts } from '../../src/reports/allure-verdicts.ts';
import type { GuaranteeVerdict, Verdict } from '../../src/verdict/guarantee-verdict.ts';
import { tempDir } from '../helpers/cli.ts';

const verdict = (id: string, v: Verdict, reason: string | null): GuaranteeVerdict => ({
  id, title: id, verdict: v, measured: 'x', threshold: 'y', reason, fullThreshold: false, concern: 'sla', location: 'f:1', evidence: [],
});
const allureResult = (id: string | undefined, status: string) => ({
  uuid: id ?? 'none', name: id ?? 'untagged', status, statusDetails: {}, steps: [],
  labels: [{ name: 'tag', value: '@sla' }, ...(id ? [{ name: 'tag', value: `@guarantee:${id}` }] : [])],
});

describe('alignAllureWithVerdicts', () => {
  it('makes each scenario\'s Allure status its guarantee\'s verdict, with the reason as the message', async () => {
    const dir = await tempDir('allure');
    // What allure-cucumberjs writes for a passed "Given" and a skipped "Then": passed, as it ranks passed above skipped.
    await writeFile(join(dir, 'a-result.json'), JSON.stringify(allureResult('HELM-SLA-02', 'passed')));
    await writeFile(join(dir, 'b-result.json'), JSON.stringify(allureResult('HELM-SLA-04', 'failed')));
    await writeFile(join(dir, 'c-result.json'), JSON.stringify(allureResult('CTH-FUN-01', 'passed')));
    await writeFile(join(dir, 'd-result.json'), JSON.stringify(allureResult(undefined, 'passed')));
    await writeFile(join(dir, 'e-result.json'), '{ not json');
    await alignAllureWithVerdicts(dir, [
      verdict('HELM-SLA-02', 'NOT_EVALUATED', 'held 20 transfers/s for 60 s (profile smoke): …'),
      verdict('HELM-SLA-04', 'FAIL', 'transfers completed successfully within 1000 ms was 0.000%'),
      verdict('CTH-FUN-01', 'PASS', null),
    ]);
    const read = async (file: string) => JSON.parse(await readFile(join(dir, file), 'utf8'));
    const reduced = await read('a-result.json');
    assert.equal(reduced.status, 'skipped');
    assert.equal(reduced.statusDetails.message, 'NOT EVALUATED · sla: held 20 transfers/s for 60 s (profile smoke): …');
    assert.deepEqual(reduced.labels, allureResult('HELM-SLA-02', 'passed').labels, 'everything else is kept');
    const failed = await read('b-result.json');
    assert.equal(failed.status, 'failed');
    assert.equal(failed.statusDetails.message, 'FAIL · sla: transfers completed successfully within 1000 ms was 0.000%');
    assert.equal((await read('c-result.json')).status, 'passed');
    assert.equal((await read('d-result.json')).status, 'passed', 'a result naming no guarantee is left alone');
    assert.equal(await readFile(join(dir, 'e-result.json'), 'utf8'), '{ not json', 'a file it cannot read is left alone');
  });

  it('does nothing when there are no Allure results', async () => {
    await alignAllureWithVerdicts(join(await tempDir('allure'), 'missing'), [verdict('X', 'PASS', null)]);
  });
});
