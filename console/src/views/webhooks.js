/* Webhook endpoints: add one (its signing secret is shown once), list them. */

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
