import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeRunAttestation } from '../../../src/reports/attestation/run-attestation.ts';
import { verifyRunDirectory } from '../../../src/reports/attestation/verify-run.ts';
import { allocateRunDirectory, isRunId, latestRunId, newRunId, publishLatest } from '../../../src/reports/runs/run-directory.ts';
import { ROOT, tempDir } from '../../helpers/cli.ts';

/** A finished run: its folder under runs/ with a result.json saying which it is, last changed `minutesAgo`. */
async function finishedRun(reportsDir: string, runId: string, minutesAgo = 0): Promise<string> {
  const { dir } = await allocateRunDirectory(reportsDir, runId);
  writeFileSync(join(dir, 'result.json'), JSON.stringify({ runId }));
  const when = new Date(Date.now() - minutesAgo * 60_000);
  utimesSync(join(dir, 'result.json'), when, when);
  utimesSync(dir, when, when);
  return dir;
}

const latestResult = (reportsDir: string) => JSON.parse(readFileSync(join(reportsDir, 'latest', 'result.json'), 'utf8')) as { runId: string };

describe('runs kept by run id', () => {
  it('gives each run a folder of its own under runs/, named by a sortable id', async () => {
    const reportsDir = await tempDir('runs');
    const early = newRunId(new Date('2026-12-05T10:00:00.000Z'));

    const run = await allocateRunDirectory(reportsDir, early);

    assert.match(early, /^20261205T100000000Z-[0-9a-f]{6}$/);
    assert.ok(early < newRunId(new Date('2026-12-05T10:00:00.001Z')));
    assert.equal(run.dir, join(reportsDir, 'runs', early));
    assert.deepEqual(readdirSync(run.dir), []);
    await assert.rejects(allocateRunDirectory(reportsDir, early), { code: 'EEXIST' }, 'never two runs in one folder');
    assert.ok(!isRunId('../elsewhere') && !isRunId('a/b') && !isRunId('..'));
    await assert.rejects(allocateRunDirectory(reportsDir, '../elsewhere'), /cannot name a folder/);
  });

  it('publishes the newest run as reports/latest, a relative link swapped in whole', async () => {
    const reportsDir = await tempDir('runs');
    await finishedRun(reportsDir, 'first');
    await finishedRun(reportsDir, 'second');

    await publishLatest(reportsDir, 'first');
    assert.equal(latestResult(reportsDir).runId, 'first');
    const published = await publishLatest(reportsDir, 'second');

    assert.equal(published.latestAs, 'link');
    assert.equal(readlinkSync(join(reportsDir, 'latest')), 'runs/second', 'relative: the reports folder can be moved whole');
    assert.equal(latestResult(reportsDir).runId, 'second');
    assert.equal(await latestRunId(reportsDir), 'second');
    assert.deepEqual(readdirSync(reportsDir).sort(), ['latest', 'runs'], 'no draft left beside it');
  });

  it('can publish latest as a copy, for file systems without links', async () => {
    const reportsDir = await tempDir('runs');
    await finishedRun(reportsDir, 'first');
    await finishedRun(reportsDir, 'second');

    await publishLatest(reportsDir, 'first', { latestAs: 'copy' });
    const published = await publishLatest(reportsDir, 'second', { latestAs: 'copy' });

    assert.equal(published.latestAs, 'copy');
    assert.ok(lstatSync(join(reportsDir, 'latest')).isDirectory());
    assert.equal(latestResult(reportsDir).runId, 'second');
    assert.deepEqual(readdirSync(reportsDir).sort(), ['latest', 'runs']);
  });

  it('keeps a latest/ folder written before run ids as a run of its own, and links over it', async () => {
    const reportsDir = await tempDir('runs');
    mkdirSync(join(reportsDir, 'latest'));
    writeFileSync(join(reportsDir, 'latest', 'result.json'), JSON.stringify({ runId: 'old layout' }));
    await finishedRun(reportsDir, 'new');

    const published = await publishLatest(reportsDir, 'new');

    assert.match(published.migrated ?? '', /^before-run-ids-\d{8}T\d{9}Z-[0-9a-f]{6}$/);
    assert.equal(JSON.parse(readFileSync(join(reportsDir, 'runs', published.migrated!, 'result.json'), 'utf8')).runId, 'old layout');
    assert.equal(latestResult(reportsDir).runId, 'new');
  });

  it('keeps the newest runs up to the bound, the published one always, and nothing it did not write', async () => {
    const reportsDir = await tempDir('runs');
    for (let age = 5; age >= 1; age -= 1) await finishedRun(reportsDir, `run-${age}`, age * 10);
    mkdirSync(join(reportsDir, 'runs', 'my-notes'));
    writeFileSync(join(reportsDir, 'runs', 'my-notes', 'baseline.txt'), 'not a run');
    await finishedRun(reportsDir, 'current');

    const published = await publishLatest(reportsDir, 'current', { keep: 3 });

    assert.deepEqual(published.removed.sort(), ['run-3', 'run-4', 'run-5']);
    assert.deepEqual(readdirSync(join(reportsDir, 'runs')).sort(), ['current', 'my-notes', 'run-1', 'run-2']);
    await assert.rejects(publishLatest(reportsDir, 'current', { keep: 0 }), /at least 1/);
    await assert.rejects(publishLatest(reportsDir, 'gone'), /no run folder/);
  });

  it('a run written into its folder, attested last and published verifies through reports/latest', async () => {
    const reportsDir = await tempDir('runs');
    const { runId, dir } = await allocateRunDirectory(reportsDir);
    writeFileSync(join(dir, 'result.json'), readFileSync(join(ROOT, 'fixtures', 'reports', 'baseline', 'result.json')));
    writeFileSync(join(dir, 'summary.md'), '# summary\n');
    await writeRunAttestation(dir);

    await publishLatest(reportsDir, runId);
    const verification = await verifyRunDirectory(join(reportsDir, 'latest'));

    assert.ok(verification.ok);
    assert.deepEqual(verification.files.map((file) => `${file.state} ${file.name}`), ['OK result.json', 'OK summary.md']);
  });
});
