/* Formatting and parsing with no page behind them: texts with {name} holes, money in
 * a currency's minor unit, numbers, dates, the new-campaign form's values. The
 * locale is passed in (state.js gives the page's); console/test/ runs these under
 * node. */

function interpolate(text, vars) {
  return String(text).replace(/\{(\w+)\}/g, function (m, name) {
    return vars && vars[name] !== undefined ? String(vars[name]) : m;
  });
}

function localeOf(lang) { return lang === 'vi' ? 'vi-VN' : 'en-GB'; }

/* How many minor units the currency has: VND 0, USD 2 (0 for a code Intl rejects). */
function digits(currency) {
  try {
    return new Intl.NumberFormat('en', {style: 'currency', currency: currency})
      .resolvedOptions().maximumFractionDigits;
  } catch (e) { return 0; }
}

/* `amount` in minor units, shown in the major unit: 1250 USD is $12.50. */
function formatMoney(amount, currency, loc) {
  var d = digits(currency);
  try {
    return new Intl.NumberFormat(loc, {style: 'currency', currency: currency,
      minimumFractionDigits: d, maximumFractionDigits: d}).format((amount || 0) / Math.pow(10, d));
  } catch (e) { return String(amount) + ' ' + currency; }
}

/* A chart's axis tick: 2,500,000 VND is "2.5M". */
function formatCompact(amount, currency, loc) {
  return new Intl.NumberFormat(loc, {notation: 'compact', maximumFractionDigits: 1})
    .format((amount || 0) / Math.pow(10, digits(currency)));
}

function formatNumber(n, loc) { return new Intl.NumberFormat(loc).format(n || 0); }

function formatPercent(f, decimals, loc) {
  return new Intl.NumberFormat(loc, {style: 'percent',
    maximumFractionDigits: decimals === undefined ? 1 : decimals}).format(f || 0);
}

function formatWhen(iso, loc) {
  if (!iso) return '—';
  var d = new Date(iso);
  if (isNaN(d)) return iso;
  return new Intl.DateTimeFormat(loc, {dateStyle: 'medium', timeStyle: 'short'}).format(d);
}

/* A report period's label, in the campaign's zone (the browser's when it does not
 * know that zone): "12 Feb" by day, "12 Feb, 14" by hour. */
function formatPeriod(iso, granularity, zone, loc) {
  var d = new Date(iso);
  if (isNaN(d)) return iso;
  var o = granularity === 'hour' ? {month: 'short', day: 'numeric', hour: '2-digit'} : {month: 'short', day: 'numeric'};
  try { o.timeZone = zone; return new Intl.DateTimeFormat(loc, o).format(d); } catch (e) {
    delete o.timeZone; return new Intl.DateTimeFormat(loc, o).format(d);
  }
}

/* "12.50" in the currency's major unit → 1250 minor units; NaN when not a number. */
function toMinor(text, currency) {
  var clean = String(text || '').trim().replace(/[\s_]/g, '');
  if (!clean) return NaN;
  var d = digits(currency);
  if (d === 0) clean = clean.replace(/[.,]/g, '');
  else clean = clean.replace(/,/g, '');
  if (!/^\d+(\.\d+)?$/.test(clean)) return NaN;
  return Math.round(parseFloat(clean) * Math.pow(10, d));
}

/* A date as a datetime-local input's value, in the browser's zone. */
function localInput(date) {
  var p = function (n) { return (n < 10 ? '0' : '') + n; };
  return date.getFullYear() + '-' + p(date.getMonth() + 1) + '-' + p(date.getDate()) + 'T' +
    p(date.getHours()) + ':' + p(date.getMinutes());
}

/* A datetime-local input's value as the API's UTC timestamp; null when empty or invalid. */
function isoFromLocal(value) {
  if (!value) return null;
  var d = new Date(value);
  return isNaN(d) ? null : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/* A segment id from its label ("Giải Nhất" → "giai-nhat"), unique among `used`,
 * which it records. */
function slug(label, used) {
  var base = String(label).normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd')
    .toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'segment';
  var id = base, n = 2;
  while (used[id]) id = base + '-' + (n++);
  used[id] = true;
  return id;
}

/* A bulk-issue CSV before it is sent: its rows and the total of its `amount` column
 * (minor units). A preview only: the API checks every row. */
function csvSummary(text, currency) {
  var lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter(function (l) { return l.trim(); });
  if (!lines.length) return {rows: 0, total: 0};
  var head = lines[0].split(',').map(function (s) { return s.trim().toLowerCase().replace(/^"|"$/g, ''); });
  var at = head.indexOf('amount');
  var total = 0;
  lines.slice(1).forEach(function (l) {
    var v = parseInt((l.split(',')[at] || '').replace(/"/g, ''), 10);
    if (v > 0) total += v;
  });
  return {rows: lines.length - 1, total: total, hasAmount: at >= 0, currency: currency};
}
