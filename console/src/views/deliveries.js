/* A gift's messages to its recipient (kind, channel, masked contact, status) with a
 * resend, optionally to a corrected contact; a batch's delivery progress. */

function drawDeliveries(g, path, extra, zone) {
  var box = h('div', {'data-section': 'deliveries'});
  extra.appendChild(box);
  function load() {
    return api('GET', path + '/deliveries').then(function (r) {
      clear(box);
      var list = (r.data && r.data.data) || [];
      box.appendChild(h('h4', {text: t('dlv.title')}));
      if (!list.length) box.appendChild(h('p', {class: 'hint', text: t('dlv.none')}));
      else box.appendChild(deliveryTable(list, zone));
      if (g.status === 'active') box.appendChild(resendForm(g, path, load));
    }, function () { /* not offered: nothing to show */ });
  }
  return load();
}

function deliveryTable(list, zone) {
  return h('div', {class: 'scroll'}, h('table', {class: 'list', 'data-list': 'deliveries'}, [
    h('thead', {}, h('tr', {}, [t('dlv.kind'), t('dlv.channel'), t('dlv.to'), t('gift.status'),
      t('gift.when')].map(function (x) { return h('th', {scope: 'col', text: x}); }))),
    h('tbody', {}, list.map(function (d) {
      var at = d.sent_at || d.scheduled_for || d.updated_at;
      return h('tr', {'data-delivery': d.id}, [
        h('td', {text: t('dlv.kind.' + d.kind)}),
        h('td', {text: t('dlv.channel.' + d.channel)}),
        h('td', {class: 'code', text: d.to || '—'}),
        h('td', {}, [h('span', {class: 'badge st-' + d.status, 'data-status': d.status,
          text: t('dlv.status.' + d.status)}), d.reason ? ' ' + d.reason : '']),
        h('td', {class: 'nowrap', text: at ? when(at, zone) : '—'})]);
    }))]));
}

function resendForm(g, path, reload) {
  var msg = h('div', {class: 'msg'});
  var to = h('input', {type: 'text', autocomplete: 'off', spellcheck: 'false', 'data-field': 'resend-to',
    placeholder: '+84901234567 / name@example.com'});
  var submit = h('button', {type: 'submit', 'data-action': 'resend', text: t('dlv.resend')});
  return h('form', {class: 'inline-form', novalidate: true, 'data-form': 'resend', onsubmit: function (ev) {
    ev.preventDefault();
    var body = to.value.trim() ? {to: to.value.trim()} : {};
    busy(submit, true);
    say(msg, '');
    moneyPost('resend:' + g.code, path + '/deliveries', body).then(function () {
      busy(submit, false);
      to.value = '';
      announce(t('dlv.queued'));
      return reload();
    }, function (err) {
      busy(submit, false);
      say(msg, err.status === 429 ? t('dlv.tooSoon') : problemText(err));
    });
  }}, [field(t('dlv.corrected'), to, t('dlv.correctedHint')), submit, msg]);
}

/* "Messages: 480 sent, 3 failed, 17 on their way" while a batch's messages go out. */
function deliveryProgressText(batch) {
  var d = batch && batch.delivery;
  if (!d || !(d.queued + d.sent + d.failed)) return '';
  return t('dlv.batch', {sent: number(d.sent), failed: number(d.failed), queued: number(d.queued)});
}

/* Follows a batch's messages until none is on its way (or ten minutes). */
function followDelivery(batchId, node, started) {
  started = started || Date.now();
  return api('GET', '/gift-batches/' + encodeURIComponent(batchId)).then(function (r) {
    node.textContent = deliveryProgressText(r.data);
    var d = r.data.delivery || {};
    if (!d.queued || Date.now() - started > 600000) return r.data;
    return new Promise(function (ok) { setTimeout(ok, 2000); }).then(function () {
      return followDelivery(batchId, node, started);
    });
  }, function () { return null; });
}
