import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InFlightGovernor } from '../../../src/load/builtin/in-flight-governor.ts';

/** A load at 1000/s: it starts with one second of arrivals, its hard cap ten. */
const governor = () => new InFlightGovernor({ hardCap: 10_000, initial: 1000, targetMs: 5000, floor: 100 });

function second(g: InFlightGovernor, atS: number, completions: number, oldestAgeMs?: number): number {
  for (let i = 0; i < completions; i += 1) g.completed();
  return g.adjust(atS * 1000, oldestAgeMs);
}

test('a hub keeping the offered pace is given room to hold five seconds of it (up to the hard cap), and the governor reports nothing', () => {
  const g = governor();
  const caps = [1, 2, 3, 4, 5, 6].map((s) => second(g, s, 1000, 50));
  assert.deepEqual(caps, [2000, 4000, 5000, 5000, 5000, 5000]);
  assert.equal(g.record, undefined);
});

test('a hub completing 40/s of 1000/s offered is held to what it completes within the target: 40/s × 5 s = 200, at most halving a second', () => {
  const g = governor();
  const caps = [1, 2, 3, 4, 5].map((s) => second(g, s, 40, 4000));
  assert.deepEqual(caps, [500, 250, 200, 200, 200]);
  assert.deepEqual(g.record, { firstBelowAtMs: 1000, lowest: 200, lowestAtMs: 3000, paceAtLowest: 40 });
});

test('a hub that completes nothing: the cap waits while the oldest iteration is younger than the target, then halves down to the floor', () => {
  const g = governor();
  assert.equal(second(g, 1, 0, 1000), 1000, 'a slow hub\'s first answers are not a stall');
  assert.equal(second(g, 2, 0, 2000), 1000);
  const caps = [3, 4, 5, 6, 7].map((s) => second(g, s, 0, s * 1000 + 3000));
  assert.deepEqual(caps, [500, 250, 125, 100, 100]);
  assert.deepEqual(g.record, { firstBelowAtMs: 3000, lowest: 100, lowestAtMs: 6000, paceAtLowest: 0 });
});

test('once the hub recovers the cap grows back, at most doubling a second, never above the hard cap', () => {
  const g = new InFlightGovernor({ hardCap: 3000, initial: 1000, targetMs: 5000, floor: 100 });
  for (let s = 1; s <= 5; s += 1) second(g, s, 0, 60_000);
  assert.equal(g.cap, 100);
  const caps = [6, 7, 8, 9, 10].map((s) => second(g, s, 1000, 50));
  assert.deepEqual(caps, [200, 400, 800, 1600, 3000]);
});

test('the pace is per second of the period actually elapsed, however late the adjustment ran', () => {
  const g = governor();
  assert.equal(g.adjust(0, undefined), 1000, 'no time has passed: nothing to judge');
  for (let i = 0; i < 100; i += 1) g.completed();
  // 100 in 2.5 s is 40/s: 200 fit within 5 s, but one step halves at most.
  assert.equal(g.adjust(2500, 3000), 500);
});

test('the first cap is one second of arrivals within the floor and the hard cap; a target that is not positive is a defect', () => {
  assert.equal(new InFlightGovernor({ hardCap: 10, initial: 1000, targetMs: 1000, floor: 50 }).cap, 10);
  assert.equal(new InFlightGovernor({ hardCap: 500, initial: 2, targetMs: 1000, floor: 8 }).cap, 8);
  assert.throws(() => new InFlightGovernor({ hardCap: 10, initial: 10, targetMs: 0, floor: 1 }), /positive latency target, not 0/);
});
