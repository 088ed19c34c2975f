// console/src/format.js: texts, money in minor units, numbers and dates, and the
// new-campaign form's values.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('./load.js');

const F = load('format.js');

test('texts: {name} holes are filled, unknown ones are left as they are', () => {
  assert.equal(F.interpolate('{left} of {total} left', { left: '5', total: 9 }), '5 of 9 left');
  assert.equal(F.interpolate('{n} spins {missing}', { n: 0 }), '0 spins {missing}');
  assert.equal(F.interpolate('no holes', undefined), 'no holes');
  assert.equal(F.localeOf('vi'), 'vi-VN');
  assert.equal(F.localeOf('en'), 'en-GB');
});

test('money: VND has no minor unit', () => {
  assert.equal(F.digits('VND'), 0);
  assert.match(F.formatMoney(50000, 'VND', 'vi-VN'), /^50\.000\s₫$/);
  assert.match(F.formatMoney(undefined, 'VND', 'vi-VN'), /^0\s₫$/);
});

test('money: a currency with two decimals is counted in cents', () => {
  assert.equal(F.digits('USD'), 2);
  assert.equal(F.formatMoney(1250, 'USD', 'en-GB'), 'US$12.50');
  assert.equal(F.formatMoney(7, 'EUR', 'en-GB'), '€0.07');
  assert.match(F.formatMoney(1250, 'USD', 'vi-VN'), /^12,50\sUS\$$/);
});

test('money: a currency Intl does not know is shown as its amount and code', () => {
  assert.equal(F.digits('NOPE'), 0);
  assert.equal(F.formatMoney(1250, 'NOPE', 'en-GB'), '1250 NOPE');
});

test('chart ticks, numbers and percentages', () => {
  assert.equal(F.formatCompact(2500000, 'VND', 'en-GB'), '2.5m');
  assert.equal(F.formatCompact(250000, 'USD', 'en-GB'), '2.5k'); // 2,500.00 dollars
  assert.equal(F.formatCompact(undefined, 'VND', 'en-GB'), '0');
  assert.equal(F.formatNumber(1234567, 'vi-VN'), '1.234.567');
  assert.equal(F.formatNumber(null, 'en-GB'), '0');
  assert.equal(F.formatPercent(0.1234, undefined, 'en-GB'), '12.3%'); // one decimal by default
  assert.equal(F.formatPercent(0.1234, 0, 'vi-VN'), '12%');
  assert.equal(F.formatPercent(NaN, 2, 'en-GB'), '0%');
});

test('dates: a dash for none, the text itself when it is not a date', () => {
  assert.equal(F.formatWhen(null, 'en-GB'), '—');
  assert.equal(F.formatWhen('', 'en-GB'), '—');
  assert.equal(F.formatWhen('soon', 'en-GB'), 'soon');
  const d = new Date('2027-02-10T17:30:00Z');
  assert.equal(F.formatWhen('2027-02-10T17:30:00Z', 'en-GB'),
    new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(d));
});

test("report periods are labelled in the campaign's zone", () => {
  const iso = '2027-02-10T17:30:00Z'; // 00:30 on the 11th in Ho Chi Minh City
  assert.equal(F.formatPeriod(iso, 'day', 'Asia/Ho_Chi_Minh', 'en-GB'), '11 Feb');
  assert.equal(F.formatPeriod(iso, 'hour', 'Asia/Ho_Chi_Minh', 'en-GB'), '11 Feb, 00');
  assert.equal(F.formatPeriod(iso, 'day', 'UTC', 'en-GB'), '10 Feb');
  // a zone this browser does not know: its own zone rather than an error
  assert.equal(F.formatPeriod(iso, 'day', 'Mars/Olympus', 'en-GB'),
    new Intl.DateTimeFormat('en-GB', { month: 'short', day: 'numeric' }).format(new Date(iso)));
  assert.equal(F.formatPeriod('not a date', 'day', 'UTC', 'en-GB'), 'not a date');
});

test('amounts typed in the major unit become minor units', () => {
  assert.equal(F.toMinor('50000', 'VND'), 50000);
  assert.equal(F.toMinor('50.000', 'VND'), 50000); // a thousands separator, VND has no decimals
  assert.equal(F.toMinor('1,000,000', 'VND'), 1000000);
  assert.equal(F.toMinor(' 1 000 000 ', 'VND'), 1000000);
  assert.equal(F.toMinor('12.50', 'USD'), 1250);
  assert.equal(F.toMinor('1,234.5', 'USD'), 123450);
  assert.equal(F.toMinor('0.1', 'USD'), 10);
  assert.equal(F.toMinor('19.99', 'EUR'), 1999); // no floating-point drift
  assert.equal(F.toMinor('1_000', 'VND'), 1000);
});

test('anything but a plain positive number is not an amount', () => {
  for (const text of ['', '   ', null, undefined, 'abc', '-5', '1e3', '12.3.4', '$12', '0x10']) {
    assert.ok(Number.isNaN(F.toMinor(text, 'USD')), String(text));
  }
});

test('date inputs: local time in the form, UTC in the API, minute for minute', () => {
  const d = new Date(2027, 1, 3, 9, 5); // 3 Feb 2027 09:05, this machine's time
  assert.equal(F.localInput(d), '2027-02-03T09:05');
  assert.equal(F.isoFromLocal(F.localInput(d)), d.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  assert.equal(F.isoFromLocal(''), null);
  assert.equal(F.isoFromLocal('tomorrow'), null);
});

test('segment ids from labels: no accents, unique, never empty', () => {
  const used = {};
  assert.equal(F.slug('Giải Nhất: phiếu 2.000.000đ', used), 'giai-nhat-phieu-2-000-000d');
  assert.equal(F.slug('Giải nhất', used), 'giai-nhat');
  assert.equal(F.slug('GIẢI NHẤT', used), 'giai-nhat-2');
  assert.equal(F.slug('giai nhat!', used), 'giai-nhat-3');
  assert.equal(F.slug('Đồng hồ', used), 'dong-ho');
  assert.equal(F.slug('!!!', used), 'segment');
  assert.equal(F.slug('', used), 'segment-2');
  assert.equal(F.slug('x'.repeat(100), used).length, 40);
  assert.deepEqual(Object.keys(used).length, 8);
});

test('a CSV preview counts rows and adds up the amount column', () => {
  const csv = '\uFEFFreference,"Amount",phone\r\nr1,50000,+84901\r\n\r\nr2,"20000",\r\nr3,-5,\r\nr4,abc,\r\n';
  assert.deepEqual(F.csvSummary(csv, 'VND'), { rows: 4, total: 70000, hasAmount: true, currency: 'VND' });
  assert.deepEqual(F.csvSummary('reference,phone\nr1,+84901\n', 'VND'),
    { rows: 1, total: 0, hasAmount: false, currency: 'VND' });
  assert.deepEqual(F.csvSummary('\n \n', 'VND'), { rows: 0, total: 0 });
});
