import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateConfig } from '../../../src/config/load-config.ts';
import { DeploymentThread } from '../../../src/environment/embedded/deployment-thread.ts';

test('the deployment thread reports its own heap (collected first only under --expose-gc), and once stopped answers nothing more', async () => {
  const { thread, urls } = await DeploymentThread.start(validateConfig({}));
  try {
    assert.match(urls.hubUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    const heap = await thread.heap();
    // The hub compiles both FSPIOP definitions: its heap is tens of MiB, not this thread's.
    assert.ok(heap.usedBytes > 10 * 2 ** 20, `${heap.usedBytes} bytes`);
    assert.equal(heap.collected, typeof (globalThis as { gc?: unknown }).gc === 'function');
  } finally {
    await thread.stop();
  }
  await assert.rejects(thread.heap(), /the reference deployment's thread exited/);
});
