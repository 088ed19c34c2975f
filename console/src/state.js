/* The page's state: the texts and charts (i18n.js, charts.js), where the API is, the
 * key and language slots, the view, and the page's language for the formatters of
 * format.js.
 *
 * Rules the console keeps (console/README.md):
 * - the partner's API key lives only in this tab's sessionStorage and is sent only
 *   to this origin, in the Authorization header: never in a URL, never in a
 *   download link (downloads are fetched, then saved from a Blob);
 * - every POST that moves money carries an Idempotency-Key, and a retry of the same
 *   action (same form, same values, outcome unknown) sends the same key again;
 * - no inline script, no eval, no innerHTML with data: every node is built here;
 * - sections for endpoints an older deployment may lack (exports, results report,
 *   webhooks, a gift's history and QR, the report's series) are shown when the
 *   API's OpenAPI document lists them, as every current API does.
 */

var TEXTS = window.RC_I18N;
var CHARTS = window.RC_CHARTS;
var BASE = apiBase(location.pathname);  // "/v1" (or "/stage/v1")
var KEY_SLOT = 'rewards.console.key';
var LANG_SLOT = 'rewards.console.lang';
var view = document.getElementById('view');
var statusBox = document.getElementById('status');

var state = {
  lang: pickLang(),
  key: sessionStorage.getItem(KEY_SLOT) || '',
  paths: null,  // the OpenAPI document's paths, once probed
  notice: '',   // a message to show on the next render (e.g. "key rejected")
  draft: null   // the new-campaign form as last typed (kept across a language switch)
};

function pickLang() {
  var saved = null;
  try { saved = localStorage.getItem(LANG_SLOT); } catch (e) { /* private mode */ }
  if (saved === 'vi' || saved === 'en') return saved;
  return /^en\b/i.test(navigator.language || '') ? 'en' : 'vi';
}

/* The text `key` in the page's language (English, then the key itself, when missing). */
function t(key, vars) {
  var text = (TEXTS[state.lang] && TEXTS[state.lang][key]);
  if (text === undefined) text = TEXTS.en[key];
  if (text === undefined) text = key;
  return interpolate(text, vars);
}

function locale() { return localeOf(state.lang); }

function money(amount, currency) { return formatMoney(amount, currency, locale()); }

function compactMoney(currency) {
  return function (amount) { return formatCompact(amount, currency, locale()); };
}

function number(n) { return formatNumber(n, locale()); }

function percent(f, decimals) { return formatPercent(f, decimals, locale()); }

/* An instant, in the campaign's zone `zone` (named) when given. */
function when(iso, zone) { return formatWhen(iso, locale(), zone); }

/* A gift's expiry: the last minute it is valid, in the campaign's zone. */
function until(iso, zone) { return formatUntil(iso, locale(), zone); }
