// console.js is console/src/ put together in one function scope (the server does it):
// the whole must parse in strict mode, no two files may declare the same top-level
// name (one would silently replace the other), and the pure files touch no page.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { load, read, sources, topLevelNames } = require('./load.js');

const PURE = ['format.js', 'routes.js', 'odds.js', 'idempotency.js'];

test('the sources put together parse in strict mode', () => {
  const files = sources();
  assert.ok(files.includes('main.js') && files.length > 10, files.join(', '));
  const code = files.map(read).join('\n');
  // eslint-disable-next-line no-new-func -- parsed only, never run here
  assert.doesNotThrow(() => new Function(`'use strict';\n${code}`));
});

test('no top-level name is declared twice across the sources', () => {
  const seen = new Map();
  for (const file of sources()) {
    for (const name of topLevelNames(read(file))) {
      assert.ok(!seen.has(name), `${name} is declared in ${seen.get(name)} and ${file}`);
      seen.set(name, file);
    }
  }
});

test('the pure files load with no window or document', () => {
  const helpers = load(...PURE);
  assert.equal(typeof helpers.toMinor, 'function');
  assert.equal(typeof helpers.routeOf, 'function');
  for (const file of PURE) {
    const code = read(file).replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, ''); // comments aside
    assert.doesNotMatch(code, /\b(window|document|location|sessionStorage|localStorage|fetch)\b/, file);
  }
});

test('only api.js calls the network, and only this API', () => {
  for (const file of sources()) {
    const calls = read(file).match(/\bfetch\(/g) || [];
    assert.equal(calls.length, file === 'api.js' ? 1 : 0, file);
  }
  assert.match(read('api.js'), /\bfetch\(BASE \+ path,/);
});
