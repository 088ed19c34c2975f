/* Sign in: the key is tried on the API first, then kept in this tab's sessionStorage. */

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
    api('GET', withQuery('/campaigns', {limit: 1}), {key: key}).then(function () {
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
