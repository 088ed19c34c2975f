// Talking to the API: Retry-After, which outcomes are retried and how long to wait,
// responses as the widget reads them, the spins left, the options and the script's base.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { W, seeded } = require('./helpers.js');

test('Retry-After as a number of seconds', () => {
  assert.equal(W.parseRetryAfter('120'), 120);
  assert.equal(W.parseRetryAfter(' 7 '), 7);
  assert.equal(W.parseRetryAfter('0'), 0);
});

test('Retry-After as an HTTP date, counted from now', () => {
  const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
  assert.equal(W.parseRetryAfter('Wed, 21 Oct 2026 07:29:30 GMT', now), 90);
  assert.equal(W.parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', now), 0);
  assert.equal(W.parseRetryAfter('Wed, 21 Oct 2026 07:00:00 GMT', now), 0); // in the past: now
  const soon = new Date(Date.now() + 3600e3).toUTCString();
  const left = W.parseRetryAfter(soon);
  assert.ok(left >= 3598 && left <= 3600, String(left));
});

test('Retry-After absent or garbage reads as unknown', () => {
  for (const h of [null, undefined, '', 'soon', 'abc', '12abc', '0x10']) {
    assert.equal(W.parseRetryAfter(h, 0), null, String(h));
  }
});

test('which outcomes are unknown, so retried with the same key and body', () => {
  const unknown = [{ network: true, status: 0 }, { status: 500 }, { status: 503 },
    { status: 409, problem: { code: 'idempotency_in_progress' } }];
  const definite = [{ status: 201 }, { status: 400, problem: { code: 'validation_error' } },
    { status: 401 }, { status: 409, problem: { code: 'idempotency_key_reused' } }, { status: 409 },
    { status: 429, problem: { code: 'spin_limit_reached' } }];
  unknown.forEach((r) => assert.equal(W.outcomeUnknown(r), true, JSON.stringify(r)));
  definite.forEach((r) => assert.equal(W.outcomeUnknown(r), false, JSON.stringify(r)));
});

test('backoff: doubling from half a second with some jitter; Retry-After honoured up to 5 s', () => {
  assert.equal(W.retryDelay(0, { status: 503, retryAfter: null }, 0), 500);
  assert.equal(W.retryDelay(1, { status: 503, retryAfter: null }, 0), 1000);
  assert.equal(W.retryDelay(2, { status: 503, retryAfter: null }, 0.999), 2249);
  assert.equal(W.retryDelay(0, { status: 503, retryAfter: 3 }, 0), 3000);
  assert.equal(W.retryDelay(0, { status: 503, retryAfter: 3600 }, 0), 5000);
  assert.equal(W.retryDelay(2, { status: 503, retryAfter: 1 }, 0), 2000); // never shorter than the backoff
  assert.equal(W.retryDelay(0, { network: true, status: 0, retryAfter: 3 }, 0), 500);
  const random = seeded(4);
  for (let i = 0; i < 200; i++) {
    const attempt = Math.floor(random() * 4);
    const d = W.retryDelay(attempt, { status: 500, retryAfter: null }, random());
    assert.ok(d >= 500 * 2 ** attempt && d < 500 * 2 ** attempt + 250);
  }
});

function response(status, body, headers = {}) {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { status, statusText: status === 503 ? 'Service Unavailable' : '',
    headers: { get: (name) => (name.toLowerCase() in lower ? lower[name.toLowerCase()] : null) },
    text: () => Promise.resolve(body) };
}

test('a response as the widget reads it', async () => {
  const ok = await W.readReply(response(201, '{"id":"s1"}', { 'Idempotent-Replayed': 'true' }));
  assert.deepEqual(ok, { ok: true, status: 201, data: { id: 's1' }, retryAfter: null, replayed: true });
  const limited = await W.readReply(response(429, '{"code":"spin_limit_reached","limit":"daily"}',
    { 'Retry-After': '3600' }));
  assert.equal(limited.ok, false);
  assert.equal(limited.retryAfter, 3600);
  assert.deepEqual(limited.problem, { code: 'spin_limit_reached', limit: 'daily' });
  const html = await W.readReply(response(503, '<html>busy</html>'));
  assert.equal(html.data, null);
  assert.deepEqual(html.problem, { status: 503, title: 'Service Unavailable' });
  const empty = await W.readReply(response(204, ''));
  assert.deepEqual([empty.ok, empty.data, empty.problem], [true, null, undefined]);
});

test('requests carry the player token, a JSON type only with a body, and the idempotency key', () => {
  const get = W.requestInit('GET', 'tok', null, null, null);
  assert.deepEqual(get.headers, { 'Accept': 'application/json, application/problem+json', 'Authorization': 'Bearer tok' });
  assert.equal('body' in get, false);
  assert.equal(get.credentials, 'omit');
  const signal = {};
  const post = W.requestInit('POST', 'tok', '{"client_seed":"ab"}', 'key-1', { signal });
  assert.equal(post.headers['Content-Type'], 'application/json');
  assert.equal(post.headers['Idempotency-Key'], 'key-1');
  assert.equal(post.body, '{"client_seed":"ab"}');
  assert.equal(post.signal, signal);
});

test('spins left: the smaller of total and today, null meaning unlimited', () => {
  assert.equal(W.effectiveSpins(null, null), null);
  assert.equal(W.effectiveSpins(5, null), 5);
  assert.equal(W.effectiveSpins(null, 2), 2);
  assert.equal(W.effectiveSpins(5, 2), 2);
  assert.equal(W.outOfSpinsKey(3, 0), 'noSpinsToday');
  assert.equal(W.outOfSpinsKey(0, 0), 'noSpins');
  assert.equal(W.outOfSpinsKey(0, null), 'noSpins');
  assert.deepEqual(W.spinsAfter({ spins_left: 4, spins_left_today: null }, 9, 9), { left: 4, today: null });
  assert.deepEqual(W.spinsAfter({ spins_left: null }, 9, 9), { left: null, today: null });
  assert.deepEqual(W.spinsAfter({}, 3, 1), { left: 2, today: 0 });
  assert.deepEqual(W.spinsAfter({}, null, 0), { left: null, today: 0 });
  assert.equal(W.numOrNull('7.9'), 7);
  assert.equal(W.numOrNull(-3), 0);
  assert.equal(W.numOrNull('x'), null);
});

test("a spin limit: today's or the campaign's", () => {
  assert.equal(W.limitIsDaily({ limit: 'daily' }, null, 5, 0), true);
  assert.equal(W.limitIsDaily({ limit: 'lifetime' }, 3600, 5, 0), false);
  assert.equal(W.limitIsDaily({}, 3600, 1, 1), true); // a Retry-After means tomorrow
  assert.equal(W.limitIsDaily({}, null, null, 1), true); // no total limit
  assert.equal(W.limitIsDaily({}, null, 1, null), false); // no daily limit
  assert.equal(W.limitIsDaily({}, null, 3, 1), true);
  assert.equal(W.limitIsDaily({}, null, 1, 1), false);
});

test('the spin button works only on a loaded wheel with spins left', () => {
  const m = { loaded: true, blocked: false, wheel: { slices: [{}] }, spinsLeft: null, spinsLeftToday: 2 };
  assert.equal(W.canSpin(m), true);
  assert.equal(W.canSpin({ ...m, loaded: false }), false);
  assert.equal(W.canSpin({ ...m, blocked: true }), false);
  assert.equal(W.canSpin({ ...m, wheel: { slices: [] } }), false);
  assert.equal(W.canSpin({ ...m, spinsLeftToday: 0 }), false);
  assert.equal(W.canSpin({ ...m, spinsLeft: 0 }), false);
});

test('an ended campaign offers no spin: no active button, its own message, in both languages', () => {
  const m = { loaded: true, blocked: false, wheel: { slices: [{}] }, spinsLeft: 3, spinsLeftToday: 3 };
  assert.equal(W.canSpin({ ...m, status: 'active' }), true);
  assert.equal(W.canSpin({ ...m, status: undefined }), true); // an API that does not say: as before
  for (const status of ['ended', 'paused', 'scheduled']) {
    assert.equal(W.canSpin({ ...m, status }), false, status);
    assert.equal(W.statusKey(status), status);
  }
  assert.equal(W.statusKey('active'), null);
  for (const lang of ['vi', 'en']) {
    const T = W.DICT[lang];
    assert.equal(W.buttonText({ status: 'ended', T }), T.endedButton);
    assert.equal(W.buttonText({ status: 'paused', T }), T.spin);
    assert.notEqual(T.ended, T.notActive, lang); // says it is over, not "ended or paused"
  }
  assert.match(W.DICT.vi.ended, /đã kết thúc/);
  assert.match(W.DICT.en.ended, /has ended/);
});

test("the API base is where the script came from, stage prefix kept", () => {
  assert.equal(W.baseFromUrl('https://h.example/prod/v1/widget/wheel.js', 'https://shop.example/'), 'https://h.example/prod');
  assert.equal(W.baseFromUrl('https://h.example/v1/widget/wheel.js?v=2', 'https://shop.example/'), 'https://h.example');
  assert.equal(W.baseFromUrl('/v1/widget/wheel.js', 'http://localhost:8000/v1/widget/demo.html'), 'http://localhost:8000');
  assert.equal(W.baseFromUrl('https://cdn.example/js/wheel.js', 'https://shop.example/'), 'https://cdn.example');
  assert.equal(W.baseFromUrl('data:text/javascript,1', 'https://shop.example/'), '');
  assert.equal(W.baseFromUrl('', 'https://shop.example/'), '');
  assert.equal(W.baseFromUrl('http://[bad', undefined), '');
});

test('options: defaults, bounds, and the base without trailing slashes', () => {
  const o = W.readOptions({ token: 42 }, 'https://h.example/prod');
  assert.deepEqual([o.lang, o.sliceMode, o.apiBase, o.token, o.timeZone, o.zoneGiven, o.spinMs],
    ['vi', 'proportional', 'https://h.example/prod', '42', null, false, null]);
  assert.ok(Math.abs(o.minSweep - 12 * Math.PI / 180) < 1e-12);
  assert.equal(W.readOptions({ minSliceDegrees: 90 }, '').minSweep, Math.PI / 4); // at most 45 degrees
  assert.equal(W.readOptions({ minSliceDegrees: 0 }, '').minSweep, 0);
  assert.ok(Math.abs(W.readOptions({ minSliceDegrees: -5 }, '').minSweep - 12 * Math.PI / 180) < 1e-12);
  assert.equal(W.readOptions({ apiBase: 'https://a.example//' }, 'x').apiBase, 'https://a.example');
  assert.equal(W.readOptions({ slices: 'equal', lang: 'en', spinDurationMs: 0 }, '').spinMs, 0);
  assert.equal(W.readOptions({ spinDurationMs: -1 }, '').spinMs, null);
  assert.equal(W.readOptions({ onResult: 'not a function' }, '').onResult, null);
  assert.equal(W.readOptions({ timeZone: 'Asia/Bangkok' }, '').zoneGiven, true);
});

test('ids: version 4 UUIDs from random bytes, hex, the QR as a data: URL', () => {
  const random = seeded(5);
  for (let i = 0; i < 100; i++) {
    const bytes = Uint8Array.from({ length: 16 }, () => Math.floor(random() * 256));
    const copy = Uint8Array.from(bytes);
    assert.match(W.uuidFromBytes(bytes), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(bytes, copy); // the caller's bytes are left alone
  }
  assert.equal(W.toHex([0, 15, 16, 255]), '000f10ff');
  assert.equal(W.svgDataUrl('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    'data:image/svg+xml;charset=utf-8,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%2F%3E');
  assert.equal(W.svgDataUrl('<html>'), null);
  assert.equal(W.svgDataUrl(null), null);
});

test('under node the file defines no global and exports only the helpers', () => {
  assert.equal(typeof globalThis.RewardsWheel, 'undefined');
  assert.equal(typeof W.mount, 'undefined');
});
