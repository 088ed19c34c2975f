/* One gift: the lookup form, its facts, voiding it, its redemptions, and its
 * history and QR when the API offers them; the gift table of a campaign's page. */

function giftTable(gifts, name, zone) {
  return h('table', {class: 'list', 'data-list': name}, [
    h('thead', {}, h('tr', {}, [t('gift.code'), t('gift.amount'), t('gift.balance'), t('gift.status'),
      t('gift.issued')].map(function (x, i) { return h('th', {scope: 'col', class: i === 1 || i === 2 ? 'num' : null, text: x}); }))),
    h('tbody', {}, gifts.map(function (g) {
      return h('tr', {}, [h('th', {scope: 'row', class: 'code', text: g.code}),
        h('td', {class: 'num', text: money(g.amount, g.currency)}),
        h('td', {class: 'num', text: money(g.balance, g.currency)}),
        h('td', {}, statusBadge(g.status, 'gift')),
        h('td', {class: 'nowrap', text: when(g.issued_at, zone)})]);
    }))]);
}

function lookupCard() {
  var msg = h('div', {class: 'msg'});
  var out = h('div', {class: 'lookup-result', 'data-field': 'lookup-result'});
  var code = h('input', {type: 'text', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters',
    required: true, 'data-field': 'lookup-code', placeholder: 'XXXX-XXXX-XXXX-XXXX'});
  var submit = h('button', {type: 'submit', class: 'primary', text: t('lookup.submit')});
  function show(value) {
    say(msg, '');
    busy(submit, true);
    clear(out);
    return api('GET', '/gifts/' + encodeURIComponent(value)).then(function (r) {
      // its campaign, for a name rather than an id and for dates on its clock; the
      // gift is shown all the same if that read fails
      return api('GET', '/campaigns/' + encodeURIComponent(r.data.campaign_id)).then(function (c) {
        return c.data;
      }, function () { return null; }).then(function (c) {
        busy(submit, false);
        drawGift(r.data, c, out, function () { return show(value); });
      });
    }, function (err) {
      busy(submit, false);
      say(msg, err.status === 404 ? t('lookup.none') : problemText(err));
    });
  }
  return h('section', {class: 'card', 'aria-labelledby': 'lookup-h'}, [
    h('h2', {id: 'lookup-h', text: t('lookup.title')}),
    h('form', {class: 'inline-form', novalidate: true, 'data-form': 'lookup', role: 'search', onsubmit: function (ev) {
      ev.preventDefault();
      var value = code.value.trim();
      if (!value) { say(msg, t('lookup.empty')); code.focus(); return; }
      show(value);
    }}, [field(t('lookup.code'), code, t('lookup.hint')), submit]),
    msg, out]);
}

/* What a gift's balance means to the person at the till: a voided or expired gift's
 * balance cannot be spent, and says so rather than showing a usable amount. */
function balanceText(g) {
  if (g.status === 'voided') return t('gift.voidedBalance', {amount: money(g.balance, g.currency)});
  if (g.status === 'expired') return t('gift.expiredBalance', {amount: money(g.balance, g.currency)});
  return money(g.balance, g.currency);
}

/* `c`: the gift's campaign (null when it could not be read). */
function drawGift(g, c, out, refresh) {
  var msg = h('div', {class: 'msg'});
  var zone = c ? c.timezone : null;
  var head = h('div', {class: 'gift-head'}, [h('h3', {class: 'code', text: g.code}), statusBadge(g.status, 'gift')]);
  out.appendChild(head);
  var rec = g.recipient || {};
  out.appendChild(h('dl', {class: 'facts', 'data-gift': g.code}, [
    fact(t('gift.amount'), money(g.amount, g.currency)),
    fact(t('gift.balance'), balanceText(g), 'balance'),
    fact(t('gift.issued'), when(g.issued_at, zone)),
    fact(t('gift.expires'), until(g.expires_at, zone)),
    fact(t('gift.campaign'), h('a', {href: '#/campaigns/' + encodeURIComponent(g.campaign_id),
      'data-field': 'gift-campaign', text: c ? c.name : g.campaign_id}), 'campaign'),
    rec.reference ? fact(t('gift.reference'), rec.reference) : null,
    g.gift_url ? fact(t('gift.page'), h('a', {href: g.gift_url, target: '_blank', rel: 'noopener noreferrer',
      'data-field': 'gift-url', text: t('gift.pageOpen')}), 'gift-url') : null].filter(Boolean)));
  if (g.status === 'active') out.appendChild(h('div', {class: 'actions'}, [voidButton(g, out, msg, refresh)]));
  out.appendChild(msg);
  if (g.redemptions && g.redemptions.length) drawRedemptions(g, out, zone);
  var extra = h('div', {class: 'gift-extra'});
  out.appendChild(extra);
  var path = '/gifts/' + encodeURIComponent(g.code);
  if (has('/gifts/{code}/events')) drawGiftHistory(g, path, extra, zone);
  if (has('/gifts/{code}/deliveries')) drawDeliveries(g, path, extra, zone);
  if (g.status === 'active' && has('/gifts/{code}/qr.svg')) {  // only a usable gift goes to the till
    api('GET', path + '/qr.svg', {blob: true}).then(function (r) {
      var url = URL.createObjectURL(r.data);
      extra.appendChild(h('figure', {class: 'qr', 'data-section': 'qr'}, [
        h('img', {src: url, width: '160', height: '160', alt: t('gift.qr', {code: g.code})}),
        h('figcaption', {text: t('gift.qrCaption')})]));
    }, function () { /* not there yet */ });
  }
}

function voidButton(g, out, msg, refresh) {
  var button = h('button', {type: 'button', class: 'danger', 'data-action': 'void', text: t('void.submit')});
  button.addEventListener('click', function () {
    if (!window.confirm(t('void.confirm', {code: g.code, amount: money(g.balance, g.currency)}))) return;
    busy(button, true);
    moneyPost('void:' + g.code, '/gifts/' + encodeURIComponent(g.code) + '/void', {}).then(function () {
      announce(t('void.done', {code: g.code}));
      clear(out);
      return refresh().then(function () { out.insertBefore(alertBox(t('void.done', {code: g.code}), 'ok'), out.firstChild); });
    }, function (err) { busy(button, false); say(msg, problemText(err)); });
  });
  return button;
}

function drawRedemptions(g, out, zone) {
  out.appendChild(h('h4', {text: t('gift.redemptions')}));
  out.appendChild(h('div', {class: 'scroll'}, h('table', {class: 'list'}, [
    h('thead', {}, h('tr', {}, [t('gift.when'), t('gift.amount'), t('gift.location')].map(function (x) {
      return h('th', {scope: 'col', text: x}); }))),
    h('tbody', {}, g.redemptions.map(function (r) {
      return h('tr', {}, [h('td', {text: when(r.redeemed_at, zone)}), h('td', {class: 'num', text: money(r.amount, g.currency)}),
        h('td', {text: r.location || '—'})]);
    }))])));
}

function drawGiftHistory(g, path, extra, zone) {
  api('GET', path + '/events').then(function (r) {
    var events = (r.data && r.data.data) || [];
    var box = h('div', {'data-section': 'history'}, [h('h4', {text: t('gift.history')})]);
    box.appendChild(h('ol', {class: 'timeline'}, events.map(function (e) {
      return h('li', {}, [h('strong', {text: t('event.' + e.type) === 'event.' + e.type ? e.type : t('event.' + e.type)}),
        ' · ' + when(e.at, zone) + (e.amount !== undefined && e.amount !== null ? ' · ' + money(e.amount, g.currency) : '') +
        (e.balance_after !== undefined ? ' · ' + t('gift.balanceAfter', {b: money(e.balance_after, g.currency)}) : '') +
        (e.location ? ' · ' + e.location : '')]);
    })));
    extra.insertBefore(box, extra.firstChild);
  }, function () { /* not there yet: nothing to show */ });
}
