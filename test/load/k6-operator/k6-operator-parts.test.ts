import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { parseCliArgs } from '../../../src/cli/args.ts';
import { ConfigError } from '../../../src/config/errors.ts';
import { validateConfig } from '../../../src/config/load-config.ts';
import { CallbackServer } from '../../../src/fspiop/callback-server.ts';
import { callbackRoute, createLoadRunner, planLoadRunner, prepareCallbacksFor } from '../../../src/load/create-load-runner.ts';
import { K6OperatorRunner } from '../../../src/load/k6-operator/k6-operator-runner.ts';
import { sortableStamp } from '../../../src/load/k6-operator/pod-log-follower.ts';
import { LineSplitter, parseRunnerLogLine } from '../../../src/load/k6-operator/runner-log.ts';
import { inClusterChannelUrl, loadObjects } from '../../../src/load/k6-operator/test-run-manifests.ts';
import { kubeconfigFor } from '../../helpers/fake-kube-api.ts';

const REPORT = { run: 'r1', scenario: 'steady', startMs: 10, endMs: 60, ok: true, phasesMs: { lookups: 50 } };

describe('a runner pod\'s log line', () => {
  it('is read as a report whichever way k6 printed the console line: raw, JSON log entry, or its text format (Go-quoted)', () => {
    const message = JSON.stringify({ report: REPORT });
    for (const line of [
      message,
      JSON.stringify({ level: 'info', msg: message, source: 'console', time: '2026-12-05T09:00:00Z' }),
      `time="2026-12-05T09:00:00Z" level=info msg=${JSON.stringify(message)} source=console`,
    ]) {
      assert.deepEqual(parseRunnerLogLine(line), { kind: 'report', report: REPORT }, line);
    }
  });

  it('is the summary only in our document\'s format; anything else is k6 talking, kept as text', () => {
    const summary = { format: 'mojaloop-conformance/k6-summary@1', script: 'p2p', load: { rate: 1, durationMs: 1, warmupMs: 0, drainMs: 0 }, data: { metrics: {} } };
    assert.equal(parseRunnerLogLine(JSON.stringify({ summary })).kind, 'summary');
    assert.equal(parseRunnerLogLine(JSON.stringify({ summary: { ...summary, format: 'other' } })).kind, 'other');
    assert.deepEqual(parseRunnerLogLine('time="…" level=warning msg="Insufficient VUs" executor=constant-arrival-rate'), { kind: 'other', text: 'time="…" level=warning msg="Insufficient VUs" executor=constant-arrival-rate' });
    assert.equal(parseRunnerLogLine(JSON.stringify({ report: { scenario: 'steady' } })).kind, 'other', 'a report without its times is not taken');
    assert.equal(parseRunnerLogLine('{"report": {'.repeat(3)).kind, 'other');
  });

  it('arrives in chunks that cut lines anywhere; a runaway line is cut to the limit', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line), 10);
    splitter.push('abc\nde');
    splitter.push('f\n\n0123456789012345');
    splitter.push('6789\nlast');
    splitter.end();
    assert.deepEqual(lines, ['abc', 'def', '0123456789', 'last']);
  });
});

describe('a kubelet log timestamp', () => {
  it('compares as text once its fraction is padded (RFC3339Nano drops trailing zeros), and is undefined for anything else', () => {
    assert.equal(sortableStamp('2026-12-05T09:00:00.5Z'), '2026-12-05T09:00:00.500000000');
    assert.ok(sortableStamp('2026-12-05T09:00:00.5Z')! > sortableStamp('2026-12-05T09:00:00.4999Z')!);
    assert.ok(sortableStamp('2026-12-05T09:00:01Z')! > sortableStamp('2026-12-05T09:00:00.999999999Z')!);
    assert.equal(sortableStamp('{"report":1}'), undefined);
  });
});

describe('the objects of one k6-operator load', () => {
  const base = {
    id: 'ab12cd34', namespace: 'load', scriptFile: 'p2p.js', script: '// bundle', parallelism: 3, image: 'grafana/k6:1.6.0', separate: true,
    variables: { HUB_URL: 'http://hub/?apikey=K', CALLBACK_WS_URL: 'ws://svc/notifications?token=T', RATE: '30', MAX_VUS: undefined },
  };

  it('a DNS name is routed by an ExternalName Service (no EndpointSlice); the TestRun asks for separate nodes and leaves a default variable out', () => {
    const objects = loadObjects({ ...base, route: { kind: 'address', address: 'loadgen.example.org', port: 4100 } });
    assert.deepEqual(objects.service.spec, { type: 'ExternalName', externalName: 'loadgen.example.org', ports: [{ name: 'callbacks', port: 4100, targetPort: 4100, protocol: 'TCP' }] });
    assert.equal(objects.endpointSlice, undefined);
    const spec = objects.testRun.spec as { separate: boolean; parallelism: number; runner: { env: Array<{ name: string }> } };
    assert.equal(spec.separate, true);
    assert.equal(spec.parallelism, 3);
    assert.deepEqual(spec.runner.env.map((e) => e.name), ['HUB_URL', 'CALLBACK_WS_URL', 'RATE']);
    assert.deepEqual(objects.secret.stringData, { HUB_URL: 'http://hub/?apikey=K', CALLBACK_WS_URL: 'ws://svc/notifications?token=T' });
    for (const object of [objects.configMap, objects.secret, objects.service, objects.testRun]) {
      assert.deepEqual(object.metadata.labels, { 'app.kubernetes.io/managed-by': 'mojaloop-conformance', 'mojaloop-conformance/load': 'ab12cd34' });
    }
  });

  it('when this tool runs in the cluster, the Service selects its pod', () => {
    const objects = loadObjects({ ...base, route: { kind: 'selector', selector: { app: 'conformance' }, port: 4100 } });
    assert.deepEqual((objects.service.spec as { selector: unknown }).selector, { app: 'conformance' });
    assert.equal(objects.endpointSlice, undefined);
  });

  it('the channel URL a pod dials: the Service\'s cluster name and port, path and token kept', () => {
    assert.equal(inClusterChannelUrl('ws://10.1.2.3:41234/notifications?token=abc', 'conformance-k6-x-callbacks', 'load', 4100), 'ws://conformance-k6-x-callbacks.load.svc:4100/notifications?token=abc');
  });
});

describe('choosing the k6-operator runner', () => {
  it('--runner k6-operator and load.runner: k6-operator; the k6Operator section has defaults and names a bad field', async () => {
    assert.deepEqual(parseCliArgs(['--runner', 'k6-operator']).overrides.load, { runner: 'k6-operator' });
    const config = validateConfig({ load: { runner: 'k6-operator' } });
    assert.deepEqual({ ...config.k6Operator, callbacks: { ...config.k6Operator.callbacks } }, {
      parallelism: 2, runnerImage: 'grafana/k6:latest', separate: false, callbacks: {}, startTimeoutMs: 300_000, finishGraceMs: 120_000, pollMs: 2000,
    });
    assert.throws(() => validateConfig({ k6Operator: { parallelism: 0 } }), /k6Operator\.parallelism/);
    assert.throws(() => validateConfig({ k6Operator: { namespace: 'Load_NS' } }), /k6Operator\.namespace: .*a namespace name/);
    assert.throws(() => validateConfig({ k6Operator: { callbacks: { address: 'http://10.0.0.5' } } }), /k6Operator\.callbacks\.address: .*an IPv4 address or a DNS name/);
    assert.throws(() => validateConfig({ k6Operator: { parallelsm: 2 } }), /k6Operator/);
    const plan = await planLoadRunner('k6-operator');
    assert.equal(plan.kind, 'k6-operator');
  });

  it('routes callbacks to the public URL\'s host by default, refuses a loopback one naming the setting, and takes an address or selector given', () => {
    assert.deepEqual(callbackRoute({}, 'http://10.0.0.5:4100'), { kind: 'address', address: '10.0.0.5', port: 4100 });
    assert.deepEqual(callbackRoute({ address: 'loadgen.example.org', port: 8080 }, 'http://127.0.0.1:4100'), { kind: 'address', address: 'loadgen.example.org', port: 8080 });
    assert.deepEqual(callbackRoute({ selector: { app: 'conformance' } }, 'http://127.0.0.1:4100'), { kind: 'selector', selector: { app: 'conformance' }, port: 4100 });
    assert.throws(() => callbackRoute({}, 'http://127.0.0.1:4100'), (error: Error) => error instanceof ConfigError && /^k6Operator\.callbacks\.address: the k6-operator runner pods cannot reach our callback server at 127\.0\.0\.1 \(a loopback address\)/.test(error.message));
  });

  it('createLoadRunner builds it with the notification channel and the run\'s kubeconfig', async () => {
    const config = validateConfig({ load: { runner: 'k6-operator' }, k6Operator: { callbacks: { address: '10.0.0.5' } } });
    const callbacks = new CallbackServer({ host: '127.0.0.1', port: 0, publicUrl: 'http://10.0.0.5:4100', maxBodyBytes: 65_536, addressing: { dfsps: ['payerfsp'], senders: ['switch'] } });
    const plan = { kind: 'k6-operator' as const, note: '' };
    const channel = prepareCallbacksFor(plan, callbacks);
    assert.ok(channel, 'k6 in a pod waits on the notification channel too');
    await callbacks.start();
    after(async () => {
      await channel.close();
      await callbacks.stop();
    });
    const kc = new KubeConfig();
    kc.loadFromString(kubeconfigFor('https://127.0.0.1:6443', { namespace: 'perf' }));
    const runner = createLoadRunner(plan, { config, hubUrl: 'http://hub:3000', callbacks, channel, kubeConfig: () => ({ kc }) });
    assert.throws(() => createLoadRunner(plan, { config, hubUrl: 'http://127.0.0.1:4000', callbacks, channel, kubeConfig: () => ({ kc }) }), /^ConfigError: k6Operator\.hubUrl: the k6-operator runner pods cannot reach the hub at 127\.0\.0\.1/);
    const inCluster = validateConfig({ load: { runner: 'k6-operator' }, k6Operator: { hubUrl: 'http://ml-api-adapter.mojaloop.svc:3000', callbacks: { address: '10.0.0.5' } } });
    assert.ok(createLoadRunner(plan, { config: inCluster, hubUrl: 'http://127.0.0.1:4000', callbacks, channel, kubeConfig: () => ({ kc }) }) instanceof K6OperatorRunner, 'the pods\' own hub URL given');
    assert.ok(runner instanceof K6OperatorRunner);
    assert.equal(runner.name, 'k6-operator');
    assert.throws(() => createLoadRunner(plan, { config, hubUrl: 'http://hub:3000', callbacks, channel }), /needs the run's kubeconfig/);
  });
});
