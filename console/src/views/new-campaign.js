/* A new campaign: its basics, its wheel (wheel-editor.js), and the draft kept in
 * memory while the tab is open (a language switch or another page does not lose it). */

var CURRENCIES = ['VND', 'USD', 'EUR', 'GBP', 'SGD', 'THB', 'IDR', 'MYR', 'PHP', 'JPY'];

/* The basics' inputs, each named by its data-field. */
function campaignInputs() {
  return {
    name: h('input', {type: 'text', required: true, maxlength: '200', 'data-field': 'name'}),
    currency: h('select', {'data-field': 'currency'}, CURRENCIES.map(function (c) {
      return h('option', {value: c, text: c});
    })),
    budget: h('input', {type: 'text', inputmode: 'decimal', required: true, 'data-field': 'budget',
      value: '10000000'}),
    starts: h('input', {type: 'datetime-local', 'data-field': 'starts_at'}),
    ends: h('input', {type: 'datetime-local', required: true, 'data-field': 'ends_at',
      value: localInput(new Date(Date.now() + 30 * 86400e3))}),
    expiry: h('input', {type: 'number', min: '1', max: '3650', value: '30', 'data-field': 'gift_expiry_days'}),
    zone: h('input', {type: 'text', value: 'Asia/Ho_Chi_Minh', 'data-field': 'timezone', maxlength: '64'}),
    withWheel: h('input', {type: 'checkbox', checked: true, 'data-field': 'with_wheel', id: 'with-wheel'})
  };
}

/* The POST /campaigns body from the form: {body, problems (texts, empty when none)}. */
function campaignBody(f, editor) {
  var body = {name: f.name.value.trim(), currency: f.currency.value,
    budget: toMinor(f.budget.value, f.currency.value), ends_at: isoFromLocal(f.ends.value),
    gift_expiry_days: parseInt(f.expiry.value, 10)};
  if (f.starts.value) body.starts_at = isoFromLocal(f.starts.value);
  if (f.zone.value.trim()) body.timezone = f.zone.value.trim();
  var problems = [];
  if (!body.name) problems.push(t('new.err.name'));
  if (!(body.budget >= 0)) problems.push(t('new.err.budget'));
  if (!body.ends_at) problems.push(t('new.err.ends'));
  if (f.withWheel.checked) {
    var wheel = editor.value();
    if (wheel.error) problems.push(wheel.error); else body.wheel = wheel.wheel;
  }
  return {body: body, problems: problems};
}

function renderNewCampaign() {
  var root = page('new.title');
  root.appendChild(h('p', {}, h('a', {href: '#/campaigns', text: '← ' + t('campaigns.title')})));
  root.appendChild(heading(t('new.title')));
  var msg = h('div', {class: 'msg'});
  var f = campaignInputs();
  var editor = wheelEditor(function () { return f.currency.value; });
  f.currency.addEventListener('change', editor.update);
  f.withWheel.addEventListener('change', function () { editor.node.hidden = !f.withWheel.checked; });
  var submit = h('button', {type: 'submit', class: 'primary', text: t('new.submit')});

  var form = h('form', {class: 'card', novalidate: true, 'data-form': 'new-campaign', onsubmit: function (ev) {
    ev.preventDefault();
    var made = campaignBody(f, editor);
    if (made.problems.length) { say(msg, made.problems.join(' ')); return; }
    say(msg, '');
    busy(submit, true);
    api('POST', '/campaigns', {json: made.body, idem: idemKeys.key('new-campaign', made.body)}).then(function (r) {
      idemKeys.settle('new-campaign', null);
      state.draft = null;
      announce(t('new.created', {name: r.data.name}));
      location.hash = '#/campaigns/' + encodeURIComponent(r.data.id);
    }, function (err) {
      idemKeys.settle('new-campaign', err);
      busy(submit, false);
      say(msg, problemText(err));
    });
  }}, [
    h('fieldset', {}, [h('legend', {text: t('new.basics')}),
      h('div', {class: 'grid'}, [
        field(t('new.name'), f.name),
        field(t('new.currency'), f.currency),
        field(t('new.budget'), f.budget, t('new.budget.hint')),
        field(t('new.starts'), f.starts, t('new.starts.hint')),
        field(t('new.ends'), f.ends),
        field(t('new.expiry'), f.expiry),
        field(t('new.timezone'), f.zone)])]),
    h('div', {class: 'check'}, [f.withWheel, h('label', {for: 'with-wheel', text: t('new.withWheel')})]),
    editor.node,
    msg,
    submit
  ]);
  root.appendChild(form);
  editor.update();
  keepDraft(form, editor, f.withWheel);
}

/* Puts back the draft (if any), then keeps it up to date as the partner types. */
function keepDraft(form, editor, withWheel) {
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
