/*
 * The demo page's script (demo.html), kept out of the page so its CSP needs no
 * 'unsafe-inline'. The widget is loaded from this page's own origin only: an `api`
 * query parameter naming any other origin is refused, never loaded.
 */
(function () {
  'use strict';

  var TEXT = {
    vi: {
      title: 'Vòng quay may mắn',
      intro: 'Bấm “Quay” để thử vận may. Tỉ lệ trúng của từng ô được công bố ngay bên cạnh vòng quay; phần thưởng là mã quà tặng dùng được tại cửa hàng.',
      equal: 'Xem các ô bằng nhau',
      proportional: 'Xem các ô theo tỉ lệ trúng',
      setupTitle: 'Cấu hình demo',
      setupText: 'Nhập một player token (do máy chủ của đối tác tạo qua POST /v1/campaigns/{id}/player-tokens). Bạn cũng có thể mở trang với ?token=... trên URL.',
      setupSubmit: 'Mở vòng quay',
      devSummary: 'Dành cho nhà phát triển',
      devText: 'Nhúng widget vào trang của bạn:',
      lastTitle: 'Kết quả lượt quay gần nhất (onResult):',
      loadError: 'Không tải được widget từ ',
      foreignApi: 'Trang demo chỉ dùng API của chính nó; tham số api trỏ tới nơi khác đã bị bỏ qua: ',
      footer: 'Demo · Token nằm trên URL chỉ dùng để thử nghiệm; hãy tạo token ở máy chủ và truyền vào trang khi tích hợp thật.'
    },
    en: {
      title: 'Lucky wheel',
      intro: 'Press “Spin” to try your luck. Every segment’s odds are published next to the wheel; prizes are gift codes you can use in store.',
      equal: 'Show equal slices',
      proportional: 'Show slices sized by their odds',
      setupTitle: 'Demo setup',
      setupText: 'Enter a player token (minted by the partner server with POST /v1/campaigns/{id}/player-tokens). You can also open this page with ?token=... in the URL.',
      setupSubmit: 'Open the wheel',
      devSummary: 'For developers',
      devText: 'Embed the widget in your page:',
      lastTitle: 'Last spin result (onResult):',
      loadError: 'Could not load the widget from ',
      foreignApi: 'The demo page only talks to its own API; an api parameter pointing elsewhere was ignored: ',
      footer: 'Demo · A token in the URL is for testing only; in production mint it on your server and hand it to the page.'
    }
  };

  var params = new URLSearchParams(location.search);
  var lang = params.get('lang') === 'en' ? 'en' : 'vi';
  var token = params.get('token') || '';
  var slices = params.get('slices') === 'equal' ? 'equal' : 'proportional';
  var styleEl = document.getElementById('demo-style');
  var nonce = styleEl ? (styleEl.nonce || '') : '';

  function ownBase() {
    // Served by the API itself from {base}/v1/widget/demo.html: keep any stage prefix.
    var m = location.pathname.match(/^(.*?)\/v1\/widget\/[^/]*$/);
    return location.origin + (m ? m[1] : '');
  }

  // `?api=` may only name this page's own origin (e.g. to pick a stage prefix):
  // a script from anywhere else would run with this origin's rights.
  var refused = '';
  function chooseApi() {
    var given = params.get('api');
    if (!given) { return ownBase(); }
    var u;
    try { u = new URL(given, location.href); } catch (e) { u = null; }
    if (!u || u.origin !== location.origin || !/^https?:$/.test(u.protocol)) {
      refused = given;
      return ownBase();
    }
    return (u.origin + u.pathname).replace(/\/+$/, '').replace(/\/v1$/, '');
  }
  var api = chooseApi();

  var $ = function (id) { return document.getElementById(id); };
  var widget = null;

  function setText() {
    var t = TEXT[lang];
    document.documentElement.lang = lang;
    document.title = t.title + ' · Demo';
    $('title').textContent = t.title;
    $('intro').textContent = t.intro;
    var other = new URLSearchParams(params.toString());
    if (slices === 'equal') { other.delete('slices'); } else { other.set('slices', 'equal'); }
    $('layout-link').textContent = slices === 'equal' ? t.proportional : t.equal;
    $('layout-link').setAttribute('href', '?' + other.toString());
    $('setup-title').textContent = t.setupTitle;
    $('setup-text').textContent = t.setupText;
    $('setup-submit').textContent = t.setupSubmit;
    $('dev-summary').textContent = t.devSummary;
    $('dev-text').textContent = t.devText;
    $('last-title').textContent = t.lastTitle;
    $('footer').textContent = t.footer;
    $('embed').textContent =
      '<div id="wheel"></div>\n' +
      '<script src="' + api + '/v1/widget/wheel.js"><\/script>\n' +
      '<script>\n' +
      '  RewardsWheel.mount(document.getElementById(\'wheel\'), {\n' +
      '    token: \'<player token>\',\n' +
      '    lang: \'' + lang + '\',\n' +
      (slices === 'equal' ? '    slices: \'equal\',\n' : '') +
      '    onResult: function (spin) { console.log(spin); }\n' +
      '  });\n' +
      '<\/script>';
    Array.prototype.forEach.call(document.querySelectorAll('.lang button'), function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-lang') === lang));
    });
  }

  function mountWidget() {
    if (!window.RewardsWheel || !token) { return; }
    widget = window.RewardsWheel.mount($('wheel'), {
      apiBase: api,
      token: token,
      lang: lang,
      slices: slices,
      nonce: nonce,
      onResult: function (spin) { $('last').textContent = JSON.stringify(spin, null, 2); }
    });
  }

  function showSetup() {
    $('setup').hidden = false;
    $('f-token').value = token;
  }

  function showError(text, aboveTheWidget) {
    var box = document.createElement('p');
    box.className = 'error';
    box.setAttribute('role', 'alert');
    box.textContent = text;
    if (aboveTheWidget) { $('intro').insertAdjacentElement('afterend', box); } else { $('wheel').appendChild(box); }
  }

  Array.prototype.forEach.call(document.querySelectorAll('.lang button'), function (b) {
    b.addEventListener('click', function () {
      lang = b.getAttribute('data-lang');
      params.set('lang', lang);
      history.replaceState(null, '', '?' + params.toString() + location.hash);
      setText();
      // the widget re-renders its texts in place: a result on screen stays there
      if (widget && widget.setLang) { widget.setLang(lang); }
    });
  });

  $('setup-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var p = new URLSearchParams();
    p.set('token', $('f-token').value.trim());
    p.set('lang', lang);
    if (slices === 'equal') { p.set('slices', 'equal'); }
    location.search = '?' + p.toString();
  });

  setText();
  if (refused) { showError(TEXT[lang].foreignApi + refused, true); }

  if (!token) {
    showSetup();
    return;
  }

  var s = document.createElement('script');
  s.src = api + '/v1/widget/wheel.js';
  s.async = true;
  s.onload = mountWidget;
  s.onerror = function () {
    showError(TEXT[lang].loadError + s.src);
    showSetup();
  };
  document.head.appendChild(s);
})();
