/* Building the page: elements from data (createElement and textContent only),
 * fields with their labels, messages, the live region, the page and its heading. */

function h(tag, attrs, children) {
  var node = document.createElement(tag);
  attrs = attrs || {};
  Object.keys(attrs).forEach(function (k) {
    var v = attrs[k];
    if (v === undefined || v === null || v === false) return;
    if (k === 'text') node.textContent = v;
    else if (k.slice(0, 2) === 'on' && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'value') node.value = v;
    else node.setAttribute(k, v === true ? '' : v);
  });
  [].concat(children || []).forEach(function (c) {
    if (c === null || c === undefined || c === false) return;
    node.appendChild(typeof c === 'string' || typeof c === 'number'
      ? document.createTextNode(String(c)) : c);
  });
  return node;
}

function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

var fieldSeq = 0;
function field(label, input, hint) {
  var id = input.id || ('f' + (++fieldSeq));
  input.id = id;
  var parts = [h('label', {for: id, text: label})];
  if (hint) {
    var hintId = id + '-hint';
    input.setAttribute('aria-describedby', hintId);
    parts.push(h('p', {class: 'hint', id: hintId, text: hint}));
  }
  parts.push(input);
  return h('div', {class: 'field'}, parts);
}

function announce(text) {
  statusBox.textContent = '';
  setTimeout(function () { statusBox.textContent = text; }, 30);
}

function alertBox(message, kind) {
  return h('div', {class: 'notice ' + (kind || 'error'), role: kind === 'ok' ? 'status' : 'alert'},
    [message]);
}

/* Shows an error (or clears it) in a form's message slot. */
function say(slot, message, kind) {
  clear(slot);
  if (message) slot.appendChild(alertBox(message, kind));
}

function problemText(err) {
  if (!err) return '';
  if (err.network) return t('err.network');
  var csv = (err.errors || []).map(function (e) { return csvErrorText(e, t); });
  if (csv.length && csv.every(Boolean)) return t('csv.err.intro', {n: csv.length}) + ' ' + csv.join(' ');
  var known = err.code ? t('code.' + err.code) : '';
  var text = known && known !== 'code.' + err.code ? known : (err.detail || err.title || t('err.generic'));
  if (err.errors && err.errors.length) {
    text += ' ' + err.errors.map(function (e) { return e.field + ': ' + e.message; }).join('; ');
  }
  return text;
}

function busy(button, on) {
  button.disabled = !!on;
  button.setAttribute('aria-busy', on ? 'true' : 'false');
}

/* A status as a badge; `kind` 'gift' for a gift's (its "active" is "usable", not a
 * campaign's "running"). */
function statusBadge(status, kind) {
  var key = kind === 'gift' ? 'giftStatus.' + status : 'status.' + status;
  var text = t(key) === key ? t('status.' + status) : t(key);
  return h('span', {class: 'badge st-' + status, 'data-status': status, text: text});
}

function fact(label, value, name) {
  return h('div', {'data-fact': name || null}, [h('dt', {text: label}), h('dd', {}, value)]);
}

function page(titleKey, vars) {
  document.title = t(titleKey, vars) + ' · ' + t('brand.console');
  clear(view);
  return view;
}

function heading(text) {
  return h('h1', {tabindex: '-1', text: text});
}

function focusHeading(moveFocus) {
  if (!moveFocus) return;
  var h1 = view.querySelector('h1');
  if (h1) h1.focus();
}
