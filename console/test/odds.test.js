// console/src/odds.js: the wheel editor's odds and the wheel it sends, and the
// fairness check of spins against the published odds.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('./load.js');

const O = load('format.js', 'odds.js');
const row = (label, weight, prize = '', stock = '') => ({ label, weight, prize, stock });
const close = (a, b) => Math.abs(a - b) < 1e-9;

// mulberry32: the same pseudo-random rows on every run
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('the odds of the default wheel: shares, expected payout, chance to win', () => {
  const odds = O.oddsOf([row('Big', '1', '100000', '10'), row('Small', '20', '20000'), row('None', '79')], 'VND');
  assert.deepEqual(odds.weights, [1, 20, 79]);
  assert.equal(odds.total, 100);
  assert.deepEqual(odds.shares, [0.01, 0.2, 0.79]);
  assert.ok(close(odds.expected, 0.01 * 100000 + 0.2 * 20000)); // 5,000 dong a spin
  assert.ok(close(odds.winShare, 0.21));
  assert.deepEqual(odds.noPrize, [2]);
});

test('weights that are not numbers count as 0; no weight at all gives no odds', () => {
  const odds = O.oddsOf([row('A', 'x'), row('B', '-3', '10'), row('C', '')], 'VND');
  assert.deepEqual(odds.weights, [0, 0, 0]);
  assert.deepEqual([odds.total, odds.expected, odds.winShare], [0, 0, 0]);
  assert.deepEqual(odds.shares, [0, 0, 0]);
  assert.deepEqual(odds.noPrize, [0, 2]); // B's prize stands even with no weight
});

test('shares always add up to one, and the payout is at most the biggest prize', () => {
  const random = seeded(7);
  for (let round = 0; round < 300; round++) {
    const rows = Array.from({ length: 1 + Math.floor(random() * 12) }, (_, i) =>
      row('S' + i, String(Math.floor(random() * 50)), random() < 0.5 ? String(Math.floor(random() * 1e6)) : ''));
    const odds = O.oddsOf(rows, 'VND');
    if (!odds.total) { continue; }
    assert.ok(close(odds.shares.reduce((a, b) => a + b, 0), 1));
    const top = Math.max(0, ...odds.prizes.filter((p) => p > 0));
    assert.ok(odds.expected <= top + 1e-6);
    assert.ok(odds.winShare >= 0 && odds.winShare <= 1);
  }
});

test('the wheel sent: ids from labels, prizes in minor units, stock, fallback, limits', () => {
  const res = O.wheelOf([row(' Giải Nhất ', '1', '2.000.000', '2'), row('Giải nhất', '5', '50000'),
    row('Chúc may mắn lần sau', '94')], 'VND', '2', '10', '3');
  assert.deepEqual(res, { wheel: {
    segments: [
      { id: 'giai-nhat', label: 'Giải Nhất', weight: 1, prize: { amount: 2000000 }, inventory: 2 },
      { id: 'giai-nhat-2', label: 'Giải nhất', weight: 5, prize: { amount: 50000 } },
      { id: 'chuc-may-man-lan-sau', label: 'Chúc may mắn lần sau', weight: 94, prize: null }],
    fallback_segment_id: 'chuc-may-man-lan-sau',
    limits: { spins_per_player: 10, spins_per_player_per_day: 3 } } });
  const usd = O.wheelOf([row('Mug', '1', '12.50'), row('None', '1')], 'USD', '', '', '');
  assert.deepEqual(usd.wheel.segments[0].prize, { amount: 1250 });
  assert.equal(usd.wheel.fallback_segment_id, 'mug'); // no choice: the first
  assert.equal('limits' in usd.wheel, false);
});

test('the first problem found names its row', () => {
  const ok = row('Fine', '1');
  assert.deepEqual(O.wheelOf([ok, row('  ', '1')], 'VND', '0', '', ''), { error: 'wheel.err.label', n: 2 });
  assert.deepEqual(O.wheelOf([row('A', '-1')], 'VND', '0', '', ''), { error: 'wheel.err.weight', n: 1 });
  assert.deepEqual(O.wheelOf([row('A', 'many')], 'VND', '0', '', ''), { error: 'wheel.err.weight', n: 1 });
  assert.deepEqual(O.wheelOf([ok, ok, row('C', '1', 'free')], 'VND', '0', '', ''), { error: 'wheel.err.prize', n: 3 });
  assert.deepEqual(O.wheelOf([row('A', '1', '0')], 'VND', '0', '', ''), { error: 'wheel.err.prize', n: 1 });
  assert.deepEqual(O.wheelOf([row('A', '1', '', '-2')], 'VND', '0', '', ''), { error: 'wheel.err.stock', n: 1 });
  assert.deepEqual(O.wheelOf([row('A', '0'), row('B', '0')], 'VND', '0', '', ''), { error: 'wheel.noWeight' });
});

test('fairness: too few spins to judge', () => {
  const segs = [{ id: 'a', label: 'A', weight: 1 }, { id: 'b', label: 'B', weight: 1 }];
  const check = O.fairnessOf(segs, [{ segment_id: 'a', count: 29 }], 29, 'b');
  assert.equal(check.verdict, 'few');
  assert.equal(check.rows.some((r) => r.off), false);
  assert.deepEqual(check.rows.map((r) => [r.published, r.got, r.observed]), [[0.5, 29, 1], [0.5, 0, 0]]);
});

test('fairness: counts within 3 standard deviations are ok, beyond are flagged', () => {
  const segs = [{ id: 'top', label: 'Top', weight: 1 }, { id: 'mid', label: 'Mid', weight: 9 },
    { id: 'none', label: 'None', weight: 90 }];
  // 1,000 spins: top expects 10 (sd ~3.1), mid 90 (sd ~9.0)
  const fair = O.fairnessOf(segs, [{ segment_id: 'top', count: 14 }, { segment_id: 'mid', count: 80 },
    { segment_id: 'none', count: 906 }], 1000, 'none');
  assert.equal(fair.verdict, 'ok');
  assert.deepEqual(fair.rows.map((r) => r.expected), [10, 90, 900]);
  const off = O.fairnessOf(segs, [{ segment_id: 'top', count: 30 }, { segment_id: 'mid', count: 90 },
    { segment_id: 'none', count: 880 }], 1000, 'none');
  assert.equal(off.verdict, 'off');
  assert.deepEqual(off.rows.map((r) => r.off), [true, false, false]);
});

test('fairness: the fallback may collect more than its odds (out-of-stock prizes land there)', () => {
  const segs = [{ id: 'top', label: 'Top', weight: 50 }, { id: 'none', label: 'None', weight: 50 }];
  const bySegment = [{ segment_id: 'top', count: 10 }, { segment_id: 'none', count: 990 }];
  const check = O.fairnessOf(segs, bySegment, 1000, 'none');
  assert.deepEqual(check.rows.map((r) => r.off), [true, false]);
  assert.equal(O.fairnessOf(segs, bySegment, 1000, 'top').rows[1].off, true);
});

test('fairness: no weight and no spins do not divide by zero', () => {
  const check = O.fairnessOf([{ id: 'a', label: 'A', weight: 0 }], [], 0, 'a');
  assert.deepEqual(check.rows.map((r) => [r.published, r.observed, r.expected]), [[0, 0, 0]]);
  assert.equal(check.verdict, 'few');
});

test('the game sent with the wheel: none for a wheel, the kind, an envelope count in range', () => {
  assert.deepEqual(O.gameOf('wheel', '6'), { game: null });
  assert.deepEqual(O.gameOf('scratch', ''), { game: { kind: 'scratch' } });
  assert.deepEqual(O.gameOf('envelope', '8'), { game: { kind: 'envelope', envelopes: 8 } });
  for (const bad of ['1', '13', '2.5', '', 'six']) {
    assert.deepEqual(O.gameOf('envelope', bad), { error: 'game.err.envelopes' }, bad);
  }
});
