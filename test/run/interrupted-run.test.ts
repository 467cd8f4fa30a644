import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ConformanceEnvironment, StartedEnvironment } from '../../src/environment/environment.ts';
import { tempDir } from '../helpers/cli.ts';
import { validateResult } from '../helpers/result-document.ts';
import { startInProcess } from '../helpers/run.ts';
import { waitFor } from '../helpers/wait.ts';

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
      const others = (await readdir(join(reportsDir, 'latest'))).filter((file) => file !== 'result.json' && !file.endsWith('.tmp'));
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
