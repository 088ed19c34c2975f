// Loads console/src files the way the server serves console.js: put together in one
// function scope, in strict mode. Returns what they declare at their top level, so a
// test can call the pure helpers without a page.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const SRC = path.join(__dirname, '..', 'src');

// Top-level declarations: the sources keep them at the start of a line, and
// everything nested is indented.
function topLevelNames(code) {
  return [...code.matchAll(/^(?:function\s+(\w+)|var\s+(\w+))/gm)].map((m) => m[1] || m[2]);
}

function read(file) { return fs.readFileSync(path.join(SRC, file), 'utf8'); }

function load(...files) {
  const code = files.map(read).join('\n');
  const names = topLevelNames(code);
  // eslint-disable-next-line no-new-func -- the test runs the sources as the page does
  return new Function(`'use strict';\n${code}\nreturn { ${names.join(', ')} };`)();
}

// Every source file, relative to console/src, sorted.
function sources(dir = SRC) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) { return sources(full); }
    return e.name.endsWith('.js') ? [path.relative(SRC, full).split(path.sep).join('/')] : [];
  }).sort();
}

module.exports = { load, read, sources, topLevelNames };
