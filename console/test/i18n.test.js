// console/i18n.js: both languages say everything, so a Vietnamese console never falls
// back to English text (or to a key) where the English one has a sentence.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

function loadTexts() {
  const window = {};
  const code = fs.readFileSync(path.join(__dirname, '..', 'i18n.js'), 'utf8');
  // eslint-disable-next-line no-new-func -- runs the file as the page does
  new Function('window', code)(window);
  return window.RC_I18N;
}

const TEXTS = loadTexts();

test('Vietnamese and English have the same keys', () => {
  const en = Object.keys(TEXTS.en).sort();
  const vi = Object.keys(TEXTS.vi).sort();
  assert.deepEqual(en.filter((k) => !vi.includes(k)), [], 'missing in vi');
  assert.deepEqual(vi.filter((k) => !en.includes(k)), [], 'missing in en');
});

test('each text keeps the {holes} of the other language', () => {
  const holes = (s) => (s.match(/\{\w+\}/g) || []).sort();
  for (const key of Object.keys(TEXTS.en)) {
    assert.deepEqual(holes(TEXTS.vi[key] || ''), holes(TEXTS.en[key]), key);
  }
});
