/*!
 * RewardsWheel: embeddable spin-the-wheel widget for the Rewards API.
 * Plain ES2019, no dependencies, no build step. Exposes window.RewardsWheel = {mount}.
 *
 *   RewardsWheel.mount(element, {token: '...', apiBase?: '...', lang?: 'vi'|'en',
 *                                slices?: 'proportional'|'equal', onResult?: fn})
 *     -> {destroy(), setLang(lang)}
 */
(function (window, document) {
  'use strict';

  if (window.RewardsWheel && window.RewardsWheel.__rewardsWheel) {
    return; // already loaded (script included twice): keep the first copy and its instances
  }

  var WHEEL_PATH = '/v1/play/wheel';
  var SPIN_PATH = '/v1/play/spins';
  var MAX_SIZE = 420;          // px, CSS size of the wheel
  var MIN_SIZE = 160;
  var REQUEST_TIMEOUT_MS = 15000;
  var SPIN_RETRIES = 3;        // retries after the first attempt, same Idempotency-Key and body
  var LOAD_RETRIES = 2;
  var SPIN_MS = 4000;          // deceleration, normal motion
  var SPIN_MS_REDUCED = 300;   // prefers-reduced-motion
  var OMEGA = 4 * Math.PI;     // free-spin speed while waiting for the server (2 turns/s)
  var RAMP_S = 0.35;           // free-spin acceleration time
  var TAU = Math.PI * 2;
  var MIN_LABEL_PX = 9;        // smallest slice label; below it the label is shortened
  var MIN_SLICE_DEG = 12;      // default: narrowest drawn slice (proportional layout)
  var WIDE_PX = 720;           // container width from which the result sits beside the wheel
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

  var DARK = ['#b91c1c', '#1d4ed8', '#047857', '#7e22ce', '#c2410c']; // all >= 4.5:1 against white text
  var LIGHT = '#fef3c7';                                               // dark text on it
  var DARK_TEXT = '#111827';

  var DICT = {
    vi: {
      loading: 'Đang tải vòng quay…',
      spin: 'Quay',
      spinning: 'Đang quay…',
      spinsLeft: 'Lượt quay còn lại:',
      spinsDetail: 'Hôm nay: {today} · Tổng: {total}',
      unlimited: 'Không giới hạn',
      odds: 'Tỉ lệ trúng',
      oddsPrize: 'Giải',
      oddsChance: 'Tỉ lệ',
      wheelLabel: 'Vòng quay may mắn gồm {n} ô: {list}',
      congrats: 'Chúc mừng!',
      youWon: 'Bạn trúng: {label}',
      codeLabel: 'Mã quà',
      qrAlt: 'Mã QR của mã quà, đưa cho thu ngân quét',
      copy: 'Sao chép',
      copied: 'Đã sao chép',
      copyFailed: 'Không sao chép tự động được, hãy chọn mã và sao chép thủ công.',
      expires: 'Hạn sử dụng: {date}',
      lose: 'Chúc may mắn lần sau',
      announceWin: 'Bạn trúng {amount}. Mã quà: {code}.',
      announceWinNoCode: 'Bạn trúng {amount}.',
      announceSpins: 'Còn {n} lượt quay.',
      announceSpinsOne: 'Còn 1 lượt quay.',
      noSpinsToday: 'Bạn đã hết lượt quay hôm nay, hãy quay lại vào ngày mai.',
      nextSpinsAt: 'Lượt mới từ {time}.',
      noSpins: 'Bạn đã hết lượt quay.',
      notActive: 'Chương trình đã kết thúc hoặc tạm dừng.',
      unauthorized: 'Phiên chơi đã hết hạn. Vui lòng tải lại trang để tiếp tục.',
      network: 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.',
      generic: 'Đã có lỗi xảy ra.',
      noToken: 'Thiếu mã phiên chơi (token).',
      noSegments: 'Vòng quay chưa được cấu hình.',
      retry: 'Thử lại',
      fairness: 'Kiểm chứng minh bạch',
      commitment: 'Cam kết seed máy chủ (SHA-256)',
      lastSpin: 'Lượt quay gần nhất',
      equalNote: 'Các ô được vẽ bằng nhau; tỉ lệ trúng thật nằm trong bảng.',
      minSliceNote: 'Ô nhỏ được vẽ rộng hơn để đọc được; tỉ lệ trúng thật nằm trong bảng.'
    },
    en: {
      loading: 'Loading the wheel…',
      spin: 'Spin',
      spinning: 'Spinning…',
      spinsLeft: 'Spins left:',
      spinsDetail: 'Today: {today} · Total: {total}',
      unlimited: 'Unlimited',
      odds: 'Odds',
      oddsPrize: 'Prize',
      oddsChance: 'Chance',
      wheelLabel: 'Prize wheel with {n} segments: {list}',
      congrats: 'Congratulations!',
      youWon: 'You won: {label}',
      codeLabel: 'Gift code',
      qrAlt: 'QR code of the gift code, for the till to scan',
      copy: 'Copy',
      copied: 'Copied',
      copyFailed: 'Could not copy automatically, please select the code and copy it.',
      expires: 'Valid until: {date}',
      lose: 'Better luck next time',
      announceWin: 'You won {amount}. Gift code: {code}.',
      announceWinNoCode: 'You won {amount}.',
      announceSpins: '{n} spins left.',
      announceSpinsOne: '1 spin left.',
      noSpinsToday: 'No spins left today, come back tomorrow.',
      nextSpinsAt: 'New spins from {time}.',
      noSpins: 'No spins left.',
      notActive: 'This campaign is not running.',
      unauthorized: 'Your session has expired. Please reload the page to continue.',
      network: 'Could not reach the server. Please check your connection and try again.',
      generic: 'Something went wrong.',
      noToken: 'Missing player token.',
      noSegments: 'The wheel is not configured yet.',
      retry: 'Try again',
      fairness: 'Fairness check',
      commitment: 'Server seed commitment (SHA-256)',
      lastSpin: 'Last spin',
      equalNote: 'Slices are drawn the same size; the real odds are in the table.',
      minSliceNote: 'Small slices are drawn wider so they can be read; the real odds are in the table.'
    }
  };
  var LOCALES = { vi: 'vi-VN', en: 'en-US' };

  var CSS = [
    '.rw-root{box-sizing:border-box;max-width:460px;margin:0 auto;padding:16px 12px;background:#fff;color:#111827;',
    'border-radius:16px;font-family:' + FONT + ';font-size:16px;line-height:1.45;text-align:center;',
    '-webkit-tap-highlight-color:transparent}',
    '.rw-root *,.rw-root *::before,.rw-root *::after{box-sizing:inherit}',
    '.rw-root [hidden]{display:none!important}',
    '.rw-root.rw-wide{max-width:' + (MAX_SIZE * 2 + 100) + 'px;display:flex;align-items:flex-start;gap:28px;text-align:left}',
    '.rw-root.rw-wide .rw-col-a{flex:0 0 ' + MAX_SIZE + 'px;text-align:center}',
    '.rw-root.rw-wide .rw-col-b{flex:1 1 auto;min-width:0}',
    '.rw-root.rw-wide .rw-result{margin-top:0;text-align:center}',
    '.rw-root .rw-wheel{width:100%;max-width:' + MAX_SIZE + 'px;margin:0 auto}',
    '.rw-root .rw-note{margin:4px 0 0;font-size:.85em;color:#4b5563}',
    '.rw-root .rw-wheel canvas{display:block;margin:0 auto;max-width:100%;touch-action:manipulation}',
    '.rw-root .rw-btn{font:inherit;cursor:pointer;border-radius:999px;border:2px solid transparent}',
    '.rw-root .rw-spin{display:block;width:100%;max-width:320px;min-height:56px;margin:16px auto 8px;padding:12px 24px;',
    'background:#b91c1c;color:#fff;font-size:1.375em;font-weight:700;letter-spacing:.04em;',
    'box-shadow:0 4px 0 #7f1d1d;transition:transform .08s,box-shadow .08s,background-color .15s}',
    '.rw-root .rw-spin:hover{background:#991b1b}',
    '.rw-root .rw-spin:active{transform:translateY(2px);box-shadow:0 2px 0 #7f1d1d}',
    '.rw-root .rw-spin:disabled{background:#6b7280;box-shadow:none;cursor:not-allowed;transform:none}',
    '.rw-root .rw-btn:focus{outline:3px solid #1d4ed8;outline-offset:3px}',
    '.rw-root .rw-btn:focus:not(:focus-visible){outline:none}',
    '.rw-root .rw-btn:focus-visible{outline:3px solid #1d4ed8;outline-offset:3px}',
    '.rw-root .rw-spins{margin:4px 0;color:#374151;font-size:.95em}',
    '.rw-root .rw-spins strong{color:#111827;font-size:1.1em}',
    '.rw-root .rw-spins-detail{display:block;font-size:.85em;color:#4b5563}',
    '.rw-root .rw-message{margin:8px 0;padding:10px 12px;border-radius:10px;background:#f3f4f6;color:#111827}',
    '.rw-root .rw-message.rw-error{background:#fef2f2;color:#991b1b;border:1px solid #fecaca}',
    '.rw-root .rw-message .rw-btn{display:inline-block;margin:8px auto 0;padding:6px 18px;background:#fff;color:#991b1b;border-color:#991b1b}',
    '.rw-root .rw-result{margin:12px 0;padding:16px 12px;border:2px solid #d97706;border-radius:14px;background:#fffbeb}',
    '.rw-root .rw-result:focus{outline:3px solid #1d4ed8;outline-offset:2px}',
    '.rw-root .rw-result.rw-lose{border-color:#9ca3af;background:#f9fafb}',
    '.rw-root .rw-title{margin:0 0 4px;font-size:1.25em;font-weight:700;color:#92400e}',
    '.rw-root .rw-lose .rw-title{color:#374151}',
    '.rw-root .rw-prize{margin:0 0 4px}',
    '.rw-root .rw-amount{margin:4px 0 10px;font-size:1.6em;font-weight:800;color:#111827}',
    '.rw-root .rw-qr{display:block;margin:0 auto 8px;width:132px;height:132px;image-rendering:pixelated}',
    '.rw-root .rw-code-label{margin:8px 0 2px;font-size:.85em;color:#4b5563;text-transform:uppercase;letter-spacing:.06em}',
    '.rw-root .rw-code{display:block;margin:0 auto 8px;padding:8px 6px;border:2px dashed #92400e;border-radius:10px;background:#fff;',
    'font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:1.4em;font-weight:700;',
    'letter-spacing:.06em;word-break:break-all;-webkit-user-select:all;user-select:all;color:#111827}',
    '.rw-root .rw-copy{padding:8px 22px;min-height:44px;background:#1d4ed8;color:#fff}',
    '.rw-root .rw-copy:hover{background:#1e40af}',
    '.rw-root .rw-expiry{margin:10px 0 0;font-size:.9em;color:#374151}',
    '.rw-root .rw-odds{width:100%;margin:14px 0 0;border-collapse:collapse;font-size:.9em}',
    '.rw-root .rw-odds caption{font-weight:700;padding:4px 0;text-align:left}',
    '.rw-root .rw-odds th,.rw-root .rw-odds td{padding:5px 6px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:middle}',
    '.rw-root .rw-odds th{font-weight:600;color:#374151}',
    '.rw-root .rw-odds td:last-child,.rw-root .rw-odds th:last-child{text-align:right;white-space:nowrap}',
    '.rw-root .rw-swatch{display:inline-block;width:.8em;height:.8em;margin-right:6px;border-radius:3px;vertical-align:-1px;border:1px solid #9ca3af}',
    '.rw-root .rw-fair{margin:10px 0 0;text-align:left;font-size:.8em;color:#4b5563}',
    '.rw-root .rw-fair summary{cursor:pointer}',
    '.rw-root .rw-fair code{word-break:break-all;font-size:.95em}',
    '.rw-root .rw-sr{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}',
    '@media (max-width:360px){.rw-root{padding:12px 8px}.rw-root .rw-code{font-size:1.2em}}',
    '@media (prefers-reduced-motion:reduce){.rw-root .rw-spin{transition:none}}'
  ].join('');

  // ---------------------------------------------------------------------------
  // Where the script came from: the default apiBase (keeps an API Gateway stage prefix
  // such as https://x.execute-api.../prod when served from .../prod/v1/widget/wheel.js).

  function findOwnScript() {
    if (document.currentScript) { return document.currentScript; }
    var scripts = document.getElementsByTagName('script');
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (/\/wheel\.js(?:[?#]|$)/.test(scripts[i].src || '')) { return scripts[i]; }
    }
    return null;
  }

  function baseFromScript(el) {
    if (!el || !el.src) { return ''; }
    try {
      var u = new URL(el.src, document.baseURI);
      if (!u.origin || u.origin === 'null') { return ''; }
      var m = u.pathname.match(/^(.*?)\/v1\/widget\/[^/]*$/);
      return u.origin + (m ? m[1] : '');
    } catch (e) {
      return '';
    }
  }

  var ownScript = findOwnScript();
  var SCRIPT_BASE = baseFromScript(ownScript);
  var SCRIPT_NONCE = ownScript ? (ownScript.nonce || ownScript.getAttribute('nonce') || '') : '';

  // ---------------------------------------------------------------------------
  // Small helpers

  function fmt(str, vars) {
    return String(str).replace(/\{(\w+)\}/g, function (all, k) {
      return Object.prototype.hasOwnProperty.call(vars, k) ? String(vars[k]) : all;
    });
  }

  function mod(a, n) { return ((a % n) + n) % n; }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) { return; }
        if (k === 'className') { node.className = attrs[k]; } else { node.setAttribute(k, attrs[k] === true ? '' : attrs[k]); }
      });
    }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function randomBytes(n) {
    var b = new Uint8Array(n);
    var c = window.crypto || window.msCrypto;
    if (c && typeof c.getRandomValues === 'function') {
      c.getRandomValues(b);
    } else {
      for (var i = 0; i < n; i++) { b[i] = Math.floor(Math.random() * 256); }
    }
    return b;
  }

  function toHex(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) { s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16); }
    return s;
  }

  function uuid() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === 'function') {
      try { return c.randomUUID(); } catch (e) { /* insecure context: fall through */ }
    }
    var b = randomBytes(16);
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // variant 10
    var h = toHex(b);
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function numOrNull(v) {
    if (v === null || v === undefined || v === '') { return null; }
    var n = Number(v);
    return isFinite(n) ? Math.max(0, Math.floor(n)) : null;
  }

  function parseRetryAfter(h) {
    if (!h) { return null; }
    if (/^\s*\d+\s*$/.test(h)) { return parseInt(h, 10); }
    var t = Date.parse(h);
    return isNaN(t) ? null : Math.max(0, Math.round((t - Date.now()) / 1000));
  }

  function minorDigits(currency) {
    try {
      return new Intl.NumberFormat('en', { style: 'currency', currency: currency }).resolvedOptions().maximumFractionDigits;
    } catch (e) {
      return 2;
    }
  }

  function formatMoney(amount, currency, locale) {
    if (typeof amount !== 'number' || !isFinite(amount)) { return ''; }
    if (!currency) { return new Intl.NumberFormat(locale).format(amount); }
    var d = minorDigits(currency);
    var value = amount / Math.pow(10, d);
    try {
      return new Intl.NumberFormat(locale, {
        style: 'currency', currency: currency, minimumFractionDigits: d, maximumFractionDigits: d
      }).format(value);
    } catch (e) {
      return new Intl.NumberFormat(locale).format(value) + ' ' + currency;
    }
  }

  function formatPercent(share, locale) {
    if (share > 0 && share < 0.0001) {
      return '< ' + new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(0.0001);
    }
    return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(share);
  }

  // In the campaign's time zone when known (days and expiry end at its midnight),
  // with the zone named, so a player abroad reads the same moment the shop means.
  function formatDateTime(iso, locale, timeZone) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return String(iso); }
    var o = { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' };
    if (timeZone) {
      try {
        return new Intl.DateTimeFormat(locale, Object.assign({ timeZone: timeZone, timeZoneName: 'short' }, o)).format(d);
      } catch (e) { /* unknown zone in this browser: fall back to its own */ }
    }
    try {
      return new Intl.DateTimeFormat(locale, o).format(d);
    } catch (e) {
      return d.toLocaleString();
    }
  }

  // Display arcs (radians) for weights `ps`: 'equal' gives every slice the same arc;
  // 'proportional' keeps arcs proportional to the odds, except that no slice is drawn
  // narrower than minSweep (so a 1 % prize carries a label); the others shrink to
  // make room. The odds table always shows the real chances.
  function sliceArcs(ps, mode, minSweep) {
    var n = ps.length;
    if (!n) { return []; }
    if (mode === 'equal') { return ps.map(function () { return TAU / n; }); }
    var total = ps.reduce(function (a, p) { return a + p; }, 0);
    var arcs = ps.map(function (p) { return p / total * TAU; });
    var floor = Math.min(minSweep, TAU / n);
    var fixed = ps.map(function () { return false; });
    for (var round = 0; round < n; round++) {
      var free = 0;
      var left = TAU;
      ps.forEach(function (p, i) { if (fixed[i]) { left -= floor; } else { free += p; } });
      var changed = false;
      ps.forEach(function (p, i) {
        if (fixed[i]) { arcs[i] = floor; return; }
        arcs[i] = p / free * left;
        if (arcs[i] < floor) { fixed[i] = true; changed = true; }
      });
      if (!changed) { break; }
    }
    return arcs;
  }

  // Width of the slice (its chord) at distance `rad` from the centre.
  function chordAt(rad, sweep) { return 2 * rad * Math.sin(Math.min(sweep, Math.PI) / 2); }

  // Two lines split at the space that makes the longer line shortest, or null.
  function splitTwo(g, text) {
    var best = null;
    var bestW = Infinity;
    for (var i = 1; i < text.length - 1; i++) {
      if (text.charAt(i) !== ' ') { continue; }
      var a = text.slice(0, i).replace(/\s+$/, '');
      var b = text.slice(i + 1).replace(/^\s+/, '');
      var w = Math.max(g.measureText(a).width, g.measureText(b).width);
      if (a && b && w < bestW) { best = [a, b]; bestW = w; }
    }
    return best;
  }

  // The largest font (from maxFs down to MIN_LABEL_PX) at which the label fits the
  // slice whole, on one line or two, right-aligned at `outer`; only when nothing fits
  // is it shortened with an ellipsis. Returns {fs, lines} (lines empty: no room at all).
  function fitLabel(g, text, sweep, inner, outer, maxFs) {
    var room = outer - inner;
    for (var fs = maxFs; fs >= MIN_LABEL_PX; fs -= 0.5) {
      g.font = '600 ' + fs.toFixed(1) + 'px ' + FONT;
      var w = g.measureText(text).width;
      if (w <= room && chordAt(outer - w, sweep) >= fs * 1.2) { return { fs: fs, lines: [text] }; }
      var two = splitTwo(g, text);
      if (two) {
        var w2 = Math.max(g.measureText(two[0]).width, g.measureText(two[1]).width);
        if (w2 <= room && chordAt(outer - w2, sweep) >= fs * 2.35) { return { fs: fs, lines: two }; }
      }
    }
    fs = MIN_LABEL_PX;
    g.font = '600 ' + fs.toFixed(1) + 'px ' + FONT;
    if (chordAt(inner, sweep) < fs * 1.1 && chordAt(outer - room / 2, sweep) < fs * 1.1) { return { fs: fs, lines: [] }; }
    var t = fitText(g, text, room);
    return { fs: fs, lines: t ? [t] : [] };
  }

  function fitText(g, text, maxWidth) {
    if (g.measureText(text).width <= maxWidth) { return text; }
    var lo = 0;
    var hi = text.length;
    while (lo < hi) {
      var mid = Math.ceil((lo + hi) / 2);
      if (g.measureText(text.slice(0, mid) + '…').width <= maxWidth) { lo = mid; } else { hi = mid - 1; }
    }
    return lo > 0 ? text.slice(0, lo).replace(/\s+$/, '') + '…' : '';
  }

  function prefersReducedMotion() {
    try {
      return !!(window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches);
    } catch (e) {
      return false;
    }
  }

  function injectStyle(nonce) {
    if (document.getElementById('rw-style')) { return; }
    var style = el('style', { id: 'rw-style' });
    if (nonce) { style.setAttribute('nonce', nonce); }
    style.textContent = CSS;
    (document.head || document.documentElement).appendChild(style);
  }

  // ---------------------------------------------------------------------------
  // Widget

  var instances = typeof WeakMap === 'function' ? new WeakMap() : null;

  function createWidget(root, opts) {
    var lang = pickLang(opts.lang);
    var firstLang = lang;
    var T = texts(lang);
    var locale = LOCALES[lang];
    var sliceMode = opts.slices === 'equal' ? 'equal' : 'proportional';
    var minDeg = typeof opts.minSliceDegrees === 'number' && opts.minSliceDegrees >= 0 ? opts.minSliceDegrees : MIN_SLICE_DEG;
    var minSweep = Math.min(minDeg, 45) * Math.PI / 180;
    var timeZone = typeof opts.timeZone === 'string' && opts.timeZone ? opts.timeZone : null;
    var apiBase = String(opts.apiBase || SCRIPT_BASE || (window.location && window.location.origin) || '').replace(/\/+$/, '');
    var token = opts.token ? String(opts.token) : '';
    var onResult = typeof opts.onResult === 'function' ? opts.onResult : null;
    var onError = typeof opts.onError === 'function' ? opts.onError : null;
    var customDuration = typeof opts.spinDurationMs === 'number' && opts.spinDurationMs >= 0 ? opts.spinDurationMs : null;

    var destroyed = false;
    var controllers = [];
    var timers = [];
    var cleanups = [];

    var segments = [];        // [{id, label, p}]
    var slices = [];          // [{seg, start, end, fill, text}] (wheel frame, radians clockwise from the top)
    var spinsLeft = null;
    var spinsLeftToday = null;
    var loaded = false;
    var blocked = false;      // 401 / campaign not active: no point in trying again
    var pendingSpin = null;   // {key, body} kept while the outcome of a spin is unknown (network / 5xx)
    var lastSpin = null;
    var lastFairness = null;
    var messageNow = null;    // {text: fn, kind, retry}: re-rendered when the language changes

    var rotation = 0;
    var winner = -1;
    var anim = null;
    var rafId = 0;
    var size = 0;
    var dpr = 1;
    var wheelImage = null;

    // ----- DOM -----
    function pickLang(l) {
      l = String(l || 'vi').toLowerCase().slice(0, 2);
      return DICT[l] ? l : 'vi';
    }

    // `strings` overrides the texts: either flat (for the language given at mount) or
    // per language ({vi: {...}, en: {...}}).
    function texts(l) {
      var o = (opts.strings && typeof opts.strings === 'object') ? opts.strings : {};
      var own = (o.vi || o.en) ? (o[l] || {}) : (l === firstLang ? o : {});
      return Object.assign({}, DICT[l], own);
    }

    var uid = 'rw' + Math.random().toString(36).slice(2, 8);
    var added = { rootClass: !root.classList.contains('rw-root'), lang: !root.hasAttribute('lang') };
    root.textContent = '';
    root.classList.add('rw-root');
    if (added.lang) { root.setAttribute('lang', lang); }

    var wheelBox = el('div', { className: 'rw-wheel' });
    var canvas = el('canvas', { role: 'img', 'aria-label': T.loading, 'data-rw': 'canvas' });
    wheelBox.appendChild(canvas);
    var ctx = null;
    try { ctx = canvas.getContext ? canvas.getContext('2d') : null; } catch (e) { ctx = null; }

    var btn = el('button', { type: 'button', className: 'rw-btn rw-spin', 'data-rw': 'spin', disabled: true }, T.spin);

    var spinsP = el('p', { className: 'rw-spins', id: uid + '-spins' });
    var spinsValue = el('strong', { 'data-rw': 'spins-left' }, '…');
    var spinsDetail = el('span', { className: 'rw-spins-detail' });
    var spinsLabel = el('span', null, T.spinsLeft + ' ');
    spinsP.appendChild(spinsLabel);
    spinsP.appendChild(spinsValue);
    spinsP.appendChild(spinsDetail);
    btn.setAttribute('aria-describedby', uid + '-spins');

    var message = el('div', { className: 'rw-message', 'data-rw': 'message', role: 'status', 'aria-live': 'polite', hidden: true });
    var result = el('div', { className: 'rw-result', 'data-rw': 'result', tabindex: '-1', hidden: true });
    var live = el('div', { className: 'rw-sr', 'data-rw': 'live', 'aria-live': 'polite', 'aria-atomic': 'true' });

    var odds = el('table', { className: 'rw-odds', 'data-rw': 'odds', hidden: true });
    var fair = el('details', { className: 'rw-fair', 'data-rw': 'fairness', hidden: true });

    var note = el('p', { className: 'rw-note', 'data-rw': 'slices-note', hidden: true });

    // Two columns (wheel | result and odds) when the container is wide, so the won code
    // shows next to the wheel instead of below the fold; one column otherwise.
    var colA = el('div', { className: 'rw-col-a' });
    var colB = el('div', { className: 'rw-col-b' });
    [wheelBox, note, btn, spinsP].forEach(function (n) { colA.appendChild(n); });
    [message, result, odds, fair].forEach(function (n) { colB.appendChild(n); });
    [colA, colB, live].forEach(function (n) { root.appendChild(n); });

    // ----- helpers bound to this instance -----
    function setState(s) { if (!destroyed) { root.setAttribute('data-rw-state', s); } }

    function later(fn, ms) {
      var id = setTimeout(function () {
        timers = timers.filter(function (t) { return t !== id; });
        if (!destroyed) { fn(); }
      }, ms);
      timers.push(id);
      return id;
    }

    function sleep(ms) { return new Promise(function (resolve) { later(resolve, ms); }); }

    function on(target, type, fn, options) {
      target.addEventListener(type, fn, options);
      cleanups.push(function () { target.removeEventListener(type, fn, options); });
    }

    // `text` is a string or a function of the current texts (re-run by setLang).
    function showMessage(text, kind, retryFn) {
      messageNow = text ? { text: text, kind: kind, retry: retryFn } : null;
      if (typeof text === 'function') { text = text(); }
      message.textContent = '';
      message.className = 'rw-message' + (kind === 'error' ? ' rw-error' : '');
      if (!text) { message.hidden = true; return; }
      message.appendChild(el('span', null, text));
      if (retryFn) {
        var again = el('button', { type: 'button', className: 'rw-btn', 'data-rw': 'retry' }, T.retry);
        again.addEventListener('click', retryFn);
        message.appendChild(el('br'));
        message.appendChild(again);
      }
      message.hidden = false;
    }

    function canSpin() {
      return loaded && !blocked && slices.length > 0 && spinsLeft !== 0 && spinsLeftToday !== 0;
    }

    function effectiveSpins() {
      if (spinsLeft === null) { return spinsLeftToday; }
      if (spinsLeftToday === null) { return spinsLeft; }
      return Math.min(spinsLeft, spinsLeftToday);
    }

    function renderSpins() {
      var n = effectiveSpins();
      spinsValue.textContent = n === null ? T.unlimited : String(n);
      spinsValue.setAttribute('data-rw-value', n === null ? 'unlimited' : String(n));
      if (spinsLeft !== null && spinsLeftToday !== null) {
        spinsDetail.textContent = fmt(T.spinsDetail, { today: spinsLeftToday, total: spinsLeft });
        spinsDetail.hidden = false;
      } else {
        spinsDetail.textContent = '';
        spinsDetail.hidden = true;
      }
    }

    function outOfSpinsText() {
      if (spinsLeftToday === 0 && spinsLeft !== 0) { return T.noSpinsToday; }
      return T.noSpins;
    }

    function updateWidth() {
      var parent = root.parentElement;
      var w = parent ? parent.clientWidth : 0;
      var wide = w >= WIDE_PX;
      if (wide !== root.classList.contains('rw-wide')) { root.classList.toggle('rw-wide', wide); }
    }

    // ----- networking -----
    function request(method, path, body, idemKey, retries) {
      var attempt = 0;
      function once() {
        var ctrl = typeof AbortController === 'function' ? new AbortController() : null;
        if (ctrl) { controllers.push(ctrl); }
        var timer = setTimeout(function () { if (ctrl) { ctrl.abort(); } }, REQUEST_TIMEOUT_MS);
        var headers = { 'Accept': 'application/json, application/problem+json', 'Authorization': 'Bearer ' + token };
        if (body !== null && body !== undefined) { headers['Content-Type'] = 'application/json'; }
        if (idemKey) { headers['Idempotency-Key'] = idemKey; }
        var init = { method: method, headers: headers, mode: 'cors', credentials: 'omit', cache: 'no-store' };
        if (body !== null && body !== undefined) { init.body = body; }
        if (ctrl) { init.signal = ctrl.signal; }
        var p;
        try {
          p = window.fetch(apiBase + path, init);
        } catch (e) {
          p = Promise.reject(e);
        }
        return p.then(function (resp) {
          return resp.text().then(function (text) {
            var data = null;
            if (text) { try { data = JSON.parse(text); } catch (e) { data = null; } }
            var r = {
              ok: resp.status >= 200 && resp.status < 300,
              status: resp.status,
              data: data,
              retryAfter: parseRetryAfter(resp.headers.get('Retry-After')),
              replayed: resp.headers.get('Idempotent-Replayed') === 'true'
            };
            if (!r.ok) {
              r.problem = (data && typeof data === 'object') ? data : { status: resp.status, title: resp.statusText || '' };
            }
            return r;
          });
        }).catch(function (err) {
          return { ok: false, network: true, status: 0, error: err };
        }).then(function (r) {
          clearTimeout(timer);
          controllers = controllers.filter(function (c) { return c !== ctrl; });
          if (destroyed) { return r; }
          var code = r.problem && r.problem.code;
          var retryable = r.network || r.status >= 500 || (r.status === 409 && code === 'idempotency_in_progress');
          if (retryable && attempt < retries) {
            var delay = 500 * Math.pow(2, attempt) + Math.floor(Math.random() * 250);
            if (r.retryAfter !== null && r.retryAfter !== undefined && !r.network) {
              delay = Math.max(delay, Math.min(r.retryAfter * 1000, 5000));
            }
            attempt += 1;
            return sleep(delay).then(once);
          }
          return r;
        });
      }
      return once();
    }

    function describeProblem(r) {
      // Returns {text, final}: final = the button should stay disabled.
      if (r.network) { return { text: function () { return T.network; }, final: false }; }
      var p = r.problem || {};
      var code = p.code;
      if (r.status === 401 || code === 'unauthorized') {
        blocked = true;
        return { text: function () { return T.unauthorized; }, final: true };
      }
      if (code === 'spin_limit_reached') {
        var daily;
        if (p.limit === 'daily' || p.limit === 'lifetime') { daily = p.limit === 'daily'; }
        else if (r.retryAfter !== null && r.retryAfter !== undefined) { daily = true; }
        else if (spinsLeft === null) { daily = true; }
        else if (spinsLeftToday === null) { daily = false; }
        else { daily = spinsLeft > 1; }
        if (daily) { spinsLeftToday = 0; } else { spinsLeft = 0; }
        renderSpins();
        var when = daily && r.retryAfter ? new Date(Date.now() + r.retryAfter * 1000) : null;
        return {
          text: function () {
            var text = daily ? T.noSpinsToday : T.noSpins;
            if (when) { text += ' ' + fmt(T.nextSpinsAt, { time: formatDateTime(when.toISOString(), locale, timeZone) }); }
            return text;
          },
          final: true
        };
      }
      if (code === 'campaign_not_active') {
        blocked = true;
        return { text: function () { return T.notActive; }, final: true };
      }
      var detail = (typeof p.detail === 'string' && p.detail) ? p.detail : (typeof p.title === 'string' ? p.title : '');
      return { text: function () { return T.generic + (detail ? ' ' + detail : ''); }, final: false };
    }

    function reportError(r) {
      if (onError) {
        try { onError(r.problem || { status: r.status, code: r.network ? 'network_error' : undefined }); } catch (e) { /* partner code */ }
      }
    }

    // ----- load the wheel -----
    function load() {
      loaded = false;
      setState('loading');
      btn.disabled = true;
      showMessage(function () { return T.loading; }, 'info');
      if (!token) {
        blocked = true;
        setState('error');
        showMessage(function () { return T.noToken; }, 'error');
        return;
      }
      if (typeof window.fetch !== 'function') {
        setState('error');
        showMessage(function () { return T.generic; }, 'error');
        return;
      }
      request('GET', WHEEL_PATH, null, null, LOAD_RETRIES).then(function (r) {
        if (destroyed) { return; }
        if (!r.ok || !r.data || typeof r.data !== 'object') {
          var d = describeProblem(r.ok ? { status: 0, problem: {} } : r);
          setState('error');
          showMessage(d.text, 'error', d.final ? null : load);
          reportError(r);
          return;
        }
        applyWheel(r.data);
      });
    }

    function applyWheel(data) {
      segments = (Array.isArray(data.segments) ? data.segments : []).map(function (s) {
        s = s || {};
        var p = Number(s.probability);
        return {
          id: String(s.id),
          label: (s.label === null || s.label === undefined || s.label === '') ? String(s.id) : String(s.label),
          p: isFinite(p) && p > 0 ? p : 0
        };
      });
      spinsLeft = numOrNull(data.spins_left);
      spinsLeftToday = numOrNull(data.spins_left_today);
      if (!opts.timeZone && typeof data.timezone === 'string' && data.timezone) { timeZone = data.timezone; }
      lastFairness = data.fairness;
      buildSlices();
      renderOdds(lastFairness);
      renderSpins();
      wheelImage = null;
      layout();
      loaded = true;
      setState('ready');
      if (!slices.length) {
        showMessage(function () { return T.noSegments; }, 'error');
      } else if (!canSpin()) {
        showMessage(outOfSpinsText, 'info');
      } else {
        showMessage('');
      }
      btn.disabled = !canSpin();
    }

    function buildSlices() {
      var shown = segments.filter(function (s) { return s.p > 0; });
      var total = shown.reduce(function (a, s) { return a + s.p; }, 0);
      var n = shown.length;
      var acc = 0;
      var arcs = sliceArcs(shown.map(function (s) { return s.p; }), sliceMode, minSweep);
      var reshaped = n > 1 && (sliceMode === 'equal' || arcs.some(function (a, i) { return Math.abs(a - shown[i].p / total * TAU) > 1e-9; }));
      note.textContent = !reshaped ? '' : (sliceMode === 'equal' ? T.equalNote : T.minSliceNote);
      note.hidden = !reshaped;
      slices = shown.map(function (seg, k) {
        var fill;
        var text = '#ffffff';
        if (k % 2 === 1) {
          fill = LIGHT;
          text = DARK_TEXT;
        } else {
          var di = (k / 2) % DARK.length;
          if (n > 1 && k === n - 1 && di === 0) { di = 1; } // last dark slice touches the first one
          fill = DARK[di];
        }
        var w = arcs[k];
        var s = { seg: seg, start: acc, end: acc + w, fill: fill, text: text };
        acc += w;
        return s;
      });
      if (slices.length) { slices[slices.length - 1].end = TAU; }
      var list = slices.map(function (s) {
        return s.seg.label + ' (' + formatPercent(s.seg.p / total, locale) + ')';
      }).join('; ');
      canvas.setAttribute('aria-label', fmt(T.wheelLabel, { n: slices.length, list: list }));
    }

    function sliceColour(segId) {
      for (var i = 0; i < slices.length; i++) { if (slices[i].seg.id === segId) { return slices[i].fill; } }
      return null;
    }

    function renderOdds(fairness) {
      odds.textContent = '';
      var total = segments.reduce(function (a, s) { return a + s.p; }, 0);
      odds.appendChild(el('caption', null, T.odds));
      var thead = el('thead');
      var hr = el('tr');
      hr.appendChild(el('th', { scope: 'col' }, T.oddsPrize));
      hr.appendChild(el('th', { scope: 'col' }, T.oddsChance));
      thead.appendChild(hr);
      odds.appendChild(thead);
      var tbody = el('tbody');
      segments.forEach(function (s) {
        var tr = el('tr', { 'data-rw-segment': s.id });
        var td = el('td');
        var colour = sliceColour(s.id);
        var sw = el('span', { className: 'rw-swatch', 'aria-hidden': 'true' });
        sw.style.background = colour || 'transparent';
        td.appendChild(sw);
        td.appendChild(document.createTextNode(s.label));
        tr.appendChild(td);
        tr.appendChild(el('td', null, formatPercent(total > 0 ? s.p / total : 0, locale)));
        tbody.appendChild(tr);
      });
      odds.appendChild(tbody);
      odds.hidden = segments.length === 0;

      fair.textContent = '';
      var commitment = fairness && fairness.seed_commitment;
      if (commitment) {
        fair.appendChild(el('summary', null, T.fairness));
        var p1 = el('p');
        p1.appendChild(document.createTextNode(T.commitment + ': '));
        p1.appendChild(el('code', { 'data-rw': 'commitment' }, commitment));
        fair.appendChild(p1);
        fair.appendChild(el('p', { 'data-rw': 'last-spin', hidden: true }));
        fair.hidden = false;
      } else {
        fair.hidden = true;
      }
    }

    function renderLastSpinFairness(spin) {
      var p = fair.querySelector('[data-rw="last-spin"]');
      var f = spin && spin.fairness;
      if (!p || !f || typeof f !== 'object') { return; }
      var parts = [];
      ['client_seed', 'nonce', 'roll'].forEach(function (k) {
        if (f[k] !== undefined && f[k] !== null) { parts.push(k + '=' + f[k]); }
      });
      p.textContent = T.lastSpin + ' (' + (spin.id || '') + '): ' + parts.join(', ');
      p.hidden = false;
    }

    // ----- drawing -----
    function layout() {
      if (destroyed) { return; }
      var w = wheelBox.clientWidth || MAX_SIZE;
      var s = Math.max(MIN_SIZE, Math.min(MAX_SIZE, Math.floor(w)));
      var ratio = Math.min(Math.max(window.devicePixelRatio || 1, 1), 3);
      if (s === size && ratio === dpr && wheelImage) { return; }
      size = s;
      dpr = ratio;
      canvas.width = Math.round(size * dpr);
      canvas.height = Math.round(size * dpr);
      canvas.style.width = size + 'px';
      canvas.style.height = size + 'px';
      wheelImage = renderWheelImage();
      draw();
    }

    function geometry() {
      var c = size / 2;
      var rim = Math.max(6, Math.round(size * 0.03));
      return { c: c, rim: rim, r: c - rim - 2 };
    }

    function renderWheelImage() {
      if (!ctx || !slices.length) { return null; }
      var img = document.createElement('canvas');
      img.width = canvas.width;
      img.height = canvas.height;
      var g = img.getContext('2d');
      if (!g) { return null; }
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      var geo = geometry();
      var c = geo.c;
      var r = geo.r;

      slices.forEach(function (s) {
        g.beginPath();
        g.moveTo(c, c);
        g.arc(c, c, r, s.start - Math.PI / 2, s.end - Math.PI / 2);
        g.closePath();
        g.fillStyle = s.fill;
        g.fill();
      });
      if (slices.length > 1) {
        g.strokeStyle = '#ffffff';
        g.lineWidth = Math.max(1.5, size / 220);
        slices.forEach(function (s) {
          var a = s.start - Math.PI / 2;
          g.beginPath();
          g.moveTo(c, c);
          g.lineTo(c + r * Math.cos(a), c + r * Math.sin(a));
          g.stroke();
        });
      }

      // labels
      slices.forEach(function (s) {
        var outer = r * 0.93;
        var fit = fitLabel(g, s.seg.label, s.end - s.start, r * 0.17, outer, Math.min(r * 0.085, 18));
        if (!fit.lines.length) { return; } // no room at all: the odds table names it
        g.save();
        g.translate(c, c);
        g.rotate((s.start + s.end) / 2 - Math.PI / 2);
        g.font = '600 ' + fit.fs.toFixed(1) + 'px ' + FONT;
        g.textAlign = 'right';
        g.textBaseline = 'middle';
        g.fillStyle = s.text;
        var lh = fit.fs * 1.1;
        fit.lines.forEach(function (line, i) {
          g.fillText(line, outer, (i - (fit.lines.length - 1) / 2) * lh);
        });
        g.restore();
      });

      // rim with lights
      g.beginPath();
      g.arc(c, c, r + geo.rim / 2, 0, TAU);
      g.strokeStyle = '#1f2937';
      g.lineWidth = geo.rim;
      g.stroke();
      var dots = 16;
      g.fillStyle = '#fde68a';
      for (var i = 0; i < dots; i++) {
        var a = i / dots * TAU;
        g.beginPath();
        g.arc(c + (r + geo.rim / 2) * Math.cos(a), c + (r + geo.rim / 2) * Math.sin(a), Math.max(1.5, geo.rim * 0.22), 0, TAU);
        g.fill();
      }
      return img;
    }

    function draw() {
      if (!ctx || !size) { return; }
      var geo = geometry();
      var c = geo.c;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, size, size);
      if (!wheelImage) {
        ctx.beginPath();
        ctx.arc(c, c, geo.r, 0, TAU);
        ctx.fillStyle = '#f3f4f6';
        ctx.fill();
        ctx.lineWidth = geo.rim;
        ctx.strokeStyle = '#d1d5db';
        ctx.stroke();
        return;
      }
      ctx.save();
      ctx.translate(c, c);
      ctx.rotate(rotation);
      ctx.drawImage(wheelImage, -c, -c, size, size);
      if (winner >= 0 && slices[winner]) {
        var s = slices[winner];
        ctx.beginPath();
        ctx.arc(0, 0, geo.r - 3, s.start - Math.PI / 2, s.end - Math.PI / 2);
        ctx.lineWidth = 6;
        ctx.strokeStyle = '#facc15';
        ctx.stroke();
      }
      ctx.restore();

      // hub
      ctx.beginPath();
      ctx.arc(c, c, geo.r * 0.14, 0, TAU);
      ctx.fillStyle = '#ffffff';
      ctx.fill();
      ctx.lineWidth = Math.max(3, size / 110);
      ctx.strokeStyle = '#1f2937';
      ctx.stroke();

      // pointer at the top, pointing down into the wheel
      var pw = Math.max(10, size * 0.045);
      var ph = Math.max(18, size * 0.1);
      ctx.beginPath();
      ctx.moveTo(c - pw, 1.5);
      ctx.lineTo(c + pw, 1.5);
      ctx.lineTo(c, 1.5 + ph);
      ctx.closePath();
      ctx.fillStyle = '#111827';
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = '#ffffff';
      ctx.stroke();
    }

    // ----- animation -----
    // Wheel frame: slice angles run clockwise from the top. With the wheel rotated by `rotation`
    // (clockwise), the angle under the top pointer is mod(-rotation, TAU).
    var raf = window.requestAnimationFrame ? window.requestAnimationFrame.bind(window) : null;
    var caf = window.cancelAnimationFrame ? window.cancelAnimationFrame.bind(window) : null;
    function now() { return (window.performance && window.performance.now) ? window.performance.now() : Date.now(); }

    function kick() {
      if (!rafId && raf && !destroyed) { rafId = raf(tick); }
    }

    function startFreeSpin() {
      var reduced = prefersReducedMotion();
      anim = { mode: 'free', t0: now(), rot0: rotation, omega: reduced || !raf ? 0 : OMEGA, next: null };
      kick();
    }

    function freeState(a, t) {
      var e = Math.max(0, (t - a.t0) / 1000);
      if (!a.omega) { return { rot: a.rot0, v: 0, ramped: true }; }
      if (e < RAMP_S) { return { rot: a.rot0 + a.omega * e * e / (2 * RAMP_S), v: a.omega * e / RAMP_S, ramped: false }; }
      return { rot: a.rot0 + a.omega * (e - RAMP_S / 2), v: a.omega, ramped: true };
    }

    // target: wheel-frame angle to bring under the pointer, or null to just come to a stop.
    function beginEase(next, t, rot0, v) {
      var reduced = prefersReducedMotion();
      var dur = customDuration !== null ? customDuration : (reduced ? SPIN_MS_REDUCED : SPIN_MS);
      var delta;
      var p = 3;
      if (next.target === null) {
        dur = v > 0 ? 900 : 0;
        p = 2;
        delta = v * (dur / 1000) / p;
      } else {
        var d0 = mod(-next.target - rot0, TAU);
        if (dur === 0 || reduced) {
          delta = d0;
        } else if (v > 0) {
          // choose whole extra turns so that the ease-out starts at the current speed
          var vd = v * dur / 1000;
          var turns = Math.max(1, Math.round((vd / 3 - d0) / TAU));
          delta = d0 + turns * TAU;
          p = Math.min(5, Math.max(1.5, vd / delta));
        } else {
          delta = d0 + Math.max(2, Math.round(dur / 1000)) * TAU;
        }
      }
      if (!raf || dur === 0 || (document.hidden === true)) {
        rotation = mod(rot0 + delta, TAU);
        anim = null;
        draw();
        next.done();
        return;
      }
      anim = { mode: 'ease', t0: t, rot0: rot0, delta: delta, dur: dur, p: p, done: next.done };
      kick();
    }

    function tick(t) {
      rafId = 0;
      if (destroyed || !anim) { return; }
      if (anim.mode === 'free') {
        var st = freeState(anim, t);
        rotation = st.rot;
        if (anim.next && st.ramped) {
          var next = anim.next;
          anim = null;
          beginEase(next, t, rotation, st.v);
          if (!anim) { return; }
        }
      } else {
        var k = anim.dur > 0 ? Math.min(1, (t - anim.t0) / anim.dur) : 1;
        rotation = anim.rot0 + anim.delta * (1 - Math.pow(1 - k, anim.p));
        if (k >= 1) {
          var done = anim.done;
          anim = null;
          rotation = mod(rotation, TAU);
          draw();
          done();
          return;
        }
      }
      draw();
      kick();
    }

    // Bring the wheel to rest (on `target` if not null), then call done().
    function settle(target, done) {
      var next = { target: target, done: done };
      if (anim && anim.mode === 'free' && raf && document.hidden !== true) {
        anim.next = next;
        kick();
        return;
      }
      var v = 0;
      if (anim && anim.mode === 'free') { v = freeState(anim, now()).v; rotation = freeState(anim, now()).rot; }
      anim = null;
      beginEase(next, now(), rotation, v);
    }

    function landingAngle(segId) {
      for (var i = 0; i < slices.length; i++) {
        var s = slices[i];
        if (s.seg.id === segId) {
          var w = s.end - s.start;
          return { index: i, angle: s.start + w / 2 + (Math.random() - 0.5) * w * 0.6 };
        }
      }
      return null;
    }

    // ----- spinning -----
    function spin() {
      if (destroyed || root.getAttribute('data-rw-state') === 'spinning' || !canSpin()) { return; }
      var hadFocus = document.activeElement === btn;
      setState('spinning');
      btn.disabled = true;
      btn.textContent = T.spinning;
      btn.setAttribute('aria-busy', 'true');
      result.hidden = true;
      showMessage('');
      live.textContent = '';
      winner = -1;
      draw();
      if (!pendingSpin) {
        pendingSpin = { key: uuid(), body: JSON.stringify({ client_seed: toHex(randomBytes(16)) }) };
      }
      var attempt = pendingSpin;
      startFreeSpin();
      request('POST', SPIN_PATH, attempt.body, attempt.key, SPIN_RETRIES).then(function (r) {
        if (destroyed) { return; }
        var uncertain = r.network || r.status >= 500 ||
          (r.status === 409 && r.problem && r.problem.code === 'idempotency_in_progress');
        if (!uncertain) { pendingSpin = null; } // a definite answer: the next click is a new spin

        if (r.ok && r.data && typeof r.data === 'object') {
          var spinData = r.data;
          var land = landingAngle(String(spinData.segment_id));
          settle(land ? land.angle : null, function () {
            winner = land ? land.index : -1;
            draw();
            finishSpin(spinData, hadFocus);
          });
          return;
        }
        var d = describeProblem(r.ok ? { status: 0, problem: {} } : r);
        settle(null, function () {
          resetButton();
          setState('error');
          showMessage(d.text, 'error');
          btn.disabled = !canSpin() || d.final;
          restoreFocus(hadFocus);
          reportError(r);
        });
      });
    }

    function resetButton() {
      btn.textContent = T.spin;
      btn.removeAttribute('aria-busy');
    }

    function restoreFocus(hadFocus) {
      if (!hadFocus) { return; }
      try {
        if (!btn.disabled) { btn.focus({ preventScroll: true }); } else if (!result.hidden) { result.focus({ preventScroll: true }); }
      } catch (e) { /* ignore */ }
    }

    function finishSpin(spinData, hadFocus) {
      lastSpin = spinData;
      if ('spins_left' in spinData) {
        // the server's count after this spin (null: unlimited)
        spinsLeft = numOrNull(spinData.spins_left);
        spinsLeftToday = numOrNull(spinData.spins_left_today);
      } else {
        if (spinsLeft !== null) { spinsLeft = Math.max(0, spinsLeft - 1); }
        if (spinsLeftToday !== null) { spinsLeftToday = Math.max(0, spinsLeftToday - 1); }
      }
      renderSpins();
      renderResult(spinData);
      result.hidden = false;
      renderLastSpinFairness(spinData);
      live.textContent = announcement(spinData);

      resetButton();
      btn.disabled = !canSpin();
      if (!canSpin() && loaded && !blocked) { showMessage(outOfSpinsText, 'info'); }
      setState('done');
      restoreFocus(hadFocus);
      revealResult();
      if (onResult) {
        try { onResult(spinData); } catch (e) { /* partner code must not break the widget */ }
      }
    }

    function spinView(spinData) {
      var seg = null;
      for (var i = 0; i < segments.length; i++) { if (segments[i].id === String(spinData.segment_id)) { seg = segments[i]; } }
      var gift = spinData.gift && typeof spinData.gift === 'object' ? spinData.gift : null;
      var prize = spinData.prize && typeof spinData.prize === 'object' ? spinData.prize : null;
      var amount = '';
      if (gift || prize) {
        amount = gift ? formatMoney(gift.amount, gift.currency, locale) : formatMoney(prize.amount, null, locale);
      }
      return { seg: seg, label: seg ? seg.label : String(spinData.segment_id || ''), gift: gift, prize: prize,
        amount: amount, code: gift && gift.code ? String(gift.code) : '' };
    }

    // The result box for a spin, in the current language (also re-run by setLang).
    function renderResult(spinData) {
      var v = spinView(spinData);
      result.textContent = '';
      if (v.gift || v.prize) {
        result.className = 'rw-result rw-win';
        result.appendChild(el('p', { className: 'rw-title' }, T.congrats));
        result.appendChild(el('p', { className: 'rw-prize', 'data-rw': 'prize' }, fmt(T.youWon, { label: v.label })));
        if (v.amount) { result.appendChild(el('p', { className: 'rw-amount', 'data-rw': 'amount' }, v.amount)); }
        if (v.code) {
          var code = v.code;
          var codeId = uid + '-code';
          result.appendChild(el('p', { className: 'rw-code-label', id: codeId + '-l' }, T.codeLabel));
          result.appendChild(el('code', { className: 'rw-code', 'data-rw': 'code', id: codeId, 'aria-labelledby': codeId + '-l ' + codeId }, code));
          var copyBtn = el('button', { type: 'button', className: 'rw-btn rw-copy', 'data-rw': 'copy' }, T.copy);
          copyBtn.addEventListener('click', function () { copyCode(code, copyBtn); });
          result.appendChild(copyBtn);
          if (v.gift.id) { showQr(String(v.gift.id)); }
          if (v.gift.expires_at) {
            result.appendChild(el('p', { className: 'rw-expiry', 'data-rw': 'expires', 'data-rw-timezone': timeZone || '' },
              fmt(T.expires, { date: formatDateTime(v.gift.expires_at, locale, timeZone) })));
          }
        }
      } else {
        result.className = 'rw-result rw-lose';
        result.appendChild(el('p', { className: 'rw-title' }, T.lose));
        if (v.seg && v.seg.label !== T.lose) { result.appendChild(el('p', { className: 'rw-prize', 'data-rw': 'prize' }, v.seg.label)); }
      }
    }

    function announcement(spinData) {
      var v = spinView(spinData);
      var announce;
      if (v.gift || v.prize) {
        announce = v.code ? fmt(T.announceWin, { amount: v.amount || v.label, code: v.code })
          : fmt(T.announceWinNoCode, { amount: v.amount || v.label });
      } else {
        announce = T.lose + '.';
      }
      var left = effectiveSpins();
      if (left !== null) { announce += ' ' + (left === 1 ? T.announceSpinsOne : fmt(T.announceSpins, { n: left })); }
      return announce;
    }

    // On a narrow page the result sits under the wheel: bring it into view if it is not.
    function revealResult() {
      if (result.hidden || root.classList.contains('rw-wide') || !result.getBoundingClientRect) { return; }
      var box = result.getBoundingClientRect();
      var vh = window.innerHeight || document.documentElement.clientHeight || 0;
      if (!vh || (box.top >= 0 && box.bottom <= vh)) { return; }
      try {
        result.scrollIntoView({ block: 'nearest', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
      } catch (e) {
        result.scrollIntoView(false);
      }
    }

    // Switch the language in place: texts, odds, message and the result on screen stay.
    function setLang(newLang) {
      if (destroyed) { return; }
      lang = pickLang(newLang);
      T = texts(lang);
      locale = LOCALES[lang];
      if (added.lang) { root.setAttribute('lang', lang); }
      btn.textContent = root.getAttribute('data-rw-state') === 'spinning' ? T.spinning : T.spin;
      spinsLabel.textContent = T.spinsLeft + ' ';
      renderSpins();
      if (loaded) {
        buildSlices();
        renderOdds(lastFairness);
      } else {
        canvas.setAttribute('aria-label', T.loading);
      }
      if (lastSpin) {
        renderResult(lastSpin);
        renderLastSpinFairness(lastSpin);
        live.textContent = '';
      }
      if (messageNow) {
        showMessage(messageNow.text, messageNow.kind, messageNow.retry);
      }
      var again = message.querySelector('[data-rw="retry"]');
      if (again) { again.textContent = T.retry; }
    }

    // The won code as a QR for the till's scanner, beside the code. Fetched with the
    // player token (an <img src> cannot send it) and shown as a data: URL, so a page's
    // CSP needs only `img-src data:` (the demo page allows it); an <img> never runs
    // anything inside an SVG. No QR is no harm: the code above stays readable.
    var qrCache = {};
    function showQr(giftId) {
      var img = el('img', { className: 'rw-qr', 'data-rw': 'qr', alt: T.qrAlt, width: '132', height: '132' });
      function put(url) {
        var old = result.querySelector('[data-rw="qr"]');
        if (old) { old.parentNode.removeChild(old); }
        img.src = url;
        result.appendChild(img);
      }
      if (qrCache[giftId]) { put(qrCache[giftId]); return; }
      var init = { method: 'GET', mode: 'cors', credentials: 'omit', cache: 'no-store',
        headers: { 'Accept': 'image/svg+xml', 'Authorization': 'Bearer ' + token } };
      var p;
      try { p = window.fetch(apiBase + '/v1/play/gifts/' + encodeURIComponent(giftId) + '/qr.svg', init); } catch (e) { return; }
      p.then(function (resp) {
        if (!resp.ok) { return null; }
        return resp.text();
      }).then(function (text) {
        if (!text || text.indexOf('<svg') !== 0) { return; }
        qrCache[giftId] = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
        if (result.querySelector('[data-rw="code"]')) { put(qrCache[giftId]); }
      }).catch(function () { /* no QR: the code is still shown */ });
    }

    function copyCode(code, copyBtn) {
      function ok() {
        copyBtn.textContent = T.copied + ' ✓';
        live.textContent = T.copied;
        later(function () { copyBtn.textContent = T.copy; }, 2000);
      }
      function fail() {
        var codeEl = result.querySelector('[data-rw="code"]');
        try {
          var range = document.createRange();
          range.selectNodeContents(codeEl);
          var sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
        } catch (e) { /* ignore */ }
        live.textContent = T.copyFailed;
        showMessage(function () { return T.copyFailed; }, 'info');
      }
      function legacy() {
        var ta = el('textarea', { readonly: true, 'aria-hidden': 'true', tabindex: '-1' });
        ta.value = code;
        ta.style.cssText = 'position:fixed;top:0;left:0;width:1px;height:1px;opacity:0;font-size:16px';
        root.appendChild(ta);
        ta.select();
        try { ta.setSelectionRange(0, code.length); } catch (e) { /* ignore */ }
        var done = false;
        try { done = document.execCommand('copy'); } catch (e) { done = false; }
        root.removeChild(ta);
        try { copyBtn.focus({ preventScroll: true }); } catch (e) { /* ignore */ }
        return done;
      }
      var clip = window.navigator && window.navigator.clipboard;
      if (clip && typeof clip.writeText === 'function' && window.isSecureContext !== false) {
        clip.writeText(code).then(ok, function () { if (legacy()) { ok(); } else { fail(); } });
      } else if (legacy()) {
        ok();
      } else {
        fail();
      }
    }

    // ----- events -----
    on(btn, 'click', spin);
    var ro = null;
    if (typeof window.ResizeObserver === 'function') {
      ro = new window.ResizeObserver(function () {
        if (raf) { raf(function () { updateWidth(); layout(); }); } else { updateWidth(); layout(); }
      });
      ro.observe(wheelBox);
      if (root.parentElement) { ro.observe(root.parentElement); }
    }
    on(window, 'resize', function () { updateWidth(); layout(); });

    updateWidth();
    layout();
    load();

    function destroy() {
      if (destroyed) { return; }
      destroyed = true;
      if (rafId && caf) { caf(rafId); }
      rafId = 0;
      anim = null;
      controllers.forEach(function (c) { try { c.abort(); } catch (e) { /* ignore */ } });
      controllers = [];
      timers.forEach(function (t) { clearTimeout(t); });
      timers = [];
      cleanups.forEach(function (fn) { fn(); });
      cleanups = [];
      if (ro) { ro.disconnect(); }
      root.textContent = '';
      if (added.rootClass) { root.classList.remove('rw-root'); }
      if (added.lang) { root.removeAttribute('lang'); }
      root.classList.remove('rw-wide');
      root.removeAttribute('data-rw-state');
      if (instances && instances.get(root) === handle) { instances.delete(root); }
    }

    var handle = { destroy: destroy, setLang: setLang };
    return handle;
  }

  function mount(container, options) {
    if (!container || container.nodeType !== 1) {
      throw new TypeError('RewardsWheel.mount: a container element is required');
    }
    options = options || {};
    var previous = instances && instances.get(container);
    if (previous) { previous.destroy(); }
    injectStyle(options.nonce || SCRIPT_NONCE);
    var handle = createWidget(container, options);
    if (instances) { instances.set(container, handle); }
    return { destroy: handle.destroy, setLang: handle.setLang };
  }

  var api = { mount: mount };
  Object.defineProperty(api, '__rewardsWheel', { value: true });
  window.RewardsWheel = api;
})(window, document);
