/* Idempotency keys: one per user action. The same action retried with the same
 * values after an unknown outcome (no answer, a 5xx, still in progress) reuses its
 * key, so it can never happen twice; any definite answer retires the key. No page
 * here: console/test/ runs this under node. */

function outcomeUnknown(err) {
  return !!(err && (err.network || err.status >= 500 || err.code === 'idempotency_in_progress'));
}

/* newKey: makes a fresh key (api.js gives crypto's UUIDs). */
function createKeyring(newKey) {
  var pending = {};
  return {
    /* The key for `action` with this payload: the pending one if the payload is the same. */
    key: function (action, payload) {
      var sig = typeof payload === 'string' ? payload : JSON.stringify(payload);
      var p = pending[action];
      if (!p || p.sig !== sig) p = pending[action] = {sig: sig, key: newKey()};
      return p.key;
    },
    /* After an attempt: keep the key only when its outcome is unknown (err null: success). */
    settle: function (action, err) {
      if (!outcomeUnknown(err)) delete pending[action];
    },
    reset: function () { pending = {}; }
  };
}
