/*!
 * RewardsWheel: embeddable spin-the-wheel widget for the Rewards API.
 * Plain ES2019, no dependencies, no build step. Exposes window.RewardsWheel = {mount}.
 *
 *   RewardsWheel.mount(element, {token: '...', apiBase?: '...', lang?: 'vi'|'en',
 *                                slices?: 'proportional'|'equal', onResult?: fn})
 *     -> {destroy(), setLang(lang)}
 *
 * One file, so that a partner embeds one script tag. Inside, in this order:
 * - constants, texts and the injected style;
 * - pure helpers (geometry, label fitting, formatting, retry rules): they touch no
 *   page, so under node (no `window`) the file exports them and stops; that is how
 *   widget/test/ unit-tests them without a browser;
 * - small factories, each owning one concern of a mounted wheel: createScope (the
 *   timers, listeners and requests that end with it), createApi, buildDom and
 *   createView (the DOM), createRenderer (the canvas), createMotion (the spin's
 *   animation), createResultBox, createLoader and createSpinner (what happens when);
 * - createWidget, which only composes them, and mount.
 */
(function (window, document) {
  'use strict';

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
      ended: 'Chương trình đã kết thúc. Cảm ơn bạn đã tham gia!',
      endedButton: 'Đã kết thúc',
      paused: 'Chương trình đang tạm dừng. Vui lòng quay lại sau.',
      scheduled: 'Chương trình chưa bắt đầu. Vui lòng quay lại sau.',
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
      minSliceNote: 'Ô nhỏ được vẽ rộng hơn để đọc được; tỉ lệ trúng thật nằm trong bảng.',
      scratchPlay: 'Nhận thẻ cào',
      scratchCard: 'Thẻ cào: cào bằng chuột hoặc ngón tay, hoặc nhấn Enter để mở',
      scratchHere: 'Cào tại đây',
      scratchReveal: 'Mở thẻ',
      scratchReady: 'Thẻ đã sẵn sàng. Hãy cào để xem quà, hoặc nhấn Mở thẻ.',
      envelopes: 'Chọn một bao lì xì',
      envelope: 'Bao lì xì {n}',
      envelopeOpened: 'Bao lì xì {n}: {label}',
      rateLimited: 'Bạn chơi nhanh quá. Vui lòng thử lại sau ít phút.',
      playBlocked: 'Lượt chơi này không được chấp nhận.'
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
      ended: 'This campaign has ended. Thank you for playing!',
      endedButton: 'Ended',
      paused: 'This campaign is paused. Please come back later.',
      scheduled: 'This campaign has not started yet. Please come back later.',
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
      minSliceNote: 'Small slices are drawn wider so they can be read; the real odds are in the table.',
      scratchPlay: 'Get a scratch card',
      scratchCard: 'Scratch card: scratch with the mouse or a finger, or press Enter to reveal',
      scratchHere: 'Scratch here',
      scratchReveal: 'Reveal',
      scratchReady: 'Your card is ready. Scratch it to see your prize, or press Reveal.',
      envelopes: 'Pick a lucky envelope',
      envelope: 'Envelope {n}',
      envelopeOpened: 'Envelope {n}: {label}',
      rateLimited: 'You are playing too fast. Please try again in a minute.',
      playBlocked: 'This play is not allowed.'
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
    '.rw-root .rw-scratch{position:relative;width:300px;max-width:100%;height:150px;margin:8px auto;border-radius:12px;overflow:hidden;background:#fef3c7;border:2px solid #b91c1c}',
    '.rw-root .rw-scratch-prize{display:flex;align-items:center;justify-content:center;height:100%;padding:8px;font-weight:700;font-size:1.3em;color:#7f1d1d}',
    '.rw-root .rw-scratch canvas{position:absolute;inset:0;width:100%;height:100%;touch-action:none;cursor:crosshair}',
    '.rw-root .rw-scratch canvas:focus-visible{outline:3px solid #1d4ed8;outline-offset:-3px}',
    '.rw-root .rw-reveal{margin:4px auto;padding:8px 20px;background:#fff;color:#7f1d1d;border-color:#b91c1c}',
    '.rw-root .rw-envelopes{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:10px;margin:8px auto;max-width:360px}',
    '.rw-root .rw-envelopes.rw-cols-4{grid-template-columns:repeat(4,minmax(0,1fr))}',
    '.rw-root .rw-envelopes.rw-cols-2{grid-template-columns:repeat(2,minmax(0,1fr))}',
    '.rw-root .rw-env{min-height:88px;padding:8px 4px;border-radius:10px;background:#b91c1c;color:#fff;font-weight:700;border:2px solid #7f1d1d}',
    '.rw-root .rw-env:disabled{cursor:default;opacity:.75}',
    '.rw-root .rw-env.rw-env-open{background:#fef3c7;color:#7f1d1d;opacity:1}',
    '.rw-root .rw-env:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}',
    '.rw-root .rw-game h3{margin:4px 0;font-size:1.05em}',
    '@media (prefers-reduced-motion:reduce){.rw-root .rw-spin{transition:none}}'
  ].join('');

  // ---------------------------------------------------------------------------
  // Pure helpers: no window, no document, no clock unless given one. Node loads the
  // file without a page to unit-test them (widget/test/).

  function fmt(str, vars) {
    return String(str).replace(/\{(\w+)\}/g, function (all, k) {
      return Object.prototype.hasOwnProperty.call(vars, k) ? String(vars[k]) : all;
    });
  }

  function mod(a, n) { return ((a % n) + n) % n; }

  function numOrNull(v) {
    if (v === null || v === undefined || v === '') { return null; }
    var n = Number(v);
    return isFinite(n) ? Math.max(0, Math.floor(n)) : null;
  }

  function pickLang(l) {
    l = String(l || 'vi').toLowerCase().slice(0, 2);
    return DICT[l] ? l : 'vi';
  }

  // `strings` overrides the texts: either flat (for the language given at mount,
  // `firstLang`) or per language ({vi: {...}, en: {...}}).
  function textsFor(strings, l, firstLang) {
    var o = (strings && typeof strings === 'object') ? strings : {};
    var own = (o.vi || o.en) ? (o[l] || {}) : (l === firstLang ? o : {});
    return Object.assign({}, DICT[l], own);
  }

  // The mount options, checked once. `fallbackBase`: where the API is when the
  // options do not say (the script's own base, else the page's origin).
  function readOptions(opts, fallbackBase) {
    var minDeg = typeof opts.minSliceDegrees === 'number' && opts.minSliceDegrees >= 0 ? opts.minSliceDegrees : MIN_SLICE_DEG;
    return {
      lang: pickLang(opts.lang),
      strings: opts.strings,
      sliceMode: opts.slices === 'equal' ? 'equal' : 'proportional',
      minSweep: Math.min(minDeg, 45) * Math.PI / 180,
      timeZone: typeof opts.timeZone === 'string' && opts.timeZone ? opts.timeZone : null,
      zoneGiven: !!opts.timeZone, // then the campaign's zone does not replace it
      apiBase: String(opts.apiBase || fallbackBase || '').replace(/\/+$/, ''),
      token: opts.token ? String(opts.token) : '',
      onResult: typeof opts.onResult === 'function' ? opts.onResult : null,
      onError: typeof opts.onError === 'function' ? opts.onError : null,
      spinMs: typeof opts.spinDurationMs === 'number' && opts.spinDurationMs >= 0 ? opts.spinDurationMs : null,
      deviceId: typeof opts.deviceId === 'string' && opts.deviceId ? opts.deviceId : null
    };
  }

  // The API base for a script loaded from `src`: its origin, plus any prefix before
  // /v1/widget/ (an API Gateway stage such as https://x.execute-api.../prod is kept).
  function baseFromUrl(src, baseURI) {
    if (!src) { return ''; }
    try {
      var u = new URL(src, baseURI);
      if (!u.origin || u.origin === 'null') { return ''; }
      var m = u.pathname.match(/^(.*?)\/v1\/widget\/[^/]*$/);
      return u.origin + (m ? m[1] : '');
    } catch (e) {
      return '';
    }
  }

  function toHex(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) { s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16); }
    return s;
  }

  // A version 4 UUID from 16 random bytes (for browsers without crypto.randomUUID).
  function uuidFromBytes(bytes) {
    var b = new Uint8Array(bytes);
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // variant 10
    var h = toHex(b);
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  // ----- talking to the API -----

  // Retry-After in seconds: either a number of seconds or an HTTP date, counted from
  // `nowMs` (default: the clock); null when absent or unreadable.
  function parseRetryAfter(h, nowMs) {
    if (!h) { return null; }
    if (/^\s*\d+\s*$/.test(h)) { return parseInt(h, 10); }
    var t = Date.parse(h);
    var now = nowMs === undefined ? Date.now() : nowMs;
    return isNaN(t) ? null : Math.max(0, Math.round((t - now) / 1000));
  }

  function requestInit(method, token, body, idemKey, ctrl, deviceId) {
    var hasBody = body !== null && body !== undefined;
    var headers = { 'Accept': 'application/json, application/problem+json', 'Authorization': 'Bearer ' + token };
    if (hasBody) { headers['Content-Type'] = 'application/json'; }
    if (idemKey) { headers['Idempotency-Key'] = idemKey; }
    if (deviceId) { headers['Rewards-Device-Id'] = deviceId; }
    var init = { method: method, headers: headers, mode: 'cors', credentials: 'omit', cache: 'no-store' };
    if (hasBody) { init.body = body; }
    if (ctrl) { init.signal = ctrl.signal; }
    return init;
  }

  // A fetch Response as the widget uses it: {ok, status, data, retryAfter, replayed}
  // plus `problem` when not ok; a body that is not JSON reads as null.
  function readReply(resp) {
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
  }

  // No answer, a 5xx, or the same key still in progress: the spin may or may not have
  // happened, so it is retried (and replayed by a later click) with the same key and
  // body. Any other answer is definite.
  function outcomeUnknown(r) {
    var code = r.problem && r.problem.code;
    return !!(r.network || r.status >= 500 || (r.status === 409 && code === 'idempotency_in_progress'));
  }

  // Wait before retry number attempt + 1: 0.5 s doubling, plus up to 250 ms of jitter
  // (`random` in [0, 1)); a server's Retry-After is honoured, up to 5 s.
  function retryDelay(attempt, r, random) {
    var delay = 500 * Math.pow(2, attempt) + Math.floor(random * 250);
    if (r.retryAfter !== null && r.retryAfter !== undefined && !r.network) {
      delay = Math.max(delay, Math.min(r.retryAfter * 1000, 5000));
    }
    return delay;
  }

  // The QR answer as a data: URL for an <img>, or null when it is not an SVG.
  function svgDataUrl(text) {
    if (!text || text.indexOf('<svg') !== 0) { return null; }
    return 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
  }

  // ----- spins left -----

  // What the player can still spin: the smaller of total and today (null: unlimited).
  function effectiveSpins(left, today) {
    if (left === null) { return today; }
    if (today === null) { return left; }
    return Math.min(left, today);
  }

  function outOfSpinsKey(left, today) {
    return today === 0 && left !== 0 ? 'noSpinsToday' : 'noSpins';
  }

  // After a 429 spin_limit_reached: is it today's limit (true) or the campaign's
  // (false)? The problem's `limit` says so when present; a Retry-After means a new
  // day; otherwise the counts the widget last saw decide.
  function limitIsDaily(p, retryAfter, left, today) {
    if (p.limit === 'daily' || p.limit === 'lifetime') { return p.limit === 'daily'; }
    if (retryAfter !== null && retryAfter !== undefined) { return true; }
    if (left === null) { return true; }
    if (today === null) { return false; }
    return left > 1;
  }

  // The counts after a spin: the server's when it sent them (null: unlimited), else
  // the previous ones less one.
  function spinsAfter(spinData, left, today) {
    if ('spins_left' in spinData) {
      return { left: numOrNull(spinData.spins_left), today: numOrNull(spinData.spins_left_today) };
    }
    return { left: left === null ? null : Math.max(0, left - 1), today: today === null ? null : Math.max(0, today - 1) };
  }

  // The campaign's status from GET /v1/play/wheel: spins only while active. An
  // answer without one (an older API) counts as active, as before.
  function isOpen(status) { return !status || status === 'active'; }

  // The text key that tells the player why the campaign takes no spin (null: it does).
  function statusKey(status) {
    return status === 'ended' || status === 'paused' || status === 'scheduled' ? status : null;
  }

  function canSpin(m) {
    return m.loaded && !m.blocked && isOpen(m.status) && m.wheel.slices.length > 0 && m.spinsLeft !== 0 &&
      m.spinsLeftToday !== 0;
  }

  // The spin button's text: an ended campaign has no spin to offer, and says so.
  function buttonText(m) {
    if (m.status === 'ended') { return m.T.endedButton; }
    return m.game && m.game.kind === 'scratch' ? m.T.scratchPlay : m.T.spin;
  }

  // ----- formatting -----

  function minorDigits(currency) {
    try {
      return new Intl.NumberFormat('en', { style: 'currency', currency: currency }).resolvedOptions().maximumFractionDigits;
    } catch (e) {
      return 2;
    }
  }

  // `amount` in the currency's minor unit (VND has none, USD has cents).
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
  // The month is a word outside Vietnamese: "01/02/2027" is 1 February to one reader
  // and 2 January to another (dd/mm/yyyy is the rule in Vietnamese, so it stays).
  function formatDateTime(iso, locale, timeZone) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return String(iso); }
    var vi = String(locale).slice(0, 2) === 'vi';
    var o = { day: vi ? '2-digit' : 'numeric', month: vi ? '2-digit' : 'short', year: 'numeric',
      hour: '2-digit', minute: '2-digit' };
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

  // A gift's expiry as the last minute it is valid: it expires at the local midnight
  // that ends its last day, which shown as such ("2 Jan, 00:00") reads as a day too
  // many. Any other instant is shown as it is.
  function formatExpiry(iso, locale, timeZone) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return String(iso); }
    var clock = '';
    try {
      clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit',
        hourCycle: 'h23', timeZone: timeZone || undefined }).format(d);
    } catch (e) {
      clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit',
        hourCycle: 'h23' }).format(d);
    }
    var midnight = clock === '00:00:00' || clock === '24:00:00';
    return formatDateTime(midnight ? new Date(d.getTime() - 60000).toISOString() : iso, locale, timeZone);
  }

  // ----- the wheel's layout -----

  // The segments of GET /v1/play/wheel as drawn: a label for each, in `lang` when the
  // segment has one for it (`labels`), else its `label`, else its id; and a
  // probability (0 when missing or not positive: no slice, still listed).
  function readSegments(list, lang) {
    return (Array.isArray(list) ? list : []).map(function (s) {
      s = s || {};
      var p = Number(s.probability);
      var own = s.labels && typeof s.labels === 'object' ? s.labels[lang] : null;
      var label = typeof own === 'string' && own ? own : s.label;
      return {
        id: String(s.id),
        label: (label === null || label === undefined || label === '') ? String(s.id) : String(label),
        p: isFinite(p) && p > 0 ? p : 0
      };
    });
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

  // Slices alternate dark (white text) and light (dark text); the last dark one never
  // takes the first one's colour, which it touches.
  function sliceColour(k, n) {
    if (k % 2 === 1) { return { fill: LIGHT, text: DARK_TEXT }; }
    var di = (k / 2) % DARK.length;
    if (n > 1 && k === n - 1 && di === 0) { di = 1; }
    return { fill: DARK[di], text: '#ffffff' };
  }

  // The slices to draw, in the wheel's frame (radians clockwise from the top):
  // {slices: [{seg, start, end, fill, text}], total, reshaped}. `reshaped`: the
  // drawing is not to scale (equal slices, or small ones widened), which the widget
  // says under the wheel.
  function layoutSlices(segments, mode, minSweep) {
    var shown = segments.filter(function (s) { return s.p > 0; });
    var total = shown.reduce(function (a, s) { return a + s.p; }, 0);
    var n = shown.length;
    var arcs = sliceArcs(shown.map(function (s) { return s.p; }), mode, minSweep);
    var reshaped = n > 1 && (mode === 'equal' || arcs.some(function (a, i) { return Math.abs(a - shown[i].p / total * TAU) > 1e-9; }));
    var acc = 0;
    var slices = shown.map(function (seg, k) {
      var colour = sliceColour(k, n);
      var s = { seg: seg, start: acc, end: acc + arcs[k], fill: colour.fill, text: colour.text };
      acc += arcs[k];
      return s;
    });
    if (slices.length) { slices[slices.length - 1].end = TAU; }
    return { slices: slices, total: total, reshaped: reshaped };
  }

  // The canvas's accessible name: every slice with its real chance.
  function wheelLabel(laid, T, locale) {
    var list = laid.slices.map(function (s) {
      return s.seg.label + ' (' + formatPercent(s.seg.p / laid.total, locale) + ')';
    }).join('; ');
    return fmt(T.wheelLabel, { n: laid.slices.length, list: list });
  }

  // Where to stop for segment `segId`: {index, angle} somewhere in the middle 60 % of
  // its slice (`random()` in [0, 1) picks where), or null when it has no slice.
  function landingAngle(slices, segId, random) {
    for (var i = 0; i < slices.length; i++) {
      var s = slices[i];
      if (s.seg.id === segId) {
        var w = s.end - s.start;
        return { index: i, angle: s.start + w / 2 + (random() - 0.5) * w * 0.6 };
      }
    }
    return null;
  }

  // ----- slice labels -----

  // Is a slice's label, laid along its middle from the hub out, upside down on
  // screen? On the left half (middle angle past the bottom, clockwise from the top,
  // the wheel's rotation included) it would be: such a label is turned half a turn
  // and read from the rim in. `rotation`: where the wheel rests (0 before a spin).
  function labelFlipped(mid, rotation) {
    var a = mod(mid + (rotation || 0), TAU);
    return a > Math.PI + 1e-9 && a < TAU - 1e-9;
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
  // is it shortened with an ellipsis. `g`: anything with a `font` and measureText
  // (a canvas context). Returns {fs, lines} (lines empty: no room at all).
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

  // The longest start of `text` that fits maxWidth with an ellipsis ('' if none does).
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

  // ----- the spin's motion -----
  // Wheel frame: slice angles run clockwise from the top. With the wheel rotated by
  // `rotation` (clockwise), the angle under the top pointer is mod(-rotation, TAU).

  // Free spin `a` ({t0, rot0, omega}) at time t (ms): rotation, speed (rad/s), and
  // whether the start-up ramp is over.
  function freeState(a, t) {
    var e = Math.max(0, (t - a.t0) / 1000);
    if (!a.omega) { return { rot: a.rot0, v: 0, ramped: true }; }
    if (e < RAMP_S) { return { rot: a.rot0 + a.omega * e * e / (2 * RAMP_S), v: a.omega * e / RAMP_S, ramped: false }; }
    return { rot: a.rot0 + a.omega * (e - RAMP_S / 2), v: a.omega, ramped: true };
  }

  // The slow-down from rotation rot0 at speed v: {delta (radians to turn), dur (ms),
  // p (ease-out power)}. target: wheel-frame angle to bring under the pointer, or
  // null to just come to a stop. With speed, whole extra turns are chosen so that the
  // ease-out starts at the current speed.
  function easePlan(target, rot0, v, dur, reduced) {
    var delta;
    var p = 3;
    if (target === null) {
      dur = v > 0 ? 900 : 0;
      p = 2;
      delta = v * (dur / 1000) / p;
    } else {
      var d0 = mod(-target - rot0, TAU);
      if (dur === 0 || reduced) {
        delta = d0;
      } else if (v > 0) {
        var vd = v * dur / 1000;
        var turns = Math.max(1, Math.round((vd / 3 - d0) / TAU));
        delta = d0 + turns * TAU;
        p = Math.min(5, Math.max(1.5, vd / delta));
      } else {
        delta = d0 + Math.max(2, Math.round(dur / 1000)) * TAU;
      }
    }
    return { delta: delta, dur: dur, p: p };
  }

  // Slow-down `a` ({t0, rot0, delta, dur, p}) at time t: rotation, and whether it is over.
  function easeState(a, t) {
    var k = a.dur > 0 ? Math.min(1, (t - a.t0) / a.dur) : 1;
    return { rot: a.rot0 + a.delta * (1 - Math.pow(1 - k, a.p)), done: k >= 1 };
  }

  // ----- the result -----

  // What a spin won, ready to show: {seg, label, gift, prize, amount, code}.
  function spinView(spinData, segments, locale) {
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

  // What a screen reader hears when the wheel stops (`left`: spins left, null: unlimited).
  function announcementText(v, left, T) {
    var announce;
    if (v.gift || v.prize) {
      announce = v.code ? fmt(T.announceWin, { amount: v.amount || v.label, code: v.code })
        : fmt(T.announceWinNoCode, { amount: v.amount || v.label });
    } else {
      announce = T.lose + '.';
    }
    if (left !== null) { announce += ' ' + (left === 1 ? T.announceSpinsOne : fmt(T.announceSpins, { n: left })); }
    return announce;
  }

  // ----- games: the same plays, shown as a wheel, a scratch card or envelopes

  var DEVICE_KEY = 'rewards-device-id';
  var MAX_ENVELOPES = 12;

  // The game of a wheel view; anything unknown is a wheel (older servers say nothing).
  function gameOf(game) {
    var kind = game && (game.kind === 'scratch' || game.kind === 'envelope') ? game.kind : 'wheel';
    var n = kind === 'envelope' ? Math.floor(Number(game.envelopes)) : 0;
    if (kind === 'envelope' && !(n >= 2 && n <= MAX_ENVELOPES)) { n = 6; }
    return { kind: kind, envelopes: n };
  }

  // The play's body: an envelope game sends the envelope opened (the draw's input).
  function playBody(game, seed, pick) {
    var body = { client_seed: seed };
    if (game.kind === 'envelope') { body.pick = pick; }
    return JSON.stringify(body);
  }

  // Columns of the envelope grid: rows of 3, or of 4 / 2 when that fills them.
  function envelopeColumns(n) {
    if (n % 3 === 0) { return 3; }
    if (n % 4 === 0) { return 4; }
    if (n <= 4) { return 2; }
    return 3;
  }

  // Share of a scratch card's coat scratched off, from its RGBA pixels (`stride`:
  // look at every stride-th pixel, enough to decide when to reveal the rest).
  function scratchedShare(pixels, stride) {
    var step = Math.max(1, stride | 0) * 4;
    var seen = 0;
    var clear = 0;
    for (var i = 3; i < pixels.length; i += step) {
      seen += 1;
      if (pixels[i] < 128) { clear += 1; }
    }
    return seen ? clear / seen : 0;
  }

  // The device id the widget keeps (fraud controls: `Rewards-Device-Id`): read from
  // `storage`, else made by `make` and kept; null when there is no storage.
  function deviceIdFrom(storage, make) {
    try {
      var id = storage && storage.getItem(DEVICE_KEY);
      if (id && /^[\x21-\x7e]{8,128}$/.test(id)) { return id; }
      id = make();
      if (storage) { storage.setItem(DEVICE_KEY, id); }
      return id;
    } catch (e) {
      return null; // storage refused (private mode): plays go without a device id
    }
  }

  var PURE = {
    DICT: DICT, TAU: TAU, MIN_LABEL_PX: MIN_LABEL_PX, FONT: FONT,
    fmt: fmt, mod: mod, numOrNull: numOrNull, pickLang: pickLang, textsFor: textsFor,
    readOptions: readOptions, baseFromUrl: baseFromUrl, toHex: toHex, uuidFromBytes: uuidFromBytes,
    parseRetryAfter: parseRetryAfter, requestInit: requestInit, readReply: readReply,
    outcomeUnknown: outcomeUnknown, retryDelay: retryDelay, svgDataUrl: svgDataUrl,
    effectiveSpins: effectiveSpins, outOfSpinsKey: outOfSpinsKey, limitIsDaily: limitIsDaily,
    spinsAfter: spinsAfter, canSpin: canSpin, isOpen: isOpen, statusKey: statusKey, buttonText: buttonText,
    minorDigits: minorDigits, formatMoney: formatMoney, formatPercent: formatPercent, formatDateTime: formatDateTime,
    formatExpiry: formatExpiry,
    readSegments: readSegments, sliceArcs: sliceArcs, sliceColour: sliceColour, layoutSlices: layoutSlices,
    wheelLabel: wheelLabel, landingAngle: landingAngle,
    chordAt: chordAt, splitTwo: splitTwo, fitLabel: fitLabel, fitText: fitText, labelFlipped: labelFlipped,
    freeState: freeState, easePlan: easePlan, easeState: easeState,
    spinView: spinView, announcementText: announcementText,
    gameOf: gameOf, playBody: playBody, envelopeColumns: envelopeColumns,
    scratchedShare: scratchedShare, deviceIdFrom: deviceIdFrom
  };

  if (!window) {
    // Loaded by node (widget/test/): hand over the pure helpers; there is no page.
    if (typeof module === 'object' && module.exports) { module.exports = PURE; }
    return;
  }

  if (window.RewardsWheel && window.RewardsWheel.__rewardsWheel) {
    return; // already loaded (script included twice): keep the first copy and its instances
  }

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

  var ownScript = findOwnScript();
  var SCRIPT_BASE = baseFromUrl(ownScript ? ownScript.src : '', document.baseURI);
  var SCRIPT_NONCE = ownScript ? (ownScript.nonce || ownScript.getAttribute('nonce') || '') : '';

  // ---------------------------------------------------------------------------
  // Browser helpers

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

  function uuid() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === 'function') {
      try { return c.randomUUID(); } catch (e) { /* insecure context: fall through */ }
    }
    return uuidFromBytes(randomBytes(16));
  }

  function prefersReducedMotion() {
    try {
      return !!(window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches);
    } catch (e) {
      return false;
    }
  }

  function now() { return (window.performance && window.performance.now) ? window.performance.now() : Date.now(); }

  function injectStyle(nonce) {
    if (document.getElementById('rw-style')) { return; }
    var style = el('style', { id: 'rw-style' });
    if (nonce) { style.setAttribute('nonce', nonce); }
    style.textContent = CSS;
    (document.head || document.documentElement).appendChild(style);
  }

  // ---------------------------------------------------------------------------
  // One mounted wheel is made of the factories below, sharing `d`:
  //   d.cfg      the checked options (readOptions)
  //   d.m        the model: language and texts, segments, spins left, where the
  //              wheel is (m.wheel: slices, rotation, winner), the spin in flight
  //   d.scope    what must end with the instance (createScope)
  //   d.ui       the DOM nodes (buildDom); d.view draws the model into them
  //   d.renderer the canvas; d.motion the spin's animation
  //   d.net      the API; d.result the result box

  function createModel(cfg) {
    return {
      lang: cfg.lang,
      T: textsFor(cfg.strings, cfg.lang, cfg.lang),
      locale: LOCALES[cfg.lang],
      timeZone: cfg.timeZone,
      segments: [],             // [{id, label, p}], labels in m.lang
      rawSegments: [],          // as the wheel view gave them (labels per language)
      wheel: { slices: [], rotation: 0, winner: -1 },
      spinsLeft: null,
      spinsLeftToday: null,
      status: null,             // the campaign's, from the wheel view (null: not said)
      loaded: false,
      blocked: false,           // 401 / campaign not active: no point in trying again
      pendingSpin: null,        // {key, body} kept while the outcome of a spin is unknown (network / 5xx)
      lastSpin: null,
      lastFairness: null,
      game: gameOf(null)        // {kind, envelopes}, from the wheel view
    };
  }

  // The timers, listeners and requests of one instance: destroy() ends them all, and
  // nothing scheduled through here runs after it.
  function createScope() {
    var timers = [];
    var cleanups = [];
    var controllers = [];
    var scope = { destroyed: false };
    scope.later = function (fn, ms) {
      var id = setTimeout(function () {
        timers = timers.filter(function (t) { return t !== id; });
        if (!scope.destroyed) { fn(); }
      }, ms);
      timers.push(id);
      return id;
    };
    scope.sleep = function (ms) { return new Promise(function (resolve) { scope.later(resolve, ms); }); };
    scope.on = function (target, type, fn, options) {
      target.addEventListener(type, fn, options);
      cleanups.push(function () { target.removeEventListener(type, fn, options); });
    };
    scope.track = function (ctrl) { if (ctrl) { controllers.push(ctrl); } };
    scope.untrack = function (ctrl) { controllers = controllers.filter(function (c) { return c !== ctrl; }); };
    scope.close = function () {
      scope.destroyed = true;
      controllers.forEach(function (c) { try { c.abort(); } catch (e) { /* ignore */ } });
      controllers = [];
      timers.forEach(function (t) { clearTimeout(t); });
      timers = [];
      cleanups.forEach(function (fn) { fn(); });
      cleanups = [];
    };
    return scope;
  }

  // ---------------------------------------------------------------------------
  // The API: JSON calls with retries, and the won code's QR.

  function createApi(cfg, scope) {
    function once(method, path, body, idemKey) {
      var ctrl = typeof AbortController === 'function' ? new AbortController() : null;
      scope.track(ctrl);
      var timer = setTimeout(function () { if (ctrl) { ctrl.abort(); } }, REQUEST_TIMEOUT_MS);
      var p;
      try {
        p = window.fetch(cfg.apiBase + path, requestInit(method, cfg.token, body, idemKey, ctrl, method === 'POST' ? cfg.deviceId : null));
      } catch (e) {
        p = Promise.reject(e);
      }
      return p.then(readReply).catch(function (err) {
        return { ok: false, network: true, status: 0, error: err };
      }).then(function (r) {
        clearTimeout(timer);
        scope.untrack(ctrl);
        return r;
      });
    }

    // Resolves (never rejects) with readReply's answer, or {network: true} when there
    // was none; an unknown outcome is retried up to `retries` times, same key and body.
    function request(method, path, body, idemKey, retries) {
      var attempt = 0;
      function go() {
        return once(method, path, body, idemKey).then(function (r) {
          if (scope.destroyed) { return r; }
          if (outcomeUnknown(r) && attempt < retries) {
            var delay = retryDelay(attempt, r, Math.random());
            attempt += 1;
            return scope.sleep(delay).then(go);
          }
          return r;
        });
      }
      return go();
    }

    // The gift's QR as a data: URL (null: none). Fetched with the player token, which
    // an <img src> could not send; null (not a promise) when fetch itself throws.
    function qrDataUrl(giftId) {
      var init = { method: 'GET', mode: 'cors', credentials: 'omit', cache: 'no-store',
        headers: { 'Accept': 'image/svg+xml', 'Authorization': 'Bearer ' + cfg.token } };
      var p;
      try { p = window.fetch(cfg.apiBase + '/v1/play/gifts/' + encodeURIComponent(giftId) + '/qr.svg', init); } catch (e) { return null; }
      return p.then(function (resp) { return resp.ok ? resp.text() : null; }).then(svgDataUrl);
    }

    return { request: request, qrDataUrl: qrDataUrl };
  }

  // ---------------------------------------------------------------------------
  // The DOM

  function buildDom(root, lang, T) {
    var uid = 'rw' + Math.random().toString(36).slice(2, 8);
    var ui = { root: root, uid: uid,
      added: { rootClass: !root.classList.contains('rw-root'), lang: !root.hasAttribute('lang') } };
    root.textContent = '';
    root.classList.add('rw-root');
    if (ui.added.lang) { root.setAttribute('lang', lang); }

    ui.wheelBox = el('div', { className: 'rw-wheel' });
    ui.canvas = el('canvas', { role: 'img', 'aria-label': T.loading, 'data-rw': 'canvas' });
    ui.wheelBox.appendChild(ui.canvas);
    ui.btn = el('button', { type: 'button', className: 'rw-btn rw-spin', 'data-rw': 'spin', disabled: true }, T.spin);

    var spinsP = ui.spins = el('p', { className: 'rw-spins', id: uid + '-spins' });
    ui.spinsValue = el('strong', { 'data-rw': 'spins-left' }, '…');
    ui.spinsDetail = el('span', { className: 'rw-spins-detail' });
    ui.spinsLabel = el('span', null, T.spinsLeft + ' ');
    [ui.spinsLabel, ui.spinsValue, ui.spinsDetail].forEach(function (n) { spinsP.appendChild(n); });
    ui.btn.setAttribute('aria-describedby', uid + '-spins');

    ui.message = el('div', { className: 'rw-message', 'data-rw': 'message', role: 'status', 'aria-live': 'polite', hidden: true });
    ui.result = el('div', { className: 'rw-result', 'data-rw': 'result', tabindex: '-1', hidden: true });
    ui.live = el('div', { className: 'rw-sr', 'data-rw': 'live', 'aria-live': 'polite', 'aria-atomic': 'true' });
    ui.odds = el('table', { className: 'rw-odds', 'data-rw': 'odds', hidden: true });
    ui.fair = el('details', { className: 'rw-fair', 'data-rw': 'fairness', hidden: true });
    ui.note = el('p', { className: 'rw-note', 'data-rw': 'slices-note', hidden: true });

    // Two columns (wheel | result and odds) when the container is wide, so the won code
    // shows next to the wheel instead of below the fold; one column otherwise.
    var colA = el('div', { className: 'rw-col-a' });
    var colB = el('div', { className: 'rw-col-b' });
    ui.gameBox = el('div', { className: 'rw-game', 'data-rw': 'game', hidden: true });
    [ui.wheelBox, ui.gameBox, ui.note, ui.btn, spinsP].forEach(function (n) { colA.appendChild(n); });
    [ui.message, ui.result, ui.odds, ui.fair].forEach(function (n) { colB.appendChild(n); });
    [colA, colB, ui.live].forEach(function (n) { root.appendChild(n); });
    return ui;
  }

  // Puts the element back as mount found it.
  function clearRoot(ui) {
    var root = ui.root;
    root.textContent = '';
    if (ui.added.rootClass) { root.classList.remove('rw-root'); }
    if (ui.added.lang) { root.removeAttribute('lang'); }
    root.classList.remove('rw-wide');
    root.removeAttribute('data-rw-state');
    root.removeAttribute('data-rw-campaign');
  }

  // The status / error box. `text` is a string or a function of the current texts,
  // re-run by refresh() when the language changes.
  function createMessage(box, m) {
    var shown = null;
    function show(text, kind, retryFn) {
      shown = text ? { text: text, kind: kind, retry: retryFn } : null;
      if (typeof text === 'function') { text = text(); }
      box.textContent = '';
      box.className = 'rw-message' + (kind === 'error' ? ' rw-error' : '');
      if (!text) { box.hidden = true; return; }
      box.appendChild(el('span', null, text));
      if (retryFn) {
        var again = el('button', { type: 'button', className: 'rw-btn', 'data-rw': 'retry' }, m.T.retry);
        again.addEventListener('click', retryFn);
        box.appendChild(el('br'));
        box.appendChild(again);
      }
      box.hidden = false;
    }
    function refresh() {
      if (shown) { show(shown.text, shown.kind, shown.retry); }
      var again = box.querySelector('[data-rw="retry"]');
      if (again) { again.textContent = m.T.retry; }
    }
    return { show: show, refresh: refresh };
  }

  function renderSpins(ui, m) {
    ui.spins.hidden = m.status === 'ended'; // no count to give: the message says it is over
    var n = effectiveSpins(m.spinsLeft, m.spinsLeftToday);
    ui.spinsValue.textContent = n === null ? m.T.unlimited : String(n);
    ui.spinsValue.setAttribute('data-rw-value', n === null ? 'unlimited' : String(n));
    if (m.spinsLeft !== null && m.spinsLeftToday !== null) {
      ui.spinsDetail.textContent = fmt(m.T.spinsDetail, { today: m.spinsLeftToday, total: m.spinsLeft });
      ui.spinsDetail.hidden = false;
    } else {
      ui.spinsDetail.textContent = '';
      ui.spinsDetail.hidden = true;
    }
  }

  function buildSlices(ui, m, cfg) {
    var laid = layoutSlices(m.segments, cfg.sliceMode, cfg.minSweep);
    ui.note.textContent = !laid.reshaped ? '' : (cfg.sliceMode === 'equal' ? m.T.equalNote : m.T.minSliceNote);
    ui.note.hidden = !laid.reshaped;
    m.wheel.slices = laid.slices;
    ui.canvas.setAttribute('aria-label', wheelLabel(laid, m.T, m.locale));
  }

  // The odds table: every segment (those with no chance too), its colour on the wheel
  // and its real chance.
  function renderOddsTable(odds, m) {
    odds.textContent = '';
    var total = m.segments.reduce(function (a, s) { return a + s.p; }, 0);
    odds.appendChild(el('caption', null, m.T.odds));
    var thead = el('thead');
    var hr = el('tr');
    hr.appendChild(el('th', { scope: 'col' }, m.T.oddsPrize));
    hr.appendChild(el('th', { scope: 'col' }, m.T.oddsChance));
    thead.appendChild(hr);
    odds.appendChild(thead);
    var tbody = el('tbody');
    m.segments.forEach(function (s) {
      var tr = el('tr', { 'data-rw-segment': s.id });
      var td = el('td');
      var slice = m.wheel.slices.filter(function (x) { return x.seg.id === s.id; })[0];
      var sw = el('span', { className: 'rw-swatch', 'aria-hidden': 'true' });
      sw.style.background = slice ? slice.fill : 'transparent';
      td.appendChild(sw);
      td.appendChild(document.createTextNode(s.label));
      tr.appendChild(td);
      tr.appendChild(el('td', null, formatPercent(total > 0 ? s.p / total : 0, m.locale)));
      tbody.appendChild(tr);
    });
    odds.appendChild(tbody);
    odds.hidden = m.segments.length === 0;
  }

  function renderFairness(fair, fairness, T) {
    fair.textContent = '';
    var commitment = fairness && fairness.seed_commitment;
    if (!commitment) { fair.hidden = true; return; }
    fair.appendChild(el('summary', null, T.fairness));
    var p1 = el('p');
    p1.appendChild(document.createTextNode(T.commitment + ': '));
    p1.appendChild(el('code', { 'data-rw': 'commitment' }, commitment));
    fair.appendChild(p1);
    fair.appendChild(el('p', { 'data-rw': 'last-spin', hidden: true }));
    fair.hidden = false;
  }

  function renderLastSpin(fair, spin, T) {
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

  function updateWidth(root) {
    var parent = root.parentElement;
    var wide = (parent ? parent.clientWidth : 0) >= WIDE_PX;
    if (wide !== root.classList.contains('rw-wide')) { root.classList.toggle('rw-wide', wide); }
  }

  // On a narrow page the result sits under the wheel: bring it into view if it is not.
  function revealResult(ui) {
    var result = ui.result;
    if (result.hidden || ui.root.classList.contains('rw-wide') || !result.getBoundingClientRect) { return; }
    var box = result.getBoundingClientRect();
    var vh = window.innerHeight || document.documentElement.clientHeight || 0;
    if (!vh || (box.top >= 0 && box.bottom <= vh)) { return; }
    try {
      result.scrollIntoView({ block: 'nearest', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
    } catch (e) {
      result.scrollIntoView(false);
    }
  }

  // The model drawn into the DOM, each part on demand.
  function createView(ui, m, cfg, scope) {
    var message = createMessage(ui.message, m);
    return {
      setState: function (s) { if (!scope.destroyed) { ui.root.setAttribute('data-rw-state', s); } },
      showMessage: message.show,
      refreshMessage: message.refresh,
      outOfSpinsText: function () {
        return m.T[statusKey(m.status) || (m.blocked ? 'notActive' : outOfSpinsKey(m.spinsLeft, m.spinsLeftToday))];
      },
      renderSpins: function () { renderSpins(ui, m); },
      buildSlices: function () { buildSlices(ui, m, cfg); },
      renderOdds: function () {
        renderOddsTable(ui.odds, m);
        renderFairness(ui.fair, m.lastFairness, m.T);
      },
      renderLastSpin: function (spin) { renderLastSpin(ui.fair, spin, m.T); },
      updateWidth: function () { updateWidth(ui.root); },
      revealResult: function () { revealResult(ui); }
    };
  }

  // ---------------------------------------------------------------------------
  // The canvas: the wheel is painted once per size into an offscreen image, then each
  // frame draws that image turned by `wheel.rotation`, the winner's rim, hub and pointer.

  function geometry(size) {
    var c = size / 2;
    var rim = Math.max(6, Math.round(size * 0.03));
    return { c: c, rim: rim, r: c - rim - 2 };
  }

  function paintSlices(g, slices, geo, size) {
    var c = geo.c;
    slices.forEach(function (s) {
      g.beginPath();
      g.moveTo(c, c);
      g.arc(c, c, geo.r, s.start - Math.PI / 2, s.end - Math.PI / 2);
      g.closePath();
      g.fillStyle = s.fill;
      g.fill();
    });
    if (slices.length < 2) { return; }
    g.strokeStyle = '#ffffff';
    g.lineWidth = Math.max(1.5, size / 220);
    slices.forEach(function (s) {
      var a = s.start - Math.PI / 2;
      g.beginPath();
      g.moveTo(c, c);
      g.lineTo(c + geo.r * Math.cos(a), c + geo.r * Math.sin(a));
      g.stroke();
    });
  }

  function paintLabels(g, slices, geo, rotation) {
    var r = geo.r;
    slices.forEach(function (s) {
      var outer = r * 0.93;
      var fit = fitLabel(g, s.seg.label, s.end - s.start, r * 0.17, outer, Math.min(r * 0.085, 18));
      if (!fit.lines.length) { return; } // no room at all: the odds table names it
      var mid = (s.start + s.end) / 2;
      var flip = labelFlipped(mid, rotation);
      g.save();
      g.translate(geo.c, geo.c);
      g.rotate(mid - Math.PI / 2 + (flip ? Math.PI : 0));
      g.font = '600 ' + fit.fs.toFixed(1) + 'px ' + FONT;
      g.textAlign = flip ? 'left' : 'right'; // either way the text ends at the rim
      g.textBaseline = 'middle';
      g.fillStyle = s.text;
      var lh = fit.fs * 1.1;
      fit.lines.forEach(function (line, i) {
        g.fillText(line, flip ? -outer : outer, (i - (fit.lines.length - 1) / 2) * lh);
      });
      g.restore();
    });
  }

  // The rim, with lights.
  function paintRim(g, geo) {
    var c = geo.c;
    var mid = geo.r + geo.rim / 2;
    g.beginPath();
    g.arc(c, c, mid, 0, TAU);
    g.strokeStyle = '#1f2937';
    g.lineWidth = geo.rim;
    g.stroke();
    var dots = 16;
    g.fillStyle = '#fde68a';
    for (var i = 0; i < dots; i++) {
      var a = i / dots * TAU;
      g.beginPath();
      g.arc(c + mid * Math.cos(a), c + mid * Math.sin(a), Math.max(1.5, geo.rim * 0.22), 0, TAU);
      g.fill();
    }
  }

  function paintWheelImage(width, height, dpr, size, slices, rotation) {
    var img = document.createElement('canvas');
    img.width = width;
    img.height = height;
    var g = img.getContext('2d');
    if (!g) { return null; }
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    var geo = geometry(size);
    paintSlices(g, slices, geo, size);
    paintLabels(g, slices, geo, rotation);
    paintRim(g, geo);
    return img;
  }

  // Before the wheel is known: a grey disc.
  function paintPlaceholder(ctx, geo) {
    ctx.beginPath();
    ctx.arc(geo.c, geo.c, geo.r, 0, TAU);
    ctx.fillStyle = '#f3f4f6';
    ctx.fill();
    ctx.lineWidth = geo.rim;
    ctx.strokeStyle = '#d1d5db';
    ctx.stroke();
  }

  // The hub, and the pointer at the top, pointing down into the wheel.
  function paintHubAndPointer(ctx, geo, size) {
    var c = geo.c;
    ctx.beginPath();
    ctx.arc(c, c, geo.r * 0.14, 0, TAU);
    ctx.fillStyle = '#ffffff';
    ctx.fill();
    ctx.lineWidth = Math.max(3, size / 110);
    ctx.strokeStyle = '#1f2937';
    ctx.stroke();

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

  // One frame: f = {size, dpr, image, rotation, winner (a slice or null)}.
  function paintFrame(ctx, f) {
    var geo = geometry(f.size);
    var c = geo.c;
    ctx.setTransform(f.dpr, 0, 0, f.dpr, 0, 0);
    ctx.clearRect(0, 0, f.size, f.size);
    if (!f.image) { paintPlaceholder(ctx, geo); return; }
    ctx.save();
    ctx.translate(c, c);
    ctx.rotate(f.rotation);
    ctx.drawImage(f.image, -c, -c, f.size, f.size);
    if (f.winner) {
      ctx.beginPath();
      ctx.arc(0, 0, geo.r - 3, f.winner.start - Math.PI / 2, f.winner.end - Math.PI / 2);
      ctx.lineWidth = 6;
      ctx.strokeStyle = '#facc15';
      ctx.stroke();
    }
    ctx.restore();
    paintHubAndPointer(ctx, geo, f.size);
  }

  // Draws `wheel` ({slices, rotation, winner}) on the canvas, sized to its box.
  function createRenderer(canvas, box, scope, wheel) {
    var ctx = null;
    try { ctx = canvas.getContext ? canvas.getContext('2d') : null; } catch (e) { ctx = null; }
    var size = 0;
    var dpr = 1;
    var image = null;

    function draw() {
      if (!ctx || !size) { return; }
      paintFrame(ctx, { size: size, dpr: dpr, image: image, rotation: wheel.rotation,
        winner: (wheel.winner >= 0 && wheel.slices[wheel.winner]) || null });
    }

    function layout() {
      if (scope.destroyed) { return; }
      var s = Math.max(MIN_SIZE, Math.min(MAX_SIZE, Math.floor(box.clientWidth || MAX_SIZE)));
      var ratio = Math.min(Math.max(window.devicePixelRatio || 1, 1), 3);
      if (s === size && ratio === dpr && image) { return; }
      size = s;
      dpr = ratio;
      canvas.width = Math.round(size * dpr);
      canvas.height = Math.round(size * dpr);
      canvas.style.width = size + 'px';
      canvas.style.height = size + 'px';
      image = ctx && wheel.slices.length
        ? paintWheelImage(canvas.width, canvas.height, dpr, size, wheel.slices, wheel.rotation) : null;
      draw();
    }

    // Once the wheel rests somewhere new, its labels are laid out again for where it
    // rests, so none is upside down on screen (while it turns, some are).
    function settle() { image = null; layout(); }

    return { draw: draw, layout: layout, settle: settle, invalidate: function () { image = null; } };
  }

  // ---------------------------------------------------------------------------
  // The spin's motion: a free spin while the server answers, then a slow-down onto
  // the won slice (freeState, easePlan, easeState do the maths).

  function createMotion(renderer, scope, wheel, spinMs) {
    var mo = { renderer: renderer, scope: scope, wheel: wheel, spinMs: spinMs, anim: null, rafId: 0,
      raf: window.requestAnimationFrame ? window.requestAnimationFrame.bind(window) : null,
      caf: window.cancelAnimationFrame ? window.cancelAnimationFrame.bind(window) : null };
    mo.tick = function (t) { motionTick(mo, t); };
    return {
      start: function () {
        var reduced = prefersReducedMotion();
        mo.anim = { mode: 'free', t0: now(), rot0: wheel.rotation, omega: reduced || !mo.raf ? 0 : OMEGA, next: null };
        motionKick(mo);
      },
      // Bring the wheel to rest (on `target` if not null), then call done().
      settle: function (target, done) { motionSettle(mo, { target: target, done: done }); },
      stop: function () {
        if (mo.rafId && mo.caf) { mo.caf(mo.rafId); }
        mo.rafId = 0;
        mo.anim = null;
      }
    };
  }

  function motionKick(mo) {
    if (!mo.rafId && mo.raf && !mo.scope.destroyed) { mo.rafId = mo.raf(mo.tick); }
  }

  function motionSettle(mo, next) {
    var anim = mo.anim;
    if (anim && anim.mode === 'free' && mo.raf && document.hidden !== true) {
      anim.next = next; // the free spin hands over once its start-up ramp is over
      motionKick(mo);
      return;
    }
    var v = 0;
    if (anim && anim.mode === 'free') {
      var st = freeState(anim, now());
      v = st.v;
      mo.wheel.rotation = st.rot;
    }
    mo.anim = null;
    motionEase(mo, next, now(), mo.wheel.rotation, v);
  }

  // Starts the slow-down from rot0 at speed v; without animation frames (or in a
  // hidden tab, or with a duration of 0) the wheel jumps to its end at once.
  function motionEase(mo, next, t, rot0, v) {
    var reduced = prefersReducedMotion();
    var dur = mo.spinMs !== null ? mo.spinMs : (reduced ? SPIN_MS_REDUCED : SPIN_MS);
    var plan = easePlan(next.target, rot0, v, dur, reduced);
    if (!mo.raf || plan.dur === 0 || (document.hidden === true)) {
      mo.wheel.rotation = mod(rot0 + plan.delta, TAU);
      mo.anim = null;
      mo.renderer.draw();
      next.done();
      return;
    }
    mo.anim = { mode: 'ease', t0: t, rot0: rot0, delta: plan.delta, dur: plan.dur, p: plan.p, done: next.done };
    motionKick(mo);
  }

  function motionTick(mo, t) {
    mo.rafId = 0;
    var anim = mo.anim;
    if (mo.scope.destroyed || !anim) { return; }
    if (anim.mode === 'free') {
      var st = freeState(anim, t);
      mo.wheel.rotation = st.rot;
      if (anim.next && st.ramped) {
        mo.anim = null;
        motionEase(mo, anim.next, t, mo.wheel.rotation, st.v);
        if (!mo.anim) { return; }
      }
    } else {
      var e = easeState(anim, t);
      mo.wheel.rotation = e.rot;
      if (e.done) {
        mo.anim = null;
        mo.wheel.rotation = mod(mo.wheel.rotation, TAU);
        mo.renderer.draw();
        anim.done();
        return;
      }
    }
    mo.renderer.draw();
    motionKick(mo);
  }

  // ---------------------------------------------------------------------------
  // The result box: what was won, the code with a copy button and its QR, the expiry.

  // Copies the code; where the clipboard is refused, selects it and says so.
  function copyCode(code, button, d) {
    var ui = d.ui;
    var m = d.m;
    function ok() {
      button.textContent = m.T.copied + ' ✓';
      ui.live.textContent = m.T.copied;
      d.scope.later(function () { button.textContent = m.T.copy; }, 2000);
    }
    function fail() {
      var codeEl = ui.result.querySelector('[data-rw="code"]');
      try {
        var range = document.createRange();
        range.selectNodeContents(codeEl);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      } catch (e) { /* ignore */ }
      ui.live.textContent = m.T.copyFailed;
      d.view.showMessage(function () { return m.T.copyFailed; }, 'info');
    }
    var clip = window.navigator && window.navigator.clipboard;
    if (clip && typeof clip.writeText === 'function' && window.isSecureContext !== false) {
      clip.writeText(code).then(ok, function () { if (legacyCopy(code, ui.root, button)) { ok(); } else { fail(); } });
    } else if (legacyCopy(code, ui.root, button)) {
      ok();
    } else {
      fail();
    }
  }

  // Copy through a hidden textarea, for browsers without the async clipboard.
  function legacyCopy(code, root, button) {
    var ta = el('textarea', { readonly: true, 'aria-hidden': 'true', tabindex: '-1' });
    ta.value = code;
    ta.style.cssText = 'position:fixed;top:0;left:0;width:1px;height:1px;opacity:0;font-size:16px';
    root.appendChild(ta);
    ta.select();
    try { ta.setSelectionRange(0, code.length); } catch (e) { /* ignore */ }
    var done = false;
    try { done = document.execCommand('copy'); } catch (e) { done = false; }
    root.removeChild(ta);
    try { button.focus({ preventScroll: true }); } catch (e) { /* ignore */ }
    return done;
  }

  // The won code as a QR for the till's scanner, beside the code, shown as a data:
  // URL, so a page's CSP needs only `img-src data:` (the demo page allows it); an
  // <img> never runs anything inside an SVG. No QR is no harm: the code stays readable.
  // Returns show(giftId); each gift's QR is fetched once.
  function createQrBox(d) {
    var box = d.ui.result;
    var cache = {};
    return function show(giftId) {
      var img = el('img', { className: 'rw-qr', 'data-rw': 'qr', alt: d.m.T.qrAlt, width: '132', height: '132' });
      function put(url) {
        var old = box.querySelector('[data-rw="qr"]');
        if (old) { old.parentNode.removeChild(old); }
        img.src = url;
        box.appendChild(img);
      }
      if (cache[giftId]) { put(cache[giftId]); return; }
      var pending = d.net.qrDataUrl(giftId);
      if (!pending) { return; }
      pending.then(function (url) {
        if (!url) { return; }
        cache[giftId] = url;
        if (box.querySelector('[data-rw="code"]')) { put(url); }
      }).catch(function () { /* no QR: the code is still shown */ });
    };
  }

  function createResultBox(d) {
    var ui = d.ui;
    var m = d.m;
    var box = ui.result;
    var showQr = createQrBox(d);

    function renderCode(v) {
      var code = v.code;
      var codeId = ui.uid + '-code';
      box.appendChild(el('p', { className: 'rw-code-label', id: codeId + '-l' }, m.T.codeLabel));
      box.appendChild(el('code', { className: 'rw-code', 'data-rw': 'code', id: codeId, 'aria-labelledby': codeId + '-l ' + codeId }, code));
      var copyBtn = el('button', { type: 'button', className: 'rw-btn rw-copy', 'data-rw': 'copy' }, m.T.copy);
      copyBtn.addEventListener('click', function () { copyCode(code, copyBtn, d); });
      box.appendChild(copyBtn);
      if (v.gift.id) { showQr(String(v.gift.id)); }
      if (v.gift.expires_at) {
        box.appendChild(el('p', { className: 'rw-expiry', 'data-rw': 'expires', 'data-rw-timezone': m.timeZone || '' },
          fmt(m.T.expires, { date: formatExpiry(v.gift.expires_at, m.locale, m.timeZone) })));
      }
    }

    // The result of a spin, in the current language (also re-run by setLang).
    function render(spinData) {
      var v = spinView(spinData, m.segments, m.locale);
      box.textContent = '';
      if (v.gift || v.prize) {
        box.className = 'rw-result rw-win';
        box.appendChild(el('p', { className: 'rw-title' }, m.T.congrats));
        box.appendChild(el('p', { className: 'rw-prize', 'data-rw': 'prize' }, fmt(m.T.youWon, { label: v.label })));
        if (v.amount) { box.appendChild(el('p', { className: 'rw-amount', 'data-rw': 'amount' }, v.amount)); }
        if (v.code) { renderCode(v); }
      } else {
        box.className = 'rw-result rw-lose';
        box.appendChild(el('p', { className: 'rw-title' }, m.T.lose));
        if (v.seg && v.seg.label !== m.T.lose) { box.appendChild(el('p', { className: 'rw-prize', 'data-rw': 'prize' }, v.seg.label)); }
      }
    }

    return { render: render };
  }

  // ---------------------------------------------------------------------------
  // What happens when: states loading -> ready -> spinning -> done, or error
  // (the root's data-rw-state).

  // What to tell the player about a failed call: {text: a function of the current
  // texts, final: the spin button stays disabled}. Records what the answer says about
  // the session (blocked) and the spins left.
  function describeProblem(r, d) {
    var m = d.m;
    if (r.network) { return { text: function () { return m.T.network; }, final: false }; }
    var p = r.problem || {};
    var code = p.code;
    if (r.status === 401 || code === 'unauthorized') {
      m.blocked = true;
      return { text: function () { return m.T.unauthorized; }, final: true };
    }
    if (code === 'spin_limit_reached') { return spinLimitProblem(r, p, d); }
    if (code === 'rate_limited') { return { text: function () { return m.T.rateLimited; }, final: false }; }
    if (code === 'play_blocked') { return { text: function () { return m.T.playBlocked; }, final: true }; }
    if (code === 'campaign_not_active' || code === 'campaign_ended') {
      m.blocked = true; // the wheel view is read again to say why (d.reload)
      return { text: function () { return m.T[statusKey(m.status) || 'notActive']; }, final: true, stale: true };
    }
    var detail = (typeof p.detail === 'string' && p.detail) ? p.detail : (typeof p.title === 'string' ? p.title : '');
    return { text: function () { return m.T.generic + (detail ? ' ' + detail : ''); }, final: false };
  }

  function spinLimitProblem(r, p, d) {
    var m = d.m;
    var daily = limitIsDaily(p, r.retryAfter, m.spinsLeft, m.spinsLeftToday);
    if (daily) { m.spinsLeftToday = 0; } else { m.spinsLeft = 0; }
    d.view.renderSpins();
    var when = daily && r.retryAfter ? new Date(Date.now() + r.retryAfter * 1000) : null;
    return {
      text: function () {
        var text = daily ? m.T.noSpinsToday : m.T.noSpins;
        if (when) { text += ' ' + fmt(m.T.nextSpinsAt, { time: formatDateTime(when.toISOString(), m.locale, m.timeZone) }); }
        return text;
      },
      final: true
    };
  }

  function reportError(cfg, r) {
    if (cfg.onError) {
      try { cfg.onError(r.problem || { status: r.status, code: r.network ? 'network_error' : undefined }); } catch (e) { /* partner code */ }
    }
  }

  function createLoader(d) {
    var m = d.m;
    var view = d.view;

    function load() {
      m.loaded = false;
      view.setState('loading');
      d.ui.btn.disabled = true;
      view.showMessage(function () { return m.T.loading; }, 'info');
      if (!d.cfg.token) {
        m.blocked = true;
        view.setState('error');
        view.showMessage(function () { return m.T.noToken; }, 'error');
        return;
      }
      if (typeof window.fetch !== 'function') {
        view.setState('error');
        view.showMessage(function () { return m.T.generic; }, 'error');
        return;
      }
      d.net.request('GET', WHEEL_PATH, null, null, LOAD_RETRIES).then(function (r) {
        if (d.scope.destroyed) { return; }
        if (!r.ok || !r.data || typeof r.data !== 'object') {
          var problem = describeProblem(r.ok ? { status: 0, problem: {} } : r, d);
          view.setState('error');
          view.showMessage(problem.text, 'error', problem.final ? null : load);
          reportError(d.cfg, r);
          return;
        }
        apply(r.data);
      });
    }

    function apply(data) {
      m.rawSegments = data.segments;
      m.segments = readSegments(data.segments, m.lang);
      m.spinsLeft = numOrNull(data.spins_left);
      m.spinsLeftToday = numOrNull(data.spins_left_today);
      m.status = typeof data.status === 'string' ? data.status : null;
      if (m.status) { d.ui.root.setAttribute('data-rw-campaign', m.status); }
      d.ui.btn.textContent = buttonText(m);
      if (!d.cfg.zoneGiven && typeof data.timezone === 'string' && data.timezone) { m.timeZone = data.timezone; }
      m.lastFairness = data.fairness;
      m.game = gameOf(data.game);
      d.ui.root.setAttribute('data-rw-game', m.game.kind);
      d.game.build();
      view.buildSlices();
      view.renderOdds();
      view.renderSpins();
      d.renderer.invalidate();
      d.renderer.layout();
      m.loaded = true;
      view.setState('ready');
      if (!m.wheel.slices.length) {
        view.showMessage(function () { return m.T.noSegments; }, 'error');
      } else if (!canSpin(m)) {
        view.showMessage(view.outOfSpinsText, 'info');
      } else {
        view.showMessage('');
      }
      d.ui.btn.disabled = !canSpin(m);
      d.game.enable(canSpin(m));
    }

    return { load: load };
  }

  function createSpinner(d) {
    var m = d.m;
    var ui = d.ui;
    var view = d.view;

    function spin(pick) {
      if (d.scope.destroyed || ui.root.getAttribute('data-rw-state') === 'spinning' || !canSpin(m)) { return; }
      var wheel = m.game.kind === 'wheel';
      var hadFocus = document.activeElement === ui.btn || (!wheel && ui.gameBox.contains(document.activeElement));
      view.setState('spinning');
      ui.btn.disabled = true;
      ui.btn.textContent = m.T.spinning;
      ui.btn.setAttribute('aria-busy', 'true');
      ui.result.hidden = true;
      view.showMessage('');
      ui.live.textContent = '';
      m.wheel.winner = -1;
      d.renderer.draw();
      d.game.enable(false);
      if (!m.pendingSpin) {
        // an unknown outcome is retried as it was sent: same key, same body (and pick)
        m.pendingSpin = { key: uuid(), body: playBody(m.game, toHex(randomBytes(16)), pick), pick: pick };
      }
      var attempt = m.pendingSpin;
      if (wheel) { d.motion.start(); }
      d.net.request('POST', SPIN_PATH, attempt.body, attempt.key, SPIN_RETRIES).then(function (r) {
        if (!d.scope.destroyed) { answered(r, hadFocus); }
      });
    }

    function answered(r, hadFocus) {
      if (!outcomeUnknown(r)) { m.pendingSpin = null; } // a definite answer: the next click is a new spin
      var settle = m.game.kind === 'wheel' ? d.motion.settle : function (target, done) { done(); };
      if (r.ok && r.data && typeof r.data === 'object') {
        var spinData = r.data;
        if (m.game.kind !== 'wheel') {
          d.game.answer(spinData, function () { showSpin(d, spinData, hadFocus); });
          return;
        }
        var land = landingAngle(m.wheel.slices, String(spinData.segment_id), Math.random);
        d.motion.settle(land ? land.angle : null, function () {
          m.wheel.winner = land ? land.index : -1;
          d.renderer.settle();
          showSpin(d, spinData, hadFocus);
        });
        return;
      }
      var problem = describeProblem(r.ok ? { status: 0, problem: {} } : r, d);
      settle(null, function () {
        d.renderer.settle();
        resetButton(ui, m);
        view.setState('error');
        view.showMessage(problem.text, 'error');
        ui.btn.disabled = !canSpin(m) || problem.final;
        d.game.enable(canSpin(m) && !problem.final);
        restoreFocus(ui, hadFocus);
        reportError(d.cfg, r);
        if (problem.stale && d.reload) { d.reload(); } // the campaign changed: show its state
      });
    }

    return { spin: spin };
  }

  // The wheel has stopped on a spin's segment: counts, result, announcement, state.
  function showSpin(d, spinData, hadFocus) {
    var m = d.m;
    var ui = d.ui;
    m.lastSpin = spinData;
    var counts = spinsAfter(spinData, m.spinsLeft, m.spinsLeftToday);
    m.spinsLeft = counts.left;
    m.spinsLeftToday = counts.today;
    d.view.renderSpins();
    d.result.render(spinData);
    ui.result.hidden = false;
    d.view.renderLastSpin(spinData);
    ui.live.textContent = announcementText(spinView(spinData, m.segments, m.locale),
      effectiveSpins(m.spinsLeft, m.spinsLeftToday), m.T);
    resetButton(ui, m);
    ui.btn.disabled = !canSpin(m);
    d.game.enable(canSpin(m));
    if (!canSpin(m) && m.loaded && !m.blocked) { d.view.showMessage(d.view.outOfSpinsText, 'info'); }
    d.view.setState('done');
    restoreFocus(ui, hadFocus);
    d.view.revealResult();
    if (d.cfg.onResult) {
      try { d.cfg.onResult(spinData); } catch (e) { /* partner code must not break the widget */ }
    }
  }

  function resetButton(ui, m) {
    ui.btn.textContent = buttonText(m);
    ui.btn.removeAttribute('aria-busy');
  }

  // Focus goes back to the button when the player clicked it, or to the result when
  // the button is now disabled.
  function restoreFocus(ui, hadFocus) {
    if (!hadFocus) { return; }
    try {
      if (!ui.btn.disabled) { ui.btn.focus({ preventScroll: true }); } else if (!ui.result.hidden) { ui.result.focus({ preventScroll: true }); }
    } catch (e) { /* ignore */ }
  }

  // Switch the language in place: texts, odds, message and the result on screen stay.
  function switchLang(newLang, d) {
    var m = d.m;
    var ui = d.ui;
    m.lang = pickLang(newLang);
    m.T = textsFor(d.cfg.strings, m.lang, d.cfg.lang);
    m.locale = LOCALES[m.lang];
    if (ui.added.lang) { ui.root.setAttribute('lang', m.lang); }
    ui.btn.textContent = ui.root.getAttribute('data-rw-state') === 'spinning' ? m.T.spinning : buttonText(m);
    ui.spinsLabel.textContent = m.T.spinsLeft + ' ';
    d.view.renderSpins();
    if (m.loaded) {
      m.segments = readSegments(m.rawSegments, m.lang);
      d.renderer.invalidate(); // the slices' labels change with the language
      d.view.buildSlices();
      d.renderer.layout();
      d.view.renderOdds();
    } else {
      ui.canvas.setAttribute('aria-label', m.T.loading);
    }
    if (d.game) { d.game.relabel(); }
    if (m.lastSpin) {
      d.result.render(m.lastSpin);
      d.view.renderLastSpin(m.lastSpin);
      ui.live.textContent = '';
    }
    d.view.refreshMessage();
  }

  // Lays the wheel out again when its box or the page changes size; returns the
  // ResizeObserver (null where there is none) for destroy() to disconnect.
  function watchSize(d) {
    var raf = window.requestAnimationFrame ? window.requestAnimationFrame.bind(window) : null;
    function relayout() { d.view.updateWidth(); d.renderer.layout(); }
    var ro = null;
    if (typeof window.ResizeObserver === 'function') {
      ro = new window.ResizeObserver(function () {
        if (raf) { raf(function () { relayout(); }); } else { relayout(); }
      });
      ro.observe(d.ui.wheelBox);
      if (d.ui.root.parentElement) { ro.observe(d.ui.root.parentElement); }
    }
    d.scope.on(window, 'resize', relayout);
    return ro;
  }

  function localStore() {
    try { return window.localStorage || null; } catch (e) { return null; }
  }

  // The scratch card and the envelope grid: what a game other than the wheel shows in
  // the wheel's place. build() after each wheel view, enable(on) follows the button,
  // answer(spin, done) shows a play's outcome and calls done once it is revealed.
  function createGame(d, spin) {
    var m = d.m;
    var ui = d.ui;
    var g = { kind: 'wheel', envelopes: [], card: null, opened: -1, title: null, prize: '' };

    function build() {
      ui.gameBox.textContent = '';
      g.kind = m.game.kind;
      ui.wheelBox.hidden = g.kind !== 'wheel';
      ui.gameBox.hidden = g.kind === 'wheel';
      ui.btn.hidden = g.kind === 'envelope';
      if (g.kind === 'envelope') { buildEnvelopes(); }
      if (g.kind === 'scratch') { g.card = createScratchCard(d); ui.gameBox.appendChild(g.card.node); }
    }

    function buildEnvelopes() {
      var n = m.game.envelopes;
      g.title = el('h3', { id: ui.uid + '-env' }, m.T.envelopes);
      ui.gameBox.appendChild(g.title);
      var grid = el('div', { className: 'rw-envelopes rw-cols-' + envelopeColumns(n), role: 'group',
        'aria-labelledby': ui.uid + '-env', 'data-rw': 'envelopes' });
      g.envelopes = [];
      for (var i = 0; i < n; i++) {
        var b = el('button', { type: 'button', className: 'rw-btn rw-env', 'data-rw-pick': String(i),
          'aria-describedby': ui.uid + '-spins' }, fmt(m.T.envelope, { n: i + 1 }));
        d.scope.on(b, 'click', pickHandler(i));
        grid.appendChild(b);
        g.envelopes.push(b);
      }
      ui.gameBox.appendChild(grid);
    }

    function pickHandler(i) {
      return function () {
        if (g.opened >= 0) { closeEnvelope(); }
        g.opened = m.pendingSpin && typeof m.pendingSpin.pick === 'number' ? m.pendingSpin.pick : i;
        spin(i);
      };
    }

    function closeEnvelope() {
      var b = g.envelopes[g.opened];
      if (b) { b.classList.remove('rw-env-open'); b.textContent = fmt(m.T.envelope, { n: g.opened + 1 }); }
      g.opened = -1;
    }

    function enable(on) {
      g.envelopes.forEach(function (b) { b.disabled = !on; });
      if (g.card) { g.card.enable(false); }
    }

    function answer(spinData, done) {
      var v = spinView(spinData, m.segments, m.locale);
      var label = v.amount || v.label;
      if (g.kind === 'envelope') {
        var at = typeof spinData.pick === 'number' ? spinData.pick : g.opened;
        g.opened = at;
        var b = g.envelopes[at];
        g.prize = label;
        if (b) { b.classList.add('rw-env-open'); b.textContent = fmt(m.T.envelopeOpened, { n: at + 1, label: label }); }
        done();
        if (b) { try { b.focus({ preventScroll: true }); } catch (e) { /* ignore */ } }
        return;
      }
      d.view.setState('scratching');
      d.view.showMessage(function () { return m.T.scratchReady; }, 'info');
      g.card.load(label, function () { d.view.showMessage(''); done(); });
    }

    // The texts in the player's new language; what is on screen stays.
    function relabel() {
      if (g.title) { g.title.textContent = m.T.envelopes; }
      g.envelopes.forEach(function (b, i) {
        b.textContent = i === g.opened ? fmt(m.T.envelopeOpened, { n: i + 1, label: g.prize })
          : fmt(m.T.envelope, { n: i + 1 });
      });
      if (g.card) { g.card.relabel(); }
    }

    return { build: build, enable: enable, answer: answer, relabel: relabel };
  }

  // One scratch card: a coat on a canvas over the prize, scratched off with a pointer;
  // Enter or Space on the card, or the Reveal button, take the whole coat off.
  function createScratchCard(d) {
    var m = d.m;
    var node = el('div', { className: 'rw-scratch-box' });
    var card = el('div', { className: 'rw-scratch', 'data-rw': 'scratch' });
    var prize = el('div', { className: 'rw-scratch-prize', 'data-rw': 'scratch-prize', 'aria-hidden': 'true' }, '?');
    var canvas = el('canvas', { role: 'button', tabindex: '-1', 'aria-label': m.T.scratchCard,
      'aria-disabled': 'true', 'data-rw': 'scratch-coat' });
    var reveal = el('button', { type: 'button', className: 'rw-btn rw-reveal', 'data-rw': 'scratch-reveal', disabled: true },
      m.T.scratchReveal);
    card.appendChild(prize);
    card.appendChild(canvas);
    node.appendChild(card);
    node.appendChild(reveal);
    var st = { live: false, done: null, down: false, moves: 0 };
    var W = 300;
    var H = 150;

    function coat() {
      var dpr = Math.min(window.devicePixelRatio || 1, 2);
      canvas.width = W * dpr;
      canvas.height = H * dpr;
      var ctx = canvas.getContext('2d');
      if (!ctx) { return; }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.globalCompositeOperation = 'source-over';
      ctx.fillStyle = '#9ca3af';
      ctx.fillRect(0, 0, W, H);
      ctx.fillStyle = '#111827';
      ctx.font = '700 20px ' + FONT;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(m.T.scratchHere, W / 2, H / 2);
      canvas.hidden = false;
    }

    function scratchAt(ev) {
      var ctx = canvas.getContext('2d');
      var box = canvas.getBoundingClientRect();
      if (!ctx || !box.width) { return; }
      var x = (ev.clientX - box.left) * W / box.width;
      var y = (ev.clientY - box.top) * H / box.height;
      ctx.globalCompositeOperation = 'destination-out';
      ctx.beginPath();
      ctx.arc(x, y, 22, 0, TAU);
      ctx.fill();
      st.moves += 1;
      if (st.moves % 6 === 0) {
        var px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        if (scratchedShare(px, 16) >= 0.5) { open(); }
      }
    }

    function open() {
      if (!st.live) { return; }
      st.live = false;
      canvas.hidden = true;
      prize.removeAttribute('aria-hidden');
      reveal.disabled = true;
      canvas.setAttribute('tabindex', '-1');
      canvas.setAttribute('aria-disabled', 'true');
      var done = st.done;
      st.done = null;
      if (done) { done(); }
    }

    d.scope.on(canvas, 'pointerdown', function (ev) {
      if (!st.live) { return; }
      st.down = true;
      try { canvas.setPointerCapture(ev.pointerId); } catch (e) { /* ignore */ }
      scratchAt(ev);
    });
    d.scope.on(canvas, 'pointermove', function (ev) { if (st.down && st.live) { scratchAt(ev); } });
    d.scope.on(canvas, 'pointerup', function () { st.down = false; });
    d.scope.on(canvas, 'keydown', function (ev) {
      if (st.live && (ev.key === 'Enter' || ev.key === ' ')) { ev.preventDefault(); open(); }
    });
    d.scope.on(reveal, 'click', open);
    coat();

    return {
      node: node,
      enable: function () { /* the card follows its own play, not the button */ },
      relabel: function () {
        canvas.setAttribute('aria-label', m.T.scratchCard);
        reveal.textContent = m.T.scratchReveal;
        if (st.live) { coat(); st.moves = 0; } // repainted in the new language, unscratched
      },
      load: function (label, done) {
        prize.textContent = label;
        prize.setAttribute('aria-hidden', 'true');
        coat();
        st.live = true;
        st.done = done;
        st.moves = 0;
        reveal.disabled = false;
        canvas.setAttribute('tabindex', '0');
        canvas.removeAttribute('aria-disabled');
        try { canvas.focus({ preventScroll: true }); } catch (e) { /* ignore */ }
      }
    };
  }

  // ---------------------------------------------------------------------------
  // Widget

  var instances = typeof WeakMap === 'function' ? new WeakMap() : null;

  function createWidget(root, opts) {
    var cfg = readOptions(opts, SCRIPT_BASE || (window.location && window.location.origin) || '');
    if (!cfg.deviceId) { cfg.deviceId = deviceIdFrom(localStore(), uuid); }
    var m = createModel(cfg);
    var scope = createScope();
    var ui = buildDom(root, m.lang, m.T);
    var renderer = createRenderer(ui.canvas, ui.wheelBox, scope, m.wheel);
    var d = { cfg: cfg, m: m, scope: scope, ui: ui, renderer: renderer,
      view: createView(ui, m, cfg, scope),
      motion: createMotion(renderer, scope, m.wheel, cfg.spinMs),
      net: createApi(cfg, scope) };
    d.result = createResultBox(d);
    var spinner = createSpinner(d);
    d.game = createGame(d, spinner.spin);
    var loader = createLoader(d);
    d.reload = loader.load;

    scope.on(ui.btn, 'click', function () { spinner.spin(); });
    var ro = watchSize(d);
    d.view.updateWidth();
    renderer.layout();
    loader.load();

    function destroy() {
      if (scope.destroyed) { return; }
      scope.close();
      d.motion.stop();
      if (ro) { ro.disconnect(); }
      clearRoot(ui);
      if (instances && instances.get(root) === handle) { instances.delete(root); }
    }

    var handle = {
      destroy: destroy,
      setLang: function (lang) { if (!scope.destroyed) { switchLang(lang, d); } }
    };
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
})(typeof window !== 'undefined' ? window : null, typeof document !== 'undefined' ? document : null);
