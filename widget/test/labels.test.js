// Slice labels: the largest font at which a label fits whole (one line or two), and
// only a label that fits neither is shortened with "…".
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { W, fakeContext } = require('./helpers.js');

// A wheel of radius 200 as the widget draws it: labels between 17 % and 93 % of the radius.
const R = 200;
const INNER = R * 0.17;
const OUTER = R * 0.93;
const ROOM = OUTER - INNER;
const MAX_FS = Math.min(R * 0.085, 18);
const DEG = Math.PI / 180;

function widthAt(fs, text) {
  const g = fakeContext();
  g.font = `600 ${fs}px x`;
  return g.measureText(text).width;
}

test('a short label in a wide slice is drawn whole, at the largest size', () => {
  const fit = W.fitLabel(fakeContext(), 'Quà', 90 * DEG, INNER, OUTER, MAX_FS);
  assert.deepEqual(fit, { fs: MAX_FS, lines: ['Quà'] });
});

test('a label too long for one line is split at a space, at the largest size', () => {
  const text = 'Voucher 500.000đ';
  assert.ok(widthAt(MAX_FS, text) > ROOM);
  const fit = W.fitLabel(fakeContext(), text, 90 * DEG, INNER, OUTER, MAX_FS);
  assert.deepEqual(fit, { fs: MAX_FS, lines: ['Voucher', '500.000đ'] });
});

test('a label with no space, too long for the largest size, is drawn whole at the next size that fits', () => {
  const text = 'Voucher500.000đ';
  const fit = W.fitLabel(fakeContext(), text, 90 * DEG, INNER, OUTER, MAX_FS);
  assert.deepEqual(fit, { fs: MAX_FS - 0.5, lines: [text] });
  assert.ok(widthAt(MAX_FS, text) > ROOM && widthAt(fit.fs, text) <= ROOM);
});

test('a long label with spaces goes on two lines before anything is cut', () => {
  const text = 'Giải Nhất: phiếu mua hàng 2.000.000đ';
  const fit = W.fitLabel(fakeContext(), text, 60 * DEG, INNER, OUTER, MAX_FS);
  assert.equal(fit.lines.length, 2);
  assert.equal(fit.lines.join(' '), text);
  assert.ok(fit.lines.every((l) => widthAt(fit.fs, l) <= ROOM));
});

test('a label that fits neither way is shortened with an ellipsis, at the smallest size', () => {
  const text = 'Supercalifragilisticexpialidocious-voucher-of-the-year';
  const fit = W.fitLabel(fakeContext(), text, 30 * DEG, INNER, OUTER, MAX_FS);
  assert.equal(fit.fs, W.MIN_LABEL_PX);
  assert.equal(fit.lines.length, 1);
  assert.ok(fit.lines[0].endsWith('…'));
  assert.ok(text.startsWith(fit.lines[0].slice(0, -1)));
  assert.ok(widthAt(fit.fs, fit.lines[0]) <= ROOM);
  // and it is the longest such start: one more character would not fit
  const longer = text.slice(0, fit.lines[0].length) + '…';
  assert.ok(widthAt(fit.fs, longer) > ROOM);
});

test('a sliver with no room at all gets no label (the odds table names it)', () => {
  assert.deepEqual(W.fitLabel(fakeContext(), 'Giải', 0.5 * DEG, INNER, OUTER, MAX_FS),
    { fs: W.MIN_LABEL_PX, lines: [] });
});

test('a wider slice never gets a smaller font, and every line drawn fits', () => {
  const labels = ['A', 'Quà 10k', 'Voucher 100.000đ', 'Chúc may mắn lần sau', 'Giải Ba: phiếu mua hàng 50.000đ',
    'Mộtchữrấtdàikhôngcókhoảngtrắngnàocả'];
  for (const text of labels) {
    let last = 0;
    for (let deg = 1; deg <= 180; deg += 1) {
      const fit = W.fitLabel(fakeContext(), text, deg * DEG, INNER, OUTER, MAX_FS);
      if (fit.lines.length) {
        assert.ok(fit.fs >= last, `${text} at ${deg} degrees: ${fit.fs} < ${last}`);
        last = fit.fs;
        assert.ok(fit.lines.every((l) => widthAt(fit.fs, l) <= ROOM + 1e-9), `${text} at ${deg}`);
        if (!fit.lines[0].endsWith('…')) { assert.equal(fit.lines.join(' '), text); }
      }
    }
  }
});

test('fitText and splitTwo', () => {
  const g = fakeContext();
  g.font = '600 10px x'; // 6 px a character
  assert.equal(W.fitText(g, 'abcdef', 36), 'abcdef');
  assert.equal(W.fitText(g, 'abcdefgh', 36), 'abcde…');
  assert.equal(W.fitText(g, 'ab   cdefgh', 36), 'ab…'); // no trailing space before the ellipsis
  assert.equal(W.fitText(g, 'abcdef', 6), '');
  assert.deepEqual(W.splitTwo(g, 'one two three'), ['one two', 'three']);
  assert.deepEqual(W.splitTwo(g, 'a bb cccccc'), ['a bb', 'cccccc']); // the split with the shorter longest line
  assert.equal(W.splitTwo(g, 'nospace'), null);
  assert.equal(W.splitTwo(g, ' edge'), null);
});

test('chordAt: the slice is as wide as its chord, never more than the diameter', () => {
  assert.ok(Math.abs(W.chordAt(100, Math.PI / 3) - 100) < 1e-9); // equilateral
  assert.ok(Math.abs(W.chordAt(100, Math.PI) - 200) < 1e-9);
  assert.equal(W.chordAt(100, 2 * Math.PI), W.chordAt(100, Math.PI));
});

test('a segment shows its label in the player\'s language when it has one, else its label', () => {
  const list = [
    { id: 'none', label: 'Chúc may mắn lần sau', probability: 0.79,
      labels: { vi: 'Chúc may mắn lần sau', en: 'Better luck next time' } },
    { id: 'big', label: '100.000đ voucher', probability: 0.21, labels: { vi: 'Voucher 100.000đ' } },
    { id: 'odd', label: 'Odd', probability: 0, labels: { en: '' } }];
  assert.deepEqual(W.readSegments(list, 'en').map((s) => s.label),
    ['Better luck next time', '100.000đ voucher', 'Odd']);
  assert.deepEqual(W.readSegments(list, 'vi').map((s) => s.label),
    ['Chúc may mắn lần sau', 'Voucher 100.000đ', 'Odd']);
  assert.deepEqual(W.readSegments(list).map((s) => s.label), // no language: the label
    ['Chúc may mắn lần sau', '100.000đ voucher', 'Odd']);
});

test('labels on the left half of the wheel are turned so that none reads upside down', () => {
  // the middle of a slice, clockwise from the top: the right half reads from the hub
  // out, the left half (past the bottom) from the rim in
  for (const deg of [1, 45, 90, 135, 179]) { assert.equal(W.labelFlipped(deg * DEG), false, String(deg)); }
  for (const deg of [181, 225, 270, 315, 359]) { assert.equal(W.labelFlipped(deg * DEG), true, String(deg)); }
  assert.equal(W.labelFlipped(-90 * DEG), true); // the same angle, a turn earlier
  assert.equal(W.labelFlipped(450 * DEG), false);
  // where the wheel rests counts: a slice on the right at rest is on the left once
  // the wheel has turned half a turn, and its label is turned for it
  assert.equal(W.labelFlipped(90 * DEG, Math.PI), true);
  assert.equal(W.labelFlipped(270 * DEG, Math.PI), false);
  // on screen, a label's reading direction never points left: at rotation
  // mid - 90° (+ 180° when flipped) its baseline's x component is >= 0
  for (let deg = 0; deg < 360; deg += 7) {
    for (const rotation of [0, 1, 2.5, 4, -3]) {
      const mid = deg * DEG;
      const turn = rotation + mid - Math.PI / 2 + (W.labelFlipped(mid, rotation) ? Math.PI : 0);
      assert.ok(Math.cos(turn) >= -1e-9, `${deg}° at ${rotation}: reads right to left`);
    }
  }
});
