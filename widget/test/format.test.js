// What the player reads: money in the currency's minor unit, odds, dates in the
// campaign's zone, the texts and their overrides.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { W } = require('./helpers.js');

test('money: VND has no minor unit, so 50000 is fifty thousand dong', () => {
  assert.equal(W.minorDigits('VND'), 0);
  assert.match(W.formatMoney(50000, 'VND', 'vi-VN'), /^50\.000\s₫$/);
  assert.match(W.formatMoney(50000, 'VND', 'en-US'), /^₫50,000$/);
  assert.match(W.formatMoney(0, 'VND', 'vi-VN'), /^0\s₫$/);
});

test('money: a currency with two decimals is counted in cents', () => {
  assert.equal(W.minorDigits('USD'), 2);
  assert.equal(W.formatMoney(1250, 'USD', 'en-US'), '$12.50');
  assert.equal(W.formatMoney(5, 'USD', 'en-US'), '$0.05');
  assert.equal(W.formatMoney(100000, 'EUR', 'en-US'), '€1,000.00');
  assert.match(W.formatMoney(1250, 'USD', 'vi-VN'), /^12,50\sUS\$$/);
  assert.equal(W.formatMoney(1234, 'KWD', 'en-US').replace(/\s/g, ' '), 'KWD 1.234'); // three decimals
  assert.equal(W.formatMoney(1000, 'JPY', 'en-US'), '¥1,000');
});

test('money: no currency, an unknown one, no amount', () => {
  assert.equal(W.formatMoney(20000, null, 'vi-VN'), '20.000');
  assert.equal(W.formatMoney(1234, 'NOPE', 'en-US'), '12.34 NOPE'); // two decimals assumed
  assert.equal(W.minorDigits('NOPE'), 2);
  for (const amount of [undefined, null, '100', NaN, Infinity]) {
    assert.equal(W.formatMoney(amount, 'VND', 'vi-VN'), '');
  }
});

test('odds: percentages, with tiny chances shown as such rather than as 0 %', () => {
  assert.equal(W.formatPercent(0.01, 'en-US'), '1%');
  assert.equal(W.formatPercent(1 / 3, 'vi-VN'), '33,33%');
  assert.equal(W.formatPercent(0, 'en-US'), '0%');
  assert.equal(W.formatPercent(0.00001, 'en-US'), '< 0.01%');
  assert.equal(W.formatPercent(0.0001, 'en-US'), '0.01%');
});

test("dates: in the campaign's zone, named; an unknown zone or date does not break", () => {
  const iso = '2027-02-10T17:30:00Z';
  assert.match(W.formatDateTime(iso, 'vi-VN', 'Asia/Ho_Chi_Minh'), /00:30 GMT\+7 11\/02\/2027/);
  assert.match(W.formatDateTime(iso, 'en-US', 'Asia/Bangkok'), /^Feb 11, 2027.*GMT\+7$/);
  assert.equal(W.formatDateTime(iso, 'en-US', 'Mars/Olympus'), W.formatDateTime(iso, 'en-US', null));
  assert.equal(W.formatDateTime('not a date', 'en-US', 'Asia/Bangkok'), 'not a date');
});

test('a gift valid through 1 January reads so, in both languages, with no day/month to mix up', () => {
  const iso = '2027-01-01T17:00:00Z'; // midnight starting 2 January in Ho Chi Minh City
  const en = W.formatExpiry(iso, 'en-US', 'Asia/Ho_Chi_Minh');
  assert.match(en, /^Jan 1, 2027, 11:59\s?PM GMT\+7$/);
  assert.doesNotMatch(en, /\d\d\/\d\d/);
  assert.match(W.formatExpiry(iso, 'vi-VN', 'Asia/Ho_Chi_Minh'), /23:59 GMT\+7 01\/01\/2027/);
  // an expiry that is not a midnight is shown as it is
  assert.match(W.formatExpiry('2027-01-01T10:30:00Z', 'en-US', 'Asia/Ho_Chi_Minh'), /^Jan 1, 2027, 05:30\s?PM/);
  assert.equal(W.formatExpiry('never', 'en-US', 'Asia/Ho_Chi_Minh'), 'never');
});

test('texts: both languages say the same things, with the same placeholders', () => {
  const { vi, en } = W.DICT;
  assert.deepEqual(Object.keys(vi).sort(), Object.keys(en).sort());
  const holes = (s) => (s.match(/\{\w+\}/g) || []).sort();
  for (const key of Object.keys(en)) { assert.deepEqual(holes(vi[key]), holes(en[key]), key); }
});

test('texts: fmt fills known placeholders and leaves the others', () => {
  assert.equal(W.fmt('Hôm nay: {today} · Tổng: {total}', { today: 0, total: 3 }), 'Hôm nay: 0 · Tổng: 3');
  assert.equal(W.fmt('{a} {missing}', { a: 'x' }), 'x {missing}');
  assert.equal(W.fmt('{toString}', {}), '{toString}'); // only the object's own keys
});

test('texts: language picking and the partner\'s overrides', () => {
  assert.equal(W.pickLang('EN-us'), 'en');
  assert.equal(W.pickLang('fr'), 'vi');
  assert.equal(W.pickLang(undefined), 'vi');
  // flat overrides apply to the language given at mount only
  assert.equal(W.textsFor({ spin: 'Quay ngay' }, 'vi', 'vi').spin, 'Quay ngay');
  assert.equal(W.textsFor({ spin: 'Quay ngay' }, 'en', 'vi').spin, 'Spin');
  // per-language overrides apply to their language
  const per = { vi: { spin: 'Quay ngay' }, en: { spin: 'Spin now' } };
  assert.equal(W.textsFor(per, 'en', 'vi').spin, 'Spin now');
  assert.equal(W.textsFor(per, 'vi', 'en').spin, 'Quay ngay');
  assert.equal(W.textsFor(null, 'en', 'en').copy, 'Copy');
  assert.equal(W.DICT.vi.spin, 'Quay'); // overriding never touches the built-in texts
});

test('the result: what was won, and what a screen reader hears', () => {
  const segments = W.readSegments([{ id: 'v20', label: '20.000đ voucher', probability: 0.5 },
    { id: 'none', label: 'Chúc may mắn lần sau', probability: 0.5 }]);
  const T = W.textsFor(null, 'en', 'en');
  const won = W.spinView({ segment_id: 'v20', gift: { code: 'ABCD-EFGH', amount: 20000, currency: 'VND' } },
    segments, 'en-US');
  assert.equal(won.label, '20.000đ voucher');
  assert.equal(won.code, 'ABCD-EFGH');
  assert.match(won.amount, /^₫20,000$/);
  assert.match(W.announcementText(won, 2, T), /^You won ₫20,000\. Gift code: ABCD-EFGH\. 2 spins left\.$/);
  assert.equal(W.announcementText(won, 1, T).endsWith(' 1 spin left.'), true);
  const noCode = W.spinView({ segment_id: 'v20', prize: { amount: 20000 } }, segments, 'en-US');
  assert.equal(W.announcementText(noCode, null, T), 'You won 20,000.');
  const lost = W.spinView({ segment_id: 'none', gift: null, prize: null }, segments, 'en-US');
  assert.deepEqual([lost.amount, lost.code, lost.seg.id], ['', '', 'none']);
  assert.equal(W.announcementText(lost, 0, T), 'Better luck next time. 0 spins left.');
  assert.equal(W.spinView({ segment_id: 'gone' }, segments, 'en-US').label, 'gone');
});
