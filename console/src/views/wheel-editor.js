/* The wheel editor: segments (label, weight, prize, stock), the fallback, limits,
 * and the odds they give (odds.js), recomputed on every keystroke. */

function defaultSegments() {
  return [
    {label: t('wheel.sample.big'), weight: '1', prize: '100000', stock: '10'},
    {label: t('wheel.sample.small'), weight: '20', prize: '20000', stock: ''},
    {label: t('wheel.sample.none'), weight: '79', prize: '', stock: ''}
  ];
}

/* One segment's fieldset: {label, weight, prize, stock, odds, remove, legend, node}. */
function segmentRow(seg) {
  var row = {
    label: h('input', {type: 'text', maxlength: '100', value: seg.label, 'data-seg': 'label'}),
    weight: h('input', {type: 'number', min: '0', step: '1', value: seg.weight, 'data-seg': 'weight'}),
    prize: h('input', {type: 'text', inputmode: 'decimal', value: seg.prize, 'data-seg': 'prize'}),
    stock: h('input', {type: 'number', min: '0', step: '1', value: seg.stock, 'data-seg': 'stock'}),
    odds: h('output', {class: 'odds', 'data-seg': 'odds'})
  };
  row.remove = h('button', {type: 'button', class: 'link danger', text: t('wheel.remove')});
  row.legend = h('legend');
  row.node = h('li', {}, h('fieldset', {class: 'segment'}, [row.legend,
    h('div', {class: 'seg-grid'}, [
      field(t('wheel.label'), row.label),
      field(t('wheel.weight'), row.weight),
      field(t('wheel.prize'), row.prize),
      field(t('wheel.stock'), row.stock),
      h('div', {class: 'field'}, [h('span', {class: 'label', text: t('wheel.odds')}), row.odds]),
      h('div', {class: 'field end'}, row.remove)])]));
  row.odds.setAttribute('aria-label', t('wheel.odds'));
  return row;
}

/* The rows as typed, for odds.js and the draft. */
function segmentValues(rows) {
  return rows.map(function (r) {
    return {label: r.label.value, weight: r.weight.value, prize: r.prize.value, stock: r.stock.value};
  });
}

/* Writes the odds into the rows, the fallback's options, the odds bar and summary. */
function showOdds(rows, odds, parts) {
  var chosen = parts.fallback.value;
  clear(parts.fallback);
  clear(parts.oddsBar);
  rows.forEach(function (r, i) {
    var label = r.label.value.trim() || t('wheel.segment', {n: i + 1});
    var p = odds.shares[i];
    r.legend.textContent = t('wheel.segment', {n: i + 1}) + ' · ' + label;
    r.odds.textContent = percent(p, 2);
    r.odds.setAttribute('data-p', String(p));
    r.remove.setAttribute('aria-label', t('wheel.removeN', {n: i + 1, label: label}));
    r.remove.disabled = rows.length <= 1;
    parts.fallback.appendChild(h('option', {value: String(i),
      text: label + (odds.prizes[i] > 0 ? '' : ' · ' + t('wheel.noPrize'))}));
    var part = h('span', {class: 'c' + (i % 6)});
    part.style.width = (p * 100) + '%';
    part.title = label + ': ' + percent(p, 2);
    parts.oddsBar.appendChild(part);
  });
  if (chosen !== '' && Number(chosen) < rows.length) parts.fallback.value = chosen;
  else if (odds.noPrize.length) parts.fallback.value = String(odds.noPrize[odds.noPrize.length - 1]);
  parts.summary.textContent = odds.total
    ? t('wheel.summary', {total: number(odds.total), cost: money(Math.round(odds.expected * 1000), parts.currency),
      win: percent(odds.winShare, 1)})
    : t('wheel.noWeight');
}

/* What the players will see, drawn from the rows as typed: a wheel's slices named,
 * a scratch card, or the envelope grid. The envelope count shows for envelopes only. */
function showGame(kind, envelopes, rows, envelopesField, preview) {
  envelopesField.hidden = kind !== 'envelope';
  clear(preview);
  var labels = rows.map(function (r) { return r.label.trim(); }).filter(Boolean);
  preview.className = 'game-preview game-' + kind;
  if (kind === 'envelope') {
    var n = Math.min(12, Math.max(2, parseInt(envelopes, 10) || 6));
    for (var i = 0; i < n; i++) preview.appendChild(h('span', {class: 'envelope', text: String(i + 1)}));
    preview.setAttribute('aria-label', t('game.preview.envelope', {n: n}));
  } else if (kind === 'scratch') {
    preview.appendChild(h('span', {class: 'scratch-card', text: t('game.scratchHere')}));
    preview.setAttribute('aria-label', t('game.preview.scratch', {list: labels.join(', ')}));
  } else {
    preview.appendChild(h('span', {class: 'wheel-disc', text: String(labels.length)}));
    preview.setAttribute('aria-label', t('game.preview.wheel', {n: labels.length, list: labels.join(', ')}));
  }
}

/* The editor: {node, update, value, rows, setRows}. value() is {wheel} or {error}. */
function wheelEditor(currencyOf) {
  var rows = [];
  var list = h('ol', {class: 'segments', 'data-list': 'segments'});
  var parts = {
    fallback: h('select', {'data-field': 'fallback'}),
    oddsBar: h('div', {class: 'odds-bar', 'aria-hidden': 'true'}),
    summary: h('p', {class: 'odds-summary', 'aria-live': 'polite', 'data-field': 'odds-summary'})
  };
  var perPlayer = h('input', {type: 'number', min: '1', value: '10', 'data-field': 'spins_per_player'});
  var perDay = h('input', {type: 'number', min: '1', value: '3', 'data-field': 'spins_per_player_per_day'});
  var add = h('button', {type: 'button', class: 'secondary', text: '+ ' + t('wheel.add')});
  var kind = h('select', {'data-field': 'game_kind'}, ['wheel', 'scratch', 'envelope'].map(function (k) {
    return h('option', {value: k, text: t('game.' + k)});
  }));
  var envelopes = h('input', {type: 'number', min: '2', max: '12', value: '6', 'data-field': 'game_envelopes'});
  var envelopesField = field(t('game.envelopes'), envelopes, t('game.envelopes.hint'));
  var preview = h('div', {class: 'game-preview', 'data-field': 'game-preview', role: 'img'});

  function update() {
    parts.currency = currencyOf();
    showOdds(rows, oddsOf(segmentValues(rows), parts.currency), parts);
    showGame(kind.value, envelopes.value, segmentValues(rows), envelopesField, preview);
  }

  function addRow(seg) {
    var row = segmentRow(seg);
    [row.label, row.weight, row.prize, row.stock].forEach(function (i) { i.addEventListener('input', update); });
    row.remove.addEventListener('click', function () {
      if (rows.length <= 1) return;
      var at = rows.indexOf(row);
      rows.splice(at, 1);
      list.removeChild(row.node);
      update();
      (rows[Math.min(at, rows.length - 1)].label).focus();
      announce(t('wheel.removed'));
    });
    rows.push(row);
    list.appendChild(row.node);
    return row;
  }

  function value() {
    var res = wheelOf(segmentValues(rows), currencyOf(), parts.fallback.value, perPlayer.value, perDay.value);
    if (res.error) return {error: t(res.error, {n: res.n})};
    var game = gameOf(kind.value, envelopes.value);
    if (game.error) return {error: t(game.error)};
    if (game.game) res.game = game.game;
    return res;
  }

  function setRows(items) {
    rows.forEach(function (r) { r.node.remove(); });
    rows.length = 0;
    items.forEach(addRow);
  }

  defaultSegments().forEach(addRow);
  add.addEventListener('click', function () {
    var row = addRow({label: '', weight: '10', prize: '', stock: ''});
    update();
    row.label.focus();
  });
  parts.fallback.addEventListener('change', update);
  kind.addEventListener('change', update);
  envelopes.addEventListener('input', update);
  var node = h('fieldset', {class: 'wheel', 'data-form': 'wheel'}, [
    h('legend', {text: t('wheel.title')}),
    h('div', {class: 'grid'}, [field(t('game.kind'), kind, t('game.kind.hint')), envelopesField]),
    h('div', {class: 'game-box'}, [h('h2', {class: 'h3', text: t('game.preview')}), preview]),
    h('p', {class: 'hint', text: t('wheel.lead')}),
    h('p', {class: 'hint', text: t('wheel.prize.hint') + ' ' + t('wheel.stock.hint')}),
    list, add,
    h('div', {class: 'odds-preview'}, [h('h2', {class: 'h3', text: t('wheel.preview')}), parts.oddsBar, parts.summary]),
    h('div', {class: 'grid'}, [
      field(t('wheel.fallback'), parts.fallback, t('wheel.fallback.hint')),
      field(t('wheel.perPlayer'), perPlayer),
      field(t('wheel.perDay'), perDay)])
  ]);
  return {node: node, update: update, value: value, rows: function () { return segmentValues(rows); }, setRows: setRows};
}
