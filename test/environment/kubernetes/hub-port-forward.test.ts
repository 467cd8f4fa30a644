import assert from 'node:assert/strict';
import { createServer, get, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { EnvironmentUnavailableError } from '../../../src/config/errors.ts';
import { validateConfigFor } from '../../../src/config/load-config.ts';
import { KubernetesEnvironment } from '../../../src/environment/kubernetes/kubernetes-environment.ts';
import type { StartedEnvironment } from '../../../src/environment/environment.ts';
import { FakeKubeApi } from '../../helpers/fake-kube-api.ts';
import { closeServer, listen } from '../../helpers/servers.ts';
import { waitFor } from '../../helpers/wait.ts';

// The kubernetes target reaching the hub through port-forwards: the real @kubernetes/client-node
// PortForward over the fake API server's pods/portforward WebSocket (v4.channel.k8s.io), which
// streams to TCP servers this test runs in place of the pods' ports. What arrives there, arrived
// through the forward.

const TOKEN = 'port-forward-token-never-printed';
const FSPIOP_POD = 'ml-api-adapter-7d9f8b6c4-ax0q';
const ADMIN_POD = 'centralledger-7d9f8b6c4-ax0q';
const FSPIOP_HEADERS = {
  'content-type': 'application/vnd.interoperability.quotes+json;version=1.1',
  accept: 'application/vnd.interoperability.quotes+json;version=1.1',
  'fspiop-source': 'payerfsp', 'fspiop-destination': 'payeefsp', date: new Date().toUTCString(),
};

/** An HTTP server in place of a pod's port: answers 202 to FSPIOP requests, 200 to the rest, and records each. */
async function podPort(name: string) {
  const seen: Array<{ method: string; url: string; source: string | undefined; body: string }> = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => { body += chunk; });
    request.on('end', () => {
      seen.push({ method: request.method!, url: request.url!, source: request.headers['fspiop-source'] as string | undefined, body });
      response.writeHead(request.method === 'POST' ? 202 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ served: name }));
    });
  });
  const url = await listen(server);
  return { server, seen, port: Number(new URL(url).port) };
}

/** GET on a connection of its own (fetch would reuse one whose stream is still open): its status, or the error that ended it. */
function freshGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false, timeout: 10_000 }, (response) => { response.resume(); resolve(response.statusCode!); });
    request.on('timeout', () => request.destroy(new Error('no answer within 10 s'))).on('error', reject);
  });
}

describe('the kubernetes target reaching the hub through port-forwards', () => {
  let fake: FakeKubeApi;
  let kubeconfig: string;
  let adapter: Awaited<ReturnType<typeof podPort>>;
  let ledger: Awaited<ReturnType<typeof podPort>>;
  let started: StartedEnvironment | undefined;

  before(async () => {
    [adapter, ledger] = await Promise.all([podPort('ml-api-adapter'), podPort('central-ledger')]);
  });
  after(async () => { await Promise.all([closeServer(adapter.server), closeServer(ledger.server)]); });
  beforeEach(async () => {
    fake = await (await FakeKubeApi.fromFixture('miniloop-k3s', { token: TOKEN })).start();
    kubeconfig = await fake.writeKubeconfig(join(await mkdtemp(join(tmpdir(), 'port-forward-')), 'kubeconfig'), { token: TOKEN });
    fake.servePodPort('default', FSPIOP_POD, 3000, { host: '127.0.0.1', port: adapter.port });
    fake.servePodPort('default', ADMIN_POD, 3001, { host: '127.0.0.1', port: ledger.port });
    adapter.seen.length = 0;
    ledger.seen.length = 0;
  });
  afterEach(async () => {
    await started?.stop();
    started = undefined;
    await fake.stop();
  });

  const environment = (portForward: Record<string, unknown>, extra: Record<string, unknown> = {}) => new KubernetesEnvironment(validateConfigFor('kubernetes', {
    kubernetes: { kubeconfig, readinessTimeoutMs: 0, portForward }, timeouts: { requestMs: 10_000 }, provision: { enabled: false }, callback: { port: 0 }, ...extra,
  }));
  const FORWARDS = { fspiop: { service: 'ml-api-adapter', port: 3000 }, admin: { service: 'centralledger', port: 3001, namespace: 'default' } };

  it('runs the url target against 127.0.0.1 ports that reach the hub\'s FSPIOP and admin APIs in the cluster, and says so in its notes', async () => {
    started = await environment(FORWARDS).start();
    assert.match(started.hubUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(started.callbackRouteUnproven, true, 'the callback route from the hub to us is proven by the run, not assumed');
    assert.ok(started.provides['fspiop-api'] && started.provides['admin-api'], Object.keys(started.provides).join(', '));
    // The url target's reachability check came through the forward.
    assert.ok(adapter.seen.some((r) => r.url === '/health'), JSON.stringify(adapter.seen));

    const body = JSON.stringify({ quoteId: 'b51ec534-ee48-4575-b6a9-ead2955b8069', transactionId: 'a8323bc6-c228-4df2-ae82-e5a997baf898', amount: { amount: '10', currency: 'USD' } });
    // Several at once: each connection is a stream of its own.
    const answers = await Promise.all([1, 2, 3].map(() => fetch(`${started!.hubUrl}/quotes`, { method: 'POST', headers: FSPIOP_HEADERS, body })));
    assert.deepEqual(answers.map((a) => a.status), [202, 202, 202]);
    assert.deepEqual(await answers[0]!.json(), { served: 'ml-api-adapter' });
    const quotes = adapter.seen.filter((r) => r.method === 'POST' && r.url === '/quotes');
    assert.equal(quotes.length, 3);
    assert.deepEqual(quotes.map((q) => [q.source, q.body]), [1, 2, 3].map(() => ['payerfsp', body]));

    const admin = started.provides['admin-api']!.adminUrl;
    assert.match(admin, /^http:\/\/127\.0\.0\.1:\d+$/);
    const participants = await fetch(`${admin}/participants`);
    assert.deepEqual(await participants.json(), { served: 'central-ledger' });
    assert.ok(ledger.seen.some((r) => r.url === '/participants'));

    const forwarded = fake.portForwards.filter((f) => f.status === 101);
    assert.ok(forwarded.some((f) => f.pod === FSPIOP_POD && f.port === 3000) && forwarded.some((f) => f.pod === ADMIN_POD && f.port === 3001), JSON.stringify(fake.portForwards));
    const notes = started.describe().notes!.join('\n');
    assert.match(notes, new RegExp(`the hub's FSPIOP API through a port-forward: http://127\\.0\\.0\\.1:\\d+ → Service default/ml-api-adapter port 3000 → pod default/${FSPIOP_POD} port 3000`));
    assert.match(notes, /the hub's admin API through a port-forward: .* → Service default\/centralledger port 3001/);
    assert.match(notes, /callbacks: the hub calls our callback server .* give --callback-public-url an address the hub's pods reach .* proves that route with one round trip/);
    assert.match(notes, /the cluster's ingress also serves http:\/\/\S+/, 'the ingress host is offered as the other way');
    assert.ok(!JSON.stringify(started.describe()).includes(TOKEN));
  });

  it('a stream the cluster closes ends the local connection too, and the next connection is forwarded again', async () => {
    started = await environment({ fspiop: FORWARDS.fspiop }).start();
    const { port } = new URL(started.hubUrl);
    const socket = connect(Number(port), '127.0.0.1');
    let closed = false;
    socket.on('close', () => { closed = true; }).on('error', () => undefined);
    // Half a request: the stream is open and idle when the cluster cuts it.
    socket.write('POST /transfers HTTP/1.1\r\nhost: hub\r\ncontent-length: 100\r\n\r\n{');
    await waitFor(() => fake.portForwards.filter((f) => f.status === 101).length >= 3, { timeoutMs: 10_000, what: 'the stream of the raw connection to open' });
    fake.cutPortForwards();
    await waitFor(() => closed, { timeoutMs: 10_000, what: 'the local connection to end with its stream' });
    assert.equal(await freshGet(`${started.hubUrl}/health`), 200);
  });

  it('the pod port refuses: the connection ends at once and the notes carry what the error channel said', async () => {
    started = await environment({ fspiop: FORWARDS.fspiop }).start();
    fake.servePodPort('default', FSPIOP_POD, 3000, { host: '127.0.0.1', port: 1 });
    await assert.rejects(freshGet(`${started.hubUrl}/health`), /socket hang up|ECONNRESET/);
    await waitFor(() => /failed connection/.test(started!.describe().notes!.join('\n')), { timeoutMs: 10_000, what: 'the error to be noted' });
    assert.match(started.describe().notes!.join('\n'), new RegExp(`the last: an error occurred forwarding 3000 -> 3000: error forwarding port 3000 to pod ${FSPIOP_POD}, uid : dial tcp 127\\.0\\.0\\.1:1: ECONNREFUSED`));
  });

  it('the pod is gone (404) and none replaces it: the connection ends and the notes say the pod is gone', async () => {
    started = await environment({ fspiop: FORWARDS.fspiop }).start();
    fake.snapshot.objects.splice(fake.snapshot.objects.findIndex((o) => o.kind === 'Pod' && o.metadata.name === FSPIOP_POD), 1);
    await assert.rejects(freshGet(`${started.hubUrl}/health`), /socket hang up|ECONNRESET/);
    await waitFor(() => /404 Not Found: the pod is gone/.test(started!.describe().notes!.join('\n')), { timeoutMs: 10_000, what: 'the 404 to be noted' });
    assert.ok(fake.portForwards.some((f) => f.pod === FSPIOP_POD && f.status === 404));
  });

  it('a pod deleted and replaced by its controller: the next connection goes to the replacement', async () => {
    started = await environment({ fspiop: FORWARDS.fspiop }).start();
    const index = fake.snapshot.objects.findIndex((o) => o.kind === 'Pod' && o.metadata.name === FSPIOP_POD);
    const [pod] = fake.snapshot.objects.splice(index, 1);
    fake.addObject({ ...structuredClone(pod!), metadata: { ...structuredClone(pod!.metadata), name: 'ml-api-adapter-7d9f8b6c4-zz9x' } });
    fake.servePodPort('default', 'ml-api-adapter-7d9f8b6c4-zz9x', 3000, { host: '127.0.0.1', port: adapter.port });
    assert.equal(await freshGet(`${started.hubUrl}/health`), 200);
    assert.ok(fake.portForwards.some((f) => f.pod === 'ml-api-adapter-7d9f8b6c4-zz9x' && f.status === 101));
    assert.match(started.describe().notes!.join('\n'), /→ pod default\/ml-api-adapter-7d9f8b6c4-zz9x port 3000/);
  });

  it('a role that may not port-forward (403): the start fails with one line naming the permission and the way around it', async () => {
    fake.forbidden = ['pods/portforward'];
    const failure = await environment(FORWARDS).start().then(() => undefined, (error: Error) => error);
    assert.ok(failure instanceof EnvironmentUnavailableError);
    assert.equal(failure.message, `the Kubernetes API at ${fake.url} (context fake) forbids port-forwarding to pod default/${FSPIOP_POD} port 3000 (behind Service default/ml-api-adapter port 3000, kubernetes.portForward.fspiop) (403 Forbidden); `
      + 'the port-forward needs create on pods/portforward in namespace default (docs/kubernetes.md, "Reaching the hub"): grant it, or give the hub\'s URL instead (--hub-url, e.g. its ingress host)');
    assert.ok(!failure.message.includes('\n'));
  });

  it('no such Service, no such port, no Ready pod: the start fails with one line saying which', async () => {
    const failure = (portForward: Record<string, unknown>) => environment(portForward).start().then(() => assert.fail('started'), (error: Error) => error.message);
    assert.match(await failure({ fspiop: { service: 'moja-ml-api-adapter-service', port: 80 } }),
      /^no Service default\/moja-ml-api-adapter-service in the cluster at https:\/\/127\.0\.0\.1:\d+ \(context fake\) to reach the hub's FSPIOP API through; name the hub's Service in kubernetes\.portForward\.fspiop \(kubectl -n default get services\), or give its URL \(--hub-url\)$/);
    assert.equal(await failure({ fspiop: { service: 'ml-api-adapter', port: 80 } }), 'Service default/ml-api-adapter has no port 80 (its ports: 3000); set kubernetes.portForward.fspiop.port to one of them');
    fake.setStatus('Pod', 'default', FSPIOP_POD, { conditions: [{ type: 'Ready', status: 'False' }] });
    assert.match(await failure({ fspiop: FORWARDS.fspiop }), /^no Ready pod behind Service default\/ml-api-adapter \(selector app\.kubernetes\.io\/name=ml-api-adapter: 1 pod, none Ready\) to port-forward to; /);
  });
});

describe('kubernetes.portForward in the config', () => {
  it('stands for hub.url and hub.adminUrl, never beside them', () => {
    assert.throws(() => validateConfigFor('kubernetes', { hub: { url: 'http://hub:3000' }, kubernetes: { portForward: { fspiop: { service: 'ml-api-adapter', port: 3000 } } } }),
      /kubernetes\.portForward\.fspiop: hub\.url \(--hub-url\) already says where the hub's FSPIOP API is; a port-forward to it too — choose one/);
    assert.throws(() => validateConfigFor('kubernetes', { kubernetes: { portForward: { admin: { service: 'centralledger', port: 3001 } } } }),
      /kubernetes\.portForward\.admin: the admin API serves a hub whose FSPIOP API is reached too/);
    assert.throws(() => validateConfigFor('kubernetes', { kubernetes: { portForward: { fspiop: { service: 'ML_API', port: 3000 } } } }), /kubernetes\.portForward\.fspiop\.service: a Service name/);
  });

  it('with both forwards our test DFSPs are provisioned as with both URLs (ids of their own)', () => {
    const config = validateConfigFor('kubernetes', { kubernetes: { portForward: { fspiop: { service: 'ml-api-adapter', port: 3000 }, admin: { service: 'centralledger', port: 3001 } } } });
    assert.notEqual(config.participants.payer.fspId, 'payerfsp');
    const fspiopOnly = validateConfigFor('kubernetes', { kubernetes: { portForward: { fspiop: { service: 'ml-api-adapter', port: 3000 } } } });
    assert.equal(fspiopOnly.participants.payer.fspId, 'payerfsp');
  });
});
