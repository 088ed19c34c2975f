/* The API: one function for every call (the key in the Authorization header, never
 * in a URL), idempotency keys for the POSTs that move money, and what the API's
 * OpenAPI document says it offers. */

function ApiError(status, body) {
  this.status = status;
  body = body || {};
  this.code = body.code; this.detail = body.detail; this.title = body.title;
  this.errors = body.errors;
}

/* One call to this API. opts: json | csv (body), idem (Idempotency-Key), blob,
 * text, anonymous, key (a key to try, at sign-in). Resolves {status, data, headers};
 * rejects with ApiError (network: true when there was no answer). */
function api(method, path, opts) {
  opts = opts || {};
  var headers = {};
  if (!opts.anonymous) headers.Authorization = 'Bearer ' + (opts.key || state.key);
  var body;
  if (opts.json !== undefined) { headers['Content-Type'] = 'application/json'; body = JSON.stringify(opts.json); }
  if (opts.csv !== undefined) { headers['Content-Type'] = 'text/csv'; body = opts.csv; }
  if (opts.idem) headers['Idempotency-Key'] = opts.idem;
  return fetch(BASE + path, {method: method, headers: headers, body: body, cache: 'no-store',
    credentials: 'omit', redirect: 'error', referrerPolicy: 'no-referrer'})
    .catch(function () { var e = new ApiError(0, {}); e.network = true; throw e; })
    .then(function (r) {
      if (r.ok) {
        var reader = opts.blob ? r.blob() : opts.text ? r.text()
          : r.status === 204 ? Promise.resolve(null) : r.json();
        return reader.then(function (data) { return {status: r.status, data: data, headers: r.headers}; });
      }
      return r.text().then(function (raw) {
        var parsed = {};
        try { parsed = JSON.parse(raw); } catch (e) { /* not problem+json */ }
        var err = new ApiError(r.status, parsed);
        if (r.status === 401 && !opts.key && !opts.anonymous) signOut(t('signin.expired'));
        throw err;
      });
    });
}

function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  var b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
  var x = Array.prototype.map.call(b, function (v) { return (v + 256).toString(16).slice(1); }).join('');
  return x.slice(0, 8) + '-' + x.slice(8, 12) + '-' + x.slice(12, 16) + '-' + x.slice(16, 20) + '-' + x.slice(20);
}

var idemKeys = createKeyring(newKey);

/* A POST that moves money: its Idempotency-Key is the action's (idempotency.js). */
function moneyPost(action, path, payload, opts) {
  opts = opts || {};
  var key = idemKeys.key(action, opts.csv !== undefined ? opts.csv : payload);
  var call = opts.csv !== undefined ? {csv: opts.csv, idem: key} : {json: payload, idem: key};
  return api('POST', path, call).then(function (r) { idemKeys.settle(action, null); return r; },
    function (err) { idemKeys.settle(action, err); throw err; });
}

/* Reads the OpenAPI document once (an empty list when it cannot). */
function probe() {
  if (state.paths) return Promise.resolve(state.paths);
  return api('GET', '/openapi.json', {anonymous: true}).then(function (r) {
    state.paths = (r.data && r.data.paths) || {};
    return state.paths;
  }, function () { state.paths = {}; return state.paths; });
}

function has(path, method) { return hasOperation(state.paths, BASE, path, method); }

function reportTakesGranularity() { return takesGranularity(state.paths); }
