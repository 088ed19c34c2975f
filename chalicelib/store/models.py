"""Every table's items, keys and indexes (PynamoDB models).

Access patterns (each is one GetItem, one Query, one BatchGetItem or one
transaction; no Scan on a request path):
- API key by id (the id is embedded in the secret) -> ApiKey.get
- campaign by id; campaigns of a partner, newest first -> Campaign / by_partner (keys)
- a campaign's shards (budget slices, stock slices, spin counters) -> Shard, one
  BatchGetItem; its gift figures per expiry day -> Day, one Query per shard
- gift by code (keyed by a keyed hash of the code, never the code: lookup,
  redeem, void; see `vault`); gifts of a campaign
  (one Query per shard, merged, then a BatchGetItem) and of a player -> Gift /
  by_shard (keys only), by_player;
  a batch's gifts are found by deriving their codes, with no index
- redemptions of a gift -> its history rows that are redemptions (GiftEvent), and
  before issue 26 Redemption (hash = gift id); a redemption by its id -> its history
  row (the id names gift and sequence), before RedemptionRef (hash = redemption id)
- a hold by id -> Hold; a gift's history -> GiftEvent (hash = gift id, range =
  sequence), one Query; holds outstanding -> HoldBucket, one Query per shard
- idempotency record by caller scope + key -> Idempotency
- spins of a campaign (for the fairness verifier) -> Spin, one Query per shard,
  merged; a player's counters -> Player
- batch header and its stored input chunks -> Batch (hash = batch id, range = part)

No key is shared by a campaign's whole traffic: every money move writes one
shard of its campaign (`campaign_id#NN`) and at most one day row of one shard,
and the indexes it reaches are hashed by shard too. See `money.budget_shards` for the cost."""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import (
    BinaryAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model

from chalicelib.core.fair_draw import MAX_SEGMENTS

# --------------------------------------------------------------------------- models


class PartnerModel(Model):
    class Meta:
        table_name = "partners"

    id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    created_at = UnicodeAttribute()
    # days a recipient's contact is kept after its gift expires; None: the default
    contact_retention_days = NumberAttribute(null=True)
    # schemas.Branding as given by PUT /v1/delivery/branding; absent: the partner's name
    branding = JSONAttribute(null=True)


class ApiKeyModel(Model):
    class Meta:
        table_name = "api-keys"

    id = UnicodeAttribute(hash_key=True)
    partner_id = UnicodeAttribute()
    key_hash = UnicodeAttribute()
    # PynamoDB types `of` as the items' Python type, but it takes their Attribute class
    scopes: ListAttribute[str] = ListAttribute(of=UnicodeAttribute)  # type: ignore[arg-type]
    label = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()
    revoked_at = UnicodeAttribute(null=True)
    rate_limit = NumberAttribute(null=True)  # requests a second; None: the stage default


class CampaignsByPartner(GlobalSecondaryIndex):
    """Keys only: the campaign item is written by refills and top-ups, and a full
    projection would copy those writes onto the partner's one index key."""

    class Meta:
        index_name = "by_partner"
        projection = KeysOnlyProjection()

    partner_id = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class CampaignsEndingOpen(GlobalSecondaryIndex):
    """Campaigns not yet marked ended, by planned end: sparse (only items holding
    `end_open`), so the sweeper finds those whose end has passed with one Query.
    Written when a campaign is created, ended or its end moves: never per money
    move, so its one hash key stays cold."""

    class Meta:
        index_name = "ending"
        projection = KeysOnlyProjection()

    end_open = UnicodeAttribute(hash_key=True)  # "1" while not marked ended
    ends_at = UnicodeAttribute(range_key=True)


class CampaignModel(Model):
    """What a campaign is, plus the unallocated part of its budget and stock.

    Off the hot path: spins, issues, redemptions and voids never write it. They
    write the campaign's shards (`ShardModel`), which hold slices of the budget and
    stock and the report counters; a shard that runs dry is refilled from `pool`
    and `stock_pool` here (see `money.budget_shards`)."""

    class Meta:
        table_name = "campaigns"

    id = UnicodeAttribute(hash_key=True)
    partner_id = UnicodeAttribute()
    created_key = UnicodeAttribute()  # created_at#id: newest-first listing, unique
    name = UnicodeAttribute()
    status = UnicodeAttribute()  # active | paused | ended (scheduled is derived)
    currency = UnicodeAttribute()
    timezone = UnicodeAttribute()
    budget_total = NumberAttribute()
    pool = NumberAttribute()  # budget not yet handed to a shard
    # segment index -> units not yet handed out
    stock_pool: MapAttribute[str, Any] = MapAttribute(default=dict)
    shards = NumberAttribute()  # how many shards; fixed at creation
    starts_at = UnicodeAttribute()
    ends_at = UnicodeAttribute()
    # when it ended: the PATCH that ended it early, or ends_at once the sweeper marked
    # it ended; absent while it runs (and on campaigns ended before this was kept)
    ended_at = UnicodeAttribute(null=True)
    end_open = UnicodeAttribute(null=True)  # "1" until marked ended (CampaignsEndingOpen)
    gift_expiry_days = NumberAttribute()
    wheel = JSONAttribute(null=True)
    # {"kind": "wheel" | "scratch" | "envelope", "envelopes": n}; absent: a wheel
    game = JSONAttribute(null=True)
    play_limits = JSONAttribute(null=True)  # schemas.PlayLimits; absent: none
    delivery = JSONAttribute(null=True)  # schemas.DeliverySettings; absent: send nothing
    seed_commitment = UnicodeAttribute()
    server_seed = UnicodeAttribute()
    created_at = UnicodeAttribute()
    # the lookup key its players are keyed under (keys.player_key); absent on campaigns
    # made before issue 21, whose player keys hold the player id in clear
    pkid = UnicodeAttribute(null=True)

    by_partner = CampaignsByPartner()
    ending = CampaignsEndingOpen()


TALLY_NAMES = ("sp", "wn", "ph", "pd", "in", "ia", "rn", "ra", "vn", "va",
               *(f"{kind}{i}" for i in range(MAX_SEGMENTS) for kind in "ca"))
"""HourModel's counts by attribute name: what a shard or day row holds of the hour
now running as `t<name>` (`money.tallies`)."""


def _tally_attributes() -> dict[str, NumberAttribute]:
    return {f"t{name}": NumberAttribute(null=True) for name in TALLY_NAMES}


class ShardModel(Model):
    """One slice of a campaign: where every charge, refund and spin lands.

    Kept under 1 KB (short names, segments by index) so a transactional write costs
    2 write units. It mirrors the campaign's status and dates, so a pause stops the
    very next spin without every spin checking the campaign item."""

    class Meta:
        table_name = "campaign-shards"

    pk = UnicodeAttribute(hash_key=True)  # campaign_id#NN
    partner_id = UnicodeAttribute()
    status = UnicodeAttribute()
    starts_at = UnicodeAttribute()
    ends_at = UnicodeAttribute()
    rem = NumberAttribute(default=0)  # budget this shard may still spend
    spent = NumberAttribute(default=0)  # spent through this shard, less refunds here
    # segment index -> units this shard may award
    stock: MapAttribute[str, Any] = MapAttribute(default=dict)
    spins = NumberAttribute(default=0)
    wins = NumberAttribute(default=0)
    # segment index -> spins that landed there
    seg: MapAttribute[str, Any] = MapAttribute(default=dict)
    # spins' and issues' counts for the report, of the hour now running, before they
    # go to its hour row (`money.tallies`): th that hour's key, t<name> the counts
    # (HourModel's attribute names), tv how many writes counted in them (the
    # condition of the roll into the row)
    th = UnicodeAttribute(null=True)
    tv = NumberAttribute(null=True)
    locals().update(_tally_attributes())
    # the issue counts of the gifts it issued that expire on one local day, before they
    # go to that day's row (DayModel, `money.tallies.EXPIRY`): xd the expiry day, xn
    # gifts and xa their amount (issued and open alike), xv how many writes counted
    xd = UnicodeAttribute(null=True)
    xv = NumberAttribute(null=True)
    xn = NumberAttribute(null=True)
    xa = NumberAttribute(null=True)


class DayModel(Model):
    """Gift figures of one shard for the gifts that expire on one local day.

    Keyed by expiry day, so "expired" is the sum of the days already past, and a
    redemption or void finds its row from the gift alone. Since issue 26 a single
    issue's or a win's counts (issued_n/_amt, open_n/_amt) ride on the shard first
    (`xd`/`xn`/`xa`) and come here when the shard moves on to a later expiry day, so a
    row may show more redeemed than issued, and a negative open count, until then:
    the report adds what the shards hold. The hash key is a shard,
    so no day is one hot key; its sort key grows with time, which is fine: the
    shard's write rate is bounded by the shard count, not by split-for-heat."""

    class Meta:
        table_name = "campaign-days"

    pk = UnicodeAttribute(hash_key=True)  # campaign_id#NN
    day = UnicodeAttribute(range_key=True)  # local expiry date, YYYY-MM-DD
    issued_n = NumberAttribute(default=0)
    issued_amt = NumberAttribute(default=0)
    redeemed_n = NumberAttribute(default=0)
    redeemed_amt = NumberAttribute(default=0)
    voided_n = NumberAttribute(default=0)
    voided_amt = NumberAttribute(default=0)
    open_n = NumberAttribute(default=0)
    open_amt = NumberAttribute(default=0)
    reversed_n = NumberAttribute(null=True)  # reversals: redeemed_amt less these
    reversed_amt = NumberAttribute(null=True)  # is the net amount redeemed
    # redemptions' and reversals' counts for the report (`#r` rows), of the hour now
    # running, before they go to its hour row: as on ShardModel
    th = UnicodeAttribute(null=True)
    tv = NumberAttribute(null=True)
    locals().update(_tally_attributes())


class HourModel(Model):
    """What happened in one local hour on one shard (the report's time series).

    Since issue 26 the hour now running is counted on an item the move writes anyway
    (spins and issues on their shard, redemptions and reversals on their gift's day
    row: `th`/`t`/`tv`), and rolled into this row by the first move of a later hour;
    the report adds what is not rolled yet. Rows are keyed by the shard the move
    uses, so no hour is one hot key. The range key
    is the UTC instant the local hour starts (`periods.hour_key`): a local day is a
    whole number of rows whatever the zone's offset. Short names keep it < 1 KB."""

    class Meta:
        table_name = "campaign-hours"

    # campaign_id#NN: spins and issues; campaign_id#NN#r: redemptions (keys.REDEEMED)
    pk = UnicodeAttribute(hash_key=True)
    hour = UnicodeAttribute(range_key=True)  # UTC start of the local hour
    sp = NumberAttribute(default=0)  # spins
    wn = NumberAttribute(default=0)  # wins
    ph = NumberAttribute(default=0)  # players whose first spin of this hour it was
    pd = NumberAttribute(default=0)  # players whose first spin of this local day it was
    in_ = NumberAttribute(default=0, attr_name="in")  # gifts issued
    ia = NumberAttribute(default=0)  # their face value
    rn = NumberAttribute(default=0)  # redemptions
    ra = NumberAttribute(default=0)  # amount redeemed
    vn = NumberAttribute(default=0)  # reversals (on the redemption keys, `#r`)
    va = NumberAttribute(default=0)  # amount they gave back to gifts
    # won gifts redeemed, per wheel segment i: c<i> redemptions, a<i> amount. Flat
    # attributes, not maps: a row is created by its first update, and DynamoDB cannot
    # create a map and set a key in it in one update expression.
    for _i in range(MAX_SEGMENTS):
        locals()[f"c{_i}"] = NumberAttribute(null=True)
        locals()[f"a{_i}"] = NumberAttribute(null=True)
    del _i


class GiftsByShard(GlobalSecondaryIndex):
    """A campaign's gifts, newest first, one Query per shard (lists read the gifts by
    their keys: `money.gifts.fill`). Hashed by the gift's shard, not the campaign:
    one campaign key would take every issue. Keys only, so a balance or status
    change never writes it (it replaced `by_campaign`, all attributes, in issue 26:
    an index's projection cannot change in place)."""

    class Meta:
        index_name = "by_shard"
        projection = KeysOnlyProjection()

    shard_key = UnicodeAttribute(hash_key=True)
    issued_key = UnicodeAttribute(range_key=True)


class GiftsByPlayer(GlobalSecondaryIndex):
    class Meta:
        index_name = "by_player"
        projection = AllProjection()

    player_key = UnicodeAttribute(hash_key=True)
    issued_key = UnicodeAttribute(range_key=True)


class GiftsByPhone(GlobalSecondaryIndex):
    """Sparse (only gifts with a phone), keys only: erasure and retention find a
    person's gifts by a keyed hash of their phone (`money.recipients`). One person's
    gifts are few, so no key is hot; keys only, so a balance change never writes it."""

    class Meta:
        index_name = "by_phone"
        projection = KeysOnlyProjection()

    ph = UnicodeAttribute(hash_key=True)


class GiftsByEmail(GlobalSecondaryIndex):
    """The same for a recipient's email."""

    class Meta:
        index_name = "by_email"
        projection = KeysOnlyProjection()

    em = UnicodeAttribute(hash_key=True)


class GiftModel(Model):
    class Meta:
        table_name = "gifts"

    code_hash = UnicodeAttribute(hash_key=True)  # vault.code_hash of the canonical code
    code_enc = UnicodeAttribute()  # the code sealed (vault.seal), bound to code_hash
    id = UnicodeAttribute()
    partner_id = UnicodeAttribute()
    campaign_id = UnicodeAttribute()
    amount = NumberAttribute()
    balance = NumberAttribute()
    currency = UnicodeAttribute()
    status = UnicodeAttribute()  # active | redeemed | voided (expired is derived)
    issued_at = UnicodeAttribute()
    issued_key = UnicodeAttribute()  # issued_at#id
    shard_key = UnicodeAttribute()  # campaign_id#NN: the shard it was charged to
    expires_at = UnicodeAttribute()
    expiry_day = UnicodeAttribute()  # local expiry date: the DayModel row it counts in
    # before issue 21 the recipient in clear; read, and sealed on the gift's next write
    recipient = JSONAttribute(null=True)
    # the recipient's contact (phone, email, name) sealed (vault.seal), bound to the gift
    # (`money.recipients`), and the keyed hashes that find it: absent once erased or
    # past retention. The reference, the partner's own id, stays in `reference`.
    # `rc`: deflated and sealed as raw bytes (vault.seal_compact), so a long contact
    # keeps the gift under 1 KB; `rcp`: the base64 seal gifts were first sealed with.
    rc = BinaryAttribute(null=True, legacy_encoding=False)
    rcp = UnicodeAttribute(null=True)
    ph = UnicodeAttribute(null=True)  # keyed hash of the phone (GiftsByPhone)
    em = UnicodeAttribute(null=True)  # keyed hash of the email (GiftsByEmail)
    metadata = JSONAttribute(null=True)
    voided_at = UnicodeAttribute(null=True)
    batch_id = UnicodeAttribute(null=True)
    batch_index = NumberAttribute(null=True)
    reference = UnicodeAttribute(null=True)
    player_key = UnicodeAttribute(null=True)  # campaign_id#player_id for won gifts
    spin_id = UnicodeAttribute(null=True)
    # holds, reversals, history (see `money.gift_versions`): absent on older gifts
    seq = NumberAttribute(null=True)  # the gift's version: its last event's number
    # active holds: hold id -> {"a": amount, "x": expiry epoch}
    holds: MapAttribute[str, Any] = MapAttribute(null=True)
    reversed = NumberAttribute(null=True)  # total reversed back into the balance
    prize_seg = NumberAttribute(null=True)  # won gifts: the wheel segment (results report)
    # when the partner asked its delivery to go (`deliver_at` on the issue request or
    # the batch item); absent: at issue. Read by the delivery planner from the stream
    deliver_at = UnicodeAttribute(null=True)
    # the gift page link's version (money.gift_links): absent = 0, raised by a rotation
    link_v = NumberAttribute(null=True)

    by_shard = GiftsByShard()
    by_player = GiftsByPlayer()
    by_phone = GiftsByPhone()
    by_email = GiftsByEmail()

    # not an attribute: the plain code, held in memory only on a gift this request made
    # (gifts.new_gift), so its answer shows the code without opening the seal
    _plain: str


class RedemptionModel(Model):
    """A redemption made before issue 26, read only: newer ones are their gift's
    history row (`GiftEventModel` with `gift_key`)."""

    class Meta:
        table_name = "redemptions"

    gift_id = UnicodeAttribute(hash_key=True)
    sort_key = UnicodeAttribute(range_key=True)  # amount redeemed before, 13 digits#id
    id = UnicodeAttribute()
    amount = NumberAttribute()
    location = UnicodeAttribute(null=True)
    redeemed_at = UnicodeAttribute()


class RedemptionRefModel(Model):
    """A redemption found by its id (reversals): keyed by the redemption id, so no
    key is shared by more than one redemption. Points at the gift by its hash.
    Written before issue 26 only; still read and updated by reversals of those."""

    class Meta:
        table_name = "redemption-refs"

    id = UnicodeAttribute(hash_key=True)  # red_…
    gift_key = UnicodeAttribute()  # the gift's code_hash
    gift_id = UnicodeAttribute()
    partner_id = UnicodeAttribute()
    amount = NumberAttribute()
    reversed = NumberAttribute(default=0)  # reversed so far (conditioned on by reversals)
    redeemed_at = UnicodeAttribute()


class HoldModel(Model):
    """One hold, for capture and release by id and for the record. Whether it still
    holds is decided by the gift's own `holds` map and the clock, not by this item."""

    class Meta:
        table_name = "holds"

    id = UnicodeAttribute(hash_key=True)  # hld_…
    gift_key = UnicodeAttribute()  # the gift's code_hash
    gift_id = UnicodeAttribute()
    partner_id = UnicodeAttribute()
    shard_key = UnicodeAttribute()
    amount = NumberAttribute()
    status = UnicodeAttribute()  # held | captured | released (expired is derived)
    expires_at = UnicodeAttribute()
    created_at = UnicodeAttribute()
    location = UnicodeAttribute(null=True)
    reference = UnicodeAttribute(null=True)
    captured_amount = NumberAttribute(null=True)
    redemption_id = UnicodeAttribute(null=True)
    closed_at = UnicodeAttribute(null=True)


class GiftEventModel(Model):
    """A gift's history: one item per change, written in the change's transaction,
    keyed by gift id and the gift's sequence number, so the history is one Query.
    A redemption's or a capture's row is the redemption itself (`gift_key` set; its
    id is `money.gift_versions.redemption_id`)."""

    class Meta:
        table_name = "gift-events"

    gift_id = UnicodeAttribute(hash_key=True)
    seq = NumberAttribute(range_key=True)  # 1, 2, ... (0 is the issue: the gift itself)
    id = UnicodeAttribute()
    type = UnicodeAttribute()  # held | captured | released | redeemed | reversed | voided
    amount = NumberAttribute()
    balance_after = NumberAttribute()
    at = UnicodeAttribute()
    location = UnicodeAttribute(null=True)
    ref = UnicodeAttribute(null=True)  # the hold, redemption or reversal it was
    reason = UnicodeAttribute(null=True)
    # a redemption's row (since issue 26): the gift's code_hash, and what reversals
    # have given back of it so far (absent: nothing)
    gift_key = UnicodeAttribute(null=True)
    reversed = NumberAttribute(null=True)


def _hold_bucket_attributes() -> dict[str, NumberAttribute]:
    return {f"{kind}{second:02d}": NumberAttribute(null=True)
            for kind in ("n", "a") for second in range(60)}


class HoldBucketModel(Model):
    """Holds outstanding of one shard by the minute they expire, one count and one
    amount per second of that minute (n00..n59, a00..a59). A hold adds to its
    expiry second; capture and release take away. Outstanding at `now` is the sum
    over the seconds after now: exact to the second with no job to expire anything,
    and the report reads at most 61 rows per shard (holds last at most an hour).

    A campaign also has marks (pk campaign_id, minute "mark#" and the start of a
    ten-minute window): one exists for every window some hold of it expires in
    (`holds.outstanding`)."""

    class Meta:
        table_name = "hold-buckets"

    pk = UnicodeAttribute(hash_key=True)  # campaign_id#NN; a mark: campaign_id
    minute = UnicodeAttribute(range_key=True)  # YYYY-MM-DDTHH:MM (UTC); a mark: mark#...
    expires_at = TTLAttribute(null=True)  # tidied up a day after the minute (the window)
    locals().update(_hold_bucket_attributes())


class IdempotencyModel(Model):
    """One item of its money move's transaction, so kept under 1 KB (2 write units,
    not 4): the answer compressed and sealed and the fingerprint as Binary under
    one-letter names, no default headers, and the fields only a running claim needs
    (owner, created_at) left off a completed one (see `store.idempotency`)."""

    class Meta:
        table_name = "idempotency"

    pk = UnicodeAttribute(hash_key=True)  # scope#key
    f = BinaryAttribute(null=True, legacy_encoding=False)  # the request's SHA-256
    fingerprint = UnicodeAttribute(null=True)  # until issue 26: `f` in hex (read only)
    state = UnicodeAttribute()  # in_progress | completed
    owner = UnicodeAttribute(null=True)  # the request that wrote it (Claim.owner)
    status_code = NumberAttribute(null=True)
    body = UnicodeAttribute(null=True)  # until issue 26: vault.seal text (read, never written)
    b = BinaryAttribute(null=True, legacy_encoding=False)  # the body: vault.seal_compact
    r = UnicodeAttribute(null=True)  # what re-derives the parts left out of `b` (source:key)
    headers = JSONAttribute(null=True)  # None: the JSON default
    created_at = UnicodeAttribute(null=True)  # in_progress only (a batch's takeover age)
    expires_at = TTLAttribute()


class SpinModel(Model):
    """Keyed by the shard the spin was charged to: a campaign-wide hash key with a
    time-ordered sort key would take every spin on one key."""

    class Meta:
        table_name = "spin-log"

    shard_key = UnicodeAttribute(hash_key=True)  # campaign_id#NN
    sort_key = UnicodeAttribute(range_key=True)  # spun_at#id
    campaign_id = UnicodeAttribute()
    id = UnicodeAttribute()
    # since issue 21 a spin names its player by key (`pk` of PlayerModel, a keyed hash)
    # and keeps the player's own seed: the id (and so the whole client_seed) is on the
    # player's item only. Older spins hold `player_id` and `client_seed` in clear.
    player_key = UnicodeAttribute(null=True)
    seed = UnicodeAttribute(null=True)
    player_id = UnicodeAttribute(null=True)
    segment_id = UnicodeAttribute()
    drawn_segment_id = UnicodeAttribute()
    fallback = NumberAttribute(default=0)
    client_seed = UnicodeAttribute(null=True)
    nonce = NumberAttribute()
    roll = NumberAttribute()
    total_weight = NumberAttribute()
    prize_amount = NumberAttribute(null=True)
    gift_id = UnicodeAttribute(null=True)
    spun_at = UnicodeAttribute()
    pick = NumberAttribute(null=True)  # envelope games: the envelope opened


class PlayerModel(Model):
    class Meta:
        table_name = "players"

    pk = UnicodeAttribute(hash_key=True)  # keys.player_key: campaign_id#<keyed hash>
    spins = NumberAttribute(default=0)
    # the player id sealed (vault.seal, bound to pk): the one place it is kept, so an
    # erasure removes it from every spin at once (spins name the player by `pk`)
    pid = UnicodeAttribute(null=True)
    day = UnicodeAttribute(null=True)
    day_spins = NumberAttribute(default=0)
    hour = UnicodeAttribute(null=True)  # hour key of the last spin (distinct players)


class RateModel(Model):
    """Requests of one API key in one second, in one of a few slots (ratelimit)."""

    class Meta:
        table_name = "rate-limits"

    pk = UnicodeAttribute(hash_key=True)  # key_id#unix second#slot
    n = NumberAttribute(default=0)
    expires_at = TTLAttribute()


class GuardModel(Model):
    """The play endpoints' fraud controls (`play.guards`), in the `rate-limits` table
    beside the API keys' windows: one item per key, never one per campaign.

    - `pv#<campaign>#<p|d|a>#<keyed hash>#<unix minute>`: plays of one player, device
      or address in one minute (`n`), tidied up by TTL two minutes later;
    - `pw#<campaign>#<sha256 of device id>`: prizes one device has won (`n`);
    - `deny#<campaign>#p#<player id>`, `deny#<campaign>#d#<sha256 of device id>`: the
      partner's deny list (`added_at`);
    - `pb#<campaign>#<NN>`: plays refused, per shard (`bv` velocity, `bb` deny list,
      `bw` wins cap), so refusals spread like the shards and the report reads N items.
    """

    class Meta:
        table_name = "rate-limits"

    pk = UnicodeAttribute(hash_key=True)
    n = NumberAttribute(null=True)
    expires_at = TTLAttribute(null=True)
    added_at = UnicodeAttribute(null=True)
    bv = NumberAttribute(null=True)
    bb = NumberAttribute(null=True)
    bw = NumberAttribute(null=True)


class DeliveriesDue(GlobalSecondaryIndex):
    """Deliveries waiting for an instant: scheduled ones (their time, the send window,
    a reminder's day) and queued or sending ones (their lease, after which the
    sweeper looks again). Sparse (only items holding `due_pk`), keys only, sliced
    over `keys.DUE_SLICES` keys so no key is hot; the sweeper reads each slice up to
    now, once a minute. No scan."""

    class Meta:
        index_name = "due"
        projection = KeysOnlyProjection()

    due_pk = UnicodeAttribute(hash_key=True)  # due#NN
    due_at = UnicodeAttribute(range_key=True)  # RFC 3339 UTC


class DeliveriesByProvider(GlobalSecondaryIndex):
    """A sent delivery by its provider's message id (SES MessageId, SNS MessageId,
    ZNS msg_id), for the channel's later feedback. Sparse and keys only: one index
    write per sent message, each under its own key."""

    class Meta:
        index_name = "by_provider"
        projection = KeysOnlyProjection()

    provider_id = UnicodeAttribute(hash_key=True)


class DeliveryModel(Model):
    """One message to a gift's recipient (`outreach.deliveries`): the gift's delivery,
    a resend, a reminder. Keyed by the gift (`pk` is its code_hash), so a gift's
    deliveries are one Query and no key holds more than one gift's few messages.

    The contact is never stored in clear: `to` is masked; the message's address is
    read from the gift's sealed contact at send time, or, for a resend to a corrected
    contact, from `to_enc` (sealed, bound to this item). Items under 1 KB. The same
    table holds, under their own keys, a gift's resend limiter (`sk` "resend") and a
    batch's delivery counters (`pk` "bat#<batch>#NN", `sk` "count")."""

    class Meta:
        table_name = "deliveries"

    pk = UnicodeAttribute(hash_key=True)  # the gift's code_hash (or a counter's key)
    sk = UnicodeAttribute(range_key=True)  # <kind>#<n>: gift#0, reminder#0, gift#<minute>
    id = UnicodeAttribute(null=True)  # dlv_…
    gift_id = UnicodeAttribute(null=True)
    partner_id = UnicodeAttribute(null=True)
    campaign_id = UnicodeAttribute(null=True)
    batch_id = UnicodeAttribute(null=True)  # a batch's gift: its counters' key
    batch_index = NumberAttribute(null=True)
    channel = UnicodeAttribute(null=True)  # email | sms | zalo
    to = UnicodeAttribute(null=True)  # masked (core.contacts.mask)
    to_enc = UnicodeAttribute(null=True)  # a corrected contact, sealed (vault), bound to pk#sk
    kind = UnicodeAttribute(null=True)  # gift | reminder
    status = UnicodeAttribute(null=True)  # outreach.messages.Status
    reason = UnicodeAttribute(null=True)
    scheduled_for = UnicodeAttribute(null=True)
    sent_at = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute(null=True)
    provider_id = UnicodeAttribute(null=True)
    attempt = NumberAttribute(null=True)  # send attempts made (ChannelDown retries)
    claim = UnicodeAttribute(null=True)  # the sender holding it (`sending`): its stamp
    claimed_at = UnicodeAttribute(null=True)
    due_pk = UnicodeAttribute(null=True)  # DeliveriesDue
    due_at = UnicodeAttribute(null=True)
    # counters (pk bat#…): queued, sent, failed; the resend limiter (sk "resend"): at
    q = NumberAttribute(null=True)
    s = NumberAttribute(null=True)
    f = NumberAttribute(null=True)
    at = NumberAttribute(null=True)  # resend limiter: POSIX seconds of the last resend
    expires_at = TTLAttribute(null=True)

    due = DeliveriesDue()
    by_provider = DeliveriesByProvider()
