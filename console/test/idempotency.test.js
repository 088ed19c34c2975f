// console/src/idempotency.js: one key per action, reused only while the outcome of
// the last attempt is unknown.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('./load.js');

const I = load('idempotency.js');

function ring() {
  let n = 0;
  return I.createKeyring(() => `key-${++n}`);
}

test('a retry after an unknown outcome sends the same key', () => {
  for (const err of [{ network: true, status: 0 }, { status: 500 }, { status: 503 },
    { status: 409, code: 'idempotency_in_progress' }]) {
    const keys = ring();
    const first = keys.key('topup:c1', { amount: 5000 });
    keys.settle('topup:c1', err);
    assert.equal(keys.key('topup:c1', { amount: 5000 }), first, JSON.stringify(err));
  }
});

test('a definite answer retires the key: the next attempt is a new request', () => {
  for (const err of [null, { status: 400, code: 'validation_error' }, { status: 409, code: 'budget_exhausted' },
    { status: 401 }, { status: 404 }]) {
    const keys = ring();
    const first = keys.key('issue:c1', { amount: 1 });
    keys.settle('issue:c1', err);
    assert.notEqual(keys.key('issue:c1', { amount: 1 }), first, JSON.stringify(err));
  }
});

test('other values are another request; each action has its own key', () => {
  const keys = ring();
  const a = keys.key('topup:c1', { amount: 5000 });
  assert.equal(keys.key('topup:c1', { amount: 5000 }), a); // still pending: same key
  const b = keys.key('topup:c1', { amount: 6000 });
  assert.notEqual(b, a);
  assert.notEqual(keys.key('topup:c2', { amount: 6000 }), b);
  assert.equal(keys.key('topup:c1', { amount: 6000 }), b);
});

test('a CSV is its own signature', () => {
  const keys = ring();
  const csv = 'amount\n50000\n';
  const a = keys.key('bulk:c1', csv);
  keys.settle('bulk:c1', { network: true });
  assert.equal(keys.key('bulk:c1', csv), a);
  assert.notEqual(keys.key('bulk:c1', csv + '20000\n'), a);
});

test('signing out forgets every pending key', () => {
  const keys = ring();
  const a = keys.key('void:CODE', {});
  keys.settle('void:CODE', { status: 502 });
  keys.reset();
  assert.notEqual(keys.key('void:CODE', {}), a);
});

test('outcomeUnknown', () => {
  assert.equal(I.outcomeUnknown(null), false);
  assert.equal(I.outcomeUnknown(undefined), false);
  assert.equal(I.outcomeUnknown({ status: 499 }), false);
  assert.equal(I.outcomeUnknown({ status: 500 }), true);
});
