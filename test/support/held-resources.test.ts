import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { abandonedLines, HeldResources, secondInterruptHint } from '../../src/support/held-resources.ts';

describe('HeldResources: what a second Ctrl-C would leave running', () => {
  it('counts the containers of what is held now, and names each with the command that removes it', () => {
    const held = new HeldResources();
    let containers = 1;
    const release = held.hold({ name: 'compose project p1', containers: () => containers, removeWith: 'docker compose -p p1 down -v' });
    held.hold({ name: 'minimal core c1', containers: () => 2, removeWith: 'docker network rm c1' });
    containers = 3;
    assert.equal(secondInterruptHint(held), ' (press Ctrl-C again to leave 5 containers running: compose project p1, minimal core c1)');
    assert.deepEqual(abandonedLines('SIGINT', held), [
      'SIGINT again: exiting now, before the teardown finished — left running:',
      '  compose project p1 (3 containers): remove it with `docker compose -p p1 down -v`',
      '  minimal core c1 (2 containers): remove it with `docker network rm c1`',
    ]);
    release();
    assert.deepEqual(held.list().map((r) => r.name), ['minimal core c1']);
    const empty = new HeldResources();
    empty.hold({ name: 'compose project p2', containers: () => 0, removeWith: 'x' });
    assert.equal(secondInterruptHint(empty), ' (press Ctrl-C again to leave what has started running: compose project p2)');
  });

  it('says nothing of a second Ctrl-C while nothing is held, and that nothing was left when it comes', () => {
    const held = new HeldResources();
    held.hold({ name: 'minimal core c1', containers: () => 1, removeWith: 'x' })();
    assert.equal(secondInterruptHint(held), '');
    assert.deepEqual(abandonedLines('SIGTERM', held), ['SIGTERM again: exiting without finishing the teardown (nothing outside this process was left running)']);
  });
});
