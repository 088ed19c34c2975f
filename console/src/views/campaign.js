/* One campaign: its status and actions, facts, budget (gauge and top-up), the report
 * (report.js), the fairness check, recent gifts, and the exports and results report
 * when the API offers them. */

function renderCampaign(id) {
  var root = page('campaign.title');
  root.appendChild(h('p', {}, h('a', {href: '#/campaigns', text: '← ' + t('campaigns.title')})));
  var msg = h('div', {class: 'msg'});
  var head = h('div', {class: 'title-row'});
  var body = h('div', {class: 'campaign'});
  root.appendChild(head);
  root.appendChild(msg);
  root.appendChild(body);
  head.appendChild(heading(t('loading')));
  return api('GET', '/campaigns/' + encodeURIComponent(id)).then(function (r) {
    drawCampaign(r.data, head, body, msg);
  }, function (err) {
    clear(head).appendChild(heading(t('campaign.title')));
    say(msg, err.status === 404 ? t('campaign.missing') : problemText(err));
  });
}

function drawCampaign(c, head, body, msg) {
  document.title = c.name + ' · ' + t('brand.console');
  clear(head);
  clear(body);
  head.appendChild(heading(c.name));
  head.appendChild(statusBadge(c.status));
  var path = '/campaigns/' + encodeURIComponent(c.id);

  function reload(message) {
    return api('GET', path).then(function (r) {
      var focusTo = document.activeElement && document.activeElement.getAttribute('data-action');
      drawCampaign(r.data, head, body, msg);
      if (message) say(msg, message, 'ok');
      var again = focusTo && body.querySelector('[data-action="' + focusTo + '"]');
      (again || head.querySelector('h1')).focus();
    });
  }

  body.appendChild(campaignActions(c, path, msg, reload));
  body.appendChild(h('dl', {class: 'facts'}, [
    fact(t('campaign.dates'), when(c.starts_at, c.timezone) + ' → ' + when(c.ends_at, c.timezone)),
    c.ended_at && c.ended_at < c.ends_at ? fact(t('campaign.endedAt'), when(c.ended_at, c.timezone), 'ended-at') : null,
    fact(t('campaign.timezone'), c.timezone),
    fact(t('campaign.expiry'), t('campaign.expiryDays', {n: c.gift_expiry_days})),
    fact(t('campaign.id'), c.id)].filter(Boolean)));
  body.appendChild(budgetCard(c, path, reload));

  // the report's figures, the wheel against its published odds, recent gifts
  var figures = h('section', {class: 'card', 'aria-labelledby': 'report-h'}, [
    h('h2', {id: 'report-h', text: t('report.title')})]);
  body.appendChild(figures);
  var fair = null;
  if (c.wheel) {
    fair = h('section', {class: 'card', 'aria-labelledby': 'fair-h', 'data-section': 'fairness'}, [
      h('h2', {id: 'fair-h', text: t('fair.title')})]);
    body.appendChild(fair);
  }
  var recent = h('section', {class: 'card', 'aria-labelledby': 'recent-h'}, [
    h('h2', {id: 'recent-h', text: t('recent.title')})]);
  body.appendChild(recent);
  drawReport(c, path, figures, fair, 'day');
  drawRecentGifts(c, path, recent);
  if (c.status !== 'ended') body.appendChild(deliveryCard(c, path, reload));
  if (has('/delivery/branding', 'put')) body.appendChild(brandingCard());
  if (has('/campaigns/{campaign_id}/exports', 'post')) body.appendChild(exportsCard(c, path));
  if (has('/campaigns/{campaign_id}/results-report')) body.appendChild(resultsCard(c, path));
}

/* Pause / resume / end, and a link to issue gifts. */
function campaignActions(c, path, msg, reload) {
  var actions = h('div', {class: 'actions', role: 'group', 'aria-label': t('campaign.actions')});
  function patch(status, label, confirmText) {
    var b = h('button', {type: 'button', class: status === 'ended' ? 'danger' : 'secondary',
      'data-action': status, text: label});
    b.addEventListener('click', function () {
      if (confirmText && !window.confirm(confirmText)) return;
      busy(b, true);
      api('PATCH', path, {json: {status: status}}).then(function () {
        announce(t('campaign.now', {status: t('status.' + status)}));
        return reload(t('campaign.now', {status: t('status.' + status)}));
      }, function (err) { busy(b, false); say(msg, problemText(err)); });
    });
    return b;
  }
  if (c.status === 'active' || c.status === 'scheduled') actions.appendChild(patch('paused', t('campaign.pause')));
  if (c.status === 'paused') actions.appendChild(patch('active', t('campaign.resume')));
  if (c.status !== 'ended') actions.appendChild(patch('ended', t('campaign.end'), t('campaign.endConfirm')));
  actions.appendChild(h('a', {class: 'button secondary', href: '#/gifts/' + encodeURIComponent(c.id),
    text: t('campaign.issue')}));
  return actions;
}

/* The budget gauge, its figures, and the top-up form while the campaign runs. */
function budgetCard(c, path, reload) {
  var card = h('section', {class: 'card', 'aria-labelledby': 'budget-h'}, [
    h('h2', {id: 'budget-h', text: t('budget.title')})]);
  var gaugeRow = h('div', {class: 'gauge-row'});
  var frac = c.budget.total ? c.budget.spent / c.budget.total : 0;
  CHARTS.gauge(gaugeRow, {value: c.budget.spent, max: c.budget.total, title: t('budget.title'),
    summary: t('budget.summary', {spent: money(c.budget.spent, c.currency), total: money(c.budget.total, c.currency),
      pct: percent(frac, 0)})});
  gaugeRow.appendChild(h('dl', {class: 'facts compact', 'data-figure': 'budget'}, [
    fact(t('budget.total'), money(c.budget.total, c.currency), 'total'),
    fact(t('budget.spent'), money(c.budget.spent, c.currency), 'spent'),
    fact(t('budget.remaining'), money(c.budget.remaining, c.currency), 'remaining')]));
  card.appendChild(gaugeRow);
  if (c.status !== 'ended') card.appendChild(topUpForm(c, path, reload));
  return card;
}

function topUpForm(c, path, reload) {
  var msg = h('div', {class: 'msg'});
  var amount = h('input', {type: 'text', inputmode: 'decimal', required: true, 'data-field': 'topup'});
  var submit = h('button', {type: 'submit', class: 'primary', 'data-action': 'topup', text: t('topup.submit')});
  return h('form', {class: 'inline-form', novalidate: true, 'data-form': 'topup', onsubmit: function (ev) {
    ev.preventDefault();
    var minor = toMinor(amount.value, c.currency);
    if (!(minor > 0)) { say(msg, t('topup.err')); amount.focus(); return; }
    busy(submit, true);
    moneyPost('topup:' + c.id, path + '/budget-topups', {amount: minor}).then(function (r) {
      var text = t('topup.done', {amount: money(minor, c.currency), total: money(r.data.budget.total, c.currency)});
      announce(text);
      return reload(text);
    }, function (err) { busy(submit, false); say(msg, problemText(err)); });
  }}, [field(t('topup.amount', {cur: c.currency}), amount), submit, msg]);
}

function drawRecentGifts(c, path, card) {
  return api('GET', withQuery(path + '/gifts', {limit: 10})).then(function (r) {
    if (!r.data.data.length) { card.appendChild(h('p', {class: 'empty', text: t('recent.empty')})); return; }
    card.appendChild(h('div', {class: 'scroll'}, giftTable(r.data.data, 'recent-gifts', c.timezone)));
  }, function (err) { card.appendChild(alertBox(problemText(err))); });
}

function exportsCard(c, path) {
  var msg = h('div', {class: 'msg'});
  var card = h('section', {class: 'card', 'aria-labelledby': 'exports-h', 'data-section': 'exports'}, [
    h('h2', {id: 'exports-h', text: t('exports.title')}), h('p', {class: 'hint', text: t('exports.lead')})]);
  var row = h('div', {class: 'actions'});
  ['draw_log', 'gifts', 'results'].forEach(function (kind) {
    var b = h('button', {type: 'button', class: 'secondary', text: t('exports.' + kind)});
    b.addEventListener('click', function () {
      busy(b, true);
      say(msg, t('exports.running'), 'ok');
      api('POST', path + '/exports', {json: {kind: kind}, idem: newKey()}).then(function (r) {
        return pollExport(r.data.id, 0);
      }).then(function (done) {
        busy(b, false);
        say(msg, '');
        if (done && done.download_url) {
          msg.appendChild(h('p', {}, h('a', {href: done.download_url, rel: 'noopener noreferrer',
            download: '', text: t('exports.download', {kind: t('exports.' + kind)})})));
        }
      }, function (err) { busy(b, false); say(msg, problemText(err)); });
    });
    row.appendChild(b);
  });
  card.appendChild(row);
  card.appendChild(msg);
  return card;
}

function pollExport(id, tries) {
  return api('GET', '/exports/' + encodeURIComponent(id)).then(function (r) {
    if (r.data.status === 'completed' || tries > 120) return r.data;
    return new Promise(function (ok) { setTimeout(ok, 1000); }).then(function () { return pollExport(id, tries + 1); });
  });
}

function resultsCard(c, path) {
  var card = h('section', {class: 'card', 'aria-labelledby': 'results-h', 'data-section': 'results'}, [
    h('h2', {id: 'results-h', text: t('results.title')})]);
  if (c.status !== 'ended') { card.appendChild(h('p', {class: 'hint', text: t('results.after')})); return card; }
  api('GET', path + '/results-report').then(function (r) {
    var d = r.data || {};
    var list = h('dl', {class: 'facts'});
    Object.keys(d).forEach(function (k) {
      var v = d[k];
      if (v === null || typeof v !== 'object') list.appendChild(fact(k.replace(/_/g, ' '), String(v)));
    });
    card.appendChild(list);
  }, function (err) { card.appendChild(alertBox(problemText(err))); });
  return card;
}
