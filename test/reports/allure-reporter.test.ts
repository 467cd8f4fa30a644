import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
// Allure's own reader of environment.properties (not exported by the package, so reached by its path).
import { parseProperties } from '../../node_modules/@allurereport/reader/dist/properties.js';
import { AllureReporter, categoriesByConcern, environmentProperties, nameHookFixtures } from '../../src/reports/allure-reporter.ts';
import { alignAllureWithVerdicts } from '../../src/reports/allure-verdicts.ts';
import { sampleDocument, sampleVerdicts } from '../helpers/result-document.ts';
import { tempDir } from '../helpers/cli.ts';

describe('Allure reporter', () => {
  it('names every hook fixture, so Allure shows no "Unknown test"', async () => {
    const dir = await tempDir('allure');
    // What allure-cucumberjs writes for an unnamed Before hook that attached evidence, and a named After hook.
    await writeFile(join(dir, 'a-container.json'), JSON.stringify({ uuid: 'a', children: ['t'], befores: [{ status: 'skipped', steps: [] }], afters: [{ name: 'restore', status: 'passed' }] }));
    await writeFile(join(dir, 'b-container.json'), '{ not json');
    await nameHookFixtures(dir);
    const container = JSON.parse(await readFile(join(dir, 'a-container.json'), 'utf8'));
    assert.equal(container.befores[0].name, 'Before hook');
    assert.equal(container.afters[0].name, 'restore', 'a named hook keeps its name');
    assert.equal(await readFile(join(dir, 'b-container.json'), 'utf8'), '{ not json', 'a file it cannot read is left alone');
  });

  it('writes the fingerprint as Allure\'s environment, read back as written by Allure\'s own parser', () => {
    const document = sampleDocument(undefined, { certificate: { ...sampleDocument().certificate, statement: 'NOT CERTIFIED (tier helm): a = b: c\\d' } });
    const properties = parseProperties(environmentProperties(document)) as Record<string, string>;
    assert.equal(properties.certificate, 'NOT CERTIFIED (tier helm): a = b: c\\d');
    assert.equal(properties['config digest'], `sha256:${'b'.repeat(64)}`);
    assert.equal(properties.tool, `mojaloop-conformance 0.1.0 (commit ${'a'.repeat(40)})`);
    assert.equal(properties['tested: hub'], 'reference hub');
    assert.equal(properties.run, '20261205T110000000Z-abcdef');
  });

  it('has categories by concern that match the messages the verdicts are given', async () => {
    const categories = categoriesByConcern(['security', 'sla']);
    assert.deepEqual(categories.map((c) => c.name), ['security: failed', 'security: not evaluated', 'security: held only a reduced load', 'sla: failed', 'sla: not evaluated', 'sla: held only a reduced load']);
    const dir = await tempDir('allure');
    await alignAllureWithVerdicts(dir, sampleVerdicts);
    const results = await Promise.all((await readdir(dir)).map(async (file) => JSON.parse(await readFile(join(dir, file), 'utf8'))));
    const categoryOf = (id: string) => {
      const result = results.find((r) => r.labels.some((l: { value: string }) => l.value === `@guarantee:${id}`));
      return categoriesByConcern(['functional', 'security', 'deployment', 'sla'])
        .find((c) => c.matchedStatuses.includes(result.status) && new RegExp(c.messageRegex).test(result.statusDetails.message ?? ''))?.name;
    };
    assert.equal(categoryOf('HELM-SEC-01'), 'security: failed');
    assert.equal(categoryOf('HELM-SLA-01'), 'sla: held only a reduced load');
    assert.equal(categoryOf('HELM-DEP-01'), 'deployment: not evaluated');
  });

  it('lists every guarantee: one whose scenario never started gets a skipped result saying why', async () => {
    const dir = await tempDir('allure');
    const interrupted = { ...sampleVerdicts[2]!, reason: 'the run was interrupted before this guarantee was evaluated' };
    await alignAllureWithVerdicts(dir, [interrupted]);
    const [file] = await readdir(dir);
    const result = JSON.parse(await readFile(join(dir, file!), 'utf8'));
    assert.equal(result.status, 'skipped');
    assert.equal(result.name, 'Deployed by Helm');
    assert.equal(result.statusDetails.message, 'NOT EVALUATED · deployment: the run was interrupted before this guarantee was evaluated');
    assert.ok(result.labels.some((label: { name: string; value: string }) => label.value === '@guarantee:HELM-DEP-01'));
  });

  it('flags an Allure report made before this run as an earlier run\'s, until it is made again', async () => {
    const reportsDir = await tempDir('reports');
    const allureDir = join(reportsDir, 'allure-results');
    await mkdir(allureDir, { recursive: true });
    const evidence = { reportsDir, runDir: join(reportsDir, 'runs', 'r'), allureDir, document: sampleDocument(), catalogue: [], written: [] };
    const fresh = new AllureReporter();
    await fresh.onRunStarted({ reportsDir, runDir: evidence.runDir, allureDir, runId: 'r', startedAt: new Date(), tool: { name: 't', version: '0' } });
    const [first] = await fresh.onRunFinished(evidence);
    assert.equal(first!.note, `npm run report -- ${reportsDir} → HTML`);

    await mkdir(join(reportsDir, 'allure-report'));
    await writeFile(join(reportsDir, 'allure-report', 'index.html'), '<html>an earlier run</html>');
    const [second] = await new AllureReporter().onRunFinished(evidence);
    assert.equal(second!.note, `npm run report -- ${reportsDir} → HTML; ${join(reportsDir, 'allure-report')} is an EARLIER run's report until you do`);
  });
});
