import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ConformanceEnvironment, StartedEnvironment } from '../../src/environment/environment.ts';
import { ResultDocumentSchema } from '../../src/reports/result-schema.ts';
import { tempDir } from '../helpers/cli.ts';
import { validateResult } from '../helpers/result-document.ts';
import { runInProcess, startInProcess } from '../helpers/run.ts';
import { waitFor } from '../helpers/wait.ts';

// Whole runs — every guarantee of a tier, load, faults, interruption — are in the *.e2e.test.ts files
// beside this one. This is the pipeline once through, in seconds, for npm test: config → embedded
// hub → Cucumber scenario → probe → verdict → certificate → every reporter's output; and a run
// interrupted before it evaluated anything (one process for both: they share its imports).
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

/** A target still starting when the run is interrupted: it comes up only when the test lets it, then is torn down. */
function slowTarget() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  let stopped = false;
  const started = {
    kind: 'embedded', hubUrl: 'http://127.0.0.1:9', callbackRouteUnproven: false, callbackExposure: { host: '127.0.0.1', port: 0 },
    provides: {}, whyMissing: () => 'a stand-in target', describe: () => ({ kind: 'embedded', summary: 'a stand-in target', endpoints: {} }),
    connectPayer: async () => undefined, stop: async () => { stopped = true; },
  } as unknown as StartedEnvironment;
  const environment: ConformanceEnvironment = { kind: 'embedded', describeTarget: () => 'a stand-in target, still starting', start: async () => { await released; return started; } };
  return { environment, release, stopped: () => stopped };
}

describe('a run interrupted before it evaluated anything', () => {
  it('lists every guarantee of the tier NOT EVALUATED because of the interruption, in every output — and meanwhile leaves no earlier run\'s verdict in place', async () => {
    const reportsDir = await tempDir('reports');
    // What an earlier run left: read beside this run's result, it would be taken for this run's.
    await mkdir(join(reportsDir, 'latest'), { recursive: true });
    await writeFile(join(reportsDir, 'latest', 'junit.xml'), '<testsuites name="an earlier run"/>');
    await writeFile(join(reportsDir, 'latest', 'summary.md'), '**Certificate: CERTIFIED**');
    const target = slowTarget();
    const { run, done } = await startInProcess({ reportsDir }, { environment: target.environment });

    // While the run runs (and if it is killed now), result.json says it has not finished, and the earlier run's files are gone.
    const unfinished = await waitFor(async () => {
      const text = await readFile(join(reportsDir, 'latest', 'result.json'), 'utf8').catch(() => '');
      const others = (await readdir(join(reportsDir, 'latest')).catch(() => [] as string[])).filter((file) => file !== 'result.json' && !file.endsWith('.tmp'));
      return text.includes('has not finished') && others.length === 0 ? JSON.parse(text) as Record<string, unknown> : undefined;
    }, { timeoutMs: 20_000, what: 'result.json saying the run has not finished, and no earlier junit.xml or summary.md beside it' });
    assert.equal(unfinished.exitCode, null);
    assert.match(String(unfinished.runId), /^\d{8}T\d{9}Z-[0-9a-f]{6}$/);
    assert.ok(validateResult(unfinished), JSON.stringify(validateResult.errors?.slice(0, 3)));

    run.interrupt('SIGINT');
    target.release();
    const { result, exitCode } = await done;

    assert.equal(exitCode, 130);
    assert.ok(target.stopped(), 'the target was torn down');
    assert.equal(result.interrupted, true);
    assert.equal(result.guarantees.length, 38, 'every guarantee of the tier');
    for (const verdict of result.guarantees) {
      assert.equal(verdict.verdict, 'NOT_EVALUATED', verdict.id);
      assert.equal(verdict.reason, 'the run was interrupted before this guarantee was evaluated', verdict.id);
    }
    assert.deepEqual(result.summary, { total: 38, passed: 0, failed: 0, notEvaluated: 38, reducedLoad: 0 });
    assert.equal(result.runId, unfinished.runId);
    const written = JSON.parse(await readFile(join(reportsDir, 'latest', 'result.json'), 'utf8'));
    assert.ok(validateResult(written), JSON.stringify(validateResult.errors?.slice(0, 3)));

    const junit = await readFile(join(reportsDir, 'latest', 'junit.xml'), 'utf8');
    assert.equal([...junit.matchAll(/<testcase /g)].length, 38);
    assert.match(junit, /<property name="interrupted" value="true"\/>/);
    assert.match(await readFile(join(reportsDir, 'latest', 'summary.md'), 'utf8'), /The run was interrupted/);
    const allureDir = join(reportsDir, 'allure-results');
    const allure = await Promise.all((await readdir(allureDir)).filter((file) => file.endsWith('-result.json')).map(async (file) => JSON.parse(await readFile(join(allureDir, file), 'utf8'))));
    assert.equal(allure.length, 38, 'Allure lists every guarantee too');
    assert.ok(allure.every((r) => r.status === 'skipped' && / the run was interrupted before this guarantee was evaluated$/.test(r.statusDetails.message)));
  });
});
