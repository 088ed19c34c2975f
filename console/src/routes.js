/* Where things are: the console's hash routes, the API's base and paths, and the
 * operations the API's OpenAPI document lists (sections for endpoints it does not
 * list are not shown). No page here: console/test/ runs these under node. */

/* The API base for the console at `pathname`: "/v1/console" gives "/v1" (a stage
 * prefix, "/stage/v1/console", stays). */
function apiBase(pathname) { return pathname.replace(/\/console\/?$/, ''); }

/* "#/campaigns/abc" → {section: 'campaigns', parts: ['campaigns', 'abc']}. */
function parseHash(hash) {
  var parts = hash.replace(/^#\/?/, '').split('/');
  return {section: parts[0] || 'campaigns', parts: parts};
}

/* The page a hash shows to a signed-in partner: {page, arg}. Webhooks only when
 * the API has them; anything unknown shows the campaigns. */
function routeOf(hash, webhooks) {
  var route = parseHash(hash);
  var section = route.section;
  var parts = route.parts;
  if (section === 'campaigns' && parts[1] === 'new') return {page: 'new-campaign'};
  if (section === 'campaigns' && parts[1]) return {page: 'campaign', arg: decodeURIComponent(parts[1])};
  if (section === 'gifts') return {page: 'gifts', arg: parts[1] ? decodeURIComponent(parts[1]) : ''};
  if (section === 'webhooks' && webhooks) return {page: 'webhooks'};
  return {page: 'campaigns'};
}

/* `path` with a query of the values given, each encoded; null, undefined and ''
 * are left out (a list's first page has no cursor). */
function withQuery(path, params) {
  var q = Object.keys(params).filter(function (k) {
    var v = params[k];
    return v !== null && v !== undefined && v !== '';
  }).map(function (k) { return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]); });
  return q.length ? path + '?' + q.join('&') : path;
}

/* Does the OpenAPI document's `paths` list this operation? `path` is relative to
 * the API base ("/gifts/{code}/events"); the document names it from "/v1". */
function hasOperation(paths, base, path, method) {
  var p = paths && paths[base.replace(/^.*(\/v1)$/, '$1') + path];
  return !!(p && p[method || 'get']);
}

/* Does the report take ?granularity=day|hour (then it has a series to chart)? */
function takesGranularity(paths) {
  var op = paths && paths['/v1/campaigns/{campaign_id}/report'];
  var params = (op && op.get && op.get.parameters) || [];
  return params.some(function (p) { return p.name === 'granularity'; });
}
