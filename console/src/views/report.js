/* A campaign's report: the figures, charts (day by day or hour by hour once the
 * report has a series, today's totals until then), and the fairness check. */

function drawReport(c, path, card, fair, granularity) {
  var series = reportTakesGranularity();
  var box = h('div', {'data-report': 'loading'});
  card.appendChild(box);
  return api('GET', withQuery(path + '/report', {granularity: series ? granularity : null})).then(function (r) {
    var rep = r.data;
    box.setAttribute('data-report', 'ready');
    box.appendChild(reportStats(c, rep));
    var chartBox = h('div', {class: 'chart-area'});
    box.appendChild(chartBox);
    if (rep.series && rep.series.length) {
      chartBox.appendChild(granularityToggle(granularity, function (gr) {
        clear(card).appendChild(h('h2', {id: 'report-h', text: t('report.title')}));
        if (fair) clear(fair).appendChild(h('h2', {id: 'fair-h', text: t('fair.title')}));
        drawReport(c, path, card, fair, gr);
      }));
      seriesCharts(chartBox, c, rep.series, granularity);
    } else {
      totalsChart(chartBox, c, rep.gifts);
    }
    if (fair && c.wheel) drawFairness(c, rep, fair);
  }, function (err) {
    box.setAttribute('data-report', 'error');
    box.appendChild(alertBox(err.status === 403 ? t('report.scope') : problemText(err)));
  });
}

/* Redeemed is net of reversals in the totals and the series alike (the API's one
 * rule); the reversals are named beside it when there are any. */
function reportStats(c, rep) {
  var g = rep.gifts;
  var redeemed = money(g.redeemed.amount, c.currency);
  if (g.reversed && g.reversed.count) redeemed += ' · ' + t('report.netOf', {amount: money(g.reversed.amount, c.currency)});
  return h('div', {class: 'stats'}, [
    stat(t('report.issued'), number(g.issued.count), money(g.issued.amount, c.currency), 'issued'),
    stat(t('report.redeemed'), number(g.redeemed.count), redeemed, 'redeemed'),
    stat(t('report.voided'), number(g.voided.count), money(g.voided.amount, c.currency), 'voided'),
    stat(t('report.expired'), number(g.expired.count), money(g.expired.amount, c.currency), 'expired'),
    stat(t('report.rate'), percent(rep.redemption_rate, 1), t('report.rateHint'), 'rate'),
    stat(t('report.spins'), number(rep.spins.count), t('report.wins', {n: number(rep.spins.wins)}), 'spins')]);
}

function stat(label, value, sub, name) {
  return h('div', {class: 'stat', 'data-stat': name}, [
    h('span', {class: 'stat-label', text: label}),
    h('span', {class: 'stat-value', text: value}),
    h('span', {class: 'stat-sub', text: sub})]);
}

/* Day / hour buttons; choose(granularity) redraws the report. */
function granularityToggle(granularity, choose) {
  return h('div', {class: 'seg-toggle', role: 'group', 'aria-label': t('report.granularity')},
    ['day', 'hour'].map(function (gr) {
      var b = h('button', {type: 'button', 'aria-pressed': gr === granularity ? 'true' : 'false',
        text: t('report.by.' + gr)});
      b.addEventListener('click', function () { choose(gr); });
      return b;
    }));
}

function seriesCharts(chartBox, c, series, granularity) {
  var fmt = function (v) { return money(v, c.currency); };
  var cats = series.map(function (p) { return formatPeriod(p.period_start, granularity, c.timezone, locale()); });
  CHARTS.lines(chartBox, {name: 'series-money', title: t('chart.money'), categoryTitle: t('chart.period'),
    summary: t('chart.money.summary', {n: series.length}), categories: cats, format: fmt,
    tick: compactMoney(c.currency), showData: t('chart.showData'), series: [
      {name: t('report.issued'), values: series.map(function (p) { return p.issued.amount; })},
      {name: t('report.redeemedNet'), values: series.map(function (p) { return p.redeemed.amount; })}]});
  if (!c.wheel) return;
  CHARTS.bars(chartBox, {name: 'series-spins', title: t('chart.spins'), categoryTitle: t('chart.period'),
    summary: t('chart.spins.summary'), categories: cats, format: number, showData: t('chart.showData'),
    series: [
      {name: t('report.spins'), values: series.map(function (p) { return p.spins || 0; })},
      {name: t('chart.winsName'), values: series.map(function (p) { return p.wins || 0; }), color: 2},
      {name: t('chart.players'), values: series.map(function (p) { return p.players || 0; }), color: 3}]});
}

/* Until the report has a series: today's totals, and a note saying so. */
function totalsChart(chartBox, c, g) {
  CHARTS.bars(chartBox, {name: 'totals', title: t('chart.totals'), categoryTitle: t('chart.kind'),
    summary: t('chart.totals.summary', {issued: money(g.issued.amount, c.currency),
      redeemed: money(g.redeemed.amount, c.currency)}),
    categories: [t('report.issued'), t('report.redeemed'), t('report.voided'), t('report.expired')],
    format: function (v) { return money(v, c.currency); }, tick: compactMoney(c.currency), showData: t('chart.showData'),
    series: [{name: t('chart.amount', {cur: c.currency}),
      values: [g.issued.amount, g.redeemed.amount, g.voided.amount, g.expired.amount]}]});
  chartBox.appendChild(h('p', {class: 'hint', text: t('chart.noSeries')}));
}

/* Spins by segment, observed against the published odds, and a plain verdict
 * (odds.js, fairnessOf). */
function drawFairness(c, rep, card) {
  var n = rep.spins.count;
  var check = fairnessOf(c.wheel.segments, rep.spins.by_segment, n, c.wheel.fallback_segment_id);
  var rows = check.rows;
  card.appendChild(h('p', {class: 'hint', text: t('fair.lead')}));
  CHARTS.bars(card, {name: 'fairness', title: t('fair.chart'), categoryTitle: t('fair.segment'),
    summary: t('fair.chart.summary', {n: number(n)}), showData: t('chart.showData'),
    categories: rows.map(function (row) { return row.segment.label; }),
    format: function (v) { return percent(v, 1); }, tick: function (v) { return percent(v, 0); }, ceiling: 1,
    series: [{name: t('fair.published'), values: rows.map(function (row) { return row.published; }), color: 4},
      {name: t('fair.observed'), values: rows.map(function (row) { return row.observed; }), color: 0}]});
  var table = h('table', {class: 'list', 'data-list': 'fairness'}, [
    h('caption', {class: 'sr-only', text: t('fair.chart')}),
    h('thead', {}, h('tr', {}, [t('fair.segment'), t('fair.published'), t('fair.expected'), t('fair.count'),
      t('fair.observed')].map(function (x, i) { return h('th', {scope: 'col', class: i ? 'num' : null, text: x}); }))),
    h('tbody', {}, rows.map(function (row) {
      return h('tr', {'data-segment': row.segment.id}, [
        h('th', {scope: 'row', text: row.segment.label}),
        h('td', {class: 'num', text: percent(row.published, 2)}),
        h('td', {class: 'num', text: number(Math.round(row.expected))}),
        h('td', {class: 'num', text: number(row.got)}),
        h('td', {class: 'num' + (row.off ? ' off' : ''), text: percent(row.observed, 1)})]);
    }))]);
  card.appendChild(h('div', {class: 'scroll'}, table));
  var verdict = {few: t('fair.few', {n: number(n)}), off: t('fair.off'), ok: t('fair.ok', {n: number(n)})};
  card.appendChild(h('p', {class: 'verdict', 'data-verdict': check.verdict, text: verdict[check.verdict]}));
  card.appendChild(h('p', {class: 'hint', text: t('fair.fallbackNote')}));
}
