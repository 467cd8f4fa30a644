import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { onInterrupt } from '../../src/cli/signals.ts';

describe('onInterrupt', () => {
  it('interrupts once, ignores the npm echo, and forces on a later signal', async () => {
    const seen: string[] = [];
    const stop = onInterrupt((s) => seen.push(`interrupt ${s}`), (s) => seen.push(`force ${s}`), 100);
    try {
      process.emit('SIGINT', 'SIGINT');
      process.emit('SIGINT', 'SIGINT');
      assert.deepEqual(seen, ['interrupt SIGINT']);
      await new Promise((resolve) => setTimeout(resolve, 150));
      process.emit('SIGTERM', 'SIGTERM');
      assert.deepEqual(seen, ['interrupt SIGINT', 'force SIGTERM']);
    } finally {
      stop();
    }
  });
});
