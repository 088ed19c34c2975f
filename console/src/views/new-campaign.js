/* A new campaign: its basics, its wheel (wheel-editor.js), and the draft kept in
 * memory while the tab is open (a language switch or another page does not lose it). */

var CURRENCIES = ['VND', 'USD', 'EUR', 'GBP', 'SGD', 'THB', 'IDR', 'MYR', 'PHP', 'JPY'];
var DEFAULT_ZONE = 'Asia/Ho_Chi_Minh';

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
      value: zonedInput(new Date(Date.now() + 30 * 86400e3), DEFAULT_ZONE)}),
    expiry: h('input', {type: 'number', min: '1', max: '3650', value: '30', 'data-field': 'gift_expiry_days'}),
    zone: h('input', {type: 'text', value: DEFAULT_ZONE, 'data-field': 'timezone', maxlength: '64'}),
    withWheel: h('input', {type: 'checkbox', checked: true, 'data-field': 'with_wheel', id: 'with-wheel'})
  };
}

/* The campaign's zone as typed (the default when empty). */
function formZone(f) { return f.zone.value.trim() || DEFAULT_ZONE; }

/* The POST /campaigns body from the form: {body, problems (texts, empty when none)}.
 * Its dates are read on the campaign's clock (the zone typed beside them), not the
 * browser's: 31 Dec 23:59 for Asia/Ho_Chi_Minh is 16:59 UTC from any browser. */
function campaignBody(f, editor) {
  var zone = formZone(f);
  var body = {name: f.name.value.trim(), currency: f.currency.value,
    budget: toMinor(f.budget.value, f.currency.value), ends_at: isoFromZoned(f.ends.value, zone),
    gift_expiry_days: parseInt(f.expiry.value, 10), timezone: zone};
  if (f.starts.value) body.starts_at = isoFromZoned(f.starts.value, zone);
  var problems = [];
  if (!body.name) problems.push(t('new.err.name'));
  if (!(body.budget >= 0)) problems.push(t('new.err.budget'));
  if (!zoneKnown(zone)) problems.push(t('new.err.zone'));
  else if (!body.ends_at) problems.push(t('new.err.ends'));
  if (f.withWheel.checked) {
    var wheel = editor.value();
    if (wheel.error) problems.push(wheel.error); else body.wheel = wheel.wheel;
    if (!wheel.error && wheel.game) body.game = wheel.game;
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
        field(t('new.timezone'), f.zone),
        field(t('new.starts'), f.starts, t('new.starts.hint') + ' ' + t('new.inZone', {zone: formZone(f)})),
        field(t('new.ends'), f.ends, t('new.inZone', {zone: formZone(f)})),
        field(t('new.expiry'), f.expiry)])]),
    h('div', {class: 'check'}, [f.withWheel, h('label', {for: 'with-wheel', text: t('new.withWheel')})]),
    editor.node,
    msg,
    submit
  ]);
  root.appendChild(form);
  editor.update();
  keepDraft(form, editor, f.withWheel);
  zoneHints(f);
  f.zone.addEventListener('input', function () { zoneHints(f); });
}

/* The dates' hints name the zone they are read in, as it is typed. */
function zoneHints(f) {
  var zone = formZone(f);
  var starts = document.getElementById(f.starts.id + '-hint');
  var ends = document.getElementById(f.ends.id + '-hint');
  if (starts) starts.textContent = t('new.starts.hint') + ' ' + t('new.inZone', {zone: zone});
  if (ends) ends.textContent = t('new.inZone', {zone: zone});
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
