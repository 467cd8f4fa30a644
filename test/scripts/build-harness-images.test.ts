import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { productionPackages } from '../../scripts/build-harness-images.ts';
import { ROOT } from '../helpers/cli.ts';

describe('scripts/build-harness-images.ts: what of node_modules goes into the hub image', () => {
  it('follows Node\'s lookup (nearest node_modules first), peers included, dev and host-only packages out', () => {
    const lock = {
      packages: {
        '': { dependencies: { app: '1', testcontainers: '12' }, devDependencies: { typescript: '5' } },
        'node_modules/app': { dependencies: { shared: '2', lib: '1' } },
        // app's own shared@2 is nested; the top-level shared@1 is testcontainers'.
        'node_modules/app/node_modules/shared': {},
        'node_modules/shared': {},
        'node_modules/lib': { peerDependencies: { metrics: '1', tracer: '1' }, peerDependenciesMeta: { tracer: { optional: true } } },
        'node_modules/tracer': {},
        'node_modules/metrics': {},
        'node_modules/testcontainers': { dependencies: { shared: '1', dockerode: '4' } },
        'node_modules/dockerode': {},
        'node_modules/typescript': { dev: true },
      },
    };
    assert.deepEqual(productionPackages(lock), ['node_modules/app', 'node_modules/app/node_modules/shared', 'node_modules/lib', 'node_modules/metrics']);
  });

  it('on the project\'s own lock: what the hub loads is in, what drives Docker from the host is out', () => {
    const packages = productionPackages(JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')));
    for (const name of ['@mojaloop/sdk-standard-components', '@mojaloop/central-services-metrics', 'mysql2', 'zod', 'yaml']) {
      assert.ok(packages.includes(`node_modules/${name}`), name);
    }
    for (const name of ['testcontainers', '@testcontainers/mysql', '@testcontainers/kafka', '@testcontainers/k3s', 'node']) assert.ok(!packages.includes(`node_modules/${name}`), name);
  });
});
