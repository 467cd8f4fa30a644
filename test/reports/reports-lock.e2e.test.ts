import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ReportsLock } from '../../src/reports/reports-lock.ts';
import { tempDir, waitForOutput } from '../helpers/cli.ts';
import { startInProcess } from '../helpers/run.ts';

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
