import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fspiopHeaders } from '../../src/fspiop/headers.ts';
import { partyPath, quoteRequest, transferPrepare } from '../../src/fspiop/messages.ts';
import { buildLoadScripts, type BuiltScript } from '../../src/load/k6/k6-scripts.ts';
import { ROOT, tempDir } from '../helpers/cli.ts';
import { recorder, resetRecorder, type K6Call } from '../helpers/k6/recorder.ts';
import { importK6Script } from '../helpers/k6/register.ts';
import { ScriptedHub, type Answer } from '../helpers/k6/scripted-hub.ts';
import { LiveBackend } from '../helpers/k6/live-backend.ts';
import { validateConfig } from '../../src/config/load-config.ts';
import { ReferenceDeployment } from '../../src/environment/embedded/reference-deployment.ts';
import { CallbackServer } from '../../src/fspiop/callback-server.ts';
import { attachNotificationChannel, type IterationReport } from '../../src/fspiop/notification-channel.ts';
import { steadySubmetrics } from '../../src/load/k6/k6-summary.ts';
import { parseRunnerLogLine } from '../../src/load/k6-operator/runner-log.ts';
import { after } from 'node:test';

interface LoadScript {
  options: { scenarios: Record<string, Record<string, unknown>>; thresholds: Record<string, string[]>; summaryTrendStats: string[] };
  default(data?: unknown): Promise<void>;
  setup?(): Promise<unknown>;
  handleSummary(data: unknown): Record<string, string>;
}

const ENV = {
  HUB_URL: 'http://hub.test:4000/fspiop/?apikey=K',
  CALLBACK_WS_URL: 'ws://127.0.0.1:4100/notifications?token=T',
  PAYER_FSP: 'payerfsp',
  PAYEE_FSP: 'payeefsp',
  PAYER_PARTY: 'MSISDN/27710101999',
  PAYEE_PARTY: 'MSISDN/27713803912',
  CURRENCY: 'USD',
  AMOUNT: '25.5',
  RATE: '20',
  DURATION: '2m',
  WARMUP: '30s',
  DRAIN: '10s',
  CALLBACK_TIMEOUT_MS: '8000',
  SUMMARY_FILE: '/tmp/summary.json',
  RUN_ID: 'run-1',
};

type Http = Extract<K6Call, { module: 'k6/http' }>;
type Ws = Extract<K6Call, { module: 'k6/websockets' }>;
const http = () => recorder.calls.filter((c): c is Http => c.module === 'k6/http');
const sent = () => recorder.calls.filter((c): c is Ws => c.module === 'k6/websockets' && c.event === 'send').map((c) => JSON.parse(c.data!) as Record<string, unknown>);
const received = () => recorder.calls.filter((c): c is Ws => c.module === 'k6/websockets' && c.event === 'receive').map((c) => JSON.parse(c.data!) as { key: string; kind?: string; body?: unknown });
const metrics = (name: string) => recorder.calls.filter((c) => c.module === 'k6/metrics' && c.metric === name) as Array<Extract<K6Call, { module: 'k6/metrics' }>>;

/** The recorded calls as one line each, in order: what the script did, step by step. */
function timeline(): string[] {
  return recorder.calls.flatMap((c) => {
    if (c.module === 'k6/http') return [`http ${c.method} ${new URL(c.url).pathname}`];
    if (c.module === 'k6/websockets') {
      if (c.event !== 'send' && c.event !== 'receive') return [`ws ${c.event}`];
      const m = JSON.parse(c.data!) as Record<string, unknown>;
      const kind = 'expect' in m ? 'expect' : 'cancel' in m ? 'cancel' : 'report' in m ? 'report' : 'expecting' in m ? 'expecting' : 'timeout' in m ? 'timeout' : `callback ${String(m.kind)}`;
      const key = String(m.expect ?? m.cancel ?? m.key ?? '').replace(/:.*/, '');
      return [`ws ${c.event} ${kind}${key ? ` ${key}` : ''}`];
    }
    return [];
  });
}

async function runOnce(script: LoadScript, override?: (call: Http, key: string) => Answer | undefined, data?: unknown, hub = new ScriptedHub({ payeeFsp: ENV.PAYEE_FSP, override })) {
  resetRecorder(hub, { name: 'steady', startTime: Date.now() - 30_000 });
  await script.default(data);
  return hub;
}

describe('k6 scripts (load/*.ts)', () => {
  let dir: string;
  let built: BuiltScript[];
  let p2p: LoadScript;
  before(async () => {
    dir = await tempDir('k6-bundles');
    built = await buildLoadScripts({ outDir: dir });
    p2p = await importK6Script<LoadScript>(join(dir, 'p2p.js'), ENV);
  });

  it('bundle into single ES modules that import nothing but k6 modules', async () => {
    assert.deepEqual(built.map((b) => b.name), ['clearing', 'p2p']);
    for (const script of built) {
      const code = await readFile(script.bundle, 'utf8');
      const specifiers = [...code.matchAll(/^\s*import\s[^'"]*?from\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/gm)].map((m) => m[1] ?? m[2] ?? m[3]);
      assert.ok(specifiers.length > 0, `${script.name}: no import parsed`);
      assert.deepEqual(specifiers.filter((s) => s !== 'k6' && !s!.startsWith('k6/')), [], `${script.name} imports only k6 modules`);
      assert.ok(specifiers.includes('k6/websockets') && specifiers.includes('k6/http'));
      assert.doesNotMatch(code, /\brequire\s*\(|node:/, `${script.name}: no CommonJS or Node module left`);
      assert.match(code, /application\/vnd\.interoperability\./, `${script.name}: the shared FSPIOP header builder is inlined`);
    }
  });

  it('type-check against @types/k6 with no Node types (tsc -p load/tsconfig.json)', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'load', 'tsconfig.json')], { cwd: ROOT });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, output);
  });

  it('declare the open model from the environment: warm-up, steady and drain at RATE, steady sub-metrics, percentiles', () => {
    const { scenarios, thresholds, summaryTrendStats } = p2p.options;
    assert.deepEqual(Object.keys(scenarios), ['warmup', 'steady', 'drain']);
    for (const scenario of Object.values(scenarios)) {
      assert.equal(scenario.executor, 'constant-arrival-rate');
      assert.equal(scenario.rate, 20);
      assert.equal(scenario.timeUnit, '1s');
      assert.equal(scenario.preAllocatedVUs, 40);
      assert.equal(scenario.maxVUs, 200);
    }
    assert.deepEqual([scenarios.warmup!.startTime, scenarios.warmup!.duration], ['0ms', '30000ms']);
    assert.deepEqual([scenarios.steady!.startTime, scenarios.steady!.duration], ['30000ms', '80000ms']);
    assert.deepEqual([scenarios.drain!.startTime, scenarios.drain!.duration], ['110000ms', '10000ms']);
    for (const trend of ['lookup_ms', 'quote_ms', 'transfer_ms', 'iteration_ms']) assert.deepEqual(thresholds[`${trend}{scenario:steady}`], ['max>=0']);
    assert.deepEqual(thresholds['dropped_iterations{scenario:steady}'], ['count>=0']);
    assert.deepEqual(thresholds['failures{scenario:steady,phase:transfers,reason:timeout}'], ['count>=0']);
    for (const stat of ['p(50)', 'p(95)', 'p(99)', 'p(99.9)', 'count']) assert.ok(summaryTrendStats.includes(stat), stat);
    // Every sub-metric the k6 runner reads is one k6 computes (a threshold declares it).
    assert.deepEqual(steadySubmetrics().filter((name) => !(name in thresholds)), []);
  });

  it('run one P2P iteration: expect before send on the WebSocket, FSPIOP requests from the shared builders, checks and metrics', async () => {
    const hub = await runOnce(p2p);
    assert.deepEqual(timeline(), [
      'ws connect',
      'ws send expect parties', 'ws receive expecting parties', 'http GET /fspiop/parties/MSISDN/27713803912', 'ws receive callback success parties',
      'ws send expect quotes', 'ws receive expecting quotes', 'http POST /fspiop/quotes', 'ws receive callback success quotes',
      'ws send expect transfers', 'ws receive expecting transfers', 'http POST /fspiop/transfers', 'ws receive callback success transfers',
      'ws send report', 'ws close',
    ]);
    assert.equal((recorder.calls[0] as Ws).url, ENV.CALLBACK_WS_URL);
    const [lookup, quote, transfer] = http();

    // GET /parties: the payee party, the gateway prefix and API key kept, FSPIOP headers of a request.
    assert.equal(lookup!.url, `http://hub.test:4000/fspiop${partyPath({ type: 'MSISDN', id: '27713803912' })}?apikey=K`);
    assert.equal(lookup!.body, null);
    const expected = (resource: 'parties' | 'quotes' | 'transfers', destination?: string) => {
      const { date: _date, ...headers } = fspiopHeaders({ resource, source: 'payerfsp', destination });
      return headers;
    };
    const withoutDate = (headers: Record<string, string>) => {
      const { date, ...rest } = headers;
      assert.ok(Number.isFinite(Date.parse(date!)), 'a Date header');
      return rest;
    };
    assert.deepEqual(withoutDate(lookup!.headers), expected('parties'));
    assert.equal(lookup!.headers['content-type'], 'application/vnd.interoperability.parties+json;version=1.1');

    // POST /quotes: exactly what the shared builder makes of the configured parties and amount.
    const quoteBody = JSON.parse(quote!.body!) as { quoteId: string; transactionId: string };
    assert.match(quoteBody.quoteId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(quoteBody.quoteId, quoteBody.transactionId);
    assert.deepEqual(quoteBody, quoteRequest({
      quoteId: quoteBody.quoteId, transactionId: quoteBody.transactionId, payerFsp: 'payerfsp', payer: { type: 'MSISDN', id: '27710101999' },
      payeeFsp: 'payeefsp', payee: { type: 'MSISDN', id: '27713803912' }, amount: { amount: '25.5', currency: 'USD' },
    }));
    assert.deepEqual(withoutDate(quote!.headers), expected('quotes', 'payeefsp'));

    // POST /transfers: on the terms the quote callback agreed.
    const terms = received().find((m) => m.key === `quotes:${quoteBody.quoteId}` && m.kind === 'success')!.body as
      { transferAmount: { amount: string; currency: string }; ilpPacket: string; condition: string; expiration: string };
    const transferBody = JSON.parse(transfer!.body!) as { transferId: string };
    assert.deepEqual(transferBody, transferPrepare({ transferId: transferBody.transferId, payerFsp: 'payerfsp', payeeFsp: 'payeefsp', amount: terms.transferAmount, terms }));
    assert.deepEqual(withoutDate(transfer!.headers), expected('transfers', 'payeefsp'));
    for (const call of http()) assert.equal(call.params.timeout, 5000);

    // Waits asked for with the configured timeout, keyed as the callback server correlates them.
    assert.deepEqual(hub.expectations, [
      { key: 'parties:MSISDN/27713803912', timeoutMs: 8000 },
      { key: `quotes:${quoteBody.quoteId}`, timeoutMs: 8000 },
      { key: `transfers:${transferBody.transferId}`, timeoutMs: 8000 },
    ]);

    // Checks like the functional scenario, all passed; one sample per phase Trend, no failure.
    const checks = recorder.calls.filter((c) => c.module === 'k6') as Array<{ check: string; ok: boolean }>;
    assert.deepEqual(checks.filter((c) => !c.ok), []);
    assert.deepEqual(checks.map((c) => c.check), [
      'lookups: party identifier echoes the request', 'lookups: party held by the payee DFSP',
      'quotes: transfer amount is the amount sent (SEND, no fees)', 'quotes: ILP packet present', 'quotes: condition is 32 bytes base64url', 'quotes: expiration in the future',
      'transfers: transfer state COMMITTED', 'transfers: SHA-256(fulfilment) = agreed condition',
    ]);
    for (const trend of ['lookup_ms', 'quote_ms', 'transfer_ms', 'iteration_ms']) {
      assert.equal(metrics(trend).length, 1, trend);
      assert.ok(metrics(trend)[0]!.value >= 0);
      assert.equal(metrics(trend)[0]!.tags.scenario, 'steady');
    }
    assert.ok(metrics('iteration_ms')[0]!.value >= metrics('transfer_ms')[0]!.value);
    assert.deepEqual(metrics('failures'), []);

    // The iteration's report: steady scenario, times since the start of the run, the committed transfer.
    const report = hub.reports[0] as { run: string; scenario: string; startMs: number; endMs: number; ok: boolean; committedTransferId: string; phasesMs: Record<string, number> };
    assert.equal(report.run, 'run-1', 'named for the runner that started it');
    assert.equal(report.scenario, 'steady');
    assert.equal(report.ok, true);
    assert.equal(report.committedTransferId, transferBody.transferId);
    assert.ok(report.startMs >= 60_000 && report.endMs >= report.startMs, `steady started 30 s after a 30 s warm-up: ${report.startMs}`);
    assert.deepEqual(Object.keys(report.phasesMs), ['lookups', 'quotes', 'transfers']);
  });

  it('stop an iteration at a request the hub refuses: the wait is cancelled, the failure counted by phase and reason', async () => {
    const hub = await runOnce(p2p, (call) => (call.url.includes('/quotes') ? { status: 500 } : undefined));
    assert.deepEqual(http().map((c) => c.method), ['GET', 'POST'], 'no transfer without agreed terms');
    assert.equal(hub.cancelled.length, 1);
    assert.match(hub.cancelled[0]!, /^quotes:/);
    assert.deepEqual(metrics('failures').map((m) => m.tags), [{ scenario: 'steady', phase: 'quotes', reason: 'http', detail: 'HTTP 500' }]);
    assert.equal(metrics('lookup_ms').length, 1);
    assert.deepEqual([metrics('quote_ms').length, metrics('iteration_ms').length], [0, 0]);
    assert.deepEqual(hub.reports.map((r) => (r as { ok: boolean; phase: string; reason: string })).map(({ ok, phase, reason }) => ({ ok, phase, reason })), [{ ok: false, phase: 'quotes', reason: 'HTTP 500' }]);
    assert.equal(timeline().at(-1), 'ws close');
  });

  it('count error callbacks, timeouts, wrong states and wrong fulfilments each under its reason', async () => {
    const cases: Array<[string, (call: Http, key: string) => Answer | undefined, Record<string, string>]> = [
      ['party not found', (_c, key) => (key.startsWith('parties:') ? { status: 202, callback: { kind: 'error', body: { errorInformation: { errorCode: '3204', errorDescription: 'Party not found' } } } } : undefined),
        { phase: 'lookups', reason: 'error_callback', detail: 'error callback 3204' }],
      ['transfer callback timeout', (_c, key) => (key.startsWith('transfers:') ? { status: 202, callback: 'timeout' } : undefined), { phase: 'transfers', reason: 'timeout' }],
      ['transfer aborted', (_c, key) => (key.startsWith('transfers:') ? { status: 202, callback: { kind: 'success', body: { transferState: 'ABORTED' } } } : undefined), { phase: 'transfers', reason: 'not_committed' }],
      ['wrong fulfilment', (_c, key) => (key.startsWith('transfers:') ? { status: 202, callback: { kind: 'success', body: { transferState: 'COMMITTED', fulfilment: Buffer.alloc(32, 7).toString('base64url') } } } : undefined), { phase: 'transfers', reason: 'fulfilment' }],
      ['quote with fees', (call, key) => (key.startsWith('quotes:') ? { status: 202, callback: { kind: 'success', body: { transferAmount: { amount: '26', currency: 'USD' }, ilpPacket: 'x', condition: 'A'.repeat(43), expiration: new Date(Date.now() + 60_000).toISOString(), quoteId: JSON.parse(call.body!).quoteId } } } : undefined),
        { phase: 'quotes', reason: 'invalid_callback' }],
    ];
    for (const [name, override, tags] of cases) {
      const hub = await runOnce(p2p, override);
      assert.deepEqual(metrics('failures').map((m) => m.tags), [{ scenario: 'steady', ...tags }], name);
      assert.equal(metrics('iteration_ms').length, 0, name);
      assert.equal((hub.reports[0] as { ok: boolean }).ok, false, name);
      assert.equal(timeline().at(-1), 'ws close', name);
    }
  });

  it('count a notification channel that cannot open as a failure of the first phase, and send no request', async () => {
    const hub = new ScriptedHub({ payeeFsp: ENV.PAYEE_FSP });
    hub.connect = (socket) => socket.fail('dial tcp 127.0.0.1:4100: connect: connection refused');
    await runOnce(p2p, undefined, undefined, hub);
    assert.deepEqual(http(), []);
    assert.deepEqual(metrics('failures').map((m) => m.tags), [{ scenario: 'steady', phase: 'lookups', reason: 'channel' }]);
    assert.deepEqual(hub.reports, [], 'no channel, no report');
  });

  it('write the k6 summary data to SUMMARY_FILE in handleSummary', () => {
    const files = p2p.handleSummary({ metrics: { iteration_ms: { type: 'trend', values: { 'p(99)': 12 } } } });
    const document = JSON.parse(files['/tmp/summary.json']!) as Record<string, unknown>;
    assert.equal(document.format, 'mojaloop-conformance/k6-summary@1');
    assert.equal(document.script, 'p2p');
    assert.deepEqual(document.load, { rate: 20, durationMs: 120_000, warmupMs: 30_000, drainMs: 10_000 });
    assert.deepEqual(document.data, { metrics: { iteration_ms: { type: 'trend', values: { 'p(99)': 12 } } } });
  });

  it('REPORT_TO=log (k6 in a runner pod): each iteration is one console line, the summary one stdout line, both as the k6-operator runner reads them', async () => {
    const inPod = await importK6Script<LoadScript>(join(dir, 'p2p.js'), { ...ENV, REPORT_TO: 'log' });
    const printed: unknown[][] = [];
    const log = console.log;
    console.log = (...values: unknown[]) => { printed.push(values); };
    let hub: ScriptedHub;
    try {
      hub = await runOnce(inPod);
      await runOnce(inPod, (call) => (call.url.includes('/quotes') ? { status: 500 } : undefined));
    } finally {
      console.log = log;
    }
    assert.deepEqual(hub.reports, [], 'nothing reported over the channel');
    assert.equal(printed.length, 2);
    // k6 with --log-format=raw prints a console line as it is: the runner's parser takes it.
    const lines = printed.map((values) => parseRunnerLogLine(values.map(String).join(' ')));
    assert.deepEqual(lines.map((l) => (l.kind === 'report' ? [l.report.run, l.report.scenario, l.report.ok, l.report.reason] : l.kind)), [['run-1', 'steady', true, undefined], ['run-1', 'steady', false, 'HTTP 500']]);
    const out = inPod.handleSummary({ metrics: { 'iteration_ms{scenario:steady}': { type: 'trend', values: { count: 7 } } }, state: { testRunDurationMs: 1 }, root_group: { checks: [] } });
    assert.deepEqual(Object.keys(out), ['stdout'], 'no file in a pod');
    const summary = parseRunnerLogLine(out.stdout!.trimEnd());
    assert.equal(summary.kind, 'summary');
    assert.deepEqual(summary.kind === 'summary' && summary.document.data, { metrics: { 'iteration_ms{scenario:steady}': { type: 'trend', values: { count: 7 } } }, state: { testRunDurationMs: 1 } });
    await assert.rejects(importK6Script(join(dir, 'p2p.js'), { ...ENV, REPORT_TO: 'file' }), /REPORT_TO must be one of channel, log, got "file"/);
  });

  it('refuse a configuration without a hub or a channel URL before any load (k6 init context)', async () => {
    const { HUB_URL: _hub, ...noHub } = ENV;
    await assert.rejects(importK6Script(join(dir, 'p2p.js'), noHub), /HUB_URL is required/);
    await assert.rejects(importK6Script(join(dir, 'p2p.js'), { ...ENV, CALLBACK_WS_URL: 'http://127.0.0.1:4100/notifications' }), /CALLBACK_WS_URL must be a ws:\/\/ or wss:\/\/ URL/);
    await assert.rejects(importK6Script(join(dir, 'p2p.js'), { ...ENV, WARMUP: '1m', DRAIN: '1m' }), /must leave a steady state/);
  });

  it('clearing: agrees terms once in setup(), then each iteration only transfers on them', async () => {
    const clearing = await importK6Script<LoadScript>(join(dir, 'clearing.js'), { ...ENV, WARMUP: '0s', DRAIN: '0s' });
    assert.deepEqual(Object.keys(clearing.options.scenarios), ['steady']);
    const hub = new ScriptedHub({ payeeFsp: ENV.PAYEE_FSP });
    resetRecorder(hub);
    const agreement = await clearing.setup!() as { terms: { condition: string; transferAmount: unknown } };
    assert.deepEqual(http().map((c) => `${c.method} ${new URL(c.url).pathname}`), ['GET /fspiop/parties/MSISDN/27713803912', 'POST /fspiop/quotes']);
    assert.match(agreement.terms.condition, /^[A-Za-z0-9_-]{43}$/);
    await runOnce(clearing, undefined, agreement, hub);
    assert.deepEqual(http().map((c) => `${c.method} ${new URL(c.url).pathname}`), ['POST /fspiop/transfers']);
    const body = JSON.parse(http()[0]!.body!) as { condition: string; amount: unknown };
    assert.equal(body.condition, agreement.terms.condition);
    assert.deepEqual(body.amount, agreement.terms.transferAmount);
    assert.deepEqual(metrics('failures'), []);
    assert.equal(metrics('iteration_ms')[0]!.value, metrics('transfer_ms')[0]!.value, 'the iteration is the transfer alone');
    assert.deepEqual(sent().filter((m) => 'expect' in m).map((m) => String(m.expect).replace(/:.*/, '')), ['transfers']);
  });
});

describe('k6 scripts against the reference hub, callbacks through the real notification channel', () => {
  const config = validateConfig({ timeouts: { callbackMs: 5000 } });
  const deployment = new ReferenceDeployment(config);
  const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, maxBodyBytes: 65536, addressing: { dfsps: ['payerfsp'], senders: ['Hub', 'payeefsp'] } });
  const channel = attachNotificationChannel(callbacks);
  const reports: IterationReport[] = [];
  channel.onReport((report) => reports.push(report));
  let env: Record<string, string>;
  let dir: string;

  before(async () => {
    const { hubUrl } = await deployment.start();
    await callbacks.start();
    await deployment.connectPayer('payerfsp', callbacks.url);
    dir = await tempDir('k6-live');
    await buildLoadScripts({ outDir: dir });
    const { payer, payee } = config.participants;
    env = {
      HUB_URL: hubUrl, CALLBACK_WS_URL: channel.urlFor(callbacks.url), PAYER_FSP: payer.fspId, PAYEE_FSP: payee.fspId,
      PAYER_PARTY: `${payer.party.type}/${payer.party.id}`, PAYEE_PARTY: `${payee.party.type}/${payee.party.id}`, CURRENCY: payer.currency,
      AMOUNT: '10', RATE: '5', DURATION: '10s', CALLBACK_TIMEOUT_MS: '5000',
    };
  });
  after(async () => {
    await channel.close();
    await callbacks.stop();
    await deployment.stop();
  });

  it('p2p: a whole transfer commits, every check passes, and the report reaches the runner side', async () => {
    const p2p = await importK6Script<LoadScript>(join(dir, 'p2p.js'), env);
    const network = new LiveBackend();
    resetRecorder(network, { name: 'steady', startTime: Date.now() });
    const acceptedBefore = callbacks.stats.accepted;
    await p2p.default();
    assert.deepEqual(metrics('failures'), []);
    assert.deepEqual(recorder.calls.filter((c) => c.module === 'k6' && !c.ok), []);
    assert.deepEqual(http().map((c) => c.method), ['GET', 'POST', 'POST']);
    assert.equal(callbacks.stats.accepted - acceptedBefore, 3, 'three genuine callbacks, relayed');
    assert.equal(metrics('iteration_ms').length, 1);
    const transferId = (JSON.parse(http()[2]!.body!) as { transferId: string }).transferId;
    // The report is the last frame before the close; the server has it once the socket is gone.
    for (const deadline = Date.now() + 10_000; network.open > 0 || channel.clients > 0 || reports.length === 0;) {
      if (Date.now() > deadline) assert.fail(`the iteration's report did not arrive within 10 s (sockets open: ${network.open}, channel clients: ${channel.clients}, reports: ${reports.length})`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.deepEqual(reports.map((r) => [r.scenario, r.ok, r.committedTransferId]), [['steady', true, transferId]]);
    assert.equal(callbacks.correlator.pending, 0);
  });

  it('clearing: setup() agrees the terms, the iteration transfers on them', async () => {
    const clearing = await importK6Script<LoadScript>(join(dir, 'clearing.js'), env);
    const network = new LiveBackend();
    resetRecorder(network, { name: 'steady', startTime: Date.now() });
    const agreement = await clearing.setup!();
    await clearing.default(agreement);
    assert.deepEqual(http().map((c) => `${c.method} ${new URL(c.url).pathname}`), ['GET /parties/MSISDN/27713803912', 'POST /quotes', 'POST /transfers']);
    assert.deepEqual(metrics('failures'), []);
    assert.deepEqual(recorder.calls.filter((c) => c.module === 'k6' && !c.ok), []);
  });
});
