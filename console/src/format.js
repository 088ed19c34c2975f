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

/* Does this browser know the IANA zone? */
function zoneKnown(zone) {
  if (!zone) return false;
  try { new Intl.DateTimeFormat('en', {timeZone: zone}).format(0); return true; } catch (e) { return false; }
}

/* An instant for a person: the month as a word (no 01/02 to read two ways) and, in
 * the campaign's zone when given, the zone named ("31 Dec 2030, 23:59 GMT+7"). */
function formatWhen(iso, loc, zone) {
  if (!iso) return '—';
  var d = new Date(iso);
  if (isNaN(d)) return iso;
  var o = {day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'};
  if (zoneKnown(zone)) { o.timeZone = zone; o.timeZoneName = 'short'; }
  return new Intl.DateTimeFormat(loc, o).format(d);
}

/* The wall clock of `date` in `zone`: {y, mo, d, h, mi, s} (mo from 1). */
function wallClock(date, zone) {
  var parts = {};
  new Intl.DateTimeFormat('en-GB', {timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit'}).formatToParts(date)
    .forEach(function (p) { parts[p.type] = parseInt(p.value, 10); });
  return {y: parts.year, mo: parts.month, d: parts.day, h: parts.hour % 24, mi: parts.minute, s: parts.second};
}

/* A gift's expiry as the last minute it is valid, in the campaign's zone: it expires
 * at the midnight that ends its last day, and "2 Jan, 00:00" reads as a day too many. */
function formatUntil(iso, loc, zone) {
  var d = new Date(iso);
  if (!iso || isNaN(d) || !zoneKnown(zone)) return formatWhen(iso, loc, zone);
  var w = wallClock(d, zone);
  var midnight = w.h === 0 && w.mi === 0 && w.s === 0;
  return formatWhen(midnight ? new Date(d.getTime() - 60000).toISOString() : iso, loc, zone);
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

/* A date as a datetime-local input's value, on the wall clock of `zone` (the
 * campaign's, which the form names beside its dates; not the browser's). */
function zonedInput(date, zone) {
  var p = function (n) { return (n < 10 ? '0' : '') + n; };
  var w = wallClock(date, zone);
  return w.y + '-' + p(w.mo) + '-' + p(w.d) + 'T' + p(w.h) + ':' + p(w.mi);
}

/* A datetime-local input's value, read on the wall clock of `zone`, as the API's UTC
 * timestamp; null when empty, invalid or the zone is unknown. A time that does not
 * exist there (clocks jumping forward) lands just after the jump. */
function isoFromZoned(value, zone) {
  var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value || '');
  if (!m || !zoneKnown(zone)) return null;
  var want = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  var offsetAt = function (t) {
    var w = wallClock(new Date(t), zone);
    return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - t;
  };
  var t = want - offsetAt(want);
  t = want - offsetAt(t); // again at the found instant: right across a change of offset
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/* One problem of a refused CSV (`{field: "rows[3].phone", message}` from the API,
 * whose messages are English) as a sentence in the page's language, from its field
 * and the kind of message; `tr(key, vars)` gives the texts. null when it is not a
 * CSV problem. */
function csvErrorText(e, tr) {
  var field = String((e && e.field) || '');
  var message = String((e && e.message) || '');
  if (field === 'body' && /UTF-8/.test(message)) return tr('csv.err.encoding');
  var m = /^rows\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (!m) return null;
  var v = {line: m[1]};
  var column = m[2];
  if (column === 'amount') return tr(/is required/.test(message) ? 'csv.err.amountMissing' : 'csv.err.amount', v);
  if (column === 'phone' || column === 'email' || column === 'reference') return tr('csv.err.' + column, v);
  var found;
  if (/header row/.test(message) && /column/.test(message) && /at most/.test(message)) return tr('csv.err.wideHeader', v);
  if (/must be a header row/.test(message)) return tr('csv.err.header', v);
  if ((found = /unknown column\(s\) (.*?); allowed/.exec(message))) return tr('csv.err.unknown', {line: v.line, columns: found[1]});
  if ((found = /named twice: (.*)$/.exec(message))) return tr('csv.err.twice', {line: v.line, columns: found[1]});
  if ((found = /at most (\d+) rows/.exec(message))) return tr('csv.err.tooMany', {line: v.line, n: found[1]});
  if (/the CSV is empty/.test(message)) return tr('csv.err.empty');
  if (/header but no rows/.test(message)) return tr('csv.err.noRows');
  if (/column with no header/.test(message)) return tr('csv.err.stray', v);
  if (/malformed/.test(message)) return tr('csv.err.malformed', v);
  return tr('csv.err.other', {line: v.line, message: message.replace(/^line \d+: /, '')});
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

/* The campaign's `delivery` from the delivery form's values: the channels in the order
 * chosen (blanks dropped; a channel chosen twice is an error), the send window only
 * when both ends are set, the reminder a whole number of days or none. Returns
 * {body} or {error: a text key}. */
function deliveryBody(v) {
  var channels = (v.channels || []).filter(function (c) { return !!c; });
  if (channels.some(function (c, i) { return channels.indexOf(c) !== i; })) return {error: 'delivery.errTwice'};
  var body = {channels: channels};
  if (v.from || v.to) {
    if (!/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(v.from || '') || !/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(v.to || '')) {
      return {error: 'delivery.errWindow'};
    }
    body.send_window = {from: v.from, to: v.to};
  }
  var days = String(v.reminder || '').trim();
  if (days) {
    if (!/^[0-9]{1,3}$/.test(days) || +days < 1 || +days > 365) return {error: 'delivery.errReminder'};
    body.reminder_days_before_expiry = +days;
  } else {
    body.reminder_days_before_expiry = null;
  }
  body.locale = v.locale === 'en' ? 'en' : 'vi';
  var where = String(v.where || '').trim();
  body.where_to_use = where || null;
  return {body: body};
}

/* The branding body from its form: an empty logo or colour is none. */
function brandingBody(v) {
  var name = String(v.name || '').trim();
  if (!name) return {error: 'branding.errName'};
  var logo = String(v.logo || '').trim();
  if (logo && !/^https:\/\/[^\s"'<>\\]+$/.test(logo)) return {error: 'branding.errLogo'};
  var colour = String(v.colour || '').trim();
  if (colour && !/^#[0-9a-fA-F]{6}$/.test(colour)) return {error: 'branding.errColour'};
  return {body: {display_name: name, logo_url: logo || null, colour: colour ? colour.toUpperCase() : null}};
}
