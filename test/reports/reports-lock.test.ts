import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ReportsLock } from '../../src/reports/reports-lock.ts';
import { ensureDirectory } from '../../src/support/files.ts';
import { tempDir } from '../helpers/cli.ts';

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
