import assert from 'node:assert/strict';
import { access, chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { IterationReport } from '../../../src/fspiop/notification-channel.ts';
import { completedWithin, type LoadProgress, type LoadRequest } from '../../../src/load/load-runner.ts';
import { K6_NOT_INSTALLED, K6Runner, k6Available, requireK6, type K6RunnerOptions } from '../../../src/load/k6/k6-runner.ts';
import { iterationRecord, SUMMARY_FORMAT } from '../../../src/load/k6/k6-summary.ts';
import { LoadAccounting } from '../../../src/load/load-accounting.ts';
import { tempDir } from '../../helpers/cli.ts';
import { ManualClock } from '../../helpers/manual-clock.ts';

/**
 * A stand-in `k6` on PATH: `k6 version` prints a version; `k6 run` records its argv and
 * environment, waits for a go file when told to, writes the canned handleSummary document to
 * SUMMARY_FILE (as the script's handleSummary would) and exits with the canned code.
 */
const FAKE_K6 = `
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const dir = process.env.FAKE_K6_DIR;
const args = process.argv.slice(2);
if (args[0] === 'version') {
  console.log(process.env.FAKE_K6_VERSION ?? 'k6 v1.9.0 (commit/fake, go1.24.4, linux/amd64)');
  process.exit(0);
}
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(RUN_ID|HUB_URL|CALLBACK_WS_URL|PAYER_|PAYEE_|CURRENCY|AMOUNT|RATE|DURATION|WARMUP|DRAIN|CALLBACK_TIMEOUT_MS|REQUEST_TIMEOUT_MS|PRE_ALLOCATED_VUS|MAX_VUS|SUMMARY_FILE|K6_)/.test(k)));
writeFileSync(dir + '/invocation.json', JSON.stringify({ args, env }));
// Waits for the test's go, a minute at most: a stand-in whose test died must not outlive it.
for (const until = Date.now() + 60_000; process.env.FAKE_K6_WAIT && !existsSync(dir + '/go');) {
  if (Date.now() > until) process.exit(70);
  await new Promise((r) => setTimeout(r, 5));
}
const canned = JSON.parse(readFileSync(dir + '/canned.json', 'utf8'));
if (canned.summary) writeFileSync(process.env.SUMMARY_FILE, JSON.stringify(canned.summary));
for (const line of canned.stderr ?? []) console.error(line);
process.exit(canned.exitCode);
`;

const trend = (count: number, p: [number, number, number, number]) => ({ type: 'trend', contains: 'time', values: { count, avg: p[0], min: 1, max: p[3] + 5, 'p(50)': p[0], 'p(95)': p[1], 'p(99)': p[2], 'p(99.9)': p[3] } });
const counter = (count: number) => ({ type: 'counter', contains: 'default', values: { count, rate: count / 60 } });

/** What handleSummary of load/p2p.ts writes for a 60 s run at 10/s with 10 s warm-up and 10 s drain. */
function summaryDocument(overrides: Record<string, unknown> = {}) {
  return {
    format: SUMMARY_FORMAT,
    script: 'p2p',
    load: { rate: 10, durationMs: 60_000, warmupMs: 10_000, drainMs: 10_000 },
    data: {
      root_group: { name: '', path: '', checks: [], groups: [] },
      options: { summaryTrendStats: ['count', 'avg', 'min', 'max', 'p(50)', 'p(95)', 'p(99)', 'p(99.9)'], summaryTimeUnit: '', noColor: true },
      state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 61_234 },
      // k6's own counts of the steady state: three iterations succeeded, one failed, three arrivals dropped.
      metrics: {
        lookup_ms: trend(6, [40, 80, 120, 200]),
        'lookup_ms{scenario:steady}': trend(4, [41, 79, 110, 150]),
        'quote_ms{scenario:steady}': trend(4, [60, 100, 140, 190]),
        'transfer_ms{scenario:steady}': trend(3, [90, 150, 210, 260]),
        'iteration_ms{scenario:steady}': trend(3, [200, 320, 430, 500]),
        'dropped_iterations{scenario:steady}': counter(3),
        dropped_iterations: counter(5),
        'failures{scenario:steady,phase:transfers,reason:not_committed}': counter(1),
        'failures{scenario:steady,phase:transfers,reason:channel}': { type: 'counter', contains: 'default', values: { count: 0, rate: 0 } },
        checks: { type: 'rate', contains: 'default', values: { rate: 0.99, passes: 3000, fails: 5 } },
      },
      setup_data: undefined,
      ...overrides,
    },
  };
}

const REQUEST: LoadRequest = { ratePerSecond: 10, durationMs: 60_000, flow: 'p2p', profile: 'smoke', warmupMs: 10_000, drainMs: 10_000, intervalMs: 20_000 };

function report(startMs: number, endMs: number, ok: boolean, extra: Partial<IterationReport> = {}): IterationReport {
  return { scenario: startMs < 10_000 ? 'warmup' : startMs >= 50_000 ? 'drain' : 'steady', startMs, endMs, ok, ...extra };
}

describe('K6Runner (a stand-in k6 on PATH)', () => {
  let fakeDir: string;
  let bundleDir: string;
  let env: NodeJS.ProcessEnv;
  let emptyPathEnv: NodeJS.ProcessEnv;

  before(async () => {
    fakeDir = await tempDir('fake-k6');
    bundleDir = join(await tempDir('k6-bundles'), 'load');
    await writeFile(join(fakeDir, 'fake-k6.mjs'), FAKE_K6);
    await writeFile(join(fakeDir, 'k6'), `#!/bin/sh\nexec "${process.execPath}" "${join(fakeDir, 'fake-k6.mjs')}" "$@"\n`);
    await chmod(join(fakeDir, 'k6'), 0o755);
    env = { ...process.env, PATH: `${fakeDir}${delimiter}${process.env.PATH ?? ''}`, FAKE_K6_DIR: fakeDir };
    const nothing = await tempDir('no-k6');
    await mkdir(nothing, { recursive: true });
    emptyPathEnv = { ...process.env, PATH: nothing };
  });

  const can = async (canned: { summary?: unknown; exitCode: number; stderr?: string[] }) => {
    await Promise.all(['invocation.json', 'go'].map((file) => rm(join(fakeDir, file), { force: true })));
    await writeFile(join(fakeDir, 'canned.json'), JSON.stringify(canned));
  };
  /** The run id the runner gave the stand-in k6, once it has started it. */
  const started = async () => {
    // A bound, not a race: if the runner failed before spawning k6, fail here instead of polling forever.
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        return (await invocation()).env.RUN_ID!;
      } catch {
        if (Date.now() > deadline) throw new Error('the runner did not start the stand-in k6 within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  };
  const invocation = async () => JSON.parse(await readFile(join(fakeDir, 'invocation.json'), 'utf8')) as { args: string[]; env: Record<string, string> };
  const runner = (overrides: Partial<K6RunnerOptions> = {}) => new K6Runner({
    hubUrl: 'https://gw.example/fspiop/?apikey=SECRETKEY', callbackWsUrl: 'ws://10.0.0.5:4100/notifications?token=TOKEN123',
    payerFsp: 'payerfsp', payeeFsp: 'payeefsp', payer: { type: 'MSISDN', id: '27710101999' }, payee: { type: 'MSISDN', id: '27713803912' },
    currency: 'USD', amount: '12', callbackTimeoutMs: 9000, requestTimeoutMs: 4000, env, bundleDir, ...overrides,
  });

  it('finds k6 and its version on PATH, and says how to get it when there is none', async () => {
    assert.equal(await k6Available({ env }), 'k6 v1.9.0 (commit/fake, go1.24.4, linux/amd64)');
    assert.equal(await k6Available({ env: emptyPathEnv }), undefined);
    await assert.rejects(requireK6({ env: emptyPathEnv }), (error: Error) => error.name === 'UsageError' && error.message === K6_NOT_INSTALLED);
    assert.equal(K6_NOT_INSTALLED, 'k6 is not installed (no "k6" on PATH): install it from https://grafana.com/docs/k6/latest/set-up/install-k6/ or run with --runner builtin');
    await assert.rejects(runner({ env: emptyPathEnv }).run(REQUEST), { message: K6_NOT_INSTALLED });
    await assert.rejects(requireK6({ env: { ...env, FAKE_K6_VERSION: 'k6 v0.57.0 (go1.23, linux/amd64)' } }),
      { name: 'UsageError', message: /^k6 v0\.57\.0 is too old: the load scripts need k6 1\.6 or newer/ });
    assert.match(await requireK6({ env: { ...env, FAKE_K6_VERSION: 'k6 v2.3.1 (go1.25, linux/amd64)' } }), /v2\.3\.1/);
  });

  it('runs the built p2p bundle with the load in its environment and maps the summary to a LoadSummary', async () => {
    await can({ summary: summaryDocument(), exitCode: 0 });
    const reports = [
      report(2_000, 2_300, true, { committedTransferId: 'warm-1' }),
      report(10_500, 10_900, true, { committedTransferId: 't-1', phasesMs: { lookups: 40, quotes: 60, transfers: 90 }, iterationMs: 190 }),
      report(11_000, 11_400, false, { phase: 'transfers', reason: 'state ABORTED', phasesMs: { lookups: 50, quotes: 70 } }),
      report(29_000, 30_100, true, { committedTransferId: 't-2', phasesMs: { lookups: 100, quotes: 200, transfers: 700 }, iterationMs: 1000 }),
      report(49_800, 50_400, true, { committedTransferId: 't-3', phasesMs: { lookups: 100, quotes: 200, transfers: 250 }, iterationMs: 550 }), // started in the window, completed after it
      report(55_000, 55_300, true, { committedTransferId: 'drain-1' }),
    ];
    let deliver: (report: IterationReport) => void = () => undefined;
    const running = runner({ env: { ...env, FAKE_K6_WAIT: '1' }, reports: (listener) => { deliver = listener; return () => undefined; } }).run(REQUEST);
    try {
      const run = await started();
      for (const r of reports) deliver({ ...r, run });
      deliver({ ...reports[1]!, run: 'another-load-on-this-channel', committedTransferId: 'not-ours' });
    } finally {
      await writeFile(join(fakeDir, 'go'), '');
    }
    const summary = await running;

    const { args, env: k6Env } = await invocation();
    assert.deepEqual(args, ['run', '--quiet', '--no-color', '--address=', '--include-system-env-vars', join(bundleDir, 'p2p.js')]);
    await access(join(bundleDir, 'p2p.js'));
    const { SUMMARY_FILE, RUN_ID, ...rest } = k6Env;
    assert.match(SUMMARY_FILE!, /conformance-k6-.*summary\.json$/);
    assert.match(RUN_ID!, /^[0-9a-f-]{36}$/);
    assert.deepEqual(rest, {
      HUB_URL: 'https://gw.example/fspiop/?apikey=SECRETKEY', CALLBACK_WS_URL: 'ws://10.0.0.5:4100/notifications?token=TOKEN123',
      PAYER_FSP: 'payerfsp', PAYEE_FSP: 'payeefsp', PAYER_PARTY: 'MSISDN/27710101999', PAYEE_PARTY: 'MSISDN/27713803912',
      CURRENCY: 'USD', AMOUNT: '12', RATE: '10', DURATION: '60000ms', WARMUP: '10000ms', DRAIN: '10000ms',
      CALLBACK_TIMEOUT_MS: '9000', REQUEST_TIMEOUT_MS: '4000', K6_NEW_MACHINE_READABLE_SUMMARY: 'false', K6_NO_USAGE_REPORT: 'true',
    });
    assert.ok(!args.some((a) => a.includes('SECRETKEY') || a.includes('TOKEN123')), 'secrets stay off the command line');

    assert.equal(summary.runner, 'k6');
    assert.equal(summary.source, 'k6 v1.9.0 runner (p2p), profile smoke, steady state 10 s–50 s of 60 s');
    assert.deepEqual(summary.request, REQUEST);
    assert.deepEqual(summary.window, { startMs: 10_000, endMs: 50_000 });
    assert.deepEqual([summary.scheduled, summary.dropped], [400, 3]);
    assert.equal(summary.runnerErrors, undefined, 'every steady iteration k6 counted was reported');
    // Every figure from the reports, through the same books as the builtin runner's: exact counts within any bound.
    assert.deepEqual(summary.phases.lookups, {
      attempts: 4, successes: 4, failures: {}, percentilesMs: summary.phases.lookups.percentilesMs, completedBelowMs: [[41, 1], [51, 2], [101, 4]],
    });
    assert.equal(Math.round(summary.phases.lookups.percentilesMs['99']!), 100);
    assert.deepEqual(summary.phases.transfers.failures, { 'state ABORTED': 1 });
    assert.equal(summary.phases.transfers.attempts, 4);
    assert.deepEqual([summary.iterations.attempts, summary.iterations.successes, summary.iterations.failures], [4, 3, { 'transfers: state ABORTED': 1 }]);
    assert.deepEqual(summary.iterations.completedBelowMs, [[191, 1], [551, 2], [1001, 3]], 'an iteration timed first request → last callback, as k6 reports it');
    // By completion time, from the reports: two steady successes completed inside the 40 s window.
    assert.equal(summary.achievedRate, 2 / 40);
    assert.deepEqual(summary.intervals, [{ startMs: 10_000, endMs: 30_000, succeeded: 1 }, { startMs: 30_000, endMs: 50_000, succeeded: 1 }]);
    assert.equal(summary.series.length, 56);
    assert.deepEqual(summary.series[10], { second: 10, started: 1, succeeded: 1, failed: 0 });
    assert.deepEqual(summary.series[11], { second: 11, started: 1, succeeded: 0, failed: 1 });
    assert.deepEqual(summary.series[50], { second: 50, started: 0, succeeded: 1, failed: 0 });
    // The validity gate samples the steady state only.
    assert.deepEqual(summary.committedSample.sort(), ['t-1', 't-2', 't-3']);
    assert.equal(summary.fault, undefined);
  });

  it('treats exit 99 (a threshold failed) as a finished run: the verdict is ours — and a run whose iterations never reported proves nothing', async () => {
    await can({ summary: summaryDocument(), exitCode: 99, stderr: ['level=error msg="thresholds on metrics \'x\' have been crossed"'] });
    const never = async () => { throw new Error('not due in this run'); };
    const summary = await runner().run({ ...REQUEST, flow: 'clearing', fault: { atMs: 3_600_000, inject: never } });
    assert.deepEqual(summary.fault, { broke: undefined, atMs: 3_600_000, problem: 'the load ended before the fault was due' });
    assert.equal((await invocation()).args.at(-1), join(bundleDir, 'clearing.js'));
    assert.match(summary.source, /^k6 v1\.9\.0 runner \(clearing\), profile smoke, steady state 10 s–50 s of 60 s$/);
    assert.deepEqual(summary.runnerErrors, { count: 4, first: 'k6 ran 4 steady-state iterations, and no report of any reached the runner (can k6 reach the notification channel?)' });
    assert.deepEqual([summary.iterations.attempts, summary.committedSample, summary.achievedRate], [0, [], 0]);
  });

  it('fails any other exit with its code, its meaning and the last lines k6 printed — secrets redacted', async () => {
    await can({ exitCode: 107, stderr: ['running p2p', 'level=error msg="Uncaught (in promise) Error: HUB_URL https://gw.example/fspiop/?apikey=SECRETKEY refused"'] });
    await assert.rejects(runner().run(REQUEST), (error: Error & { exitCode?: number }) => {
      assert.equal(error.name, 'K6RunError');
      assert.equal(error.exitCode, 107);
      assert.match(error.message, /^k6 run load\/p2p\.ts failed: exit code 107 \(script exception\); last output:\nrunning p2p\n.*Uncaught/);
      assert.doesNotMatch(error.message, /SECRETKEY/);
      assert.match(error.message, /apikey=\*\*\*/);
      return true;
    });
    await can({ exitCode: 1, stderr: [] });
    await assert.rejects(runner().run(REQUEST), { name: 'K6RunError', message: 'k6 run load/p2p.ts failed: exit code 1' });
  });

  it('says so when k6 ends well but wrote no summary, or the machine-readable one', async () => {
    await can({ exitCode: 0 });
    await assert.rejects(runner().run(REQUEST), /k6 finished \(exit code 0\) without writing its summary/);
    await can({ summary: { ...summaryDocument(), data: { config: {}, metadata: {}, results: { metrics: [] }, version: '1.0.0' } }, exitCode: 0 });
    await assert.rejects(runner().run(REQUEST), /machine-readable summary, which has no p\(99\)/);
  });

  it('reports progress from the iteration reports once a second and injects the fault on time (manual clock)', async () => {
    await can({ summary: summaryDocument(), exitCode: 0 });
    const clock = new ManualClock(0);
    let deliver: (report: IterationReport) => void = () => undefined;
    const progress: LoadProgress[] = [];
    const injected: number[] = [];
    const running = runner({ clock, env: { ...env, FAKE_K6_WAIT: '1' }, reports: (listener) => { deliver = listener; return () => undefined; } }).run({
      ...REQUEST,
      fault: { atMs: 1500, inject: async () => { injected.push(clock.now()); return { broke: 'central-ledger pod ml-1', atMs: 1500 }; } },
    }, (p) => progress.push(p));
    // Whatever the assertions say, k6 is let go: a stand-in left waiting would hold the test process.
    const letGo = () => writeFile(join(fakeDir, 'go'), '');
    try {
    // Timers are set once k6 is found and the bundle built; the clock moves only here.
    for (const deadline = Date.now() + 30_000; clock.pendingTimers < 2;) {
      if (Date.now() > deadline) throw new Error('the runner set no progress or fault timer within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // Ten iterations of the first half second of the load arrive at clock 0: the load started at clock -500.
    const run = await started();
    for (let i = 0; i < 10; i += 1) deliver(report(i * 10, 500 + i * 20, i !== 9, { run, phasesMs: { lookups: 10 + i, quotes: 20, transfers: 30 } }));
    clock.advance(999);
    assert.deepEqual([progress.length, injected], [0, []]);
    clock.advance(1);
    assert.equal(progress.length, 1);
    const { p99Ms, ...first } = progress[0]!;
    // Whole seconds only: the first second of the load (0–1 s) saw the nine successes that ended by 1 s.
    assert.deepEqual(first, { elapsedMs: 1500, durationMs: 60_000, targetRate: 10, achievedRate: 9, failed: 1, dropped: undefined }, 'k6 counts drops only at its end');
    assert.deepEqual(Object.fromEntries(Object.entries(p99Ms).map(([phase, ms]) => [phase, Math.round(ms)])), { lookups: 19, quotes: 20, transfers: 30 });
    assert.deepEqual(injected, [1000], 'the fault 1500 ms into the load, on the load\'s clock, not k6\'s start-up');
    clock.advance(1000);
    assert.equal(progress.length, 2);
    } finally {
      await letGo();
    }
    const summary = await running;
    assert.deepEqual(summary.fault, { broke: 'central-ledger pod ml-1', atMs: 1500 });
    assert.equal(clock.pendingTimers, 0, 'no progress tick outlives the run');
  });
});

describe('k6 iteration reports in the accounting', () => {
  it('count attempts completed within a bound exactly, the steady state being k6\'s steady scenario', () => {
    const books = new LoadAccounting(REQUEST);
    const reports = [
      report(10_100, 10_200, true, { phasesMs: { lookups: 40, quotes: 10, transfers: 10 } }),
      report(10_200, 11_300, false, { phase: 'quotes', reason: 'timeout', phasesMs: { lookups: 999.6 } }),
      report(10_300, 11_400, false, { phase: 'transfers', reason: 'state ABORTED', phasesMs: { lookups: 1000, quotes: 10 } }),
      report(10_400, 20_400, false, { phase: 'lookups', reason: 'timeout' }),
      report(2_000, 2_100, true, { phasesMs: { lookups: 5 } }), // warm-up: not an attempt of the steady state
      { ...report(9_999, 10_100, true, { phasesMs: { lookups: 5 } }), scenario: 'steady' }, // k6 started it in its steady scenario
    ];
    for (const r of reports) books.record(iterationRecord(r));
    const lookups = books.summary({ runner: 'k6', source: 'test', scheduled: 400 }).phases.lookups;
    assert.equal(lookups.attempts, 5);
    assert.deepEqual(lookups.completedBelowMs, [[6, 1], [41, 2], [1000, 3], [1001, 4]]);
    assert.equal(completedWithin(lookups, 1000), 3, '999.6 ms is within 1 s, 1000 ms is not');
  });
});
