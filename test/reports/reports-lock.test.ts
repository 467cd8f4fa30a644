import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ReportsLock } from '../../src/reports/reports-lock.ts';
import { ensureDirectory } from '../../src/support/files.ts';
import { tempDir, waitForOutput } from '../helpers/cli.ts';
import { startInProcess } from '../helpers/run.ts';

describe('ReportsLock', () => {
  it('lets one holder at a time claim a folder, and frees it on release', async () => {
    const dir = await tempDir('lock');
    const first = await ReportsLock.acquire(dir);
    await assert.rejects(ReportsLock.acquire(dir), /reports folder ".*" is in use by another run \(process \d+, started .*\); wait for it to finish, or give this run its own --reports-dir/);
    assert.equal((await ReportsLock.holder(dir))?.pid, process.pid);
    await first.release();
    assert.equal(await ReportsLock.holder(dir), undefined);
    await (await ReportsLock.acquire(dir)).release();
  });

  it('lets exactly one of many simultaneous claimants win', async () => {
    for (let round = 0; round < 20; round += 1) {
      const dir = await tempDir('lock');
      const claims = await Promise.allSettled(Array.from({ length: 8 }, () => ReportsLock.acquire(dir)));
      const won = claims.filter((c) => c.status === 'fulfilled');
      assert.equal(won.length, 1, `round ${round}: ${won.length} winners`);
      await (won[0] as PromiseFulfilledResult<ReportsLock>).value.release();
    }
  });

  it('takes over a lock left by a run whose process is gone', async () => {
    const dir = await tempDir('lock');
    await writeFile(join(dir, '.run.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, startedAt: '2026-01-01T00:00:00Z', token: 'dead' }));
    const lock = await ReportsLock.acquire(dir);
    assert.equal(JSON.parse(await readFile(join(dir, '.run.lock'), 'utf8')).pid, process.pid);
    await lock.release();
  });

  it('refuses a folder under /proc at once instead of spinning in a recursive mkdir', async () => {
    await assert.rejects(ensureDirectory('/proc/conformance-test/reports/latest'), { code: 'ENOENT' });
  });
});

describe('two runs on one reports folder', () => {
  it('refuses the second before it writes anything, and leaves the first run\'s results whole', async () => {
    const reportsDir = await tempDir('reports');
    const { done: first, output } = await startInProcess({ reportsDir, embedded: { payeeDelayMs: 100 } }, { tags: '@guarantee:CTH-FUN-01' });
    await waitForOutput(output, /callbacks +http/, 20_000);
    await assert.rejects((await startInProcess({ reportsDir, tier: 'helm' })).done, /is in use by another run/);
    const { result, exitCode } = await first;
    assert.equal(exitCode, 0);
    const written = JSON.parse(await readFile(join(reportsDir, 'latest', 'result.json'), 'utf8')) as { tier: string; guarantees: unknown[] };
    assert.equal(written.tier, 'core-test-harness');
    assert.equal(written.guarantees.length, result.guarantees.length);
    assert.equal(await ReportsLock.holder(reportsDir), undefined, 'released when the run ended');
  });
});
