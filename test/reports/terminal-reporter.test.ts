import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { TerminalReporter } from '../../src/reports/terminal-reporter.ts';
import { sampleDocument } from '../helpers/result-document.ts';

const capture = () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  return { out, text: () => text };
};

describe('TerminalReporter progress', () => {
  it('on a terminal, shows the running guarantee and erases it before the next line', () => {
    const { out, text } = capture();
    const reporter = new TerminalReporter(out, false, true);
    reporter.running('CTH-FUN-01', 'P2P golden path', 1500);
    reporter.notice('next');
    assert.equal(text(), '\r\x1b[2K… CTH-FUN-01  P2P golden path  (2 s into the run)\r\x1b[2Knext\n');
  });

  it('in a log, prints a load\'s progress every 5 s, and the next load\'s from its start', () => {
    const { out, text } = capture();
    const reporter = new TerminalReporter(out, false, false);
    const progress = (elapsedMs: number, targetRate: number) => ({ elapsedMs, durationMs: 75_000, targetRate, achievedRate: targetRate, p99Ms: {}, failed: 0, dropped: 0 });
    for (const elapsedMs of [1000, 3000, 6000, 9000, 12_000, 70_000]) reporter.loadProgress(progress(elapsedMs, 20));
    // The second load (another offer) reports from 0 again.
    for (const elapsedMs of [1000, 4000, 7000]) reporter.loadProgress(progress(elapsedMs, 10));
    const lines = text().split('\n').filter(Boolean).map((line) => /^ {2}… load (\d+) s of 75 s · target (\d+)\/s/.exec(line)?.slice(1).join(' at '));
    assert.deepEqual(lines, ['1 at 20', '6 at 20', '12 at 20', '70 at 20', '1 at 10', '7 at 10']);
  });

  it('says a runner that counts dropped arrivals only at its end (k6) has not counted them yet, rather than 0', () => {
    const { out, text } = capture();
    const reporter = new TerminalReporter(out, false, false);
    reporter.loadProgress({ elapsedMs: 1000, durationMs: 75_000, targetRate: 20, achievedRate: 20, p99Ms: {}, failed: 0, dropped: undefined });
    assert.match(text(), /· dropped counted at the end\n$/);
  });

  it('writes no progress into a log or a pipe', () => {
    const { out, text } = capture();
    const reporter = new TerminalReporter(out, false, false);
    reporter.running('CTH-FUN-01', 'P2P golden path', 1500);
    reporter.notice('next');
    assert.equal(text(), 'next\n');
  });
});

describe('TerminalReporter verdicts under a reduced load', () => {
  const source = 'builtin runner, profile smoke, 20 P2P transfers/s offered for 75 s, steady state 10 s–70 s';
  const share = { name: 'lookups completed successfully within 1000 ms', value: '0.000% of 1200 attempts', threshold: '≥ 99%', ok: false, source };
  const p99 = { name: 'p99 lookups latency', value: 1226, unit: 'ms', threshold: 'recorded, not judged', ok: true, informational: true as const, source };
  const reducedLoad = { profile: 'smoke', asked: { ratePerSecond: 1000, durationMs: 3_600_000 }, offered: { ratePerSecond: 20, durationMs: 60_000 } };

  it('prints a FAIL with the load it was measured at, never excusing it, and marks what is recorded but not judged', () => {
    const { out, text } = capture();
    new TerminalReporter(out, false).verdict({
      id: 'HELM-SLA-02', title: 'Lookup latency', verdict: 'FAIL', measured: 'm', threshold: 't', fullThreshold: false, concern: 'sla', location: 'f:1', evidence: [share, p99], reducedLoad,
      reason: 'lookups completed successfully within 1000 ms was 0.000% of 1200 attempts, expected ≥ 99%; measured at 20 transfers/s for 60 s (profile smoke), the guarantee asks 1000 transfers/s for 1 h',
    });
    assert.equal(text(), [
      '✘ FAIL  HELM-SLA-02  Lookup latency',
      '      because: lookups completed successfully within 1000 ms was 0.000% of 1200 attempts, expected ≥ 99%; measured at 20 transfers/s for 60 s (profile smoke), the guarantee asks 1000 transfers/s for 1 h',
      `      measured by: ${source}`,
      '      ✗ lookups completed successfully within 1000 ms: 0.000% of 1200 attempts  [≥ 99%]',
      '      · p99 lookups latency: 1226 ms  [recorded, not judged]',
      '',
    ].join('\n'));
    assert.doesNotMatch(text(), /not a verdict/);
  });
});

describe('TerminalReporter summary (the last reporter of a run)', () => {
  it('counts the reduced-load results apart, names the load offered and what was asked, and lists what the other reporters wrote', async () => {
    const { out, text } = capture();
    const reporter = new TerminalReporter(out, false, false);
    const written = await reporter.onRunFinished({
      reportsDir: '/r', runDir: '/r/runs/20261205T110000000Z-abcdef', allureDir: '/r/allure-results', document: sampleDocument(), catalogue: [],
      written: [{ path: '/r/latest/result.json' }, { path: '/r/allure-results', note: 'npm run report -- /r → HTML' }],
    });
    assert.deepEqual(written, [], 'the terminal writes no file');
    assert.match(text(), /^Guarantees: 4 · 1 passed · 1 failed · 1 not evaluated · 1 held only a reduced load \(not evaluated\)$/m);
    assert.match(text(), /^Load offered: 20 transfers\/s for 60 s \(builtin runner, profile smoke\), achieved 19\.9\/s — reduced: the guarantees ask 1000 transfers\/s for 1 h$/m);
    assert.match(text(), /^Certificate: NOT CERTIFIED \(tier helm, profile smoke \(a reduced load: certifies no SLA\)\): 1 guarantee failed \(HELM-SEC-01\)$/m);
    assert.match(text(), /^Report: \/r\/latest\/result\.json\nReport: \/r\/allure-results \(npm run report -- \/r → HTML\)$/m);
  });

  it('says an interrupted run was interrupted, and that what it did not reach is NOT EVALUATED', () => {
    const { out, text } = capture();
    new TerminalReporter(out, false, false).summary(sampleDocument(undefined, { interrupted: true }), []);
    assert.match(text(), /^Run interrupted: .*every guarantee not reached is NOT EVALUATED\.$/m);
  });
});
