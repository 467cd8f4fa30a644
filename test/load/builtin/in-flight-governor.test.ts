import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InFlightGovernor } from '../../../src/load/builtin/in-flight-governor.ts';

/** Its hard cap 1000 in flight, iterations held to 5 s, never fewer than 100. */
const governor = (hardCap = 1000) => new InFlightGovernor({ hardCap, targetMs: 5000, floor: 100 });

/** One second of the hub's answers: this many iterations ended, each this long after its intended start. */
function second(g: InFlightGovernor, atS: number, completions: number, latencyMs: number, oldestAgeMs?: number): number {
  for (let i = 0; i < completions; i += 1) g.completed(latencyMs);
  return g.adjust(atS * 1000, oldestAgeMs);
}

test('a hub keeping the offered pace keeps the hard cap, and the governor reports nothing', () => {
  const g = governor();
  assert.deepEqual([1, 2, 3, 4, 5].map((s) => second(g, s, 1000, 50, 50)), [1000, 1000, 1000, 1000, 1000]);
  assert.equal(g.record, undefined);
});

test('a hub whose queue grows past the target is held to what it completes within it: 40/s × 5 s = 200, at most halving a second', () => {
  const g = governor();
  // Unloaded, it answers in 80 ms; then 40/s complete, each having waited longer.
  assert.equal(second(g, 1, 40, 80, 900), 1000);
  assert.deepEqual([2, 3, 4, 5].map((s) => second(g, s, 40, 6000 + s * 500, 9000)), [500, 250, 200, 200]);
  assert.deepEqual(g.record, { firstBelowAtMs: 2000, lowest: 200, lowestAtMs: 4000, paceAtLowest: 40 });
});

test('a hub that is slow but not saturated — every answer late however few are in flight — keeps the whole cap and is measured as slow', () => {
  const g = governor();
  // 7 s an iteration from the first answer on, above the target: no queue builds, the latency is the hub's own.
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((s) => second(g, s, s === 1 ? 0 : 300, 7000, 7500)), [1000, 1000, 1000, 1000, 1000, 1000]);
  assert.equal(g.record, undefined);
});

test('a hub that never answered is not judged stalled (nothing shows it was ever faster): the cap stays', () => {
  const g = governor();
  assert.deepEqual([1, 2, 3, 4].map((s) => second(g, s, 0, 0, s * 4000)), [1000, 1000, 1000, 1000]);
});

test('a hub that stalls after answering quickly: once the oldest iteration waits past the target, the cap halves down to the floor', () => {
  const g = governor();
  second(g, 1, 1000, 30, 40);
  assert.equal(second(g, 2, 0, 0, 4000), 1000, 'younger than the target: it waits');
  assert.deepEqual([3, 4, 5, 6, 7].map((s) => second(g, s, 0, 0, s * 2000)), [500, 250, 125, 100, 100]);
  assert.deepEqual(g.record, { firstBelowAtMs: 3000, lowest: 100, lowestAtMs: 6000, paceAtLowest: 0 });
});

test('once the hub recovers the cap grows back, at most doubling a second, never above the hard cap', () => {
  const g = governor(3000);
  second(g, 1, 100, 30, 40);
  for (let s = 2; s <= 7; s += 1) second(g, s, 0, 0, 60_000);
  assert.equal(g.cap, 100);
  assert.deepEqual([8, 9, 10, 11, 12].map((s) => second(g, s, 1000, 50, 50)), [200, 400, 800, 1600, 3000]);
});

test('the pace is per second of the period actually elapsed, however late the adjustment ran', () => {
  const g = governor();
  assert.equal(g.adjust(0, undefined), 1000, 'no time has passed: nothing to judge');
  second(g, 1, 1000, 40, 50);
  for (let i = 0; i < 100; i += 1) g.completed(9000);
  // 100 in 2.5 s is 40/s: 200 fit within 5 s, but one step halves at most.
  assert.equal(g.adjust(3500, 9000), 500);
});

test('a floor above the hard cap is the hard cap; a target that is not positive is a defect', () => {
  const g = new InFlightGovernor({ hardCap: 10, targetMs: 1000, floor: 50 });
  second(g, 1, 10, 10, 20);
  assert.equal(second(g, 2, 10, 9000, 9500), 10);
  assert.throws(() => new InFlightGovernor({ hardCap: 10, targetMs: 0, floor: 1 }), /positive latency target, not 0/);
});
