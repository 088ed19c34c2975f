/* The arithmetic of wheels, with no page: the editor's odds and expected payout as
 * the partner types, the wheel it sends, and the fairness check of a campaign's
 * spins against its published odds. console/test/ runs these under node. */

/* The odds of the editor's rows ({label, weight, prize, stock}, as typed): weights
 * (not a number: 0), their total, each row's share, prizes in minor units (NaN: none),
 * the expected payout per spin, the share of spins that win, the rows with no prize. */
function oddsOf(rows, currency) {
  var weights = rows.map(function (r) { var w = parseInt(r.weight, 10); return w >= 0 ? w : 0; });
  var total = weights.reduce(function (a, b) { return a + b; }, 0);
  var shares = weights.map(function (w) { return total ? w / total : 0; });
  var prizes = rows.map(function (r) { return toMinor(r.prize, currency); });
  var expected = 0;
  var winning = 0;
  prizes.forEach(function (prize, i) {
    if (prize > 0) { expected += shares[i] * prize; winning += weights[i]; }
  });
  var noPrize = prizes.map(function (prize, i) { return prize > 0 ? -1 : i; })
    .filter(function (i) { return i >= 0; });
  return {weights: weights, total: total, shares: shares, prizes: prizes, expected: expected,
    winShare: total ? winning / total : 0, noPrize: noPrize};
}

/* The wheel to send, from the editor's rows, the fallback row's index and the
 * limits as typed: {wheel}, or {error: a text key, n: the row (from 1)}. */
function wheelOf(rows, currency, fallback, perPlayer, perDay) {
  var used = {};
  var segments = [];
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i];
    var label = r.label.trim();
    var weight = parseInt(r.weight, 10);
    if (!label) return {error: 'wheel.err.label', n: i + 1};
    if (!(weight >= 0)) return {error: 'wheel.err.weight', n: i + 1};
    var seg = {id: slug(label, used), label: label, weight: weight, prize: null};
    if (r.prize.trim()) {
      var amount = toMinor(r.prize, currency);
      if (!(amount > 0)) return {error: 'wheel.err.prize', n: i + 1};
      seg.prize = {amount: amount};
    }
    if (r.stock.trim()) {
      var stock = parseInt(r.stock, 10);
      if (!(stock >= 0)) return {error: 'wheel.err.stock', n: i + 1};
      seg.inventory = stock;
    }
    segments.push(seg);
  }
  if (!oddsOf(rows, currency).weights.some(function (w) { return w > 0; })) return {error: 'wheel.noWeight'};
  var wheel = {segments: segments, fallback_segment_id: segments[Number(fallback) || 0].id};
  var limits = {};
  if (perPlayer) limits.spins_per_player = parseInt(perPlayer, 10);
  if (perDay) limits.spins_per_player_per_day = parseInt(perDay, 10);
  if (Object.keys(limits).length) wheel.limits = limits;
  return {wheel: wheel};
}

/* Spins by segment against the published odds (weight / total weight): for each
 * segment {segment, published, observed, expected, got, off}, and a verdict: 'few'
 * under 30 spins, 'off' when a segment's count is more than 3 standard deviations
 * from what its odds predict (the fallback excepted: out-of-stock prizes land there
 * by design), else 'ok'. */
function fairnessOf(segments, bySegment, n, fallbackId) {
  var total = segments.reduce(function (a, s) { return a + s.weight; }, 0);
  var counts = {};
  bySegment.forEach(function (s) { counts[s.segment_id] = s.count; });
  var rows = segments.map(function (s) {
    var published = total ? s.weight / total : 0;
    var expected = n * published;
    var sd = Math.sqrt(n * published * (1 - published));
    var got = counts[s.id] || 0;
    return {segment: s, published: published, observed: n ? got / n : 0, expected: expected, got: got,
      off: n >= 30 && Math.abs(got - expected) > 3 * sd + 0.5 && s.id !== fallbackId};
  });
  var verdict = n < 30 ? 'few' : rows.some(function (r) { return r.off; }) ? 'off' : 'ok';
  return {rows: rows, verdict: verdict};
}

/* The game to send with the wheel, from the kind chosen and the envelope count as
 * typed: {game} (null for the plain wheel, so such a campaign is sent as before), or
 * {error: a text key}. */
function gameOf(kind, envelopes) {
  if (kind === 'scratch') return {game: {kind: 'scratch'}};
  if (kind !== 'envelope') return {game: null};
  var n = Number(envelopes);
  if (!(Math.floor(n) === n && n >= 2 && n <= 12)) return {error: 'game.err.envelopes'};
  return {game: {kind: 'envelope', envelopes: n}};
}
