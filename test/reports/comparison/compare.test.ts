import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compareCommand } from '../../../src/reports/comparison/compare-command.ts';
import { comparisonLines } from '../../../src/reports/comparison/comparison-table.ts';
import { compareRuns, parseTolerance, type RunComparison } from '../../../src/reports/comparison/run-comparison.ts';
import { parseRecordedRun } from '../../../src/reports/runs/recorded-run.ts';
import { ROOT, tempDir } from '../../helpers/cli.ts';

const FIXTURES = join(ROOT, 'fixtures', 'reports');

function side(name: string) {
  const file = join(FIXTURES, name, 'result.json');
  return { reference: name, run: parseRecordedRun(readFileSync(file, 'utf8'), file) };
}

/** `npm run compare -- …` as a user runs it: a child process, typed in `cwd`. */
function compareProcess(args: string[], cwd: string) {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'compare.ts'), ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1', INIT_CWD: cwd },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The same command in this process (what the script runs), for the cases past its wiring. */
async function compare(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await compareCommand(args, { cwd, out: (text) => { stdout += text; }, err: (text) => { stderr += text; } });
  return { code, stdout, stderr };
}

describe('comparing two runs', () => {
  it('finds a verdict gone to FAIL, a lower certificate, a slower p99 and a lower rate', () => {
    const comparison = compareRuns(side('baseline'), side('regressed'), 0.1);

    assert.deepEqual(comparison.verdicts.filter((v) => v.change !== 'same').map((v) => [v.id, v.before, v.after, v.change]), [['HELM-FUNC-02', 'PASS', 'FAIL', 'regressed']]);
    assert.deepEqual(comparison.certificate, { before: 'INCOMPLETE', after: 'NOT_CERTIFIED', regressed: true });
    const [load] = comparison.loads;
    assert.equal(load!.matchedBy, 'id');
    assert.deepEqual(load!.p99.transfer, { before: 80, after: 120, relative: 0.5, regressed: true });
    assert.equal(load!.p99.lookup!.regressed, false, '40 → 41 ms is within 10 %');
    assert.equal(load!.achievedRate!.regressed, true);
    assert.deepEqual(comparison.regressions, [
      'certificate INCOMPLETE → NOT_CERTIFIED',
      'HELM-FUNC-02: PASS → FAIL',
      'p2p-1000-3600000-smoke: p99 transfer 80 ms → 120 ms (+50 %, tolerance 10 %)',
      'p2p-1000-3600000-smoke: p99 iterations 200 ms → 260 ms (+30 %, tolerance 10 %)',
      'p2p-1000-3600000-smoke: achieved 19.9/s → 15/s (−24.6 %, tolerance 10 %)',
    ]);
  });

  it('matches a load under another id by flow and offered rate, and lets changes within the tolerance pass', () => {
    const comparison = compareRuns(side('baseline'), side('within-tolerance'), 0.1);

    assert.equal(comparison.loads[0]!.matchedBy, 'flow and rate');
    assert.deepEqual(comparison.regressions, []);
    assert.ok(compareRuns(side('baseline'), side('within-tolerance'), 0.01).regressions.length > 0, 'the same change beyond a 1 % tolerance');
  });

  it('counts a guarantee no longer proven as a regression, a new or fixed one never', () => {
    const before = side('baseline');
    const after = structuredClone(side('baseline'));
    after.run.guarantees = [
      { ...after.run.guarantees[0]!, verdict: 'NOT_EVALUATED' }, // PASS → NOT EVALUATED: no longer proven
      // HELM-FUNC-02 absent: no longer proven
      { ...after.run.guarantees[2]!, verdict: 'PASS' }, // NOT EVALUATED → PASS
      { id: 'HELM-NEW-01', verdict: 'FAIL' },
    ];

    const changes = Object.fromEntries(compareRuns(before, after, 0.1).verdicts.map((v) => [v.id, v.change]));

    assert.deepEqual(changes, { 'HELM-FUNC-01': 'regressed', 'HELM-FUNC-02': 'regressed', 'HELM-SLA-01': 'improved', 'HELM-NEW-01': 'added' });
  });

  it('compares a version-1 document on verdicts alone, and says so', () => {
    const comparison = compareRuns(side('schema-v1'), side('regressed'), 0.1);

    assert.deepEqual(comparison.loads, []);
    assert.match(comparison.notes.join('\n'), /no load evidence in schema-v1 \(a result\.json before schema version 2\)/);
    assert.equal(comparison.regressions.length, 2, 'certificate and verdict');
  });

  it('prints what changed as tables', () => {
    const lines = comparisonLines(compareRuns(side('baseline'), side('regressed'), 0.1)).join('\n');

    assert.match(lines, /^certificate: INCOMPLETE → NOT_CERTIFIED {2}REGRESSED$/m);
    assert.match(lines, /^verdicts: 1 changed, 2 unchanged$/m);
    assert.match(lines, /^HELM-FUNC-02 +PASS +FAIL +REGRESSED$/m);
    assert.match(lines, /^p2p-1000-3600000-smoke +p99 transfer +80 ms +120 ms +\+50 % +REGRESSED$/m);
    assert.match(lines, /^5 regressions:$/m);
  });

  it('reads a tolerance as a percentage', () => {
    assert.equal(parseTolerance('10%'), 0.1);
    assert.equal(parseTolerance('2.5 %'), 0.025);
    assert.equal(parseTolerance('10'), 0.1);
    assert.equal(parseTolerance('0.1'), undefined, 'ambiguous: 10 % or 0.1 %?');
    assert.equal(parseTolerance('ten'), undefined);
  });
});

describe('npm run compare', () => {
  it('exits 1 on a regression, 0 without, taking folders, result.json paths and run ids', async () => {
    const cwd = await tempDir('compare');
    cpSync(join(FIXTURES, 'baseline'), join(cwd, 'reports', 'runs', '20261201T090000000Z-aaaaaa'), { recursive: true });

    const regressed = compareProcess(['20261201T090000000Z-aaaaaa', join(FIXTURES, 'regressed')], cwd);
    const fine = await compare([join(FIXTURES, 'baseline', 'result.json'), join(FIXTURES, 'within-tolerance'), '--json'], cwd);

    assert.equal(regressed.code, 1, regressed.stderr);
    assert.match(regressed.stdout, /^before: 20261201T090000000Z-aaaaaa \(run 20261201T090000000Z-aaaaaa\): tier helm, profile smoke/m);
    assert.match(regressed.stdout, /^5 regressions:$/m);
    assert.equal(fine.code, 0, fine.stderr);
    const json = JSON.parse(fine.stdout) as RunComparison;
    assert.deepEqual(json.regressions, []);
    assert.equal(json.tolerance, 0.1);
  });

  it('says in one line, exit 2, what is wrong with the command', async () => {
    const cwd = await tempDir('compare');
    writeFileSync(join(cwd, 'notes.json'), '{"hello": "world"}');
    writeFileSync(join(cwd, 'iac.json'), JSON.stringify({ ...side('baseline').run, tier: 'iac' }));

    const cases = [
      { args: [join(FIXTURES, 'baseline')], error: /^error: name two runs, the baseline first \(got 1\)/ },
      { args: ['nope', join(FIXTURES, 'baseline')], error: /^error: no run "nope": not a folder, a result\.json, or a run id under .*reports\/runs$/m },
      { args: ['notes.json', join(FIXTURES, 'baseline')], error: /^error: ".*notes\.json" is not a result\.json of this tool: schemaVersion: / },
      { args: [join(FIXTURES, 'baseline'), 'iac.json'], error: /^error: ".*baseline" is a run of tier helm, "iac\.json" of tier iac: compare two runs of one tier$/m },
      { args: [join(FIXTURES, 'baseline'), join(FIXTURES, 'regressed'), '--tolerance', 'lots'], error: /^error: --tolerance "lots" is not a percentage \(e\.g\. 10%\)$/m },
    ];
    for (const [index, { args, error }] of cases.entries()) {
      const result = index === 0 ? compareProcess(args, cwd) : await compare(args, cwd);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
      assert.match(result.stderr, error);
      assert.equal(result.stderr.trim().split('\n').length, 1);
    }
  });
});
