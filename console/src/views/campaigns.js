/* The campaigns list, twenty at a time ("Show more" follows the cursor). */

function renderCampaigns() {
  var root = page('campaigns.title');
  root.appendChild(h('div', {class: 'title-row'}, [
    heading(t('campaigns.title')),
    h('a', {class: 'button primary', href: '#/campaigns/new', text: t('campaigns.new')})
  ]));
  var msg = h('div', {class: 'msg'});
  var body = h('tbody');
  var table = h('table', {class: 'list', 'data-list': 'campaigns'}, [
    h('caption', {class: 'sr-only', text: t('campaigns.title')}),
    h('thead', {}, h('tr', {}, [
      h('th', {scope: 'col', text: t('campaigns.name')}),
      h('th', {scope: 'col', text: t('campaigns.status')}),
      h('th', {scope: 'col', text: t('campaigns.budget')}),
      h('th', {scope: 'col', text: t('campaigns.ends')})])),
    body]);
  var more = h('button', {type: 'button', class: 'secondary', hidden: true, text: t('more')});
  var empty = h('p', {class: 'empty', hidden: true, text: t('campaigns.empty')});
  root.appendChild(msg);
  root.appendChild(h('div', {class: 'scroll'}, table));
  root.appendChild(empty);
  root.appendChild(more);
  var cursor = null;
  function load() {
    busy(more, true);
    return api('GET', withQuery('/campaigns', {limit: 20, cursor: cursor}))
      .then(function (r) {
        r.data.data.forEach(function (c) { body.appendChild(campaignRow(c)); });
        cursor = r.data.next_cursor;
        more.hidden = !cursor;
        busy(more, false);
        empty.hidden = body.children.length > 0;
      }, function (err) { busy(more, false); say(msg, problemText(err)); });
  }
  more.addEventListener('click', load);
  return load();
}

function campaignRow(c) {
  var frac = c.budget.total ? c.budget.spent / c.budget.total : 0;
  return h('tr', {'data-campaign': c.id}, [
    h('th', {scope: 'row'}, h('a', {href: '#/campaigns/' + encodeURIComponent(c.id), text: c.name})),
    h('td', {}, statusBadge(c.status)),
    h('td', {}, [
      h('span', {class: 'nowrap', text: t('budget.left', {left: money(c.budget.remaining, c.currency),
        total: money(c.budget.total, c.currency)})}),
      meter(frac, t('budget.spentPct', {pct: percent(frac, 0)}))]),
    h('td', {class: 'nowrap', text: when(c.ends_at, c.timezone)})]);
}

function meter(frac, label) {
  var bar = h('span', {class: 'fill' + (frac >= 0.9 ? ' warn' : '')});
  bar.style.width = Math.round(Math.max(0, Math.min(1, frac)) * 100) + '%';
  return h('span', {class: 'meter', role: 'img', 'aria-label': label}, bar);
}
