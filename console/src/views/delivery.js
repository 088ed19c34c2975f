/* Delivery on the campaign page: how its gifts reach their recipients (channels in
 * order, send window, reminder, language, where to use), and the partner's branding
 * on gift pages and messages. */

var CHANNELS = ['zalo', 'sms', 'email'];

function deliveryCard(c, path, reload) {
  var d = c.delivery || {};
  var chosen = d.channels || [];
  var msg = h('div', {class: 'msg'});
  var selects = [0, 1, 2].map(function (i) {
    var s = h('select', {'data-field': 'delivery-channel-' + (i + 1)}, [h('option', {value: '', text: t('delivery.none')})]
      .concat(CHANNELS.map(function (ch) { return h('option', {value: ch, text: t('delivery.ch.' + ch)}); })));
    s.value = chosen[i] || '';
    return field(t('delivery.channelN', {n: i + 1}), s);
  });
  var win = d.send_window || {};
  var from = h('input', {type: 'time', 'data-field': 'delivery-from', value: win.from || ''});
  var to = h('input', {type: 'time', 'data-field': 'delivery-to', value: win.to || ''});
  var reminder = h('input', {type: 'text', inputmode: 'numeric', 'data-field': 'delivery-reminder',
    value: d.reminder_days_before_expiry ? String(d.reminder_days_before_expiry) : ''});
  var locale = h('select', {'data-field': 'delivery-locale'}, [
    h('option', {value: 'vi', text: 'Tiếng Việt'}), h('option', {value: 'en', text: 'English'})]);
  locale.value = d.locale || 'vi';
  var where = h('textarea', {rows: '3', maxlength: '500', 'data-field': 'delivery-where'});
  where.value = d.where_to_use || '';
  var submit = h('button', {type: 'submit', class: 'primary', 'data-action': 'delivery', text: t('delivery.save')});
  var form = h('form', {class: 'stack-form', novalidate: true, 'data-form': 'delivery', onsubmit: function (ev) {
    ev.preventDefault();
    var made = deliveryBody({channels: selects.map(function (f) { return f.querySelector('select').value; }),
      from: from.value, to: to.value, reminder: reminder.value, locale: locale.value, where: where.value});
    if (made.error) { say(msg, t(made.error)); return; }
    busy(submit, true);
    api('PATCH', path, {json: {delivery: made.body}}).then(function () {
      announce(t('delivery.saved'));
      return reload(t('delivery.saved'));
    }, function (err) { busy(submit, false); say(msg, problemText(err)); });
  }}, [
    h('fieldset', {}, [h('legend', {text: t('delivery.channels')}), h('p', {class: 'hint', text: t('delivery.channelsHint')})]
      .concat(selects)),
    h('fieldset', {}, [h('legend', {text: t('delivery.window')}),
      h('p', {class: 'hint', text: t('delivery.windowHint', {zone: c.timezone})}),
      field(t('delivery.from'), from), field(t('delivery.to'), to)]),
    field(t('delivery.reminder'), reminder, t('delivery.reminderHint')),
    field(t('delivery.locale'), locale),
    field(t('delivery.where'), where, t('delivery.whereHint')),
    submit, msg]);
  return h('section', {class: 'card', 'aria-labelledby': 'delivery-h', 'data-section': 'delivery'}, [
    h('h2', {id: 'delivery-h', text: t('delivery.title')}), form]);
}

function brandingCard() {
  var msg = h('div', {class: 'msg'});
  var name = h('input', {type: 'text', maxlength: '100', required: true, 'data-field': 'branding-name'});
  var logo = h('input', {type: 'url', 'data-field': 'branding-logo', placeholder: 'https://'});
  var colour = h('input', {type: 'text', 'data-field': 'branding-colour', placeholder: '#0B5CAD', maxlength: '7'});
  var submit = h('button', {type: 'submit', class: 'primary', 'data-action': 'branding', text: t('branding.save')});
  var card = h('section', {class: 'card', 'aria-labelledby': 'branding-h', 'data-section': 'branding'}, [
    h('h2', {id: 'branding-h', text: t('branding.title')}), h('p', {class: 'hint', text: t('branding.lead')})]);
  card.appendChild(h('form', {class: 'stack-form', novalidate: true, 'data-form': 'branding', onsubmit: function (ev) {
    ev.preventDefault();
    var made = brandingBody({name: name.value, logo: logo.value, colour: colour.value});
    if (made.error) { say(msg, t(made.error)); return; }
    busy(submit, true);
    api('PUT', '/delivery/branding', {json: made.body}).then(function () {
      busy(submit, false);
      announce(t('branding.saved'));
      say(msg, t('branding.saved'), 'ok');
    }, function (err) { busy(submit, false); say(msg, problemText(err)); });
  }}, [field(t('branding.name'), name), field(t('branding.logo'), logo, t('branding.logoHint')),
    field(t('branding.colour'), colour, t('branding.colourHint')), submit, msg]));
  api('GET', '/delivery/branding').then(function (r) {
    name.value = r.data.display_name || '';
    logo.value = r.data.logo_url || '';
    colour.value = r.data.colour || '';
  }, function (err) { say(msg, problemText(err)); });
  return card;
}
