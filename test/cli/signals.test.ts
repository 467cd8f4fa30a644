import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { onInterrupt } from '../../src/cli/signals.ts';

describe('onInterrupt', () => {
  it('interrupts once, ignores the npm echo, and forces on a later signal', () => {
    mock.timers.enable({ apis: ['Date'], now: 0 });
    const seen: string[] = [];
    const stop = onInterrupt((s) => seen.push(`interrupt ${s}`), (s) => seen.push(`force ${s}`), 1000);
    try {
      process.emit('SIGINT', 'SIGINT');
      mock.timers.tick(1000);
      process.emit('SIGINT', 'SIGINT');
      assert.deepEqual(seen, ['interrupt SIGINT'], 'a repeat within the window is the npm echo');
      mock.timers.tick(1);
      process.emit('SIGTERM', 'SIGTERM');
      assert.deepEqual(seen, ['interrupt SIGINT', 'force SIGTERM']);
    } finally {
      stop();
      mock.timers.reset();
    }
  });
});
