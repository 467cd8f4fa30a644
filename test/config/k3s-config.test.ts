import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCliArgs } from '../../src/cli/args.ts';
import { loadConfig, validateConfig } from '../../src/config/load-config.ts';
import { DEFAULT_K3S_IMAGE } from '../../src/config/schema.ts';

// `--k3s` / `kubernetes.k3s`: a single-node cluster the run brings up itself (docs/kubernetes.md).

describe('kubernetes.k3s', () => {
  it('is off by default; on, it runs the default image with a 180 s start budget', () => {
    const off = validateConfig({ target: 'kubernetes' });
    assert.ok(off.target === 'kubernetes');
    assert.deepEqual(off.kubernetes.k3s, { enabled: false, image: DEFAULT_K3S_IMAGE, startupTimeoutMs: 180_000 });
    const on = validateConfig({ target: 'kubernetes', kubernetes: { k3s: { enabled: true, image: 'rancher/k3s:v1.31.2-k3s1', startupTimeoutMs: 60_000 } } });
    assert.ok(on.target === 'kubernetes');
    assert.deepEqual(on.kubernetes.k3s, { enabled: true, image: 'rancher/k3s:v1.31.2-k3s1', startupTimeoutMs: 60_000 });
  });

  it('alone chooses the kubernetes target, from the command line and from a config file', async () => {
    assert.equal(validateConfig({ kubernetes: { k3s: { enabled: true } } }).target, 'kubernetes');
    const config = await loadConfig({ overrides: parseCliArgs(['--k3s']).overrides });
    assert.equal(config.target, 'kubernetes');
  });

  it('--k3s-image names the image and implies --k3s', () => {
    assert.deepEqual(parseCliArgs(['--k3s']).overrides.kubernetes, { k3s: { enabled: true } });
    assert.deepEqual(parseCliArgs(['--k3s-image', 'registry.local/k3s:v1']).overrides.kubernetes, { k3s: { enabled: true, image: 'registry.local/k3s:v1' } });
  });

  it('refuses a kubeconfig or context beside it: the run reads the cluster it brings up, never silently another', () => {
    assert.throws(() => validateConfig({ target: 'kubernetes', kubernetes: { k3s: { enabled: true }, kubeconfig: '/k/config' } }),
      /kubernetes\.kubeconfig: --k3s brings up its own cluster and reads that one; --kubeconfig names another — choose one/);
    assert.throws(() => validateConfig({ target: 'kubernetes', kubernetes: { k3s: { enabled: true }, context: 'prod' } }),
      /kubernetes\.context: --k3s brings up its own cluster and reads that one; --context names another — choose one/);
  });

  it('refuses the k6-operator runner beside it: that runner would find another cluster, and the one brought up has no k6-operator', () => {
    assert.throws(() => validateConfig({ target: 'kubernetes', kubernetes: { k3s: { enabled: true } }, load: { runner: 'k6-operator' } }),
      /load\.runner: the k6-operator runner needs a cluster with grafana\/k6-operator installed; the k3s cluster --k3s brings up has none/);
  });

  it('refuses what is not an image reference, and a start budget that is not a positive number of ms', () => {
    assert.throws(() => validateConfig({ target: 'kubernetes', kubernetes: { k3s: { enabled: true, image: 'Rancher K3s' } } }), /kubernetes\.k3s\.image: an image reference such as/);
    assert.throws(() => validateConfig({ target: 'kubernetes', kubernetes: { k3s: { enabled: true, startupTimeoutMs: 0 } } }), /kubernetes\.k3s\.startupTimeoutMs/);
    assert.throws(() => validateConfig({ target: 'kubernetes', kubernetes: { k3s: true } }), /kubernetes\.k3s/);
  });

  it('belongs to the kubernetes target: another target refuses the section', () => {
    assert.throws(() => validateConfig({ target: 'url', hub: { url: 'http://hub:3000' }, kubernetes: { k3s: { enabled: true } } }), /`kubernetes` is for target kubernetes; you chose url/);
  });
});

describe('--port-forward', () => {
  it('takes fspiop= and admin= forwards, a namespace optional', () => {
    assert.deepEqual(parseCliArgs(['--port-forward', 'fspiop=mojaloop/ml-api-adapter:3000', '--port-forward', 'admin=centralledger:3001']).overrides.kubernetes, {
      portForward: { fspiop: { service: 'ml-api-adapter', port: 3000, namespace: 'mojaloop' }, admin: { service: 'centralledger', port: 3001 } },
    });
  });

  it('refuses what is not API=[NS/]SERVICE:PORT, naming the flag and an example', () => {
    for (const text of ['ml-api-adapter:3000', 'fspiop=ml-api-adapter', 'quotes=svc:3000', 'fspiop=svc:70000']) {
      assert.throws(() => parseCliArgs(['--port-forward', text]), /^UsageError: --port-forward .* is not fspiop=\[NAMESPACE\/\]SERVICE:PORT or admin=…; e\.g\. --port-forward fspiop=mojaloop\/ml-api-adapter:3000/);
    }
  });
});
