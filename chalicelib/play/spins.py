"""Spin-the-wheel: a spin is one TransactWriteItems.

Items of the transaction (all or nothing):
- player counters (`players`): `spins == expected` (optimistic: the nonce is the
  player's spin number, so it is server-chosen and unique), under the lifetime
  limit, and under the daily limit of the campaign's local day;
- the spin record (`spin-log`, keyed by the shard), everything a verifier needs;
- one shard of the campaign (`budget_shards.charge`): active, spin counters, and on a
  win the slice's budget (`rem >= amount`) and stock (`stock[seg] > 0`);
- on a win, the gift (`gifts.put_new`, code absent), linked to the player (its
  day row's figures ride on the shard: `tallies.fold_shard`);
- the idempotency record holding the response.

Nothing is read to guard the write. The player's counters and the campaign's
sold-out segments are cached per process as hints (stock never comes back); a
stale hint only costs a cancelled transaction, whose ALL_OLD items bring the
current state without a read. So the warm path is exactly one TransactWriteItems
call. The budget is never a hint: when the shard's slice cannot pay, it is
refilled from the rest of the campaign, and only a snapshot of the whole campaign
that cannot pay sends a spin to the fallback, so a top-up counts at once.

The draw is `fair_draw.draw(server_seed, client_seed, nonce, segments)` and is
recorded as drawn; when the drawn prize cannot be paid (out of stock, budget
short) the spin lands on the fallback segment (`fallback: true`), never an
overspend.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from msgspec import Struct, field
from pynamodb.exceptions import UpdateError

from chalicelib import schemas
from chalicelib.access.auth import PlayerPrincipal, mint_player_token
from chalicelib.core import errors, fair_draw, ids, masking, periods, vault
from chalicelib.core.cache import Cache
from chalicelib.core.clock import iso
from chalicelib.core.ids import new_id
from chalicelib.money import budget_shards, campaigns, gifts, tallies
from chalicelib.play import guards
from chalicelib.store import idempotency
from chalicelib.store.keys import player_key, shard_keys
from chalicelib.store.models import (
    CampaignModel,
    GiftModel,
    PlayerModel,
    SpinModel,
)
from chalicelib.store.paging import (
    PageKey,
    ShardPage,
    chunks,
    cursor_value,
    merged_page,
    next_cursor,
    query_page,
)
from chalicelib.store.retry import OPTIMISTIC_SPIN, condition_failed
from chalicelib.store.transactions import Cancelled, Txn

PLAYER = "player"
SPIN = "spin"


# ------------------------------------------------------------------- hints


class Counters(Struct, frozen=True):
    spins: int
    day: str | None
    day_spins: int
    hour: str | None = None  # insights: the hour key of the player's last spin

    @classmethod
    def of(cls, item: PlayerModel | None) -> Counters:
        if item is None:
            return cls(0, None, 0)
        return cls(int(item.spins or 0), item.day, int(item.day_spins or 0), item.hour)


PLAYER_ENTRIES = 50_000
"""Players one Lambda remembers; one it forgot costs a GetItem on their next spin."""
SOLD_OUT_CAMPAIGNS = 5000
"""Campaigns whose sold-out segments one Lambda remembers; one it forgot costs a
cancelled spin and a refill that finds the stock gone."""
_players: Cache[str, Counters] = Cache("spins.players", PLAYER_ENTRIES)
_sold_out: Cache[str, frozenset[str]] = Cache("spins.sold_out", SOLD_OUT_CAMPAIGNS)
"""campaign -> segments whose stock is gone (final: stock never comes back)."""


def _set_counters(pk: str, counters: Counters) -> None:
    """Never steps back: a racing request may bring older counters than ours."""
    _players.update(pk, lambda current: counters if current is None
                    or counters.spins >= current.spins else current)


def _counters(pk: str, fresh: bool = False) -> Counters:
    hit = None if fresh else _players.get(pk)
    if hit is not None:
        return hit
    try:
        item = PlayerModel.get(pk, consistent_read=True)
    except PlayerModel.DoesNotExist:
        item = None
    counters = Counters.of(item)
    _players.put(pk, counters)  # a consistent read is the truth, whatever was cached
    return counters


def _in_stock(campaign_id: str, segment: dict) -> bool:
    """Hint: False only once this process has seen the segment sold out, which is final."""
    return segment["id"] not in (_sold_out.get(campaign_id) or ())


def _sold(campaign_id: str, segment: dict) -> None:
    _sold_out.update(campaign_id, lambda gone: (gone or frozenset()) | {segment["id"]})


# ------------------------------------------------------------------ helpers


def _wheel_campaign(partner_id: str, campaign_id: str) -> campaigns.Terms:
    terms = campaigns.terms(partner_id, campaign_id)
    if not terms.wheel:
        raise errors.NotFound(f"Campaign {campaign_id} has no wheel")
    return terms


def _limits(terms: campaigns.Terms) -> tuple[int | None, int | None]:
    limits = terms.wheel.get("limits") or {}
    return limits.get("spins_per_player"), limits.get("spins_per_player_per_day")


def _spins_left(terms: campaigns.Terms, counters: Counters, today: str
                ) -> tuple[int | None, int | None]:
    lifetime, daily = _limits(terms)
    left = None if lifetime is None else max(0, lifetime - counters.spins)
    used_today = counters.day_spins if counters.day == today else 0
    left_today = None if daily is None else max(0, daily - used_today)
    if left is not None and left_today is not None:
        left_today = min(left, left_today)
    return left, left_today


# -------------------------------------------------------------------- views


def wheel_view(player: PlayerPrincipal, now: datetime) -> schemas.WheelView:
    terms = _wheel_campaign(player.partner_id, player.campaign_id)
    counters = _counters(campaigns.player_key_of(terms, player.player_id), fresh=True)
    left, left_today = _spins_left(terms, counters, fair_draw.day_key(now, terms.timezone))
    standing = budget_shards.standing(terms.id, terms.shards, now)
    if standing.status == "ended":  # none, whatever the player's counters say
        left, left_today = 0, 0
    return schemas.WheelView(
        campaign_id=terms.id,
        segments=[schemas.WheelSegmentOdds(**odds)
                  for odds in fair_draw.probabilities(terms.wheel["segments"])],
        spins_left=left, spins_left_today=left_today,
        fairness=schemas.Fairness(seed_commitment=fair_draw.commitment(terms.server_seed)),
        timezone=terms.timezone, status=standing.status, ends_at=standing.ends_at,
        game=campaigns.game_of(terms.game))


def mint_token(partner_id: str, campaign_id: str, body: schemas.PlayerTokenCreate,
               now: datetime) -> schemas.PlayerToken:
    """Refuses what no spin could use, so the partner learns it before a player does;
    a paused or scheduled campaign still gets tokens (it may start within the hour)."""
    c = campaigns.get(partner_id, campaign_id)
    if not c.wheel:
        raise errors.CampaignHasNoWheel(f"Campaign {campaign_id} was created without a wheel")
    if campaigns.effective_status(c, now) == "ended":
        raise errors.CampaignEnded("The campaign has ended; no more spins")
    token, expires = mint_player_token(partner_id, c.id, body.player_id, body.ttl_seconds,
                                       now)
    return schemas.PlayerToken(token=token, expires_at=iso(expires))


def fairness(campaign_id: str, now: datetime) -> schemas.FairnessInfo:
    missing = errors.NotFound(f"No campaign {campaign_id[:64]}")
    if not campaign_id.startswith("cmp_") or len(campaign_id) > 64:
        raise missing
    try:
        c = CampaignModel.get(campaign_id, consistent_read=True)
    except CampaignModel.DoesNotExist:
        raise missing from None
    ended = campaigns.ended_at(c, now)
    return schemas.FairnessInfo(seed_commitment=c.seed_commitment,
                                server_seed=c.server_seed if ended else None, ended_at=ended,
                                algorithm=fair_draw.ALGORITHM, procedure=fair_draw.PROCEDURE)


# ------------------------------------------------------------ player ids


def _sealed_pid(pk: str, player_id: str) -> str:
    return vault.seal(player_id, pk)


def player_ids(keys: list[str]) -> dict[str, str]:
    """Player key -> player id, for the keys whose player item still holds one (not
    erased): one BatchGetItem per hundred players."""
    found: dict[str, str] = {}
    for group in chunks(list(dict.fromkeys(keys)), 100):
        for item in PlayerModel.batch_get(group, consistent_read=True,
                                          attributes_to_get=["pk", "pid"]):
            if item.pid:
                found[item.pk] = vault.open_sealed(item.pid, item.pk)
    return found


def spin_player(s: SpinModel, known: dict[str, str]) -> tuple[str | None, str | None]:
    """(player id, client_seed) of a spin: from the player's item (`known`, see
    `player_ids`), or as an older spin holds them; (None, None) once erased."""
    if s.player_key is None:
        return s.player_id, s.client_seed
    player = known.get(s.player_key)
    if player is None:
        return None, None
    return player, fair_draw.client_seed_for(
        player, s.seed, None if s.pick is None else int(s.pick))


def _record_out(s: SpinModel, known: dict[str, str], reveal_players: bool
                ) -> schemas.SpinRecord:
    player, seed = spin_player(s, known)
    if not reveal_players and player is not None and seed is not None:
        player, seed = masking.player_id(player), masking.client_seed(seed, player)
    return schemas.SpinRecord(
        id=s.id, player_id=player, segment_id=s.segment_id,
        drawn_segment_id=s.drawn_segment_id, fallback=bool(s.fallback),
        prize=schemas.SpinPrize(amount=int(s.prize_amount)) if s.prize_amount else None,
        client_seed=seed, nonce=int(s.nonce), roll=int(s.roll),
        total_weight=int(s.total_weight), spun_at=s.spun_at,
        **({"pick": int(s.pick)} if s.pick is not None else {}), erased=player is None)


_GIFT_PAGES = PageKey("player_key", gifts.ISSUED_ORDER)


def list_spins(partner_id: str, campaign_id: str, limit: int, cursor: dict[str, Any] | None,
               reveal_players: bool = False
               ) -> tuple[list[schemas.SpinRecord], dict[str, Any] | None]:
    """Oldest first, merged over the campaign's shards: the published record a
    fairness verifier replays. Player ids (and the client seeds holding them) in
    clear only when `reveal_players` (`auth.sees_players`)."""
    c = campaigns.get(partner_id, campaign_id)
    after = cursor_value(cursor)

    def fetch(key: str, resume: Any, size: int) -> ShardPage[SpinModel]:
        result = SpinModel.query(key, SpinModel.sort_key > after if after else None,
                                 page_size=size, last_evaluated_key=resume,
                                 consistent_read=True)
        return query_page(result, SpinModel, "sort_key")

    items, reached = merged_page(fetch, shard_keys(c.id, int(c.shards)),
                                 lambda s: s.sort_key, limit, descending=False)
    known = player_ids([s.player_key for s in items if s.player_key])
    return [_record_out(s, known, reveal_players) for s in items], next_cursor(reached)


def player_gifts(player: PlayerPrincipal, now: datetime, limit: int = 20,
                 cursor: dict[str, Any] | None = None
                 ) -> tuple[list[schemas.Gift], dict[str, Any] | None]:
    """Newest first; the key already binds partner, campaign and player."""
    pk = campaigns.player_key(player.partner_id, player.campaign_id, player.player_id)
    result = GiftModel.by_player.query(pk, scan_index_forward=False, limit=limit,
                                       last_evaluated_key=_GIFT_PAGES.start(pk, cursor))
    items = [gifts.to_out(g, now) for g in result if g.partner_id == player.partner_id]
    return items, _GIFT_PAGES.next(result.last_evaluated_key)


# --------------------------------------------------------------------- spin


def _check_limits(terms: campaigns.Terms, counters: Counters, today: str,
                  now: datetime) -> None:
    lifetime, daily = _limits(terms)
    if lifetime is not None and counters.spins >= lifetime:
        raise errors.SpinLimitReached(f"This player has used all {lifetime} spins",
                                      extra={"limit": "lifetime"})
    if daily is not None and counters.day == today and counters.day_spins >= daily:
        raise errors.SpinLimitReached(
            f"This player has used today's {daily} spins; more tomorrow",
            headers={"Retry-After": str(fair_draw.seconds_until_next_day(now, terms.timezone))},
            extra={"limit": "daily"})


def _player_update(txn: Txn, pk: str, terms: campaigns.Terms, counters: Counters,
                   today: str, hour: str | None = None, pid: str | None = None) -> None:
    p = PlayerModel
    lifetime, daily = _limits(terms)
    n = counters.spins
    condition = (p.spins == n) if n else (p.spins.does_not_exist() | (p.spins == 0))
    if lifetime is not None:
        condition = condition & (p.spins.does_not_exist() | (p.spins < lifetime))
    actions = [p.spins.set(n + 1), p.day.set(today)]
    if pid is not None:  # the player id, sealed, kept once (after an erasure: again)
        actions.append(p.pid.set(p.pid | pid))
    if hour is not None:  # insights: exact distinct players (tallies.spin_counts)
        actions.append(p.hour.set(hour))
    if counters.day == today:
        condition = condition & (p.day == today) & (p.day_spins == counters.day_spins)
        if daily is not None:
            condition = condition & (p.day_spins < daily)
        actions.append(p.day_spins.set(counters.day_spins + 1))
    else:
        # `<`, not `!=`: a spin stamped just before midnight that commits after one
        # stamped just after must not turn the player's day back (and reset its count)
        condition = condition & (p.day.does_not_exist() | (p.day < today))
        actions.append(p.day_spins.set(1))
    txn.update(PLAYER, PlayerModel(pk=pk), actions, condition=condition)


def _segment_index(terms: campaigns.Terms, segment_id: str) -> int:
    return next(i for i, s in enumerate(terms.wheel["segments"]) if s["id"] == segment_id)


class _Spinning(Struct, frozen=True):
    """What stays the same over one spin request's attempts."""

    player: PlayerPrincipal
    terms: campaigns.Terms
    pk: str  # the player's counters
    key: str  # the shard charged: any will do (budget_shards.pick), the same for every attempt
    client_seed: str
    commitment: str
    now: datetime
    pick: int | None = None  # envelope games: the envelope opened, in client_seed
    who: guards.Caller = msgspec.field(default_factory=guards.Caller)  # device, address
    own_seed: str = ""  # the player's part of client_seed (what a spin record keeps)


class _Outcome(Struct, frozen=True):
    """One attempt's draw: the segment drawn, and the one the spin lands on (the
    fallback when the drawn prize cannot be paid)."""

    drawn: fair_draw.Draw
    drawn_segment: dict
    landed: dict
    landed_index: int
    amount: int  # the drawn segment's prize, 0 when it has none
    win: bool

    @property
    def fell_back(self) -> bool:
        return bool(self.amount) and not self.win

    @property
    def paid(self) -> int:
        return self.amount if self.win else 0

    @property
    def stock(self) -> int | None:
        """The segment a win takes one unit of stock from, when its stock is limited."""
        if self.win and self.drawn_segment.get("inventory") is not None:
            return self.landed_index
        return None


def _draw(s: _Spinning, counters: Counters, force_fallback: bool) -> _Outcome:
    """The drawn segment pays unless the last attempt showed that the campaign
    cannot (`force_fallback`) or this process has seen its stock sold out."""
    segments = s.terms.wheel["segments"]
    drawn = fair_draw.draw(s.terms.server_seed, s.client_seed, counters.spins, segments)
    by_id = {seg["id"]: seg for seg in segments}
    drawn_segment = by_id[drawn.segment_id]
    amount = (drawn_segment.get("prize") or {}).get("amount") or 0
    win = bool(amount) and not force_fallback and _in_stock(s.terms.id, drawn_segment)
    landed = drawn_segment if win or not amount else by_id[s.terms.wheel["fallback_segment_id"]]
    return _Outcome(drawn, drawn_segment, landed, _segment_index(s.terms, landed["id"]),
                    amount, win)


def _build(s: _Spinning, counters: Counters, today: str, o: _Outcome,
           claim: idempotency.Claim, tally: periods.Tally, seen: tallies.OnShard
           ) -> tuple[Txn, schemas.Spin, Counters, list[GiftModel]]:
    """The spin's one transaction (player counters, spin record, shard charge with
    the hour's counts and, on a win, the gift's day-row counts; on a win the gift,
    the idempotency record holding the answer), the answer, the player's counters
    once it commits, and the gift it issues (none on a loss)."""
    terms, now = s.terms, s.now
    at = iso(tally.at)
    after = Counters(counters.spins + 1, today,
                     counters.day_spins + 1 if counters.day == today else 1, tally.hour)
    left, left_today = _spins_left(terms, after, today)
    spin_id = new_id(ids.SPIN)
    gift = gifts.new_gift(terms, o.amount, now, shard_key=s.key, player_key=s.pk,
                          spin_id=spin_id) if o.win else None
    if gift is not None:  # insights: the results report counts claims per prize
        gift.prize_seg = o.landed_index
    drawn = o.drawn
    out = schemas.Spin(
        id=spin_id, segment_id=o.landed["id"], drawn_segment_id=drawn.segment_id,
        fallback=o.fell_back, prize=schemas.SpinPrize(amount=o.amount) if o.win else None,
        gift=gifts.to_out(gift, now) if gift else None,
        fairness=schemas.SpinFairness(client_seed=s.client_seed, nonce=counters.spins,
                                      roll=drawn.roll, total_weight=drawn.total_weight,
                                      server_seed_commitment=s.commitment),
        spun_at=at, spins_left=left, spins_left_today=left_today,
        **({"pick": s.pick} if s.pick is not None else {}))

    hashed = terms.player_kid is not None  # the player id lives on the player's item
    txn = Txn()
    _player_update(txn, s.pk, terms, counters, today, tally.hour,
                   _sealed_pid(s.pk, s.player.player_id) if hashed else None)
    txn.put(SPIN, SpinModel(
        shard_key=s.key, sort_key=f"{at}#{spin_id}", campaign_id=terms.id, id=spin_id,
        player_key=s.pk if hashed else None, seed=s.own_seed if hashed else None,
        player_id=None if hashed else s.player.player_id, segment_id=o.landed["id"],
        drawn_segment_id=drawn.segment_id, fallback=1 if o.fell_back else 0,
        client_seed=None if hashed else s.client_seed, nonce=counters.spins, roll=drawn.roll,
        total_weight=drawn.total_weight, prize_amount=o.amount if o.win else None,
        gift_id=gift.id if gift else None, spun_at=at, pick=s.pick),
        SpinModel.sort_key.does_not_exist())
    issued = [gift] if gift is not None else []
    # insights: the hour's counts and a won gift's day row's, on the shard
    counted = tallies.fold_shard(txn, s.key, tally.hour,
                                 tallies.spin_counts(tally, o.win, o.paid), issued, seen)
    budget_shards.charge(txn, s.player.partner_id, s.key, budget_shards.Charge(
        o.paid, o.stock, budget_shards.spin_actions(o.landed_index, o.win) + counted.actions,
        counted.condition), now)
    guards.add_to_txn(txn, terms, s.player.player_id, s.who, o.win, now)
    if gift is not None:
        gifts.put_new(txn, gift)
    claim.add_to(txn, 201, schemas.encode(out).decode(),  # a won gift's link: read on replay
                 again=gifts.rederive(gift) if gift is not None else None)
    return txn, out, after, issued


def _read_cancellation(s: _Spinning, cancelled: Cancelled, counters: Counters,
                       o: _Outcome, force_fallback: bool) -> tuple[Counters, bool]:
    """What the next attempt draws on, read from the cancelled write (ALL_OLD, no
    read): the player's counters as they now are (another spin of theirs took the
    nonce: a new draw), and whether it must fall back (the whole campaign cannot pay
    the prize). A campaign that takes no spins at all raises its 404/409 here."""
    if not {PLAYER, budget_shards.LABEL, gifts.LABEL} & set(cancelled.failed):
        raise errors.ServiceUnavailable("The spin conflicted; retry with the same "
                                        "Idempotency-Key") from None
    if budget_shards.LABEL in cancelled:
        # a loss's charge only asks for an active campaign, so its refusal always
        # raises; a win's slice may have lacked budget or stock: refilled here
        try:
            gifts.charge_or_refill(cancelled, s.terms, s.player.partner_id, s.key, o.paid,
                                   s.now, o.stock)
        except budget_shards.Shortfall as shortfall:
            if shortfall.stock_out:
                _sold(s.terms.id, o.drawn_segment)
            force_fallback = True
    if PLAYER in cancelled:
        counters = Counters.of(cancelled.old(PLAYER, PlayerModel))
        _set_counters(s.pk, counters)
        force_fallback = False  # a new nonce: a new draw
    return counters, force_fallback


def _pick(terms: campaigns.Terms, pick: int | None) -> int | None:
    """An envelope game's play names one of its envelopes; no other game takes one, so
    a client that confused the games hears it instead of drawing on a pick ignored."""
    envelopes = terms.envelopes
    if envelopes is None:
        if pick is not None:
            raise errors.field_error("pick", f"only an envelope game takes a pick; this "
                                             f"campaign's game is a {terms.kind}")
        return None
    if pick is None:
        raise errors.field_error("pick", f"pick one of the {envelopes} envelopes "
                                         f"(0..{envelopes - 1})")
    if not 0 <= pick < envelopes:
        raise errors.field_error("pick", f"must be between 0 and {envelopes - 1}")
    return pick


def spin(player: PlayerPrincipal, body: schemas.SpinRequest, claim: idempotency.Claim,
         now: datetime, who: guards.Caller | None = None) -> schemas.Spin:
    """Draw on the player's counters (cached: a hint), build the one transaction,
    commit; a cancellation says what changed, and the spin is drawn again on that."""
    terms = _wheel_campaign(player.partner_id, player.campaign_id)
    pick = _pick(terms, body.pick)
    s = _Spinning(player, terms, campaigns.player_key_of(terms, player.player_id),
                  budget_shards.pick(terms.id, terms.shards),
                  fair_draw.client_seed_for(player.player_id, body.client_seed, pick),
                  fair_draw.commitment(terms.server_seed), now, pick, who or guards.Caller(),
                  body.client_seed or "")
    guards.check_denied(terms, player.player_id, s.who, s.key, now)
    today = fair_draw.day_key(now, terms.timezone)
    counters = _counters(s.pk)
    force_fallback = False
    seen = tallies.OnShard()  # the shard's carried counts, as a refusal showed them
    for _ in OPTIMISTIC_SPIN:
        if counters.day is not None and counters.day > today:
            today = counters.day  # we lost a race across midnight: count in the new day
        _check_limits(terms, counters, today, now)
        outcome = _draw(s, counters, force_fallback)
        tally = tallies.spin_tally(now, terms.timezone, counters.hour)  # insights
        txn, out, after, issued = _build(s, counters, today, outcome, claim, tally, seen)
        try:
            idempotency.commit(txn, claim)
        except Cancelled as cancelled:
            guards.refuse_if_guarded(cancelled, terms, s.key, now)
            again = tallies.refused_shard(cancelled, budget_shards.LABEL, tally.hour, issued,
                                          seen)
            if again is not None:  # a new hour or expiry day on the shard: roll, spin again
                seen = again
                if PLAYER in cancelled:  # (on the player's counters as they now are)
                    counters, force_fallback = _read_cancellation(
                        s, Cancelled({PLAYER: cancelled.failed[PLAYER]}), counters, outcome,
                        force_fallback)
                continue
            counters, force_fallback = _read_cancellation(s, cancelled, counters, outcome,
                                                          force_fallback)
            continue
        _set_counters(s.pk, after)
        return out
    raise OPTIMISTIC_SPIN.exhausted("The player's spins")


# ------------------------------------------------------------------ erasure


def identity_keys(campaign_id: str, player_id: str) -> list[str]:
    """Where a campaign made before issue 21 keeps a player's id once its spins are
    migrated (`bulk.legacy`): the key a new campaign would count the player under,
    current lookup key first (the migration uses the current one; an erasure tries
    each). The old campaign's counters stay under the id in clear."""
    return [player_key(campaign_id, h) for h in vault.keyed_hashes(
        campaigns.PLAYER_PURPOSE, campaign_id + "\x00" + player_id)]


class PlayerErasure(Struct):
    spins: int = 0  # spins whose player id is no longer kept
    gifts: int = 0  # won gifts no longer linked to the player
    won: list[tuple[str, str]] = field(default_factory=list)  # (spin id, spun at)


def erase_player(partner_id: str, player_id: str) -> PlayerErasure:
    """Remove a player's id from every campaign of the partner: the sealed id on the
    player's item (every spin names the player only through it, so all of them at
    once) and the link from the won gifts (the player's own list). The counters stay
    under their keyed hash, so the campaign's limits still hold. One Query of the
    partner's campaigns, then per campaign one update and one Query of the index of
    won gifts; no scan. A campaign made before issue 21 keeps its players' counters
    under their id in clear: its spins are reached once migrated (`bulk.legacy` puts
    the id on an item of its own, `identity_keys`), its won gifts are unlinked, and
    its counters' key stays (docs/personal-data.md)."""
    out = PlayerErasure()
    for ref in CampaignModel.by_partner.query(partner_id):
        terms = campaigns.terms(partner_id, ref.id)
        pk = campaigns.player_key_of(terms, player_id)
        homes = [pk] if terms.player_kid is not None else identity_keys(terms.id, player_id)
        for home in homes:
            try:
                item = PlayerModel(pk=home)
                item.update(actions=[PlayerModel.pid.remove()],
                            condition=PlayerModel.pid.exists())
                out.spins += int(item.spins or 0)
            except UpdateError as exc:
                if not condition_failed(exc):
                    raise
        _players.pop(pk)
        for g in GiftModel.by_player.query(pk):
            try:
                GiftModel(code_hash=g.code_hash).update(
                    actions=[GiftModel.player_key.remove()],
                    condition=(GiftModel.partner_id == partner_id)
                    & (GiftModel.player_key == pk))
            except UpdateError as exc:
                if not condition_failed(exc):
                    raise
                continue
            out.gifts += 1
            if g.spin_id:
                out.won.append((g.spin_id, g.issued_at))
    return out
