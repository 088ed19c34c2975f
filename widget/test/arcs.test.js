// The wheel's geometry: slice arcs, their colours, where the wheel lands, and the
// slow-down that brings the won slice under the pointer.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { W, seeded } = require('./helpers.js');

const TAU = W.TAU;
const DEG = Math.PI / 180;
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const close = (a, b, eps = 1e-9) => Math.abs(a - b) <= eps;

test('arcs sum to a full circle, whatever the weights and the layout', () => {
  const random = seeded(1);
  for (let round = 0; round < 500; round++) {
    const n = 1 + Math.floor(random() * 30);
    const ps = Array.from({ length: n }, () => (random() < 0.2 ? random() * 0.001 : random()));
    for (const mode of ['proportional', 'equal']) {
      const minSweep = random() * 45 * DEG;
      const arcs = W.sliceArcs(ps, mode, minSweep);
      assert.equal(arcs.length, n);
      assert.ok(close(sum(arcs), TAU, 1e-9), `${mode} n=${n}: ${sum(arcs)}`);
      assert.ok(arcs.every((a) => a > 0));
    }
  }
});

test('no slice is drawn narrower than the minimum, and the others keep their proportions', () => {
  const random = seeded(2);
  for (let round = 0; round < 300; round++) {
    const n = 2 + Math.floor(random() * 15);
    const ps = Array.from({ length: n }, () => random() + 1e-6);
    const minSweep = random() * 30 * DEG;
    const arcs = W.sliceArcs(ps, 'proportional', minSweep);
    const floor = Math.min(minSweep, TAU / n);
    assert.ok(arcs.every((a) => a >= floor - 1e-12), `n=${n}`);
    // slices above the floor share what is left in proportion to their weights
    const free = arcs.map((a, i) => [a, ps[i]]).filter(([a]) => a > floor + 1e-12);
    for (const [a, p] of free) {
      assert.ok(close(a / p, free[0][0] / free[0][1], 1e-9));
    }
  }
});

test('a 1 % prize gets a readable slice; the real odds are kept when nothing is small', () => {
  const arcs = W.sliceArcs([1, 9, 40, 50], 'proportional', 12 * DEG);
  assert.ok(close(arcs[0], 12 * DEG));
  assert.ok(close(arcs[1] / arcs[2], 9 / 40) && close(arcs[2] / arcs[3], 40 / 50));
  const shares = (ps, minSweep) => W.sliceArcs(ps, 'proportional', minSweep).map((a) => a / TAU);
  shares([1, 1, 2], 12 * DEG).forEach((s, i) => assert.ok(close(s, [0.25, 0.25, 0.5][i])));
  shares([1, 99], 0).forEach((s, i) => assert.ok(close(s, [0.01, 0.99][i]))); // 0: strictly to scale
});

test('equal slices, a floor wider than an equal share, one slice, none', () => {
  assert.deepEqual(W.sliceArcs([1, 2, 97], 'equal', 0), [TAU / 3, TAU / 3, TAU / 3]);
  // 45 degrees asked for 10 slices cannot be met: the floor becomes 36 degrees, all equal
  const arcs = W.sliceArcs([1, 1, 1, 1, 1, 1, 1, 1, 1, 91], 'proportional', 45 * DEG);
  assert.ok(arcs.every((a) => close(a, TAU / 10)));
  assert.deepEqual(W.sliceArcs([5], 'proportional', 12 * DEG), [TAU]);
  assert.deepEqual(W.sliceArcs([], 'proportional', 12 * DEG), []);
});

test('layout: slices touch, end exactly at a full turn, skip prizes with no chance', () => {
  const segments = W.readSegments([
    { id: 'a', label: 'A', probability: 0.5 }, { id: 'z', label: 'Never', probability: 0 },
    { id: 'b', label: '', probability: 0.3 }, { id: 'c', probability: '0.2' }, null
  ]);
  assert.deepEqual(segments.map((s) => [s.id, s.label, s.p]),
    [['a', 'A', 0.5], ['z', 'Never', 0], ['b', 'b', 0.3], ['c', 'c', 0.2], ['undefined', 'undefined', 0]]);
  const laid = W.layoutSlices(segments, 'proportional', 12 * DEG);
  assert.deepEqual(laid.slices.map((s) => s.seg.id), ['a', 'b', 'c']);
  assert.equal(laid.slices[0].start, 0);
  assert.equal(laid.slices[2].end, TAU);
  laid.slices.slice(1).forEach((s, k) => assert.equal(s.start, laid.slices[k].end));
  assert.ok(close(laid.total, 1));
  assert.equal(laid.reshaped, false); // to scale: no note under the wheel
  assert.equal(W.layoutSlices(segments, 'equal', 0).reshaped, true);
  assert.equal(W.layoutSlices(W.readSegments([{ id: 't', probability: 0.01 }, { id: 'u', probability: 0.99 }]),
    'proportional', 12 * DEG).reshaped, true);
  assert.equal(W.layoutSlices(W.readSegments([{ id: 'only', probability: 1 }]), 'equal', 0).reshaped, false);
});

test('neighbouring slices never share a colour, the last and the first included', () => {
  for (let n = 1; n <= 40; n++) {
    const fills = Array.from({ length: n }, (_, k) => W.sliceColour(k, n).fill);
    for (let k = 0; k < n; k++) {
      if (n > 1) { assert.notEqual(fills[k], fills[(k + 1) % n], `n=${n} k=${k}`); }
    }
  }
  assert.deepEqual(W.sliceColour(1, 4), { fill: '#fef3c7', text: '#111827' });
  assert.equal(W.sliceColour(0, 4).text, '#ffffff');
});

test('the wheel stops in the middle 60 % of the won slice', () => {
  const laid = W.layoutSlices(W.readSegments([{ id: 'a', probability: 1 }, { id: 'b', probability: 3 }]), 'proportional', 0);
  const b = laid.slices[1];
  const w = b.end - b.start;
  for (const r of [0, 0.25, 0.5, 0.999999]) {
    const land = W.landingAngle(laid.slices, 'b', () => r);
    assert.equal(land.index, 1);
    assert.ok(land.angle >= b.start + 0.2 * w - 1e-12 && land.angle <= b.end - 0.2 * w + 1e-12, String(r));
  }
  assert.equal(W.landingAngle(laid.slices, 'zero-chance', () => 0.5), null);
});

test('the slow-down always brings the target under the pointer', () => {
  const random = seeded(3);
  for (let round = 0; round < 1000; round++) {
    const target = random() * TAU;
    const rot0 = (random() - 0.5) * 40;
    const v = random() < 0.3 ? 0 : random() * 4 * Math.PI;
    const dur = [0, 300, 4000, Math.floor(random() * 8000)][round % 4];
    const reduced = random() < 0.2;
    const plan = W.easePlan(target, rot0, v, dur, reduced);
    // the angle under the pointer is -rotation, mod a turn
    assert.ok(close(W.mod(-(rot0 + plan.delta), TAU), W.mod(target, TAU), 1e-6) ||
      close(Math.abs(W.mod(-(rot0 + plan.delta), TAU) - W.mod(target, TAU)), TAU, 1e-6), `round ${round}`);
    assert.ok(plan.delta >= 0);
    if (v > 0 && dur > 0 && !reduced) {
      assert.ok(plan.delta >= TAU, 'a moving wheel turns at least once more');
      assert.ok(plan.p >= 1.5 && plan.p <= 5);
    }
  }
});

test('with no target the wheel just coasts to a stop', () => {
  assert.deepEqual(W.easePlan(null, 1, 0, 4000, false), { delta: 0, dur: 0, p: 2 });
  const plan = W.easePlan(null, 1, 4 * Math.PI, 4000, false);
  assert.equal(plan.dur, 900);
  assert.ok(close(plan.delta, 4 * Math.PI * 0.9 / 2));
});

test('the ease starts where the wheel is and ends on its plan; the free spin ramps up smoothly', () => {
  const a = { t0: 1000, rot0: 2, delta: 30, dur: 4000, p: 3 };
  assert.deepEqual(W.easeState(a, 1000), { rot: 2, done: false });
  assert.deepEqual(W.easeState(a, 5000), { rot: 32, done: true });
  assert.deepEqual(W.easeState(a, 9000), { rot: 32, done: true });
  let last = -Infinity;
  for (let t = 1000; t <= 5000; t += 50) {
    const rot = W.easeState(a, t).rot;
    assert.ok(rot >= last);
    last = rot;
  }
  const free = { t0: 0, rot0: 0, omega: 4 * Math.PI };
  const before = W.freeState(free, 349.999);
  const after = W.freeState(free, 350);
  assert.equal(before.ramped, false);
  assert.equal(after.ramped, true);
  assert.ok(close(before.rot, after.rot, 1e-3) && close(before.v, after.v, 1e-3));
  assert.deepEqual(W.freeState({ t0: 0, rot0: 1.5, omega: 0 }, 999), { rot: 1.5, v: 0, ramped: true });
});
