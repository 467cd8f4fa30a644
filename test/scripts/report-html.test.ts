import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderReportHtml } from '../../src/reports/html/render-report-html.ts';
import { ROOT, tempDir } from '../helpers/cli.ts';

const FIXTURE = join(ROOT, 'fixtures', 'reports', 'helm-smoke-result.json');

function reportHtml(args: string[], initCwd: string) {
  return spawnSync(process.execPath, [join(ROOT, 'scripts', 'report-html.ts'), ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', INIT_CWD: initCwd },
  });
}

describe('npm run report:html', () => {
  it('writes the page of a result.json, paths from the folder the command was typed in', async () => {
    const dir = await tempDir('report-html-script-');
    writeFileSync(join(dir, 'result.json'), readFileSync(FIXTURE));
    // No output named: report.html beside the result.
    const run = reportHtml(['result.json'], dir);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), join(dir, 'report.html'));
    assert.equal(readFileSync(join(dir, 'report.html'), 'utf8'), renderReportHtml(JSON.parse(readFileSync(FIXTURE, 'utf8'))));
  });

  it('exits 2 with one line for a missing file or a file that is no result', async () => {
    const dir = await tempDir('report-html-script-');
    writeFileSync(join(dir, 'other.json'), '{"name":"x"}');
    for (const [args, words] of [[['missing.json'], /cannot read .*missing\.json as JSON/], [['other.json'], /is not a conformance run's result\.json/]] as const) {
      const run = reportHtml([...args], dir);
      assert.equal(run.status, 2);
      assert.match(run.stderr, words);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    }
  });
});
