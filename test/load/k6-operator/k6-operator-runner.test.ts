import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { EnvironmentUnavailableError } from '../../../src/config/errors.ts';
import { K6RunError } from '../../../src/load/k6/k6-runner.ts';
import { K6OperatorRunner, type K6OperatorRunnerOptions } from '../../../src/load/k6-operator/k6-operator-runner.ts';
import type { LoadRequest } from '../../../src/load/load-runner.ts';
import { FakeKubeApi, kubeconfigFor, testCertificateAuthority } from '../../helpers/fake-kube-api.ts';
import { clusterWithOperator, OperatorPlay, report, runnerLog } from '../../helpers/k6-operator.ts';
import { waitFor } from '../../helpers/wait.ts';

const NAMESPACE = 'k6-load';
const API_KEY = 'hub-api-key-never-in-the-testrun';
const TOKEN = 'channel-token-never-in-the-testrun';

const REQUEST: LoadRequest = { ratePerSecond: 10, durationMs: 4000, warmupMs: 0, drainMs: 0, intervalMs: 1000, flow: 'p2p', profile: 'smoke' };

/** Everything the runner makes, by kind: after a load, none of it may be left. */
const KINDS = ['TestRun', 'ConfigMap', 'Secret', 'Service', 'EndpointSlice'];
const leftIn = (fake: FakeKubeApi) => KINDS.flatMap((kind) => fake.objectsOf(kind, NAMESPACE).map((o) => `${kind}/${o.metadata.name}`));

async function runnerFor(fake: FakeKubeApi, notices: string[], overrides: Partial<K6OperatorRunnerOptions> = {}): Promise<K6OperatorRunner> {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigFor(fake.url, { certificateAuthority: await testCertificateAuthority() }));
  return new K6OperatorRunner({
    kubeConfig: kc, namespace: NAMESPACE, parallelism: 2, image: 'grafana/k6:latest', separate: false,
    route: { kind: 'address', address: '10.0.0.5', port: 4100 },
    hubUrl: `http://ml-api-adapter.mojaloop.svc:3000/?apikey=${API_KEY}`, callbackWsUrl: `ws://10.0.0.5:4100/notifications?token=${TOKEN}`,
    payerFsp: 'payerfsp', payeeFsp: 'payeefsp', payer: { type: 'MSISDN', id: '27710101999' }, payee: { type: 'MSISDN', id: '27713803912' },
    currency: 'USD', amount: '1', callbackTimeoutMs: 1000, requestTimeoutMs: 1000, maxVUs: 100,
    // Polls are tens of ms here so the test moves on quickly; no assertion depends on when one fires.
    startTimeoutMs: 20_000, finishGraceMs: 10_000, pollMs: 10, apiTimeoutMs: 2000,
    notice: (line) => notices.push(line),
    ...overrides,
  });
}

const idOf = (testRunName: string) => testRunName.replace('conformance-k6-', '');

describe('K6OperatorRunner against a fake cluster with k6-operator\'s CRD (real client, real HTTPS)', () => {
  let fake: FakeKubeApi;
  before(async () => { fake = await clusterWithOperator(); });
  after(() => fake.stop());

  it('runs a TestRun of 2 runner pods and merges their logs into one summary: counts, percentiles over both, drops summed; then deletes everything it made', async () => {
    const notices: string[] = [];
    const play = new OperatorPlay(fake, NAMESPACE);
    const running = (await runnerFor(fake, notices)).run(REQUEST);
    const testRun = await play.testRun();
    const name = testRun.metadata.name;
    const id = idOf(name);

    // What was made: the script in a ConfigMap, credentials only in the Secret, the Service routing to our callback server.
    const spec = testRun.spec as { parallelism: number; script: { configMap: { name: string; file: string } }; arguments: string; runner: { image: string; env: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }> } };
    assert.equal(spec.parallelism, 2);
    assert.deepEqual(spec.script.configMap, { name, file: 'p2p.js' });
    assert.equal(spec.runner.image, 'grafana/k6:latest');
    const env = Object.fromEntries(spec.runner.env.map((e) => [e.name, e.value ?? e.valueFrom]));
    assert.deepEqual(env.HUB_URL, { secretKeyRef: { name, key: 'HUB_URL' } });
    assert.deepEqual(env.CALLBACK_WS_URL, { secretKeyRef: { name, key: 'CALLBACK_WS_URL' } });
    // The whole rate and VU cap: k6-operator gives each runner its execution segment, and k6 splits both by it.
    assert.equal(env.RATE, '10');
    assert.equal(env.MAX_VUS, '100');
    assert.equal(env.REPORT_TO, 'log');
    assert.equal(env.RUN_ID, id);
    assert.ok(!JSON.stringify(testRun).includes(API_KEY) && !JSON.stringify(testRun).includes(TOKEN), 'no credential in the TestRun');
    const configMap = await waitFor(() => fake.objectsOf('ConfigMap', NAMESPACE).find((c) => c.metadata.name === name), { timeoutMs: 5000, what: 'the script ConfigMap' });
    assert.match((configMap.data as Record<string, string>)['p2p.js']!, /REPORT_TO/);
    const secret = fake.objectsOf('Secret', NAMESPACE).find((s) => s.metadata.name === name)!;
    const secretData = Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    assert.equal(secretData.CALLBACK_WS_URL, `ws://${name}-callbacks.${NAMESPACE}.svc:4100/notifications?token=${TOKEN}`);
    assert.equal(secretData.HUB_URL, `http://ml-api-adapter.mojaloop.svc:3000/?apikey=${API_KEY}`);
    const service = fake.objectsOf('Service', NAMESPACE).find((s) => s.metadata.name === `${name}-callbacks`)!;
    assert.deepEqual((service.spec as { ports: unknown[] }).ports, [{ name: 'callbacks', port: 4100, targetPort: 4100, protocol: 'TCP' }]);
    const slice = fake.objectsOf('EndpointSlice', NAMESPACE)[0]!;
    assert.equal(slice.metadata.labels?.['kubernetes.io/service-name'], `${name}-callbacks`);
    assert.deepEqual((slice.endpoints as Array<{ addresses: string[] }>)[0]!.addresses, ['10.0.0.5']);

    // k6-operator's stages, moved by the test (each seen by the runner before the next); the runner pods log what k6 wrote.
    const seen = (stage: string) => waitFor(() => notices.some((l) => l === `k6-operator: TestRun ${NAMESPACE}/${name} stage ${stage}`), { timeoutMs: 5000, what: `the runner to follow the TestRun to stage ${stage}`, describe: () => notices.join('\n') });
    for (const stage of ['initialization', 'initialized', 'created']) {
      play.stage(name, stage);
      await seen(stage);
    }
    const [a, b] = play.runners(name, 2) as [string, string];
    play.stage(name, 'started');
    await seen('started');
    // Pod 1: 20 successes of 10–200 ms; pod 2: 20 of 300–490 ms and 2 timeouts. Each dropped arrivals of its own.
    const fromA = Array.from({ length: 20 }, (_, i) => report(id, i * 150, 10 + i * 10));
    const fromB = [...Array.from({ length: 20 }, (_, i) => report(id, 75 + i * 150, 300 + i * 10)), report(id, 3100, 1000, { phase: 'transfers', reason: 'timeout' }), report(id, 3200, 1000, { phase: 'transfers', reason: 'timeout' })];
    play.log(a, runnerLog(fromA, 3));
    // One pod's k6 in JSON log format: read all the same.
    play.log(b, runnerLog(fromB, 4, 'json'));
    play.finish(a);
    play.finish(b, 99);
    play.stage(name, 'stopped');
    play.stage(name, 'finished');
    const summary = await running;

    assert.equal(summary.runner, 'k6-operator');
    assert.match(summary.source, /^k6-operator runner \(p2p, 2 runner pods of grafana\/k6:latest, merged\), profile smoke, whole run of 4 s$/);
    assert.equal(summary.iterations.successes, 40);
    assert.equal(summary.iterations.attempts, 42);
    assert.deepEqual(summary.iterations.failures, { 'transfers: timeout': 2 });
    assert.equal(summary.dropped, 7, 'dropped_iterations of both runners, summed');
    // Percentiles over both runners' iterations: the median between the two pods' ranges, the tail from the slower one.
    const p = summary.iterations.percentilesMs;
    assert.ok(p['50']! >= 190 && p['50']! <= 310, `p50 ${p['50']} lies between pod 1's and pod 2's latencies`);
    assert.ok(p['99']! >= 480, `p99 ${p['99']} comes from pod 2`);
    assert.equal(summary.phases.transfers.successes, 40);
    assert.equal(summary.phases.transfers.failures.timeout, 2);
    assert.equal(summary.runnerErrors, undefined, 'every steady iteration k6 counted has its report');
    assert.equal(summary.committedSample.length, 40);
    assert.equal(summary.series.reduce((n, s) => n + s.succeeded, 0), 40);

    assert.deepEqual(leftIn(fake), [], 'TestRun, ConfigMap, Secret, Service and EndpointSlice deleted');
    assert.equal(fake.objectsOf('Pod', NAMESPACE).length, 0, 'the runner pods went with the TestRun');
    assert.ok(notices.some((l) => l === `k6-operator: runner pods ${a}, ${b}`), notices.join('\n'));
    assert.ok(notices.includes(`k6-operator: deleted what load ${id} made in ${NAMESPACE} (testruns.k6.io, endpointslices.discovery.k8s.io, services, secrets, configmaps)`), notices.join('\n'));
    assert.ok(!notices.join('\n').includes(API_KEY) && !notices.join('\n').includes(TOKEN), 'no credential printed');
  });

  it('prepare (before any scenario): the CRD is served and every object a load makes is accepted on a dry run; nothing is stored', async () => {
    const before = fake.requests.length;
    await (await runnerFor(fake, [])).prepare();
    const posts = fake.requests.slice(before).filter((r) => r.method === 'POST');
    assert.deepEqual(posts.map((r) => [r.path.split('/').at(-1), r.query.dryRun]), [['configmaps', 'All'], ['secrets', 'All'], ['services', 'All'], ['endpointslices', 'All'], ['testruns', 'All']]);
    assert.deepEqual(leftIn(fake), []);
  });

  it('prepare names the TestRuns a killed run left (ours by their label) and deletes none of them', async () => {
    const leftover = fake.addObject({ apiVersion: 'k6.io/v1alpha1', kind: 'TestRun', metadata: { name: 'conformance-k6-deadbeef', namespace: NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'mojaloop-conformance' } } });
    const notices: string[] = [];
    try {
      await (await runnerFor(fake, notices)).prepare();
      assert.deepEqual(notices, [`k6-operator: 1 TestRun of an earlier or concurrent load already in ${NAMESPACE} (conformance-k6-deadbeef); if no run uses it, remove with \`kubectl -n ${NAMESPACE} delete testruns.k6.io,configmaps,secrets,services,endpointslices -l app.kubernetes.io/managed-by=mojaloop-conformance\``]);
      assert.deepEqual(leftIn(fake), ['TestRun/conformance-k6-deadbeef']);
    } finally {
      fake.snapshot.objects.splice(fake.snapshot.objects.indexOf(leftover), 1);
    }
  });

  it('a log stream the server ends while k6 runs is opened again from where it was: no report lost, none counted twice', async () => {
    const play = new OperatorPlay(fake, NAMESPACE);
    const running = (await runnerFor(fake, [])).run(REQUEST);
    const name = (await play.testRun()).metadata.name;
    const id = idOf(name);
    play.stage(name, 'created');
    const [pod] = play.runners(name, 1) as [string];
    play.stage(name, 'started');
    const reads = () => fake.requests.filter((r) => r.path.endsWith(`/pods/${pod}/log`));
    await waitFor(() => reads().length === 1, { timeoutMs: 5000, what: 'the runner to follow the pod\'s log' });
    const reports = Array.from({ length: 30 }, (_, i) => report(id, i * 100, 20 + i));
    const lines = runnerLog(reports, 2);
    play.log(pod, lines.slice(0, 16));
    fake.cutLog(NAMESPACE, pod);
    play.log(pod, lines.slice(16, 24));
    await waitFor(() => reads().length === 2, { timeoutMs: 5000, what: 'the runner to open the log again' });
    assert.match(reads()[1]!.query.sinceTime ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'from the second of the last line read');
    assert.equal(reads()[1]!.query.timestamps, 'true');
    play.log(pod, lines.slice(24));
    play.finish(pod);
    play.stage(name, 'finished');
    const summary = await running;
    assert.equal(summary.iterations.successes, 30);
    assert.equal(summary.iterations.attempts, 30);
    assert.equal(summary.dropped, 2);
    assert.equal(summary.runnerErrors, undefined);
    assert.deepEqual(leftIn(fake), []);
  });

  it('injects a resilience scenario\'s fault from the moment the runners started, and the summary says what it broke', async () => {
    const notices: string[] = [];
    const play = new OperatorPlay(fake, NAMESPACE);
    let injected = 0;
    const fault = { atMs: 0, inject: async () => { injected += 1; return { broke: 'pod mojaloop/central-ledger-0', atMs: 0 }; } };
    const running = (await runnerFor(fake, notices)).run({ ...REQUEST, fault });
    const name = (await play.testRun()).metadata.name;
    play.stage(name, 'created');
    const [pod] = play.runners(name, 1) as [string];
    assert.equal(injected, 0, 'nothing injected before the runners start');
    play.stage(name, 'started');
    await waitFor(() => injected === 1, { timeoutMs: 5000, what: 'the fault to be injected once the runners started' });
    play.log(pod, runnerLog([report(idOf(name), 0, 50)], 0));
    play.finish(pod);
    play.stage(name, 'finished');
    const summary = await running;
    assert.deepEqual(summary.fault, { broke: 'pod mojaloop/central-ledger-0', atMs: 0 });
    assert.equal(injected, 1);
    assert.deepEqual(leftIn(fake), []);
  });

  it('stage error: one line naming the TestRun and what k6-operator could not do, and nothing left behind', async () => {
    const play = new OperatorPlay(fake, NAMESPACE);
    const running = (await runnerFor(fake, [])).run(REQUEST);
    const name = (await play.testRun()).metadata.name;
    play.stage(name, 'initialization');
    play.stage(name, 'error');
    const failure = await running.then(() => undefined, (error: Error) => error);
    assert.ok(failure instanceof EnvironmentUnavailableError, String(failure));
    assert.match(failure.message, new RegExp(`^the TestRun ${NAMESPACE}/${name} went to stage error: k6-operator could not run it \\(an invalid script or arguments, parallelism 2 above the script's VUs, or a failed initializer\\)`));
    assert.ok(!failure.message.includes('\n'), 'one line');
    assert.deepEqual(leftIn(fake), []);
  });

  it('what cannot be deleted (a role that lost delete on Services mid-run) is named, with the command that removes it', async () => {
    const notices: string[] = [];
    const play = new OperatorPlay(fake, NAMESPACE);
    const running = (await runnerFor(fake, notices)).run(REQUEST);
    const name = (await play.testRun()).metadata.name;
    fake.forbidden = ['services'];
    try {
      play.stage(name, 'error');
      await running.then(() => assert.fail('the load cannot succeed in stage error'), () => undefined);
    } finally {
      fake.forbidden = [];
    }
    const left = leftIn(fake);
    // What the test made the runner leave, removed before anything is asserted (the next test starts clean).
    fake.objectsOf('Service', NAMESPACE).forEach((o) => fake.snapshot.objects.splice(fake.snapshot.objects.indexOf(o), 1));
    assert.deepEqual(left, [`Service/${name}-callbacks`], 'everything else deleted');
    const line = notices.find((l) => l.startsWith('k6-operator: left in the cluster: '));
    assert.ok(line, notices.join('\n'));
    assert.match(line, new RegExp(`forbids us to delete services "${name}-callbacks" in namespace "${NAMESPACE}" \\(403 Forbidden: .*; remove with \`kubectl -n ${NAMESPACE} delete testruns\\.k6\\.io,configmaps,secrets,services,endpointslices -l mojaloop-conformance/load=${idOf(name)}\`$`));
  });

  it('interrupted (the run\'s abort signal, Ctrl-C) while the runners run: stops, deletes the TestRun with its pods and the rest', async () => {
    const play = new OperatorPlay(fake, NAMESPACE);
    const stop = new AbortController();
    const running = (await runnerFor(fake, [])).run({ ...REQUEST, signal: stop.signal });
    const name = (await play.testRun()).metadata.name;
    play.stage(name, 'created');
    const [pod] = play.runners(name, 1) as [string];
    play.stage(name, 'started');
    play.log(pod, runnerLog([report(idOf(name), 0, 50)], 0).slice(0, 2));
    await waitFor(() => fake.requests.some((r) => r.path.endsWith(`/pods/${pod}/log`)), { timeoutMs: 5000, what: 'the runner to follow the pod\'s log' });
    stop.abort();
    const failure = await running.then(() => undefined, (error: Error) => error);
    assert.match(String(failure?.message), new RegExp(`^interrupted: the TestRun ${NAMESPACE}/${name} was stopped \\(deleted with its runner pods\\) in stage started$`));
    assert.deepEqual(leftIn(fake), []);
    assert.equal(fake.objectsOf('Pod', NAMESPACE).length, 0);
  });

  it('a runner pod whose k6 failed (exit 107, a script exception): the error names the pod, the exit and k6\'s last words; everything deleted', async () => {
    const play = new OperatorPlay(fake, NAMESPACE);
    const running = (await runnerFor(fake, [])).run(REQUEST);
    const name = (await play.testRun()).metadata.name;
    play.stage(name, 'created');
    const [a, b] = play.runners(name, 2) as [string, string];
    play.stage(name, 'started');
    play.log(a, runnerLog([report(idOf(name), 0, 50)], 0));
    play.log(b, ['time="2026-12-05T09:00:01Z" level=error msg="TypeError: Cannot read property \'party\' of undefined" source=stacktrace']);
    play.finish(a);
    play.finish(b, 107);
    play.stage(name, 'stopped');
    const failure = await running.then(() => undefined, (error: Error) => error);
    assert.ok(failure instanceof K6RunError, String(failure));
    assert.match(failure.message, new RegExp(`^k6 in runner pod ${NAMESPACE}/${b} failed: exit code 107 \\(script exception\\); last output:\\n.*TypeError`));
    assert.deepEqual(leftIn(fake), []);
  });

  it('a runner that never starts (image not pullable): after startTimeoutMs, one line naming the stage and why each pod waits', async () => {
    const play = new OperatorPlay(fake, NAMESPACE);
    const running = (await runnerFor(fake, [], { startTimeoutMs: 300 })).run(REQUEST);
    const name = (await play.testRun()).metadata.name;
    play.stage(name, 'created');
    play.runners(name, 1, 'Pending');
    const failure = await running.then(() => undefined, (error: Error) => error);
    assert.ok(failure instanceof EnvironmentUnavailableError, String(failure));
    assert.match(failure.message, new RegExp(`^the TestRun ${NAMESPACE}/${name} did not start within 300 ms \\(k6Operator.startTimeoutMs\\): it is in stage created; runner pods: ${name}-1-\\S+ Pending \\(ImagePullBackOff: Back-off pulling image "grafana/k6:latest"\\)$`));
    assert.deepEqual(leftIn(fake), []);
  });
});

describe('K6OperatorRunner where it cannot run', () => {
  it('no k6-operator in the cluster (no TestRun CRD): one line saying so and what to do; nothing created', async () => {
    const fake = await clusterWithOperator({ crd: false });
    try {
      const runner = await runnerFor(fake, []);
      const refused = await runner.prepare().then(() => undefined, (error: Error) => error);
      const failure = await runner.run(REQUEST).then(() => undefined, (error: Error) => error);
      assert.equal(refused?.message, failure?.message, 'prepare says it before any scenario, as run would');
      assert.ok(failure instanceof EnvironmentUnavailableError, String(failure));
      assert.match(failure.message, /^the cluster at https:\/\/127\.0\.0\.1:\d+ \(context fake\) has no k6-operator: the TestRun CRD \(testruns\.k6\.io\/v1alpha1\) is not installed; install grafana\/k6-operator \(https:\/\/grafana\.com\/docs\/k6\/latest\/set-up\/set-up-distributed-k6\/install-k6-operator\/\) or run with --runner builtin or k6$/);
      assert.deepEqual(fake.requests.filter((r) => r.method !== 'GET'), [], 'nothing created');
    } finally {
      await fake.stop();
    }
  });

  it('RBAC forbids creating ConfigMaps: prepare and run say so in one line with the API server\'s words and the grant to ask for; nothing left', async () => {
    const fake = await clusterWithOperator({ forbidden: ['configmaps'] });
    try {
      const runner = await runnerFor(fake, []);
      const refused = await runner.prepare().then(() => undefined, (error: Error) => error);
      assert.ok(refused instanceof EnvironmentUnavailableError, String(refused));
      assert.match(refused.message, /forbids us to create configmaps "conformance-k6-preflight" in namespace "k6-load" \(403 Forbidden: /);
      const failure = await runner.run(REQUEST).then(() => undefined, (error: Error) => error);
      assert.ok(failure instanceof EnvironmentUnavailableError, String(failure));
      assert.match(failure.message, /^the Kubernetes API at https:\/\/127\.0\.0\.1:\d+ \(context fake\) forbids us to create configmaps "conformance-k6-[0-9a-f]{8}" in namespace "k6-load" \(403 Forbidden: configmaps is forbidden: User "system:serviceaccount:default:conformance" cannot create resource "configmaps" in API group "" in the namespace "k6-load"\); the k6-operator runner needs create, get, list and delete on testruns\.k6\.io, configmaps, secrets, services and endpointslices, and get and list on pods and pods\/log in that namespace \(docs\/kubernetes\.md\), or run with --runner builtin or k6$/);
      assert.deepEqual(leftIn(fake), []);
    } finally {
      await fake.stop();
    }
  });
});
