// console/src/format.js: the delivery settings and branding forms' bodies.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { load } = require('./load.js');

const F = load('format.js');

test('delivery: channels keep the order chosen, blanks dropped', () => {
  const made = F.deliveryBody({ channels: ['sms', '', 'email'], locale: 'en', where: '  All stores ' });
  assert.deepEqual(made.body, { channels: ['sms', 'email'], reminder_days_before_expiry: null,
    locale: 'en', where_to_use: 'All stores' });
  assert.deepEqual(F.deliveryBody({ channels: ['', '', ''] }).body.channels, []);
});

test('delivery: a channel chosen twice, half a window or a bad reminder is refused', () => {
  assert.equal(F.deliveryBody({ channels: ['zalo', 'zalo'] }).error, 'delivery.errTwice');
  assert.equal(F.deliveryBody({ from: '08:00' }).error, 'delivery.errWindow');
  assert.equal(F.deliveryBody({ from: '8:00', to: '21:00' }).error, 'delivery.errWindow');
  assert.equal(F.deliveryBody({ reminder: '0' }).error, 'delivery.errReminder');
  assert.equal(F.deliveryBody({ reminder: '2.5' }).error, 'delivery.errReminder');
  assert.equal(F.deliveryBody({ reminder: '366' }).error, 'delivery.errReminder');
});

test('delivery: a full form', () => {
  assert.deepEqual(F.deliveryBody({ channels: ['zalo', 'sms', 'email'], from: '08:00', to: '21:00',
    reminder: ' 3 ', locale: 'vi', where: '' }).body, {
    channels: ['zalo', 'sms', 'email'], send_window: { from: '08:00', to: '21:00' },
    reminder_days_before_expiry: 3, locale: 'vi', where_to_use: null });
});

test('branding: empty logo and colour are none; a colour is upper-cased', () => {
  assert.deepEqual(F.brandingBody({ name: ' Acme ', logo: '', colour: '#0b5cad' }).body,
    { display_name: 'Acme', logo_url: null, colour: '#0B5CAD' });
  assert.equal(F.brandingBody({ name: '' }).error, 'branding.errName');
  assert.equal(F.brandingBody({ name: 'A', logo: 'http://x.vn/l.png' }).error, 'branding.errLogo');
  assert.equal(F.brandingBody({ name: 'A', logo: 'https://x.vn/"a' }).error, 'branding.errLogo');
  assert.equal(F.brandingBody({ name: 'A', colour: 'red' }).error, 'branding.errColour');
});
