/* The console's charts: small, dependency-free SVG drawings.
 *
 * Each chart is a <figure> holding an SVG (role="img", named by its title and a
 * one-line summary a screen reader reads out) and a data table under a
 * "Show the figures" disclosure, so nothing a chart says is only in its pixels.
 * No inline style attributes (the console's CSP has no 'unsafe-inline'): colours
 * come from classes in console.css.
 */
(function () {
  'use strict';

  var NS = 'http://www.w3.org/2000/svg';
  var uid = 0;

  function svgEl(tag, attrs, text) {
    var el = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  /* A top for the axis that gives 4 round steps (1, 2 or 5 times a power of ten). */
  function niceMax(v) {
    if (!(v > 0)) return 4;
    var raw = v / 4;
    var p = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= raw - 1e-12) return 4 * steps[i] * p;
    return 40 * p;
  }

  /* The value axis of a chart: {min, max, ticks}. Starts at 0 unless a value is
   * below it (a period's redeemed amount net of more reversals than redemptions),
   * then steps of the same round size on both sides of 0. `ceiling` caps the top for
   * figures that cannot pass it (shares: 1 = 100 %), so an axis never runs to 200 %. */
  function scale(values, ceiling) {
    var lo = 0, hi = 0;
    values.forEach(function (v) { lo = Math.min(lo, v || 0); hi = Math.max(hi, v || 0); });
    if (lo >= 0) {
      var top = niceMax(hi);
      if (ceiling !== undefined && hi <= ceiling && top > ceiling) top = ceiling;
      return {min: 0, max: top, ticks: [0, 1, 2, 3, 4].map(function (i) { return top * i / 4; })};
    }
    var step = niceMax(hi - lo) / 4;
    var min = Math.floor(lo / step + 1e-9) * step, max = Math.ceil(hi / step - 1e-9) * step;
    var ticks = [];
    for (var i = 0; min + i * step <= max + step / 2; i++) ticks.push(Math.round((min + i * step) / step) * step);
    return {min: min, max: max, ticks: ticks};
  }

  function allValues(series) {
    return series.reduce(function (all, s) { return all.concat(s.values); }, []);
  }

  function short(label, n) {
    label = String(label);
    return label.length > n ? label.slice(0, n - 1) + '…' : label;
  }

  function widthOf(container) {
    var w = container && container.clientWidth ? container.clientWidth : 600;
    return Math.max(300, Math.min(1100, w));
  }

  /* The figures behind a chart, as a table (inside a disclosure). */
  function dataTable(opts) {
    var head = el('tr', {}, [el('th', {scope: 'col', text: opts.categoryTitle || ''})]);
    opts.series.forEach(function (s) { head.appendChild(el('th', {scope: 'col', text: s.name})); });
    var body = el('tbody');
    opts.categories.forEach(function (c, i) {
      var row = el('tr', {}, [el('th', {scope: 'row', text: String(c)})]);
      opts.series.forEach(function (s) {
        row.appendChild(el('td', {class: 'num', text: (s.format || opts.format)(s.values[i])}));
      });
      body.appendChild(row);
    });
    var table = el('table', {class: 'data'}, [el('thead', {}, [head]), body]);
    return el('details', {class: 'figures'}, [
      el('summary', {text: opts.showData || 'Show the figures'}),
      el('div', {class: 'scroll'}, [table])]);
  }

  function legend(series) {
    var list = el('ul', {class: 'legend', 'aria-hidden': 'true'});
    series.forEach(function (s, i) {
      list.appendChild(el('li', {}, [el('span', {class: 'swatch c' + (s.color === undefined ? i : s.color)}),
        s.name]));
    });
    return list;
  }

  function frame(opts, w, h) {
    var id = 'chart-' + (++uid);
    var svg = svgEl('svg', {viewBox: '0 0 ' + w + ' ' + h, width: w, height: h, role: 'img',
      'aria-labelledby': id + '-t ' + id + '-d', class: 'chart', focusable: 'false'});
    svg.appendChild(svgEl('title', {id: id + '-t'}, opts.title));
    svg.appendChild(svgEl('desc', {id: id + '-d'}, opts.summary || ''));
    return svg;
  }

  /* The grid and tick labels; returns where a value sits on the y axis. */
  function axis(svg, left, top, plotW, plotH, sc, format) {
    var yAt = function (v) { return top + plotH - plotH * ((v || 0) - sc.min) / (sc.max - sc.min); };
    sc.ticks.forEach(function (v) {
      var y = yAt(v);
      svg.appendChild(svgEl('line', {x1: left, x2: left + plotW, y1: y, y2: y, class: 'grid'}));
      svg.appendChild(svgEl('text', {x: left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick'},
        format(v)));
    });
    return yAt;
  }

  /* Grouped vertical bars: categories along x, one bar per series, each drawn from 0
   * (up, or down for a value below it). `opts.ceiling`: see scale. */
  function bars(container, opts) {
    var w = widthOf(container), h = opts.height || 260;
    var left = 64, right = 12, top = 14, bottom = 46;
    var plotW = w - left - right, plotH = h - top - bottom;
    var svg = frame(opts, w, h);
    var yAt = axis(svg, left, top, plotW, plotH, scale(allValues(opts.series), opts.ceiling),
      opts.tick || opts.format);
    var zero = yAt(0);
    var n = opts.categories.length, k = opts.series.length;
    var group = plotW / Math.max(1, n), gap = Math.min(24, group * 0.2);
    var barW = Math.max(2, (group - gap) / k);
    var every = Math.max(1, Math.ceil(n / Math.floor(plotW / 70)));
    opts.categories.forEach(function (c, i) {
      var x0 = left + i * group + gap / 2;
      opts.series.forEach(function (s, j) {
        var v = s.values[i] || 0;
        var y = yAt(v);
        var rect = svgEl('rect', {x: x0 + j * barW, y: Math.min(y, zero), width: Math.max(1, barW - 2),
          height: Math.abs(zero - y), class: 'bar c' + (s.color === undefined ? j : s.color),
          'data-value': v});
        rect.appendChild(svgEl('title', {}, c + ' · ' + s.name + ': ' + (s.format || opts.format)(v)));
        svg.appendChild(rect);
      });
      if (i % every === 0) {
        svg.appendChild(svgEl('text', {x: x0 + (group - gap) / 2, y: top + plotH + 18,
          'text-anchor': 'middle', class: 'tick'}, short(c, Math.max(6, Math.floor(group / 7)))));
      }
    });
    svg.appendChild(svgEl('line', {x1: left, x2: left + plotW, y1: zero, y2: zero, class: 'axis'}));
    return figure(container, opts, svg);
  }

  /* Lines over time: categories are periods. One period makes no line (a lone dot
   * per series, floating), so it is drawn as bars. */
  function lines(container, opts) {
    if (opts.categories.length < 2) return bars(container, opts);
    var w = widthOf(container), h = opts.height || 260;
    var left = 64, right = 24, top = 14, bottom = 46;
    var plotW = w - left - right, plotH = h - top - bottom;
    var svg = frame(opts, w, h);
    var yAt = axis(svg, left, top, plotW, plotH, scale(allValues(opts.series), opts.ceiling),
      opts.tick || opts.format);
    var n = opts.categories.length;
    var step = plotW / (n - 1);
    var xAt = function (i) { return left + i * step; };
    opts.series.forEach(function (s, j) {
      var cls = 'c' + (s.color === undefined ? j : s.color);
      var pts = s.values.map(function (v, i) { return xAt(i) + ',' + yAt(v); }).join(' ');
      svg.appendChild(svgEl('polyline', {points: pts, class: 'line ' + cls}));
      s.values.forEach(function (v, i) {
        var dot = svgEl('circle', {cx: xAt(i), cy: yAt(v), r: n > 48 ? 1.5 : 3, class: 'dot ' + cls,
          'data-value': v || 0});
        dot.appendChild(svgEl('title', {}, opts.categories[i] + ' · ' + s.name + ': ' +
          (s.format || opts.format)(v || 0)));
        svg.appendChild(dot);
      });
    });
    var every = Math.max(1, Math.ceil(n / Math.floor(plotW / 80)));
    opts.categories.forEach(function (c, i) {
      if (i % every === 0) {
        var anchor = i === n - 1 ? 'end' : i === 0 ? 'start' : 'middle';
        svg.appendChild(svgEl('text', {x: xAt(i), y: top + plotH + 18, 'text-anchor': anchor,
          class: 'tick'}, short(c, 12)));
      }
    });
    svg.appendChild(svgEl('line', {x1: left, x2: left + plotW, y1: yAt(0), y2: yAt(0), class: 'axis'}));
    return figure(container, opts, svg);
  }

  function figure(container, opts, svg) {
    var fig = el('figure', {class: 'chart-figure', 'data-chart': opts.name || ''});
    fig.appendChild(el('figcaption', {'aria-hidden': 'true', text: opts.caption || opts.title}));
    fig.appendChild(legend(opts.series));
    fig.appendChild(el('div', {class: 'chart-box'}, [svg]));
    fig.appendChild(dataTable(opts));
    container.appendChild(fig);
    return fig;
  }

  /* A half-circle gauge: spent out of total. */
  function gauge(container, opts) {
    var w = 220, h = 128, r = 90, cx = 110, cy = 112;
    var frac = opts.max > 0 ? Math.max(0, Math.min(1, opts.value / opts.max)) : 0;
    var svg = frame(opts, w, h);
    svg.setAttribute('class', 'gauge');
    var arc = function (f) {
      var a = Math.PI * (1 - f);
      return [cx + r * Math.cos(a), cy - r * Math.sin(a)];
    };
    var start = arc(0), end = arc(1), at = arc(frac);
    svg.appendChild(svgEl('path', {d: 'M' + start + ' A' + r + ',' + r + ' 0 0 1 ' + end,
      class: 'gauge-track'}));
    if (frac > 0) {
      svg.appendChild(svgEl('path', {d: 'M' + start + ' A' + r + ',' + r + ' 0 0 1 ' + at,
        class: 'gauge-fill' + (frac >= 0.9 ? ' warn' : '')}));
    }
    svg.appendChild(svgEl('text', {x: cx, y: cy - 14, 'text-anchor': 'middle', class: 'gauge-value'},
      Math.round(frac * 100) + '%'));
    var fig = el('figure', {class: 'gauge-figure', 'data-chart': 'budget'}, [svg]);
    if (opts.caption) fig.appendChild(el('figcaption', {text: opts.caption}));
    container.appendChild(fig);
    return fig;
  }

  window.RC_CHARTS = {bars: bars, lines: lines, gauge: gauge, scale: scale};
}());
