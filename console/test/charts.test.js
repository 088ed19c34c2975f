// console/charts.js: the value axis (scale) and what a chart draws, on a minimal
// stand-in for the page's DOM (elements, attributes, children; nothing is laid out).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

class Node {
  constructor(tag) { this.tag = tag; this.attrs = {}; this.children = []; this.textContent = ''; }
  setAttribute(k, v) { this.attrs[k] = String(v); }
  getAttribute(k) { return this.attrs[k]; }
  appendChild(c) { this.children.push(c); return c; }
  all(tag) {
    return this.children.flatMap((c) => (typeof c === 'object' ? [...(c.tag === tag ? [c] : []), ...c.all(tag)] : []));
  }
}

function loadCharts() {
  const document = {
    createElement: (tag) => new Node(tag),
    createElementNS: (ns, tag) => new Node(tag),
    createTextNode: (text) => text,
  };
  const window = {};
  const code = fs.readFileSync(path.join(__dirname, '..', 'charts.js'), 'utf8');
  // eslint-disable-next-line no-new-func -- runs the file as the page does, with its globals
  new Function('window', 'document', code)(window, document);
  return window.RC_CHARTS;
}

const CHARTS = loadCharts();
const fmt = (v) => String(v);

test('an axis of shares stops at 100 %, even when one segment got every spin', () => {
  assert.deepEqual(CHARTS.scale([0.01, 0.2, 1, 0], 1).ticks, [0, 0.25, 0.5, 0.75, 1]);
  assert.equal(CHARTS.scale([0.01, 0.2, 0.79], 1).max, 0.8);
  assert.equal(CHARTS.scale([1], undefined).max, 2); // without a ceiling: the round step above
});

test('an axis with a value below 0 has round steps on both sides of 0', () => {
  const sc = CHARTS.scale([220000, -75000, 0]);
  assert.deepEqual(sc.ticks, [-100000, 0, 100000, 200000, 300000]);
  assert.equal(sc.min, -100000);
  assert.deepEqual(CHARTS.scale([0, 0]).ticks, [0, 1, 2, 3, 4]);
});

test('a series of one period is drawn as bars, not as lone dots', () => {
  const box = new Node('div');
  CHARTS.lines(box, {name: 'one', title: 't', categories: ['11 Feb'], format: fmt, series: [
    {name: 'issued', values: [120000]}, {name: 'redeemed', values: [75000]}]});
  const svg = box.all('svg')[0];
  const rects = svg.all('rect');
  assert.equal(rects.length, 2);
  assert.ok(rects.every((r) => Number(r.attrs.height) > 0), JSON.stringify(rects.map((r) => r.attrs)));
  assert.equal(svg.all('polyline').length, 0);
  const two = new Node('div');
  CHARTS.lines(two, {name: 'two', title: 't', categories: ['11 Feb', '12 Feb'], format: fmt,
    series: [{name: 'issued', values: [1, 2]}]});
  assert.equal(two.all('polyline').length, 1);
});

test('a bar below 0 hangs from the zero line', () => {
  const box = new Node('div');
  CHARTS.bars(box, {name: 'net', title: 't', categories: ['Mon', 'Tue'], format: fmt,
    series: [{name: 'redeemed', values: [220000, -75000]}]});
  const [up, down] = box.all('rect');
  const axis = box.all('line').find((l) => l.attrs.class === 'axis');
  const zero = Number(axis.attrs.y1);
  assert.equal(Number(up.attrs.y) + Number(up.attrs.height), zero);
  assert.equal(Number(down.attrs.y), zero);
  assert.ok(Number(down.attrs.height) > 0);
});
