/* The partner console: campaigns, their figures, gifts and bulk issuance, in one
 * page served by the API itself (GET /v1/console).
 *
 * Rules it keeps (console/README.md):
 * - the partner's API key lives only in this tab's sessionStorage and is sent only
 *   to this origin, in the Authorization header: never in a URL, never in a
 *   download link (downloads are fetched, then saved from a Blob);
 * - every POST that moves money carries an Idempotency-Key, and a retry of the same
 *   action (same form, same values, outcome unknown) sends the same key again;
 * - no inline script, no eval, no innerHTML with data: every node is built here;
 * - sections for endpoints that may not exist yet (exports, results report,
 *   webhooks, a gift's history and QR, the report's series) appear only when the
 *   API's OpenAPI document lists them.
 */
(function () {
  'use strict';

  var TEXTS = window.RC_I18N;
  var CHARTS = window.RC_CHARTS;
  var BASE = location.pathname.replace(/\/console\/?$/, '');  // "/v1" (or "/stage/v1")
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

  // ------------------------------------------------------------------ texts

  function pickLang() {
    var saved = null;
    try { saved = localStorage.getItem(LANG_SLOT); } catch (e) { /* private mode */ }
    if (saved === 'vi' || saved === 'en') return saved;
    return /^en\b/i.test(navigator.language || '') ? 'en' : 'vi';
  }

  function t(key, vars) {
    var text = (TEXTS[state.lang] && TEXTS[state.lang][key]);
    if (text === undefined) text = TEXTS.en[key];
    if (text === undefined) text = key;
    return String(text).replace(/\{(\w+)\}/g, function (m, name) {
      return vars && vars[name] !== undefined ? String(vars[name]) : m;
    });
  }

  function locale() { return state.lang === 'vi' ? 'vi-VN' : 'en-GB'; }

  function digits(currency) {
    try {
      return new Intl.NumberFormat('en', {style: 'currency', currency: currency})
        .resolvedOptions().maximumFractionDigits;
    } catch (e) { return 0; }
  }

  function money(amount, currency) {
    var d = digits(currency);
    try {
      return new Intl.NumberFormat(locale(), {style: 'currency', currency: currency,
        minimumFractionDigits: d, maximumFractionDigits: d}).format((amount || 0) / Math.pow(10, d));
    } catch (e) { return String(amount) + ' ' + currency; }
  }

  function compactMoney(currency) {
    var d = digits(currency);
    return function (amount) {
      return new Intl.NumberFormat(locale(), {notation: 'compact', maximumFractionDigits: 1})
        .format((amount || 0) / Math.pow(10, d));
    };
  }

  function number(n) { return new Intl.NumberFormat(locale()).format(n || 0); }

  function percent(f, decimals) {
    return new Intl.NumberFormat(locale(), {style: 'percent',
      maximumFractionDigits: decimals === undefined ? 1 : decimals}).format(f || 0);
  }

  function when(iso) {
    if (!iso) return '—';
    var d = new Date(iso);
    if (isNaN(d)) return iso;
    return new Intl.DateTimeFormat(locale(), {dateStyle: 'medium', timeStyle: 'short'}).format(d);
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

  // ------------------------------------------------------------------ DOM helpers

  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    attrs = attrs || {};
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'text') node.textContent = v;
      else if (k.slice(0, 2) === 'on' && typeof v === 'function') node.addEventListener(k.slice(2), v);
      else if (k === 'value') node.value = v;
      else node.setAttribute(k, v === true ? '' : v);
    });
    [].concat(children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.appendChild(typeof c === 'string' || typeof c === 'number'
        ? document.createTextNode(String(c)) : c);
    });
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  var fieldSeq = 0;
  function field(label, input, hint) {
    var id = input.id || ('f' + (++fieldSeq));
    input.id = id;
    var parts = [h('label', {for: id, text: label})];
    if (hint) {
      var hintId = id + '-hint';
      input.setAttribute('aria-describedby', hintId);
      parts.push(h('p', {class: 'hint', id: hintId, text: hint}));
    }
    parts.push(input);
    return h('div', {class: 'field'}, parts);
  }

  function announce(text) {
    statusBox.textContent = '';
    setTimeout(function () { statusBox.textContent = text; }, 30);
  }

  function alertBox(message, kind) {
    return h('div', {class: 'notice ' + (kind || 'error'), role: kind === 'ok' ? 'status' : 'alert'},
      [message]);
  }

  /* Shows an error (or clears it) in a form's message slot. */
  function say(slot, message, kind) {
    clear(slot);
    if (message) slot.appendChild(alertBox(message, kind));
  }

  function problemText(err) {
    if (!err) return '';
    if (err.network) return t('err.network');
    var known = err.code ? t('code.' + err.code) : '';
    var text = known && known !== 'code.' + err.code ? known : (err.detail || err.title || t('err.generic'));
    if (err.errors && err.errors.length) {
      text += ' ' + err.errors.map(function (e) { return e.field + ': ' + e.message; }).join('; ');
    }
    return text;
  }

  function busy(button, on) {
    button.disabled = !!on;
    button.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  function statusBadge(status) {
    return h('span', {class: 'badge st-' + status, 'data-status': status, text: t('status.' + status)});
  }

  // ------------------------------------------------------------------ the API

  function ApiError(status, body) {
    this.status = status;
    body = body || {};
    this.code = body.code; this.detail = body.detail; this.title = body.title;
    this.errors = body.errors;
  }

  /* One call to this API. opts: json | csv (body), idem (Idempotency-Key), blob,
   * text, anonymous. Resolves {status, data, headers}; rejects with ApiError. */
  function api(method, path, opts) {
    opts = opts || {};
    var headers = {};
    if (!opts.anonymous) headers.Authorization = 'Bearer ' + (opts.key || state.key);
    var body;
    if (opts.json !== undefined) { headers['Content-Type'] = 'application/json'; body = JSON.stringify(opts.json); }
    if (opts.csv !== undefined) { headers['Content-Type'] = 'text/csv'; body = opts.csv; }
    if (opts.idem) headers['Idempotency-Key'] = opts.idem;
    return fetch(BASE + path, {method: method, headers: headers, body: body, cache: 'no-store',
      credentials: 'omit', redirect: 'error', referrerPolicy: 'no-referrer'})
      .catch(function () { var e = new ApiError(0, {}); e.network = true; throw e; })
      .then(function (r) {
        if (r.ok) {
          var reader = opts.blob ? r.blob() : opts.text ? r.text()
            : r.status === 204 ? Promise.resolve(null) : r.json();
          return reader.then(function (data) { return {status: r.status, data: data, headers: r.headers}; });
        }
        return r.text().then(function (raw) {
          var parsed = {};
          try { parsed = JSON.parse(raw); } catch (e) { /* not problem+json */ }
          var err = new ApiError(r.status, parsed);
          if (r.status === 401 && !opts.key && !opts.anonymous) signOut(t('signin.expired'));
          throw err;
        });
      });
  }

  // Idempotency: one key per user action; the same action retried with the same
  // values, after an unknown outcome (no answer, 5xx, still in progress), reuses it.
  var pendingKeys = {};

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var x = Array.prototype.map.call(b, function (v) { return (v + 256).toString(16).slice(1); }).join('');
    return x.slice(0, 8) + '-' + x.slice(8, 12) + '-' + x.slice(12, 16) + '-' + x.slice(16, 20) + '-' + x.slice(20);
  }

  function idemKey(action, payload) {
    var sig = typeof payload === 'string' ? payload : JSON.stringify(payload);
    var p = pendingKeys[action];
    if (!p || p.sig !== sig) p = pendingKeys[action] = {sig: sig, key: newKey()};
    return p.key;
  }

  function idemSettle(action, err) {
    // keep the key only when the first attempt's outcome is unknown
    var unknown = err && (err.network || err.status >= 500 || err.code === 'idempotency_in_progress');
    if (!unknown) delete pendingKeys[action];
  }

  function moneyPost(action, path, payload, opts) {
    opts = opts || {};
    var key = idemKey(action, opts.csv !== undefined ? opts.csv : payload);
    var call = opts.csv !== undefined ? {csv: opts.csv, idem: key} : {json: payload, idem: key};
    return api('POST', path, call).then(function (r) { idemSettle(action, null); return r; },
      function (err) { idemSettle(action, err); throw err; });
  }

  function probe() {
    if (state.paths) return Promise.resolve(state.paths);
    return api('GET', '/openapi.json', {anonymous: true}).then(function (r) {
      state.paths = (r.data && r.data.paths) || {};
      return state.paths;
    }, function () { state.paths = {}; return state.paths; });
  }

  function has(path, method) {
    var p = state.paths && state.paths[BASE.replace(/^.*(\/v1)$/, '$1') + path];
    return !!(p && p[method || 'get']);
  }

  function reportTakesGranularity() {
    var op = state.paths && state.paths['/v1/campaigns/{campaign_id}/report'];
    var params = (op && op.get && op.get.parameters) || [];
    return params.some(function (p) { return p.name === 'granularity'; });
  }

  // ------------------------------------------------------------------ shell

  function applyStaticTexts() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll('[data-i18n]').forEach(function (n) { n.textContent = t(n.getAttribute('data-i18n')); });
    document.querySelectorAll('[data-i18n-aria]').forEach(function (n) {
      n.setAttribute('aria-label', t(n.getAttribute('data-i18n-aria')));
    });
    document.querySelectorAll('.lang button').forEach(function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-lang') === state.lang ? 'true' : 'false');
    });
  }

  function setLang(lang) {
    state.lang = lang;
    try { localStorage.setItem(LANG_SLOT, lang); } catch (e) { /* private mode */ }
    applyStaticTexts();
    render(false);
    announce(t('lang.changed'));
  }

  function signOut(notice) {
    sessionStorage.removeItem(KEY_SLOT);
    state.key = '';
    state.notice = notice || '';
    pendingKeys = {};
    if (location.hash && location.hash !== '#/') location.hash = '#/';
    else render(true);
  }

  function page(titleKey, vars) {
    document.title = t(titleKey, vars) + ' · ' + t('brand.console');
    clear(view);
    return view;
  }

  function heading(text) {
    return h('h1', {tabindex: '-1', text: text});
  }

  function focusHeading(moveFocus) {
    if (!moveFocus) return;
    var h1 = view.querySelector('h1');
    if (h1) h1.focus();
  }

  function render(moveFocus) {
    var signedIn = !!state.key;
    document.getElementById('nav').hidden = !signedIn;
    document.getElementById('sign-out').hidden = !signedIn;
    var parts = location.hash.replace(/^#\/?/, '').split('/');
    var section = parts[0] || 'campaigns';
    document.querySelectorAll('[data-nav]').forEach(function (a) {
      if (a.getAttribute('data-nav') === section) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    if (!signedIn) { renderSignIn(); focusHeading(moveFocus); return; }
    probe().then(function () {
      document.querySelectorAll('[data-feature=webhooks]').forEach(function (n) { n.hidden = !has('/webhook-endpoints'); });
      var done;
      if (section === 'campaigns' && parts[1] === 'new') done = renderNewCampaign();
      else if (section === 'campaigns' && parts[1]) done = renderCampaign(decodeURIComponent(parts[1]));
      else if (section === 'gifts') done = renderGifts(parts[1] ? decodeURIComponent(parts[1]) : '');
      else if (section === 'webhooks' && has('/webhook-endpoints')) done = renderWebhooks();
      else done = renderCampaigns();
      Promise.resolve(done).then(function () { focusHeading(moveFocus); });
    });
  }

  // ------------------------------------------------------------------ sign in

  function renderSignIn() {
    var root = page('signin.title');
    var msg = h('div', {class: 'msg'});
    var input = h('input', {type: 'password', name: 'api-key', autocomplete: 'off', spellcheck: 'false',
      required: true, 'data-field': 'api-key', autocapitalize: 'off'});
    var button = h('button', {type: 'submit', class: 'primary', text: t('signin.submit')});
    var form = h('form', {class: 'card narrow', novalidate: true, onsubmit: function (ev) {
      ev.preventDefault();
      var key = input.value.trim();
      if (!key) { say(msg, t('signin.empty')); input.focus(); return; }
      busy(button, true);
      api('GET', '/campaigns?limit=1', {key: key}).then(function () {
        sessionStorage.setItem(KEY_SLOT, key);
        state.key = key;
        state.notice = '';
        announce(t('signin.ok'));
        if (location.hash.replace(/^#\/?/, '')) render(true); else location.hash = '#/campaigns';
      }, function (err) {
        busy(button, false);
        say(msg, err.status === 401 ? t('signin.bad') : err.status === 403 ? t('signin.scope') : problemText(err));
        input.focus();
      });
    }}, [
      field(t('signin.key'), input, t('signin.hint')),
      msg,
      button
    ]);
    root.appendChild(heading(t('signin.title')));
    root.appendChild(h('p', {class: 'lead', text: t('signin.lead')}));
    if (state.notice) root.appendChild(alertBox(state.notice));
    root.appendChild(form);
  }

  // ------------------------------------------------------------------ campaigns

  function renderCampaigns() {
    var root = page('campaigns.title');
    root.appendChild(h('div', {class: 'title-row'}, [
      heading(t('campaigns.title')),
      h('a', {class: 'button primary', href: '#/campaigns/new', text: t('campaigns.new')})
    ]));
    var msg = h('div', {class: 'msg'});
    var body = h('tbody');
    var table = h('table', {class: 'list', 'data-list': 'campaigns'}, [
      h('caption', {class: 'sr-only', text: t('campaigns.title')}),
      h('thead', {}, h('tr', {}, [
        h('th', {scope: 'col', text: t('campaigns.name')}),
        h('th', {scope: 'col', text: t('campaigns.status')}),
        h('th', {scope: 'col', text: t('campaigns.budget')}),
        h('th', {scope: 'col', text: t('campaigns.ends')})])),
      body]);
    var more = h('button', {type: 'button', class: 'secondary', hidden: true, text: t('more')});
    var empty = h('p', {class: 'empty', hidden: true, text: t('campaigns.empty')});
    root.appendChild(msg);
    root.appendChild(h('div', {class: 'scroll'}, table));
    root.appendChild(empty);
    root.appendChild(more);
    var cursor = null;
    function load() {
      busy(more, true);
      return api('GET', '/campaigns?limit=20' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''))
        .then(function (r) {
          r.data.data.forEach(function (c) {
            var frac = c.budget.total ? c.budget.spent / c.budget.total : 0;
            body.appendChild(h('tr', {'data-campaign': c.id}, [
              h('th', {scope: 'row'}, h('a', {href: '#/campaigns/' + encodeURIComponent(c.id), text: c.name})),
              h('td', {}, statusBadge(c.status)),
              h('td', {}, [
                h('span', {class: 'nowrap', text: t('budget.left', {left: money(c.budget.remaining, c.currency),
                  total: money(c.budget.total, c.currency)})}),
                meter(frac, t('budget.spentPct', {pct: percent(frac, 0)}))]),
              h('td', {class: 'nowrap', text: when(c.ends_at)})]));
          });
          cursor = r.data.next_cursor;
          more.hidden = !cursor;
          busy(more, false);
          empty.hidden = body.children.length > 0;
        }, function (err) { busy(more, false); say(msg, problemText(err)); });
    }
    more.addEventListener('click', load);
    return load();
  }

  function meter(frac, label) {
    var bar = h('span', {class: 'fill' + (frac >= 0.9 ? ' warn' : '')});
    bar.style.width = Math.round(Math.max(0, Math.min(1, frac)) * 100) + '%';
    return h('span', {class: 'meter', role: 'img', 'aria-label': label}, bar);
  }

  // ------------------------------------------------------------------ new campaign

  var CURRENCIES = ['VND', 'USD', 'EUR', 'GBP', 'SGD', 'THB', 'IDR', 'MYR', 'PHP', 'JPY'];

  function localInput(date) {
    var p = function (n) { return (n < 10 ? '0' : '') + n; };
    return date.getFullYear() + '-' + p(date.getMonth() + 1) + '-' + p(date.getDate()) + 'T' +
      p(date.getHours()) + ':' + p(date.getMinutes());
  }

  function isoFromLocal(value) {
    if (!value) return null;
    var d = new Date(value);
    return isNaN(d) ? null : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  function defaultSegments() {
    return [
      {label: t('wheel.sample.big'), weight: '1', prize: '100000', stock: '10'},
      {label: t('wheel.sample.small'), weight: '20', prize: '20000', stock: ''},
      {label: t('wheel.sample.none'), weight: '79', prize: '', stock: ''}
    ];
  }

  function slug(label, used) {
    var base = String(label).normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd')
      .toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'segment';
    var id = base, n = 2;
    while (used[id]) id = base + '-' + (n++);
    used[id] = true;
    return id;
  }

  function renderNewCampaign() {
    var root = page('new.title');
    root.appendChild(h('p', {}, h('a', {href: '#/campaigns', text: '← ' + t('campaigns.title')})));
    root.appendChild(heading(t('new.title')));
    var msg = h('div', {class: 'msg'});
    var name = h('input', {type: 'text', required: true, maxlength: '200', 'data-field': 'name'});
    var currency = h('select', {'data-field': 'currency'}, CURRENCIES.map(function (c) {
      return h('option', {value: c, text: c});
    }));
    var budget = h('input', {type: 'text', inputmode: 'decimal', required: true, 'data-field': 'budget',
      value: '10000000'});
    var starts = h('input', {type: 'datetime-local', 'data-field': 'starts_at'});
    var ends = h('input', {type: 'datetime-local', required: true, 'data-field': 'ends_at',
      value: localInput(new Date(Date.now() + 30 * 86400e3))});
    var expiry = h('input', {type: 'number', min: '1', max: '3650', value: '30', 'data-field': 'gift_expiry_days'});
    var zone = h('input', {type: 'text', value: 'Asia/Ho_Chi_Minh', 'data-field': 'timezone', maxlength: '64'});
    var withWheel = h('input', {type: 'checkbox', checked: true, 'data-field': 'with_wheel', id: 'with-wheel'});
    var editor = wheelEditor(function () { return currency.value; });
    currency.addEventListener('change', editor.update);
    withWheel.addEventListener('change', function () { editor.node.hidden = !withWheel.checked; });
    var submit = h('button', {type: 'submit', class: 'primary', text: t('new.submit')});

    var form = h('form', {class: 'card', novalidate: true, 'data-form': 'new-campaign', onsubmit: function (ev) {
      ev.preventDefault();
      var body = {name: name.value.trim(), currency: currency.value,
        budget: toMinor(budget.value, currency.value), ends_at: isoFromLocal(ends.value),
        gift_expiry_days: parseInt(expiry.value, 10)};
      if (starts.value) body.starts_at = isoFromLocal(starts.value);
      if (zone.value.trim()) body.timezone = zone.value.trim();
      var problems = [];
      if (!body.name) problems.push(t('new.err.name'));
      if (!(body.budget >= 0)) problems.push(t('new.err.budget'));
      if (!body.ends_at) problems.push(t('new.err.ends'));
      if (withWheel.checked) {
        var wheel = editor.value();
        if (wheel.error) problems.push(wheel.error); else body.wheel = wheel.wheel;
      }
      if (problems.length) { say(msg, problems.join(' ')); return; }
      say(msg, '');
      busy(submit, true);
      api('POST', '/campaigns', {json: body, idem: idemKey('new-campaign', body)}).then(function (r) {
        idemSettle('new-campaign', null);
        state.draft = null;
        announce(t('new.created', {name: r.data.name}));
        location.hash = '#/campaigns/' + encodeURIComponent(r.data.id);
      }, function (err) {
        idemSettle('new-campaign', err);
        busy(submit, false);
        say(msg, problemText(err));
      });
    }}, [
      h('fieldset', {}, [h('legend', {text: t('new.basics')}),
        h('div', {class: 'grid'}, [
          field(t('new.name'), name),
          field(t('new.currency'), currency),
          field(t('new.budget'), budget, t('new.budget.hint')),
          field(t('new.starts'), starts, t('new.starts.hint')),
          field(t('new.ends'), ends),
          field(t('new.expiry'), expiry),
          field(t('new.timezone'), zone)])]),
      h('div', {class: 'check'}, [withWheel, h('label', {for: 'with-wheel', text: t('new.withWheel')})]),
      editor.node,
      msg,
      submit
    ]);
    root.appendChild(form);
    editor.update();
    // the draft survives a language switch or a visit to another page, until created
    var inputs = function () { return form.querySelectorAll('[data-field]'); };
    if (state.draft) {
      editor.setRows(state.draft.segments);
      editor.update();
      inputs().forEach(function (i) {
        var v = state.draft.fields[i.getAttribute('data-field')];
        if (v === undefined) return;
        if (i.type === 'checkbox') i.checked = v; else i.value = v;
      });
      editor.node.hidden = !withWheel.checked;
      editor.update();
    }
    var save = function () {
      var fields = {};
      inputs().forEach(function (i) {
        if (i.tagName !== 'OUTPUT' && i.tagName !== 'P') fields[i.getAttribute('data-field')] = i.type === 'checkbox' ? i.checked : i.value;
      });
      state.draft = {fields: fields, segments: editor.rows()};
    };
    form.addEventListener('input', save);
    form.addEventListener('change', save);
    form.addEventListener('click', function (ev) { if (ev.target.tagName === 'BUTTON') setTimeout(save, 0); });
  }

  /* The wheel editor: segments (label, weight, prize, stock), the fallback, limits,
   * and the odds they give, recomputed on every keystroke. */
  function wheelEditor(currencyOf) {
    var rows = [];
    var list = h('ol', {class: 'segments', 'data-list': 'segments'});
    var fallback = h('select', {'data-field': 'fallback'});
    var perPlayer = h('input', {type: 'number', min: '1', value: '10', 'data-field': 'spins_per_player'});
    var perDay = h('input', {type: 'number', min: '1', value: '3', 'data-field': 'spins_per_player_per_day'});
    var oddsBar = h('div', {class: 'odds-bar', 'aria-hidden': 'true'});
    var summary = h('p', {class: 'odds-summary', 'aria-live': 'polite', 'data-field': 'odds-summary'});
    var add = h('button', {type: 'button', class: 'secondary', text: '+ ' + t('wheel.add')});

    function addRow(seg) {
      var n = rows.length + 1;
      var row = {
        label: h('input', {type: 'text', maxlength: '100', value: seg.label, 'data-seg': 'label'}),
        weight: h('input', {type: 'number', min: '0', step: '1', value: seg.weight, 'data-seg': 'weight'}),
        prize: h('input', {type: 'text', inputmode: 'decimal', value: seg.prize, 'data-seg': 'prize'}),
        stock: h('input', {type: 'number', min: '0', step: '1', value: seg.stock, 'data-seg': 'stock'}),
        odds: h('output', {class: 'odds', 'data-seg': 'odds'})
      };
      row.remove = h('button', {type: 'button', class: 'link danger', text: t('wheel.remove')});
      row.legend = h('legend');
      row.node = h('li', {}, h('fieldset', {class: 'segment'}, [row.legend,
        h('div', {class: 'seg-grid'}, [
          field(t('wheel.label'), row.label),
          field(t('wheel.weight'), row.weight),
          field(t('wheel.prize'), row.prize),
          field(t('wheel.stock'), row.stock),
          h('div', {class: 'field'}, [h('span', {class: 'label', text: t('wheel.odds')}), row.odds]),
          h('div', {class: 'field end'}, row.remove)])]));
      row.odds.setAttribute('aria-label', t('wheel.odds'));
      [row.label, row.weight, row.prize, row.stock].forEach(function (i) { i.addEventListener('input', update); });
      row.remove.addEventListener('click', function () {
        if (rows.length <= 1) return;
        var at = rows.indexOf(row);
        rows.splice(at, 1);
        list.removeChild(row.node);
        update();
        (rows[Math.min(at, rows.length - 1)].label).focus();
        announce(t('wheel.removed'));
      });
      rows.push(row);
      list.appendChild(row.node);
      return row;
    }

    function weights() {
      return rows.map(function (r) { var w = parseInt(r.weight.value, 10); return w >= 0 ? w : 0; });
    }

    function update() {
      var cur = currencyOf();
      var ws = weights();
      var total = ws.reduce(function (a, b) { return a + b; }, 0);
      var chosen = fallback.value;
      clear(fallback);
      clear(oddsBar);
      var expected = 0;
      rows.forEach(function (r, i) {
        var label = r.label.value.trim() || t('wheel.segment', {n: i + 1});
        r.legend.textContent = t('wheel.segment', {n: i + 1}) + ' · ' + label;
        var p = total ? ws[i] / total : 0;
        r.odds.textContent = percent(p, 2);
        r.odds.setAttribute('data-p', String(p));
        var prize = toMinor(r.prize.value, cur);
        if (prize > 0) expected += p * prize;
        r.remove.setAttribute('aria-label', t('wheel.removeN', {n: i + 1, label: label}));
        r.remove.disabled = rows.length <= 1;
        fallback.appendChild(h('option', {value: String(i), text: label + (prize > 0 ? '' : ' · ' + t('wheel.noPrize'))}));
        var part = h('span', {class: 'c' + (i % 6)});
        part.style.width = (p * 100) + '%';
        part.title = label + ': ' + percent(p, 2);
        oddsBar.appendChild(part);
      });
      var noPrize = rows.map(function (r, i) { return toMinor(r.prize.value, cur) > 0 ? -1 : i; })
        .filter(function (i) { return i >= 0; });
      if (chosen !== '' && Number(chosen) < rows.length) fallback.value = chosen;
      else if (noPrize.length) fallback.value = String(noPrize[noPrize.length - 1]);
      summary.textContent = total
        ? t('wheel.summary', {total: number(total), cost: money(Math.round(expected * 1000), cur),
          win: percent(rows.reduce(function (a, r, i) {
            return a + (toMinor(r.prize.value, cur) > 0 ? ws[i] : 0);
          }, 0) / total, 1)})
        : t('wheel.noWeight');
    }

    function value() {
      var cur = currencyOf();
      var used = {};
      var segments = [];
      for (var i = 0; i < rows.length; i++) {
        var r = rows[i];
        var label = r.label.value.trim();
        var weight = parseInt(r.weight.value, 10);
        if (!label) return {error: t('wheel.err.label', {n: i + 1})};
        if (!(weight >= 0)) return {error: t('wheel.err.weight', {n: i + 1})};
        var seg = {id: slug(label, used), label: label, weight: weight, prize: null};
        if (r.prize.value.trim()) {
          var amount = toMinor(r.prize.value, cur);
          if (!(amount > 0)) return {error: t('wheel.err.prize', {n: i + 1})};
          seg.prize = {amount: amount};
        }
        if (r.stock.value.trim()) {
          var stock = parseInt(r.stock.value, 10);
          if (!(stock >= 0)) return {error: t('wheel.err.stock', {n: i + 1})};
          seg.inventory = stock;
        }
        segments.push(seg);
      }
      if (!weights().some(function (w) { return w > 0; })) return {error: t('wheel.noWeight')};
      var wheel = {segments: segments, fallback_segment_id: segments[Number(fallback.value) || 0].id};
      var limits = {};
      if (perPlayer.value) limits.spins_per_player = parseInt(perPlayer.value, 10);
      if (perDay.value) limits.spins_per_player_per_day = parseInt(perDay.value, 10);
      if (Object.keys(limits).length) wheel.limits = limits;
      return {wheel: wheel};
    }

    function rowsValue() {
      return rows.map(function (r) {
        return {label: r.label.value, weight: r.weight.value, prize: r.prize.value, stock: r.stock.value};
      });
    }

    function setRows(items) {
      rows.forEach(function (r) { r.node.remove(); });
      rows.length = 0;
      items.forEach(addRow);
    }

    defaultSegments().forEach(addRow);
    add.addEventListener('click', function () {
      var row = addRow({label: '', weight: '10', prize: '', stock: ''});
      update();
      row.label.focus();
    });
    fallback.addEventListener('change', update);
    var node = h('fieldset', {class: 'wheel', 'data-form': 'wheel'}, [
      h('legend', {text: t('wheel.title')}),
      h('p', {class: 'hint', text: t('wheel.lead')}),
      h('p', {class: 'hint', text: t('wheel.prize.hint') + ' ' + t('wheel.stock.hint')}),
      list, add,
      h('div', {class: 'odds-preview'}, [h('h2', {class: 'h3', text: t('wheel.preview')}), oddsBar, summary]),
      h('div', {class: 'grid'}, [
        field(t('wheel.fallback'), fallback, t('wheel.fallback.hint')),
        field(t('wheel.perPlayer'), perPlayer),
        field(t('wheel.perDay'), perDay)])
    ]);
    return {node: node, update: update, value: value, rows: rowsValue, setRows: setRows};
  }

  // ------------------------------------------------------------------ one campaign

  function renderCampaign(id) {
    var root = page('campaign.title');
    root.appendChild(h('p', {}, h('a', {href: '#/campaigns', text: '← ' + t('campaigns.title')})));
    var msg = h('div', {class: 'msg'});
    var head = h('div', {class: 'title-row'});
    var body = h('div', {class: 'campaign'});
    root.appendChild(head);
    root.appendChild(msg);
    root.appendChild(body);
    head.appendChild(heading(t('loading')));
    return api('GET', '/campaigns/' + encodeURIComponent(id)).then(function (r) {
      drawCampaign(r.data, head, body, msg);
    }, function (err) {
      clear(head).appendChild(heading(t('campaign.title')));
      say(msg, err.status === 404 ? t('campaign.missing') : problemText(err));
    });
  }

  function drawCampaign(c, head, body, msg) {
    document.title = c.name + ' · ' + t('brand.console');
    clear(head);
    clear(body);
    head.appendChild(heading(c.name));
    head.appendChild(statusBadge(c.status));
    var path = '/campaigns/' + encodeURIComponent(c.id);

    function reload(message) {
      return api('GET', path).then(function (r) {
        var focusTo = document.activeElement && document.activeElement.getAttribute('data-action');
        drawCampaign(r.data, head, body, msg);
        if (message) say(msg, message, 'ok');
        var again = focusTo && body.querySelector('[data-action="' + focusTo + '"]');
        (again || head.querySelector('h1')).focus();
      });
    }

    // actions: pause / resume / end
    var actions = h('div', {class: 'actions', role: 'group', 'aria-label': t('campaign.actions')});
    function patch(status, label, confirmText) {
      var b = h('button', {type: 'button', class: status === 'ended' ? 'danger' : 'secondary',
        'data-action': status, text: label});
      b.addEventListener('click', function () {
        if (confirmText && !window.confirm(confirmText)) return;
        busy(b, true);
        api('PATCH', path, {json: {status: status}}).then(function () {
          announce(t('campaign.now', {status: t('status.' + status)}));
          return reload(t('campaign.now', {status: t('status.' + status)}));
        }, function (err) { busy(b, false); say(msg, problemText(err)); });
      });
      return b;
    }
    if (c.status === 'active' || c.status === 'scheduled') actions.appendChild(patch('paused', t('campaign.pause')));
    if (c.status === 'paused') actions.appendChild(patch('active', t('campaign.resume')));
    if (c.status !== 'ended') actions.appendChild(patch('ended', t('campaign.end'), t('campaign.endConfirm')));
    actions.appendChild(h('a', {class: 'button secondary', href: '#/gifts/' + encodeURIComponent(c.id),
      text: t('campaign.issue')}));
    body.appendChild(actions);

    body.appendChild(h('dl', {class: 'facts'}, [
      fact(t('campaign.dates'), when(c.starts_at) + ' → ' + when(c.ends_at)),
      fact(t('campaign.timezone'), c.timezone),
      fact(t('campaign.expiry'), t('campaign.expiryDays', {n: c.gift_expiry_days})),
      fact(t('campaign.id'), c.id)]));

    // budget gauge and top-up
    var budgetCard = h('section', {class: 'card', 'aria-labelledby': 'budget-h'}, [
      h('h2', {id: 'budget-h', text: t('budget.title')})]);
    var gaugeRow = h('div', {class: 'gauge-row'});
    var frac = c.budget.total ? c.budget.spent / c.budget.total : 0;
    CHARTS.gauge(gaugeRow, {value: c.budget.spent, max: c.budget.total, title: t('budget.title'),
      summary: t('budget.summary', {spent: money(c.budget.spent, c.currency), total: money(c.budget.total, c.currency),
        pct: percent(frac, 0)})});
    gaugeRow.appendChild(h('dl', {class: 'facts compact', 'data-figure': 'budget'}, [
      fact(t('budget.total'), money(c.budget.total, c.currency), 'total'),
      fact(t('budget.spent'), money(c.budget.spent, c.currency), 'spent'),
      fact(t('budget.remaining'), money(c.budget.remaining, c.currency), 'remaining')]));
    budgetCard.appendChild(gaugeRow);
    if (c.status !== 'ended') budgetCard.appendChild(topUpForm(c, path, reload));
    body.appendChild(budgetCard);

    // the wheel and its published odds
    var figures = h('section', {class: 'card', 'aria-labelledby': 'report-h'}, [
      h('h2', {id: 'report-h', text: t('report.title')})]);
    body.appendChild(figures);
    if (c.wheel) {
      var fair = h('section', {class: 'card', 'aria-labelledby': 'fair-h', 'data-section': 'fairness'}, [
        h('h2', {id: 'fair-h', text: t('fair.title')})]);
      body.appendChild(fair);
    }
    var recent = h('section', {class: 'card', 'aria-labelledby': 'recent-h'}, [
      h('h2', {id: 'recent-h', text: t('recent.title')})]);
    body.appendChild(recent);
    drawReport(c, path, figures, fair || null, 'day');
    drawRecentGifts(c, path, recent);
    if (has('/campaigns/{campaign_id}/exports', 'post')) body.appendChild(exportsCard(c, path));
    if (has('/campaigns/{campaign_id}/results-report')) body.appendChild(resultsCard(c, path));
  }

  function fact(label, value, name) {
    return h('div', {'data-fact': name || null}, [h('dt', {text: label}), h('dd', {}, value)]);
  }

  function topUpForm(c, path, reload) {
    var msg = h('div', {class: 'msg'});
    var amount = h('input', {type: 'text', inputmode: 'decimal', required: true, 'data-field': 'topup'});
    var submit = h('button', {type: 'submit', class: 'primary', 'data-action': 'topup', text: t('topup.submit')});
    return h('form', {class: 'inline-form', novalidate: true, 'data-form': 'topup', onsubmit: function (ev) {
      ev.preventDefault();
      var minor = toMinor(amount.value, c.currency);
      if (!(minor > 0)) { say(msg, t('topup.err')); amount.focus(); return; }
      busy(submit, true);
      moneyPost('topup:' + c.id, path + '/budget-topups', {amount: minor}).then(function (r) {
        var text = t('topup.done', {amount: money(minor, c.currency), total: money(r.data.budget.total, c.currency)});
        announce(text);
        return reload(text);
      }, function (err) { busy(submit, false); say(msg, problemText(err)); });
    }}, [field(t('topup.amount', {cur: c.currency}), amount), submit, msg]);
  }

  function drawReport(c, path, card, fair, granularity) {
    var series = reportTakesGranularity();
    var query = series ? '?granularity=' + granularity : '';
    var box = h('div', {'data-report': 'loading'});
    card.appendChild(box);
    return api('GET', path + '/report' + query).then(function (r) {
      var rep = r.data;
      box.setAttribute('data-report', 'ready');
      var g = rep.gifts;
      box.appendChild(h('div', {class: 'stats'}, [
        stat(t('report.issued'), number(g.issued.count), money(g.issued.amount, c.currency), 'issued'),
        stat(t('report.redeemed'), number(g.redeemed.count), money(g.redeemed.amount, c.currency), 'redeemed'),
        stat(t('report.voided'), number(g.voided.count), money(g.voided.amount, c.currency), 'voided'),
        stat(t('report.expired'), number(g.expired.count), money(g.expired.amount, c.currency), 'expired'),
        stat(t('report.rate'), percent(rep.redemption_rate, 1), t('report.rateHint'), 'rate'),
        stat(t('report.spins'), number(rep.spins.count), t('report.wins', {n: number(rep.spins.wins)}), 'spins')]));
      var chartBox = h('div', {class: 'chart-area'});
      box.appendChild(chartBox);
      var fmt = function (v) { return money(v, c.currency); };
      if (rep.series && rep.series.length) {
        var toggle = h('div', {class: 'seg-toggle', role: 'group', 'aria-label': t('report.granularity')},
          ['day', 'hour'].map(function (gr) {
            var b = h('button', {type: 'button', 'aria-pressed': gr === granularity ? 'true' : 'false',
              text: t('report.by.' + gr)});
            b.addEventListener('click', function () {
              clear(card).appendChild(h('h2', {id: 'report-h', text: t('report.title')}));
              if (fair) clear(fair).appendChild(h('h2', {id: 'fair-h', text: t('fair.title')}));
              drawReport(c, path, card, fair, gr);
            });
            return b;
          }));
        chartBox.appendChild(toggle);
        var cats = rep.series.map(function (p) { return periodLabel(p.period_start, granularity, c.timezone); });
        CHARTS.lines(chartBox, {name: 'series-money', title: t('chart.money'), categoryTitle: t('chart.period'),
          summary: t('chart.money.summary', {n: rep.series.length}), categories: cats, format: fmt,
          tick: compactMoney(c.currency), showData: t('chart.showData'), series: [
            {name: t('report.issued'), values: rep.series.map(function (p) { return p.issued.amount; })},
            {name: t('report.redeemed'), values: rep.series.map(function (p) { return p.redeemed.amount; })}]});
        if (c.wheel) {
          CHARTS.bars(chartBox, {name: 'series-spins', title: t('chart.spins'), categoryTitle: t('chart.period'),
            summary: t('chart.spins.summary'), categories: cats, format: number, showData: t('chart.showData'),
            series: [
              {name: t('report.spins'), values: rep.series.map(function (p) { return p.spins || 0; })},
              {name: t('chart.winsName'), values: rep.series.map(function (p) { return p.wins || 0; }), color: 2},
              {name: t('chart.players'), values: rep.series.map(function (p) { return p.players || 0; }), color: 3}]});
        }
      } else {
        CHARTS.bars(chartBox, {name: 'totals', title: t('chart.totals'), categoryTitle: t('chart.kind'),
          summary: t('chart.totals.summary', {issued: money(g.issued.amount, c.currency),
            redeemed: money(g.redeemed.amount, c.currency)}),
          categories: [t('report.issued'), t('report.redeemed'), t('report.voided'), t('report.expired')],
          format: fmt, tick: compactMoney(c.currency), showData: t('chart.showData'),
          series: [{name: t('chart.amount', {cur: c.currency}),
            values: [g.issued.amount, g.redeemed.amount, g.voided.amount, g.expired.amount]}]});
        chartBox.appendChild(h('p', {class: 'hint', text: t('chart.noSeries')}));
      }
      if (fair && c.wheel) drawFairness(c, rep, fair);
    }, function (err) {
      box.setAttribute('data-report', 'error');
      box.appendChild(alertBox(err.status === 403 ? t('report.scope') : problemText(err)));
    });
  }

  function periodLabel(iso, granularity, zone) {
    var d = new Date(iso);
    if (isNaN(d)) return iso;
    var o = granularity === 'hour' ? {month: 'short', day: 'numeric', hour: '2-digit'} : {month: 'short', day: 'numeric'};
    try { o.timeZone = zone; return new Intl.DateTimeFormat(locale(), o).format(d); } catch (e) {
      delete o.timeZone; return new Intl.DateTimeFormat(locale(), o).format(d);
    }
  }

  function stat(label, value, sub, name) {
    return h('div', {class: 'stat', 'data-stat': name}, [
      h('span', {class: 'stat-label', text: label}),
      h('span', {class: 'stat-value', text: value}),
      h('span', {class: 'stat-sub', text: sub})]);
  }

  /* Spins by segment, observed against the published odds, and a plain verdict: each
   * segment's count within 3 standard deviations of what its odds predict. */
  function drawFairness(c, rep, card) {
    var segs = c.wheel.segments;
    var total = segs.reduce(function (a, s) { return a + s.weight; }, 0);
    var counts = {};
    rep.spins.by_segment.forEach(function (s) { counts[s.segment_id] = s.count; });
    var n = rep.spins.count;
    var cats = segs.map(function (s) { return s.label; });
    var published = segs.map(function (s) { return total ? s.weight / total : 0; });
    var observed = segs.map(function (s) { return n ? (counts[s.id] || 0) / n : 0; });
    card.appendChild(h('p', {class: 'hint', text: t('fair.lead')}));
    CHARTS.bars(card, {name: 'fairness', title: t('fair.chart'), categoryTitle: t('fair.segment'),
      summary: t('fair.chart.summary', {n: number(n)}), categories: cats, showData: t('chart.showData'),
      format: function (v) { return percent(v, 1); }, tick: function (v) { return percent(v, 0); },
      series: [{name: t('fair.published'), values: published, color: 4},
        {name: t('fair.observed'), values: observed, color: 0}]});
    var rows = segs.map(function (s, i) {
      var expected = n * published[i];
      var sd = Math.sqrt(n * published[i] * (1 - published[i]));
      var got = counts[s.id] || 0;
      var off = n >= 30 && Math.abs(got - expected) > 3 * sd + 0.5 && s.id !== c.wheel.fallback_segment_id;
      return {s: s, expected: expected, got: got, off: off};
    });
    var table = h('table', {class: 'list', 'data-list': 'fairness'}, [
      h('caption', {class: 'sr-only', text: t('fair.chart')}),
      h('thead', {}, h('tr', {}, [t('fair.segment'), t('fair.published'), t('fair.expected'), t('fair.count'),
        t('fair.observed')].map(function (x, i) { return h('th', {scope: 'col', class: i ? 'num' : null, text: x}); }))),
      h('tbody', {}, rows.map(function (row, i) {
        return h('tr', {'data-segment': row.s.id}, [
          h('th', {scope: 'row', text: row.s.label}),
          h('td', {class: 'num', text: percent(published[i], 2)}),
          h('td', {class: 'num', text: number(Math.round(row.expected))}),
          h('td', {class: 'num', text: number(row.got)}),
          h('td', {class: 'num' + (row.off ? ' off' : ''), text: percent(observed[i], 1)})]);
      }))]);
    card.appendChild(h('div', {class: 'scroll'}, table));
    var verdict = n < 30 ? t('fair.few', {n: number(n)})
      : rows.some(function (r) { return r.off; }) ? t('fair.off') : t('fair.ok', {n: number(n)});
    card.appendChild(h('p', {class: 'verdict', 'data-verdict': n < 30 ? 'few' : rows.some(function (r) {
      return r.off; }) ? 'off' : 'ok', text: verdict}));
    card.appendChild(h('p', {class: 'hint', text: t('fair.fallbackNote')}));
  }

  function drawRecentGifts(c, path, card) {
    return api('GET', path + '/gifts?limit=10').then(function (r) {
      if (!r.data.data.length) { card.appendChild(h('p', {class: 'empty', text: t('recent.empty')})); return; }
      card.appendChild(h('div', {class: 'scroll'}, giftTable(r.data.data, 'recent-gifts')));
    }, function (err) { card.appendChild(alertBox(problemText(err))); });
  }

  function giftTable(gifts, name) {
    return h('table', {class: 'list', 'data-list': name}, [
      h('thead', {}, h('tr', {}, [t('gift.code'), t('gift.amount'), t('gift.balance'), t('gift.status'),
        t('gift.issued')].map(function (x, i) { return h('th', {scope: 'col', class: i === 1 || i === 2 ? 'num' : null, text: x}); }))),
      h('tbody', {}, gifts.map(function (g) {
        return h('tr', {}, [h('th', {scope: 'row', class: 'code', text: g.code}),
          h('td', {class: 'num', text: money(g.amount, g.currency)}),
          h('td', {class: 'num', text: money(g.balance, g.currency)}),
          h('td', {}, statusBadge(g.status)),
          h('td', {class: 'nowrap', text: when(g.issued_at)})]);
      }))]);
  }

  function exportsCard(c, path) {
    var msg = h('div', {class: 'msg'});
    var card = h('section', {class: 'card', 'aria-labelledby': 'exports-h', 'data-section': 'exports'}, [
      h('h2', {id: 'exports-h', text: t('exports.title')}), h('p', {class: 'hint', text: t('exports.lead')})]);
    var row = h('div', {class: 'actions'});
    ['draw_log', 'gifts', 'results'].forEach(function (kind) {
      var b = h('button', {type: 'button', class: 'secondary', text: t('exports.' + kind)});
      b.addEventListener('click', function () {
        busy(b, true);
        say(msg, t('exports.running'), 'ok');
        api('POST', path + '/exports', {json: {kind: kind}, idem: newKey()}).then(function (r) {
          return pollExport(r.data.id, 0);
        }).then(function (done) {
          busy(b, false);
          say(msg, '');
          if (done && done.download_url) {
            msg.appendChild(h('p', {}, h('a', {href: done.download_url, rel: 'noopener noreferrer',
              download: '', text: t('exports.download', {kind: t('exports.' + kind)})})));
          }
        }, function (err) { busy(b, false); say(msg, problemText(err)); });
      });
      row.appendChild(b);
    });
    card.appendChild(row);
    card.appendChild(msg);
    return card;
  }

  function pollExport(id, tries) {
    return api('GET', '/exports/' + encodeURIComponent(id)).then(function (r) {
      if (r.data.status === 'completed' || tries > 120) return r.data;
      return new Promise(function (ok) { setTimeout(ok, 1000); }).then(function () { return pollExport(id, tries + 1); });
    });
  }

  function resultsCard(c, path) {
    var card = h('section', {class: 'card', 'aria-labelledby': 'results-h', 'data-section': 'results'}, [
      h('h2', {id: 'results-h', text: t('results.title')})]);
    if (c.status !== 'ended') { card.appendChild(h('p', {class: 'hint', text: t('results.after')})); return card; }
    api('GET', path + '/results-report').then(function (r) {
      var d = r.data || {};
      var list = h('dl', {class: 'facts'});
      Object.keys(d).forEach(function (k) {
        var v = d[k];
        if (v === null || typeof v !== 'object') list.appendChild(fact(k.replace(/_/g, ' '), String(v)));
      });
      card.appendChild(list);
    }, function (err) { card.appendChild(alertBox(problemText(err))); });
    return card;
  }

  // ------------------------------------------------------------------ gifts

  function renderGifts(campaignId) {
    var root = page('gifts.title');
    root.appendChild(heading(t('gifts.title')));
    var pick = h('select', {'data-field': 'campaign'});
    var pickMsg = h('div', {class: 'msg'});
    var chooser = h('div', {class: 'card'}, [field(t('gifts.campaign'), pick, t('gifts.campaign.hint')), pickMsg]);
    root.appendChild(chooser);
    var campaigns = {};
    var current = function () { return campaigns[pick.value]; };
    function label(c) {
      return c.name + ' · ' + t('status.' + c.status) + ' · ' +
        t('budget.left', {left: money(c.budget.remaining, c.currency), total: money(c.budget.total, c.currency)});
    }
    function refresh(id) {  // the budget left, after a gift or a batch
      return api('GET', '/campaigns/' + encodeURIComponent(id)).then(function (r) {
        campaigns[id] = r.data;
        var option = pick.querySelector('option[value="' + id + '"]');
        if (option) option.textContent = label(r.data);
      }, function () { /* the list is only a hint */ });
    }
    root.appendChild(issueCard(current, refresh));
    root.appendChild(bulkCard(current, refresh));
    root.appendChild(lookupCard());
    return api('GET', '/campaigns?limit=100').then(function (r) {
      r.data.data.forEach(function (c) {
        campaigns[c.id] = c;
        pick.appendChild(h('option', {value: c.id, text: label(c)}));
      });
      if (campaignId && campaigns[campaignId]) pick.value = campaignId;
      else {
        var active = r.data.data.filter(function (c) { return c.status === 'active'; })[0];
        if (active) pick.value = active.id;
      }
      if (!r.data.data.length) say(pickMsg, t('gifts.noCampaign'));
    }, function (err) { say(pickMsg, problemText(err)); });
  }

  function issueCard(current, refresh) {
    var msg = h('div', {class: 'msg'});
    var result = h('div', {class: 'result', 'aria-live': 'polite'});
    var amount = h('input', {type: 'text', inputmode: 'decimal', required: true, 'data-field': 'gift-amount', value: '50000'});
    var ref = h('input', {type: 'text', maxlength: '128', 'data-field': 'gift-reference'});
    var phone = h('input', {type: 'tel', 'data-field': 'gift-phone', placeholder: '+84901234567'});
    var email = h('input', {type: 'email', 'data-field': 'gift-email'});
    var submit = h('button', {type: 'submit', class: 'primary', text: t('issue.submit')});
    return h('section', {class: 'card', 'aria-labelledby': 'issue-h'}, [
      h('h2', {id: 'issue-h', text: t('issue.title')}),
      h('form', {novalidate: true, 'data-form': 'issue', onsubmit: function (ev) {
        ev.preventDefault();
        var c = current();
        if (!c) { say(msg, t('gifts.noCampaign')); return; }
        var body = {amount: toMinor(amount.value, c.currency)};
        if (!(body.amount > 0)) { say(msg, t('issue.err')); amount.focus(); return; }
        var rec = {};
        if (ref.value.trim()) rec.reference = ref.value.trim();
        if (phone.value.trim()) rec.phone = phone.value.trim();
        if (email.value.trim()) rec.email = email.value.trim();
        if (Object.keys(rec).length) body.recipient = rec;
        say(msg, '');
        busy(submit, true);
        moneyPost('issue:' + c.id, '/campaigns/' + encodeURIComponent(c.id) + '/gifts', body).then(function (r) {
          busy(submit, false);
          var g = r.data;
          clear(result).appendChild(h('div', {class: 'notice ok'}, [
            h('p', {text: t('issue.done', {amount: money(g.amount, g.currency)})}),
            h('p', {class: 'big-code', 'data-gift-code': g.code, text: g.code}),
            h('p', {class: 'hint', text: t('issue.expires', {when: when(g.expires_at)})})]));
          announce(t('issue.done', {amount: money(g.amount, g.currency)}) + ' ' + g.code);
          refresh(c.id);
        }, function (err) { busy(submit, false); say(msg, problemText(err)); });
      }}, [h('div', {class: 'grid'}, [field(t('issue.amount'), amount), field(t('issue.reference'), ref),
        field(t('issue.phone'), phone), field(t('issue.email'), email)]), msg, submit]),
      result]);
  }

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

  function bulkCard(current, refresh) {
    var msg = h('div', {class: 'msg'});
    var file = h('input', {type: 'file', accept: '.csv,text/csv', 'data-field': 'csv', required: true});
    var preview = h('p', {class: 'hint', 'aria-live': 'polite', 'data-field': 'csv-preview'});
    var progress = h('progress', {max: '1', value: '0', 'data-field': 'batch-progress', hidden: true});
    var progressText = h('p', {class: 'progress-text', role: 'status', 'data-field': 'batch-status'});
    var download = h('div', {class: 'download'});
    var submit = h('button', {type: 'submit', class: 'primary', text: t('bulk.submit')});
    var text = '';
    file.addEventListener('change', function () {
      text = '';
      clear(preview);
      var f = file.files && file.files[0];
      if (!f) return;
      f.text().then(function (content) {
        text = content;
        var c = current();
        var s = csvSummary(content, c ? c.currency : 'VND');
        preview.textContent = s.hasAmount
          ? t('bulk.preview', {rows: number(s.rows), total: c ? money(s.total, c.currency) : number(s.total)})
          : t('bulk.noAmount');
      });
    });
    var form = h('form', {novalidate: true, 'data-form': 'bulk', onsubmit: function (ev) {
      ev.preventDefault();
      var c = current();
      if (!c) { say(msg, t('gifts.noCampaign')); return; }
      if (!text) { say(msg, t('bulk.noFile')); file.focus(); return; }
      say(msg, '');
      clear(download);
      busy(submit, true);
      progress.hidden = false;
      progress.removeAttribute('value');  // indeterminate while uploading
      progressText.textContent = t('bulk.uploading');
      moneyPost('bulk:' + c.id, '/campaigns/' + encodeURIComponent(c.id) + '/gift-batches', null, {csv: text})
        .then(function (r) { return followBatch(r.data, progress, progressText); })
        .then(function (batch) {
          busy(submit, false);
          progressText.textContent = t('bulk.done', {n: number(batch.count), total: money(batch.total_amount, c.currency)});
          var b = h('button', {type: 'button', class: 'primary', 'data-action': 'download-codes',
            text: t('bulk.download', {n: number(batch.count)})});
          b.addEventListener('click', function () { downloadCodes(batch.id, b, msg); });
          download.appendChild(b);
          refresh(c.id);
        }, function (err) {
          busy(submit, false);
          progress.hidden = true;
          progressText.textContent = '';
          say(msg, problemText(err));
        });
    }}, [
      field(t('bulk.file'), file, t('bulk.hint')), preview, msg, submit,
      h('div', {class: 'progress-box'}, [progress, progressText]), download]);
    return h('section', {class: 'card', 'aria-labelledby': 'bulk-h'}, [
      h('h2', {id: 'bulk-h', text: t('bulk.title')}), form]);
  }

  function followBatch(batch, progress, progressText) {
    progress.max = Math.max(1, batch.count);
    progress.value = batch.issued;
    progressText.textContent = t('bulk.progress', {issued: number(batch.issued), count: number(batch.count)});
    if (batch.status === 'completed') return Promise.resolve(batch);
    return new Promise(function (ok) { setTimeout(ok, 800); }).then(function () {
      return api('GET', '/gift-batches/' + encodeURIComponent(batch.id));
    }).then(function (r) { return followBatch(r.data, progress, progressText); });
  }

  /* The codes as CSV: fetched with the key in the header, saved from a Blob. */
  function downloadCodes(batchId, button, msg) {
    busy(button, true);
    api('GET', '/gift-batches/' + encodeURIComponent(batchId) + '/gifts.csv', {blob: true}).then(function (r) {
      busy(button, false);
      var url = URL.createObjectURL(r.data);
      var a = h('a', {href: url, download: batchId + '-gifts.csv', class: 'sr-only', text: 'download'});
      document.body.appendChild(a);
      a.click();
      document.body.removeChild(a);
      setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
      announce(t('bulk.saved'));
    }, function (err) { busy(button, false); say(msg, problemText(err)); });
  }

  function lookupCard() {
    var msg = h('div', {class: 'msg'});
    var out = h('div', {class: 'lookup-result', 'data-field': 'lookup-result'});
    var code = h('input', {type: 'text', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters',
      required: true, 'data-field': 'lookup-code', placeholder: 'XXXX-XXXX-XXXX-XXXX'});
    var submit = h('button', {type: 'submit', class: 'primary', text: t('lookup.submit')});
    function show(value) {
      say(msg, '');
      busy(submit, true);
      clear(out);
      return api('GET', '/gifts/' + encodeURIComponent(value)).then(function (r) {
        busy(submit, false);
        drawGift(r.data, out, function () { return show(value); });
      }, function (err) {
        busy(submit, false);
        say(msg, err.status === 404 ? t('lookup.none') : problemText(err));
      });
    }
    return h('section', {class: 'card', 'aria-labelledby': 'lookup-h'}, [
      h('h2', {id: 'lookup-h', text: t('lookup.title')}),
      h('form', {class: 'inline-form', novalidate: true, 'data-form': 'lookup', role: 'search', onsubmit: function (ev) {
        ev.preventDefault();
        var value = code.value.trim();
        if (!value) { say(msg, t('lookup.empty')); code.focus(); return; }
        show(value);
      }}, [field(t('lookup.code'), code, t('lookup.hint')), submit]),
      msg, out]);
  }

  function drawGift(g, out, refresh) {
    var msg = h('div', {class: 'msg'});
    var head = h('div', {class: 'gift-head'}, [h('h3', {class: 'code', text: g.code}), statusBadge(g.status)]);
    out.appendChild(head);
    var rec = g.recipient || {};
    out.appendChild(h('dl', {class: 'facts', 'data-gift': g.code}, [
      fact(t('gift.amount'), money(g.amount, g.currency)),
      fact(t('gift.balance'), money(g.balance, g.currency), 'balance'),
      fact(t('gift.issued'), when(g.issued_at)),
      fact(t('gift.expires'), when(g.expires_at)),
      fact(t('gift.campaign'), h('a', {href: '#/campaigns/' + encodeURIComponent(g.campaign_id), text: g.campaign_id})),
      rec.reference ? fact(t('gift.reference'), rec.reference) : null].filter(Boolean)));
    if (g.status === 'active') {
      var voidButton = h('button', {type: 'button', class: 'danger', 'data-action': 'void', text: t('void.submit')});
      voidButton.addEventListener('click', function () {
        if (!window.confirm(t('void.confirm', {code: g.code, amount: money(g.balance, g.currency)}))) return;
        busy(voidButton, true);
        moneyPost('void:' + g.code, '/gifts/' + encodeURIComponent(g.code) + '/void', {}).then(function () {
          announce(t('void.done', {code: g.code}));
          clear(out);
          return refresh().then(function () { out.insertBefore(alertBox(t('void.done', {code: g.code}), 'ok'), out.firstChild); });
        }, function (err) { busy(voidButton, false); say(msg, problemText(err)); });
      });
      out.appendChild(h('div', {class: 'actions'}, [voidButton]));
    }
    out.appendChild(msg);
    if (g.redemptions && g.redemptions.length) {
      out.appendChild(h('h4', {text: t('gift.redemptions')}));
      out.appendChild(h('div', {class: 'scroll'}, h('table', {class: 'list'}, [
        h('thead', {}, h('tr', {}, [t('gift.when'), t('gift.amount'), t('gift.location')].map(function (x) {
          return h('th', {scope: 'col', text: x}); }))),
        h('tbody', {}, g.redemptions.map(function (r) {
          return h('tr', {}, [h('td', {text: when(r.redeemed_at)}), h('td', {class: 'num', text: money(r.amount, g.currency)}),
            h('td', {text: r.location || '—'})]);
        }))])));
    }
    var extra = h('div', {class: 'gift-extra'});
    out.appendChild(extra);
    var path = '/gifts/' + encodeURIComponent(g.code);
    if (has('/gifts/{code}/events')) {
      api('GET', path + '/events').then(function (r) {
        var events = (r.data && r.data.data) || [];
        var box = h('div', {'data-section': 'history'}, [h('h4', {text: t('gift.history')})]);
        box.appendChild(h('ol', {class: 'timeline'}, events.map(function (e) {
          return h('li', {}, [h('strong', {text: t('event.' + e.type) === 'event.' + e.type ? e.type : t('event.' + e.type)}),
            ' · ' + when(e.at) + (e.amount !== undefined && e.amount !== null ? ' · ' + money(e.amount, g.currency) : '') +
            (e.balance_after !== undefined ? ' · ' + t('gift.balanceAfter', {b: money(e.balance_after, g.currency)}) : '') +
            (e.location ? ' · ' + e.location : '')]);
        })));
        extra.insertBefore(box, extra.firstChild);
      }, function () { /* not there yet: nothing to show */ });
    }
    if (has('/gifts/{code}/qr.svg')) {
      api('GET', path + '/qr.svg', {blob: true}).then(function (r) {
        var url = URL.createObjectURL(r.data);
        extra.appendChild(h('figure', {class: 'qr', 'data-section': 'qr'}, [
          h('img', {src: url, width: '160', height: '160', alt: t('gift.qr', {code: g.code})}),
          h('figcaption', {text: t('gift.qrCaption')})]));
      }, function () { /* not there yet */ });
    }
  }

  // ------------------------------------------------------------------ webhooks

  function renderWebhooks() {
    var root = page('webhooks.title');
    root.appendChild(heading(t('webhooks.title')));
    root.appendChild(h('p', {class: 'lead', text: t('webhooks.lead')}));
    var msg = h('div', {class: 'msg'});
    var list = h('div', {class: 'card'});
    var url = h('input', {type: 'url', required: true, 'data-field': 'webhook-url', placeholder: 'https://'});
    var submit = h('button', {type: 'submit', class: 'primary', text: t('webhooks.add')});
    var secret = h('div', {'aria-live': 'polite'});
    root.appendChild(h('form', {class: 'card inline-form', novalidate: true, onsubmit: function (ev) {
      ev.preventDefault();
      busy(submit, true);
      api('POST', '/webhook-endpoints', {json: {url: url.value.trim(), events: ['*']}}).then(function (r) {
        busy(submit, false);
        clear(secret).appendChild(alertBox(t('webhooks.secret', {secret: r.data.secret || ''}), 'ok'));
        load();
      }, function (err) { busy(submit, false); say(msg, problemText(err)); });
    }}, [field(t('webhooks.url'), url), submit, msg]));
    root.appendChild(secret);
    root.appendChild(list);
    function load() {
      clear(list).appendChild(h('h2', {text: t('webhooks.list')}));
      return api('GET', '/webhook-endpoints').then(function (r) {
        var items = (r.data && r.data.data) || [];
        if (!items.length) { list.appendChild(h('p', {class: 'empty', text: t('webhooks.none')})); return; }
        list.appendChild(h('ul', {class: 'plain'}, items.map(function (w) {
          return h('li', {}, [h('code', {text: w.url}), ' · ', statusBadge(w.status), ' · ', (w.events || []).join(', ')]);
        })));
      }, function (err) { list.appendChild(alertBox(problemText(err))); });
    }
    return load();
  }

  // ------------------------------------------------------------------ start

  document.querySelectorAll('.lang button').forEach(function (b) {
    b.addEventListener('click', function () { setLang(b.getAttribute('data-lang')); });
  });
  document.getElementById('sign-out').addEventListener('click', function () { signOut(t('signout.done')); });
  window.addEventListener('hashchange', function () { render(true); });
  applyStaticTexts();
  render(false);
}());
