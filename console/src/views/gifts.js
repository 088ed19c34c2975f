/* Gifts: pick a campaign, issue one gift, bulk-issue a CSV with progress and
 * download its codes, and look a code up (gift.js). */

function renderGifts(campaignId) {
  var root = page('gifts.title');
  root.appendChild(heading(t('gifts.title')));
  var pick = h('select', {'data-field': 'campaign'});
  var pickMsg = h('div', {class: 'msg'});
  var chooser = h('div', {class: 'card'}, [field(t('gifts.campaign'), pick, t('gifts.campaign.hint')), pickMsg]);
  root.appendChild(chooser);
  var campaigns = {};
  var current = function () { return campaigns[pick.value]; };
  function label(c) {
    return c.name + ' · ' + t('status.' + c.status) + ' · ' +
      t('budget.left', {left: money(c.budget.remaining, c.currency), total: money(c.budget.total, c.currency)});
  }
  function refresh(id) {  // the budget left, after a gift or a batch
    return api('GET', '/campaigns/' + encodeURIComponent(id)).then(function (r) {
      campaigns[id] = r.data;
      var option = pick.querySelector('option[value="' + id + '"]');
      if (option) option.textContent = label(r.data);
    }, function () { /* the list is only a hint */ });
  }
  root.appendChild(issueCard(current, refresh));
  root.appendChild(bulkCard(current, refresh));
  root.appendChild(lookupCard());
  return api('GET', withQuery('/campaigns', {limit: 100})).then(function (r) {
    r.data.data.forEach(function (c) {
      campaigns[c.id] = c;
      pick.appendChild(h('option', {value: c.id, text: label(c)}));
    });
    if (campaignId && campaigns[campaignId]) pick.value = campaignId;
    else {
      var active = r.data.data.filter(function (c) { return c.status === 'active'; })[0];
      if (active) pick.value = active.id;
    }
    if (!r.data.data.length) say(pickMsg, t('gifts.noCampaign'));
  }, function (err) { say(pickMsg, problemText(err)); });
}

function issueCard(current, refresh) {
  var msg = h('div', {class: 'msg'});
  var result = h('div', {class: 'result', 'aria-live': 'polite'});
  var amount = h('input', {type: 'text', inputmode: 'decimal', required: true, 'data-field': 'gift-amount', value: '50000'});
  var ref = h('input', {type: 'text', maxlength: '128', 'data-field': 'gift-reference'});
  var phone = h('input', {type: 'tel', 'data-field': 'gift-phone', placeholder: '+84901234567'});
  var email = h('input', {type: 'email', 'data-field': 'gift-email'});
  var submit = h('button', {type: 'submit', class: 'primary', text: t('issue.submit')});
  return h('section', {class: 'card', 'aria-labelledby': 'issue-h'}, [
    h('h2', {id: 'issue-h', text: t('issue.title')}),
    h('form', {novalidate: true, 'data-form': 'issue', onsubmit: function (ev) {
      ev.preventDefault();
      var c = current();
      if (!c) { say(msg, t('gifts.noCampaign')); return; }
      var body = {amount: toMinor(amount.value, c.currency)};
      if (!(body.amount > 0)) { say(msg, t('issue.err')); amount.focus(); return; }
      var rec = {};
      if (ref.value.trim()) rec.reference = ref.value.trim();
      if (phone.value.trim()) rec.phone = phone.value.trim();
      if (email.value.trim()) rec.email = email.value.trim();
      if (Object.keys(rec).length) body.recipient = rec;
      say(msg, '');
      busy(submit, true);
      moneyPost('issue:' + c.id, '/campaigns/' + encodeURIComponent(c.id) + '/gifts', body).then(function (r) {
        busy(submit, false);
        var g = r.data;
        clear(result).appendChild(h('div', {class: 'notice ok'}, [
          h('p', {text: t('issue.done', {amount: money(g.amount, g.currency)})}),
          h('p', {class: 'big-code', 'data-gift-code': g.code, text: g.code}),
          h('p', {class: 'hint', text: t('issue.expires', {when: until(g.expires_at, c.timezone)})})]));
        announce(t('issue.done', {amount: money(g.amount, g.currency)}) + ' ' + g.code);
        refresh(c.id);
      }, function (err) { busy(submit, false); say(msg, problemText(err)); });
    }}, [h('div', {class: 'grid'}, [field(t('issue.amount'), amount), field(t('issue.reference'), ref),
      field(t('issue.phone'), phone), field(t('issue.email'), email)]), msg, submit]),
    result]);
}

function bulkCard(current, refresh) {
  var msg = h('div', {class: 'msg'});
  var file = h('input', {type: 'file', accept: '.csv,text/csv', 'data-field': 'csv', required: true});
  var preview = h('p', {class: 'hint', 'aria-live': 'polite', 'data-field': 'csv-preview'});
  var progress = h('progress', {max: '1', value: '0', 'data-field': 'batch-progress', hidden: true});
  var progressText = h('p', {class: 'progress-text', role: 'status', 'data-field': 'batch-status'});
  var download = h('div', {class: 'download'});
  var submit = h('button', {type: 'submit', class: 'primary', text: t('bulk.submit')});
  var text = '';
  file.addEventListener('change', function () {
    text = '';
    clear(preview);
    var f = file.files && file.files[0];
    if (!f) return;
    f.text().then(function (content) {
      text = content;
      var c = current();
      var s = csvSummary(content, c ? c.currency : 'VND');
      preview.textContent = s.hasAmount
        ? t('bulk.preview', {rows: number(s.rows), total: c ? money(s.total, c.currency) : number(s.total)})
        : t('bulk.noAmount');
    });
  });
  var form = h('form', {novalidate: true, 'data-form': 'bulk', onsubmit: function (ev) {
    ev.preventDefault();
    var c = current();
    if (!c) { say(msg, t('gifts.noCampaign')); return; }
    if (!text) { say(msg, t('bulk.noFile')); file.focus(); return; }
    say(msg, '');
    clear(download);
    busy(submit, true);
    progress.hidden = false;
    progress.removeAttribute('value');  // indeterminate while uploading
    progressText.textContent = t('bulk.uploading');
    moneyPost('bulk:' + c.id, '/campaigns/' + encodeURIComponent(c.id) + '/gift-batches', null, {csv: text})
      .then(function (r) { return followBatch(r.data, progress, progressText); })
      .then(function (batch) {
        busy(submit, false);
        progressText.textContent = t('bulk.done', {n: number(batch.count), total: money(batch.total_amount, c.currency)});
        var b = h('button', {type: 'button', class: 'primary', 'data-action': 'download-codes',
          text: t('bulk.download', {n: number(batch.count)})});
        b.addEventListener('click', function () { downloadCodes(batch.id, b, msg); });
        download.appendChild(b);
        var sending = h('p', {class: 'progress-text', role: 'status', 'data-field': 'batch-delivery',
          text: deliveryProgressText(batch)});
        download.appendChild(sending);
        if (batch.delivery && batch.delivery.queued) followDelivery(batch.id, sending);
        refresh(c.id);
      }, function (err) {
        busy(submit, false);
        progress.hidden = true;
        progressText.textContent = '';
        say(msg, problemText(err));
      });
  }}, [
    field(t('bulk.file'), file, t('bulk.hint')), preview, msg, submit,
    h('div', {class: 'progress-box'}, [progress, progressText]), download]);
  return h('section', {class: 'card', 'aria-labelledby': 'bulk-h'}, [
    h('h2', {id: 'bulk-h', text: t('bulk.title')}), form]);
}

function followBatch(batch, progress, progressText) {
  progress.max = Math.max(1, batch.count);
  progress.value = batch.issued;
  progressText.textContent = t('bulk.progress', {issued: number(batch.issued), count: number(batch.count)});
  if (batch.status === 'completed') return Promise.resolve(batch);
  return new Promise(function (ok) { setTimeout(ok, 800); }).then(function () {
    return api('GET', '/gift-batches/' + encodeURIComponent(batch.id));
  }).then(function (r) { return followBatch(r.data, progress, progressText); });
}

/* The codes as CSV: fetched with the key in the header, saved from a Blob. */
function downloadCodes(batchId, button, msg) {
  busy(button, true);
  api('GET', '/gift-batches/' + encodeURIComponent(batchId) + '/gifts.csv', {blob: true}).then(function (r) {
    busy(button, false);
    var url = URL.createObjectURL(r.data);
    var a = h('a', {href: url, download: batchId + '-gifts.csv', class: 'sr-only', text: 'download'});
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
    announce(t('bulk.saved'));
  }, function (err) { busy(button, false); say(msg, problemText(err)); });
}
