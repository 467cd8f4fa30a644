import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeRunAttestation } from '../../../src/reports/attestation/run-attestation.ts';
import { verifyReportCommand } from '../../../src/reports/attestation/verify-report-command.ts';
import { compareCommand } from '../../../src/reports/comparison/compare-command.ts';
import { runInProcess } from '../../helpers/run.ts';

async function command(run: typeof verifyReportCommand, args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { cwd, out: (text) => { stdout += text; }, err: (text) => { stderr += text; } });
  return { code, stdout, stderr };
}

describe('the evidence of a real embedded run', () => {
  it('verifies untouched, fails when one byte of result.json changes, and compares with itself without regression', async () => {
    const { reportsDir, result } = await runInProcess({}, { tags: '@guarantee:CTH-FUN-01 or @guarantee:CTH-FUN-02' });
    const latest = join(reportsDir, 'latest');
    assert.equal(result.guarantees.filter((g) => g.verdict === 'PASS').length, 2, 'the two guarantees passed on the embedded hub');
    await writeRunAttestation(latest); // what the run's attestation reporter does, last

    const untouched = await command(verifyReportCommand, [latest], reportsDir);
    const same = await command(compareCommand, [latest, join(latest, 'result.json')], reportsDir);
    const file = join(latest, 'result.json');
    const bytes = readFileSync(file);
    bytes[bytes.indexOf('"PASS"') + 1] = 'F'.charCodeAt(0);
    writeFileSync(file, bytes);
    const changed = await command(verifyReportCommand, [latest], reportsDir);

    assert.equal(untouched.code, 0, untouched.stdout);
    assert.match(untouched.stdout, /^OK +result\.json$/m);
    assert.equal(same.code, 0, same.stdout + same.stderr);
    assert.match(same.stdout, /^no regression$/m);
    assert.equal(changed.code, 1);
    assert.match(changed.stdout, /^CHANGED +result\.json$/m);
  });
});
