import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers/cli.ts';

const listed = (...args: string[]) => {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'test.mjs'), ...args, '--list'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, INIT_CWD: ROOT } });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split('\n').filter(Boolean);
};

const everyTestFile = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
  entry.isDirectory() ? everyTestFile(join(dir, entry.name)) : entry.name.endsWith('.test.ts') ? [relative(ROOT, join(dir, entry.name))] : []);

describe('npm test and npm run test:e2e (bin/test.mjs)', () => {
  it('split every test file by name: *.e2e.test.ts to test:e2e, every other one to npm test, none in both, none left out', () => {
    const unit = listed('unit');
    const e2e = listed('e2e');
    assert.ok(unit.length > 0 && e2e.length > 0);
    assert.deepEqual(e2e.filter((file) => !file.endsWith('.e2e.test.ts')), []);
    assert.deepEqual(unit.filter((file) => file.endsWith('.e2e.test.ts')), []);
    assert.deepEqual([...unit, ...e2e].sort(), everyTestFile(join(ROOT, 'test')).sort());
  });

  it('narrows a suite to a folder, and says so when nothing of the suite is there', () => {
    assert.deepEqual(listed('unit', 'test/bin'), ['test/bin/entry.test.ts', 'test/bin/test-suites.test.ts']);
    const none = spawnSync(process.execPath, [join(ROOT, 'bin', 'test.mjs'), 'e2e', 'test/bin', '--list'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, INIT_CWD: ROOT } });
    assert.equal(none.status, 2);
    assert.equal(none.stderr, 'error: no e2e test file matches test/bin (e2e files are named *.e2e.test.ts)\n');
  });
});
