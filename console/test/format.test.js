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
});

test("dates are shown in the campaign's zone, named, with the month as a word", () => {
  const iso = '2030-12-31T16:59:00Z'; // 23:59 on 31 Dec in Ho Chi Minh City
  assert.equal(F.formatWhen(iso, 'en-GB', 'Asia/Ho_Chi_Minh'), '31 Dec 2030, 23:59 GMT+7');
  assert.equal(F.formatWhen(iso, 'vi-VN', 'Asia/Ho_Chi_Minh'), '23:59 GMT+7 31 thg 12, 2030');
  assert.equal(F.formatWhen(iso, 'en-GB', 'UTC'), '31 Dec 2030, 16:59 UTC');
  assert.doesNotMatch(F.formatWhen(iso, 'en-GB', 'Mars/Olympus'), /\d\d\/\d\d/);
  // a gift expiring at the midnight that ends 1 January is valid until 23:59 that day
  assert.equal(F.formatUntil('2027-01-01T17:00:00Z', 'en-GB', 'Asia/Ho_Chi_Minh'), '1 Jan 2027, 23:59 GMT+7');
  assert.equal(F.formatUntil('2027-01-01T10:30:00Z', 'en-GB', 'Asia/Ho_Chi_Minh'), '1 Jan 2027, 17:30 GMT+7');
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

test("date inputs are read on the campaign's clock, whatever the browser's zone", () => {
  // 31 Dec 23:59 typed for a Ho Chi Minh City campaign is 16:59 UTC, not 23:59 UTC
  // (which a UTC browser made of it, and showed back as 1 Jan 06:59)
  assert.equal(F.isoFromZoned('2030-12-31T23:59', 'Asia/Ho_Chi_Minh'), '2030-12-31T16:59:00Z');
  assert.equal(F.isoFromZoned('2030-12-31T23:59', 'UTC'), '2030-12-31T23:59:00Z');
  assert.equal(F.isoFromZoned('2027-02-03T09:05', 'Asia/Kathmandu'), '2027-02-03T03:20:00Z');
  // across a change of offset (New York: EDT until 7 Nov 2027, then EST)
  assert.equal(F.isoFromZoned('2027-07-01T12:00', 'America/New_York'), '2027-07-01T16:00:00Z');
  assert.equal(F.isoFromZoned('2027-12-01T12:00', 'America/New_York'), '2027-12-01T17:00:00Z');
  const d = new Date('2027-02-03T02:05:00Z');
  for (const zone of ['Asia/Ho_Chi_Minh', 'UTC', 'Asia/Kathmandu', 'America/New_York', 'Pacific/Chatham']) {
    assert.equal(F.isoFromZoned(F.zonedInput(d, zone), zone), '2027-02-03T02:05:00Z', zone);
  }
  assert.equal(F.zonedInput(d, 'Asia/Ho_Chi_Minh'), '2027-02-03T09:05');
  assert.equal(F.isoFromZoned('', 'UTC'), null);
  assert.equal(F.isoFromZoned('tomorrow', 'UTC'), null);
  assert.equal(F.isoFromZoned('2027-02-03T09:05', 'Mars/Olympus'), null);
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

test('a refused CSV is explained line by line in the page language, not in the API\'s English', () => {
  const fs = require('node:fs');
  const path = require('node:path');
  const window = {};
  // eslint-disable-next-line no-new-func -- runs i18n.js as the page does
  new Function('window', fs.readFileSync(path.join(__dirname, '..', 'i18n.js'), 'utf8'))(window);
  const tr = (lang) => (key, vars) => F.interpolate(window.RC_I18N[lang][key] || key, vars);
  const vi = tr('vi');
  const problems = [
    { field: 'rows[3].phone', message: 'line 3: phone must be a phone number: 6 to 15 digits, optionally starting with +' },
    { field: 'rows[4].amount', message: 'line 4: amount must be a whole number of minor units from 1 to 100000000, without separators or decimals' },
    { field: 'rows[5].amount', message: 'line 5: amount is required' },
    { field: 'rows[1]', message: "line 1: unknown column(s) 'amout'; allowed: amount, reference, phone, email" },
    { field: 'rows[6]', message: "line 6: value 'x' is in a column with no header" },
    { field: 'rows[2]', message: 'line 2: the CSV has a header but no rows' },
    { field: 'body', message: 'the CSV must be UTF-8 encoded' },
  ];
  const texts = problems.map((p) => F.csvErrorText(p, vi));
  assert.deepEqual(texts.slice(0, 4), [
    'Dòng 3: số điện thoại không hợp lệ (6 đến 15 chữ số, có thể bắt đầu bằng +).',
    'Dòng 4: giá trị quà (cột amount) phải là số nguyên lớn hơn 0, không có dấu phân cách hay phần thập phân.',
    'Dòng 5: thiếu giá trị quà (cột amount).',
    "Dòng 1: cột không xác định 'amout'; chỉ dùng: amount, reference, phone, email."]);
  for (const text of texts) {
    assert.doesNotMatch(text, /must|required|column with no header|encoded|\{/, text);
  }
  assert.equal(F.csvErrorText(problems[0], tr('en')),
    'Line 3: the phone number is not valid (6 to 15 digits, may start with +).');
  // an unforeseen message keeps its line, and its text rather than nothing
  assert.equal(F.csvErrorText({ field: 'rows[9]', message: 'line 9: something new' }, vi), 'Dòng 9: something new');
  // not a CSV field: left to the general rule
  assert.equal(F.csvErrorText({ field: 'ends_at', message: 'must be in the future' }, vi), null);
});
