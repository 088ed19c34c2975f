// Games other than the wheel: what the wheel view says, the play's body (an envelope's
// pick), the envelope grid, when a scratch card is scratched enough, the device id.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { W } = require('./helpers.js');

test('a wheel view without a game, or with an unknown one, is a wheel', () => {
  assert.deepEqual(W.gameOf(undefined), { kind: 'wheel', envelopes: 0 });
  assert.deepEqual(W.gameOf({ kind: 'dice' }), { kind: 'wheel', envelopes: 0 });
  assert.deepEqual(W.gameOf({ kind: 'scratch', envelopes: null }), { kind: 'scratch', envelopes: 0 });
});

test('an envelope game keeps its count, and a count out of range reads as six', () => {
  assert.deepEqual(W.gameOf({ kind: 'envelope', envelopes: 8 }), { kind: 'envelope', envelopes: 8 });
  assert.equal(W.gameOf({ kind: 'envelope', envelopes: 99 }).envelopes, 6);
  assert.equal(W.gameOf({ kind: 'envelope' }).envelopes, 6);
});

test('only an envelope play sends a pick', () => {
  assert.deepEqual(JSON.parse(W.playBody({ kind: 'envelope', envelopes: 6 }, 'ab', 4)),
    { client_seed: 'ab', pick: 4 });
  assert.deepEqual(JSON.parse(W.playBody({ kind: 'scratch', envelopes: 0 }, 'ab', 4)), { client_seed: 'ab' });
  assert.deepEqual(JSON.parse(W.playBody({ kind: 'wheel', envelopes: 0 }, 'ab')), { client_seed: 'ab' });
});

test('the envelope grid fills its rows', () => {
  assert.equal(W.envelopeColumns(6), 3);
  assert.equal(W.envelopeColumns(8), 4);
  assert.equal(W.envelopeColumns(4), 4);
  assert.equal(W.envelopeColumns(2), 2);
  assert.equal(W.envelopeColumns(9), 3);
});

test('the scratched share counts the cleared pixels of the coat', () => {
  const px = new Uint8ClampedArray(4 * 100).fill(255); // 100 opaque pixels
  assert.equal(W.scratchedShare(px, 1), 0);
  for (let i = 0; i < 60; i++) { px[i * 4 + 3] = 0; }
  assert.equal(W.scratchedShare(px, 1), 0.6);
  assert.ok(W.scratchedShare(px, 4) > 0.5);
  assert.equal(W.scratchedShare(new Uint8ClampedArray(0), 4), 0);
});

test('the device id is kept, made once, and absent when storage refuses', () => {
  const store = new Map();
  const storage = { getItem: (k) => store.get(k) || null, setItem: (k, v) => store.set(k, v) };
  let made = 0;
  const make = () => { made += 1; return 'dev-' + made + '-0123456789'; };
  const first = W.deviceIdFrom(storage, make);
  assert.equal(W.deviceIdFrom(storage, make), first);
  assert.equal(made, 1);
  store.set('rewards-device-id', 'bad id with spaces');
  assert.notEqual(W.deviceIdFrom(storage, make), 'bad id with spaces');
  const refusing = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('denied'); } };
  assert.equal(W.deviceIdFrom(refusing, make), null);
});

test('a play sends the device id; a read does not', () => {
  const post = W.requestInit('POST', 'tok', '{}', 'key-1', null, 'dev-1');
  assert.equal(post.headers['Rewards-Device-Id'], 'dev-1');
  const get = W.requestInit('GET', 'tok', null, null, null, null);
  assert.equal(get.headers['Rewards-Device-Id'], undefined);
});

test('both languages name every game text', () => {
  const keys = ['scratchPlay', 'scratchCard', 'scratchHere', 'scratchReveal', 'scratchReady',
    'envelopes', 'envelope', 'envelopeOpened', 'rateLimited', 'playBlocked'];
  for (const lang of ['vi', 'en']) {
    for (const k of keys) { assert.ok(W.DICT[lang][k], lang + '.' + k); }
  }
  assert.equal(W.fmt(W.DICT.vi.envelope, { n: 3 }), 'Bao lì xì 3');
});
