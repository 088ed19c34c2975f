// Shared by the widget's tests: the pure helpers (wheel.js exports them under node,
// where there is no window), a canvas-context stand-in and a seeded random source.
'use strict';

const W = require('../wheel.js');

// Measures text as a monospace font would: each character `ratio` of the font size.
// `font` is read the way a canvas context takes it ('600 12.5px ...').
function fakeContext(ratio = 0.6) {
  return {
    font: '10px sans-serif',
    measureText(text) {
      const size = parseFloat(/(\d+(?:\.\d+)?)px/.exec(this.font)[1]);
      return { width: text.length * size * ratio };
    }
  };
}

// Deterministic pseudo-random numbers in [0, 1) (mulberry32), for property loops
// that fail the same way every time.
function seeded(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

module.exports = { W, fakeContext, seeded };
