/* The frame around the views: static texts, language, signing out, and the router
 * that draws the view the hash names (routes.js). */

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
  idemKeys.reset();
  if (location.hash && location.hash !== '#/') location.hash = '#/';
  else render(true);
}

/* Under `make run` every message to a recipient lands in the local outbox: the
 * console links it when served from this machine (deployed stages have none). */
function showOutbox() {
  var local = /^(127\.|localhost$|\[::1\]$)/.test(location.hostname);
  var link = document.getElementById('outbox-link');
  if (link) link.href = BASE + '/dev/outbox';
  document.querySelectorAll('[data-feature=outbox]').forEach(function (n) { n.hidden = !(local && has('/dev/outbox')); });
}

function render(moveFocus) {
  var signedIn = !!state.key;
  var hash = location.hash;
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('sign-out').hidden = !signedIn;
  var section = parseHash(hash).section;
  document.querySelectorAll('[data-nav]').forEach(function (a) {
    if (a.getAttribute('data-nav') === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  if (!signedIn) { renderSignIn(); focusHeading(moveFocus); return; }
  probe().then(function () {
    document.querySelectorAll('[data-feature=webhooks]').forEach(function (n) { n.hidden = !has('/webhook-endpoints'); });
    showOutbox();
    var to = routeOf(hash, has('/webhook-endpoints'));
    var done;
    if (to.page === 'new-campaign') done = renderNewCampaign();
    else if (to.page === 'campaign') done = renderCampaign(to.arg);
    else if (to.page === 'gifts') done = renderGifts(to.arg);
    else if (to.page === 'webhooks') done = renderWebhooks();
    else done = renderCampaigns();
    Promise.resolve(done).then(function () { focusHeading(moveFocus); });
  });
}
