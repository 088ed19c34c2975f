"""Request and response shapes: one definition validates requests, encodes
responses and feeds the OpenAPI document, so the three cannot drift.

msgspec is used because it decodes and validates in one pass from bytes, and
imports in a fraction of pydantic's time (paid on every Lambda cold start).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal, get_args

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from chalicelib.core import fair_draw
from chalicelib.core.fair_draw import ALGORITHM, DEFAULT_TIMEZONE, PROCEDURE
from chalicelib.core.periods import Granularity

MAX_AMOUNT = 10**12
MAX_BUDGET = 10**15

Amount = Annotated[int, Meta(ge=1, le=MAX_AMOUNT, description="Minor units of the currency")]
# msgspec matches patterns with Python's re.search, whose `$` also matches before a
# final newline ("abc\n"); END does not, in Python or in the ECMA-262 dialect that
# readers of the OpenAPI document use.
END = r"$(?!\n)"
# Free text is shown on tills, receipts, consoles and CSVs, so one rule refuses, in
# every free-text field: control characters (Unicode Cc: C0, DEL, C1; a NUL or ESC
# can end a string early or drive a terminal) and the bidirectional formatting
# characters (LRE..RLO U+202A-U+202E, isolates U+2066-U+2069, LRM/RLM, ALM), which
# make "crm-123<RLO>4321" read as another reference ("Trojan Source").
FORBIDDEN_TEXT = (r"\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                  r"\u2066-\u2069")
NO_CONTROL = rf"^[^{FORBIDDEN_TEXT}]+{END}"
NO_CONTROL_OR_EMPTY = rf"^[^{FORBIDDEN_TEXT}]*{END}"
FORBIDDEN_TEXT_MESSAGE = ("must not contain control characters (U+0000-U+001F, "
                          "U+007F-U+009F) or bidirectional formatting characters "
                          "(U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C)")


EMAIL = rf"^[^@\s{FORBIDDEN_TEXT}]+@[^@\s{FORBIDDEN_TEXT}]+\.[^@\s{FORBIDDEN_TEXT}]+{END}"
EMAIL_MESSAGE = "must be an email address (name@example.com), without spaces or control characters"
SEGMENT_ID = rf"^[A-Za-z0-9_-]+{END}"
SEGMENT_ID_MESSAGE = "may only contain letters A-Z a-z, digits, '_' and '-'"


def readable(message: str) -> str:
    """msgspec names a failed pattern by its regex; the email, free-text and segment
    id rules get words."""
    if message.startswith("Expected `str` matching regex"):
        if "@" in message:  # before the free-text rule, whose characters it also refuses
            return EMAIL_MESSAGE
        if "u202a" in message:
            return FORBIDDEN_TEXT_MESSAGE
        if "A-Za-z0-9_-" in message:
            return SEGMENT_ID_MESSAGE
    return message


# One line of free text: 1..N characters, none of FORBIDDEN_TEXT. Written out per
# length, not made by a function, so that a type checker reads them as types.
Text100 = Annotated[str, Meta(min_length=1, max_length=100, pattern=NO_CONTROL)]
Text128 = Annotated[str, Meta(min_length=1, max_length=128, pattern=NO_CONTROL)]
Text200 = Annotated[str, Meta(min_length=1, max_length=200, pattern=NO_CONTROL)]
SegmentLabel = Annotated[str, Meta(min_length=1, max_length=fair_draw.MAX_LABEL_LENGTH,
                                  pattern=NO_CONTROL)]
Name = Text200
Timestamp = Annotated[datetime, Meta(tz=True, description="RFC 3339, with a time zone")]
Scope = Literal["campaigns:read", "campaigns:write", "gifts:issue", "gifts:redeem",
                "reports:read", "players:mint", "webhooks:manage"]
SCOPES: tuple[str, ...] = get_args(Scope)  # what a key may hold; auth grants from it
Currency = Literal["VND", "USD", "EUR", "GBP", "SGD", "THB", "IDR", "MYR", "PHP", "JPY",
                   "KRW", "AUD", "CNY", "HKD", "TWD", "INR"]
MetaKey = Annotated[str, Meta(min_length=1, max_length=40, pattern=NO_CONTROL)]
MetaValue = Annotated[str, Meta(max_length=500, pattern=NO_CONTROL_OR_EMPTY)]
Metadata = Annotated[dict[MetaKey, MetaValue], Meta(max_length=20,
                     description="Up to 20 string pairs, returned as given")]


class Strict(Struct, forbid_unknown_fields=True, omit_defaults=False):
    """Request bodies reject unknown fields: a typo must not pass silently."""


# ------------------------------------------------------------------ requests


class PartnerCreate(Strict):
    name: Name


class ApiKeyCreate(Strict):
    scopes: Annotated[list[Scope], Meta(min_length=1, max_length=len(SCOPES))] | None = None
    label: Text100 | None = None
    rate_limit: Annotated[int, Meta(ge=1, le=100_000, description=(
        "Requests a second this key may make (429 `rate_limited` beyond); default: the "
        "stage's API_KEY_RATE_LIMIT (1,000)"))] | None = None


class Prize(Strict):
    amount: Amount


# A wheel's shape, with its bounds from `wheel`; the rules across its parts (unique
# ids, the fallback segment) are fair_draw.validate_wheel's (campaigns.rule_errors).
SpinLimit = Annotated[int, Meta(ge=1, le=fair_draw.MAX_SPIN_LIMIT)]


class Segment(Strict):
    id: Annotated[str, Meta(min_length=1, max_length=fair_draw.MAX_ID_LENGTH, pattern=SEGMENT_ID)]
    label: SegmentLabel
    weight: Annotated[int, Meta(ge=0, le=fair_draw.MAX_WEIGHT)]
    prize: Prize | None = None
    inventory: Annotated[int, Meta(ge=0, le=fair_draw.MAX_INVENTORY)] | None = None


class Limits(Strict):
    spins_per_player: SpinLimit | None = None
    spins_per_player_per_day: SpinLimit | None = None


class WheelConfig(Strict):
    segments: Annotated[list[Segment], Meta(min_length=fair_draw.MIN_SEGMENTS,
                                            max_length=fair_draw.MAX_SEGMENTS)]
    fallback_segment_id: Annotated[str, Meta(min_length=1, max_length=fair_draw.MAX_ID_LENGTH)]
    limits: Limits | None = None


class CampaignCreate(Strict):
    name: Name
    currency: Currency
    budget: Annotated[int, Meta(ge=0, le=MAX_BUDGET)]
    ends_at: Timestamp
    starts_at: Timestamp | None = None
    gift_expiry_days: Annotated[int, Meta(
        ge=1, le=3650, description="A gift stays valid through the whole local day (in "
                                   "`timezone`) this many days after issue")] = 30
    timezone: Annotated[str, Meta(min_length=1, max_length=64,
                                  description="IANA zone for days (limits, expiry)")] = (
        DEFAULT_TIMEZONE)
    wheel: WheelConfig | None = None


class CampaignPatch(Strict):
    status: Annotated[Literal["paused", "active", "ended"], Meta(description=(
        "`ended` is final. `active` on a campaign whose starts_at is still ahead keeps it "
        "`scheduled` until then"))] | UnsetType = UNSET
    name: Name | UnsetType = UNSET
    ends_at: Timestamp | UnsetType = UNSET


class TopupCreate(Strict):
    amount: Annotated[int, Meta(ge=1, le=MAX_BUDGET)]


PHONE = rf"^\+?[0-9]{{6,15}}{END}"
_PHONE = re.compile(PHONE)


class Recipient(Strict):
    reference: Text128 | None = None
    # The pattern is checked below rather than by msgspec, whose error would show
    # partners the raw regex; the OpenAPI document still publishes it.
    phone: Annotated[str, Meta(extra_json_schema={"pattern": PHONE})] | None = None
    email: Annotated[str, Meta(max_length=254, pattern=EMAIL)] | None = None
    name: Text200 | None = None

    def __post_init__(self) -> None:
        if self.phone is not None and not _PHONE.fullmatch(self.phone):
            raise ValueError("must be a phone number: 6 to 15 digits, optionally after a "
                             "leading + (e.g. +84901234567)")


class GiftCreate(Strict):
    amount: Amount
    recipient: Recipient | None = None
    metadata: Metadata | None = None


class RedeemRequest(Strict):
    amount: Amount | None = None
    location: Text100 | None = None


class VoidRequest(Strict):
    reason: Text200 | None = None


# holds, reversals, history (issue 12)
MAX_HOLD_SECONDS = 3600
"""A till's authorisation window; holds.py sizes its expiry sweep by it."""


class HoldCreate(Strict):
    amount: Annotated[int, Meta(ge=1, le=MAX_AMOUNT, description=(
        "Minor units to hold; default: all that is available"))] | None = None
    ttl_seconds: Annotated[int, Meta(ge=30, le=MAX_HOLD_SECONDS, description=(
        "How long the hold lasts (it never outlasts the gift); it then stops holding by "
        "itself"))] = 300
    location: Text100 | None = None
    reference: Text128 | None = None


class CaptureRequest(Strict):
    amount: Annotated[int, Meta(ge=1, le=MAX_AMOUNT, description=(
        "At most the held amount; default: all of it. The rest is released"))] | None = None


class ReleaseRequest(Strict):
    pass


class ReversalCreate(Strict):
    amount: Annotated[int, Meta(ge=1, le=MAX_AMOUNT, description=(
        "At most what is left to reverse of the redemption; default: all of it"))] | None = (
        None)
    reason: Text200 | None = None


# ----------------------------------------------------------------- responses


class Out(Struct, omit_defaults=False):
    pass


class Health(Out):
    status: str


class Partner(Out):
    id: str
    name: str
    created_at: str


class ApiKeyCreated(Out):
    id: str
    key: Annotated[str, Meta(description="The secret. Shown once; store it now.")]
    partner_id: str
    scopes: list[str]
    label: str | None
    created_at: str
    rate_limit: Annotated[int | None, Meta(
        description="requests a second; null: the stage default")] = None


class Budget(Out):
    total: int
    spent: int
    remaining: int


class Fairness(Out):
    seed_commitment: str


CampaignStatus = Literal["scheduled", "active", "paused", "ended"]


class Campaign(Out):
    id: str
    name: str
    status: CampaignStatus
    currency: str
    budget: Budget
    starts_at: str
    ends_at: str
    gift_expiry_days: int
    timezone: str
    wheel: WheelConfig | None
    fairness: Fairness
    created_at: str


GiftStatus = Literal["active", "redeemed", "voided", "expired"]


class Gift(Out):
    id: str
    code: str
    campaign_id: str
    amount: int
    balance: int
    available: Annotated[int, Meta(description=(
        "What a redemption or a new hold may take now: the balance minus the active, "
        "unexpired holds (0 when the gift is not active)"))]
    currency: str
    status: GiftStatus
    issued_at: str
    expires_at: Annotated[str, Meta(description=(
        "The local midnight (campaign timezone) that ends the day gift_expiry_days after "
        "issue"))]
    recipient: Recipient | None
    metadata: dict[str, str] | None
    voided_at: str | None = None


class Redemption(Out):
    id: str
    amount: int
    redeemed_at: str
    location: str | None


class GiftDetail(Gift):
    redemptions: list[Redemption] = []


class RedeemResult(Out):
    gift: Gift
    redemption: Redemption


HoldStatus = Literal["held", "captured", "released", "expired"]


class Hold(Out):
    id: str
    status: Annotated[HoldStatus, Meta(
        description="`expired`: it reached expires_at uncaptured and holds nothing")]
    amount: int
    expires_at: str
    created_at: str
    gift_id: str
    location: str | None = None
    reference: str | None = None
    captured_amount: int | None = None
    redemption_id: str | None = None


class HoldCreated(Hold):
    gift: Gift | None = None


class CaptureResult(Out):
    hold: Hold
    gift: Gift
    redemption: Redemption


class ReleaseResult(Out):
    hold: Hold
    gift: Gift


class Reversal(Out):
    id: str
    redemption_id: str
    amount: int
    reason: str | None
    reversed_at: str
    gift: Gift


GiftEventType = Literal["issued", "held", "captured", "released", "redeemed", "reversed",
                        "voided"]


class GiftEvent(Out):
    id: str
    type: GiftEventType
    amount: int
    balance_after: Annotated[int, Meta(description=(
        "issued and reversed add `amount`, redeemed and captured take it away; held, "
        "released and voided leave the balance as it was"))]
    at: str
    location: str | None = None
    ref: Annotated[str | None, Meta(description=(
        "The hold (hld_), redemption (red_) or reversal (rev_) it was"))] = None
    reason: str | None = None


class GiftEventPage(Out):
    data: list[GiftEvent]
    next_cursor: str | None = None


class CampaignPage(Out):
    data: list[Campaign]
    next_cursor: str | None


class GiftPage(Out):
    data: list[Gift]
    next_cursor: str | None


class CountAmount(Out):
    count: int
    amount: int


class GiftFigures(Out):
    issued: Annotated[CountAmount, Meta(
        description="gifts issued (singly, in batches, won on the wheel) and their face value")]
    redeemed: Annotated[CountAmount, Meta(
        description="redemptions (each partial redemption counts once) and the amount "
                    "redeemed")]
    voided: Annotated[CountAmount, Meta(
        description="gifts voided and the unredeemed balance they gave back to the budget")]
    expired: Annotated[CountAmount, Meta(
        description="gifts past their expiry with a balance left, and that balance")]
    reversed: Annotated[CountAmount, Meta(
        description="reversals and the amount they gave back to gifts (already netted out "
                    "of redeemed.amount)")] = msgspec.field(
        default_factory=lambda: CountAmount(count=0, amount=0))
    held: Annotated[CountAmount, Meta(
        description="holds outstanding now (neither captured, released nor expired) and "
                    "their amount")] = msgspec.field(
        default_factory=lambda: CountAmount(count=0, amount=0))


class SegmentCount(Out):
    segment_id: str
    count: int


class SpinFigures(Out):
    count: int
    wins: int
    by_segment: list[SegmentCount]


class SeriesPoint(Out):
    period_start: Annotated[str, Meta(description="the period's start in the campaign's "
                                                  "time zone, with its offset")]
    issued: CountAmount
    redeemed: CountAmount
    spins: int
    wins: int
    players: Annotated[int, Meta(description="distinct players who spun in the period")]


class Report(Out):
    campaign_id: str
    currency: str
    budget: Budget
    gifts: GiftFigures
    spins: SpinFigures
    redemption_rate: Annotated[float, Meta(ge=0, le=1,
                               description="redeemed amount / issued amount")]
    as_of: str
    timezone: str | None = None
    granularity: Granularity | None = None
    series: Annotated[list[SeriesPoint] | None, Meta(
        description="with ?granularity=day|hour (&from=&to=): the figures per period")] = None


# ------------------------------------------------------------ insights (issue 14)


class PrizeLine(Out):
    segment_id: str
    label: str
    value: int
    quantity: Annotated[int, Meta(description="how many can be won: the stock, bounded by "
                                              "what the budget pays")]
    quantity_basis: Literal["stock", "budget"]
    stock: int | None
    total_value: int
    weight: int
    probability: Annotated[float, Meta(description="published odds (weight / total weight)")]


class PrizeStructure(Out):
    campaign_id: str
    name: str
    currency: str
    timezone: str
    starts_at: str
    ends_at: str
    starts_local: str
    ends_local: str
    budget: int
    total_weight: int
    fallback_segment_id: str | None
    prizes: list[PrizeLine]
    total_prize_value: Annotated[int, Meta(description="at most the budget")]
    seed_commitment: str


class ExportCreate(Strict):
    kind: Literal["draw_log", "gifts", "results"]


ExportStatus = Literal["queued", "running", "completed", "failed"]


class Export(Out):
    id: str
    campaign_id: str
    kind: str
    status: ExportStatus
    rows: int
    unmasked: bool
    created_at: str
    completed_at: str | None = None
    download_url: str | None = None
    error: str | None = None


class PrizeResult(Out):
    segment_id: str
    label: str
    value: int
    awarded: CountAmount
    claimed: CountAmount
    unclaimed_value: int


class ResultsReport(Out):
    campaign_id: str
    name: str
    currency: str
    timezone: str
    starts_at: str
    ends_at: str
    prizes: list[PrizeResult]
    awarded: CountAmount
    claimed: CountAmount
    unclaimed_value: int
    state_budget_due: Annotated[int, Meta(description="50 % of the unclaimed value (rounded "
                                                      "up to the đồng)")]
    state_budget_rate: float
    final: Annotated[bool, Meta(description="true once every won gift has expired: "
                                            "unclaimed can no longer shrink")]
    final_at: str
    report_deadline: Annotated[str, Meta(description="results report due: end + 45 days")]
    as_of: str


class FieldError(Out):
    field: str
    message: str


class Problem(Out):
    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] | UnsetType = UNSET


def encode(value: Any) -> bytes:
    return msgspec.json.encode(value)


# ------------------------------------------------------------ spin-the-wheel


MAX_PLAYER_TOKEN_SECONDS = 3600
"""A player token is a bearer credential in a browser: short-lived, and auth refuses a
longer one even if it was signed with the stage's key."""


class PlayerTokenCreate(Strict):
    player_id: Annotated[str, Meta(min_length=1, max_length=128, pattern=NO_CONTROL,
                                   description="The partner's own id for the player")]
    ttl_seconds: Annotated[int, Meta(ge=60, le=MAX_PLAYER_TOKEN_SECONDS)] = 900


class PlayerToken(Out):
    token: Annotated[str, Meta(description="HS256 JWT for Authorization: Bearer")]
    expires_at: str


class WheelSegmentOdds(Out):
    id: str
    label: str
    probability: Annotated[float, Meta(ge=0, le=1, description="weight / total weight, "
                                                               "rounded to 6 places")]


class WheelView(Out):
    campaign_id: str
    segments: list[WheelSegmentOdds]
    spins_left: Annotated[int | None, Meta(description="null when unlimited")]
    spins_left_today: Annotated[int | None, Meta(description="null when unlimited")]
    fairness: Fairness
    timezone: Annotated[str, Meta(description=(
        "The campaign's IANA time zone: days (daily limits, gift expiry) end at its "
        "midnight, so show the player times in it"))] = DEFAULT_TIMEZONE


class SpinRequest(Strict):
    client_seed: Annotated[str, Meta(
        min_length=1, max_length=64, pattern=rf"^[\x20-\x7E]+{END}",
        description="Your own randomness; the draw uses `<player_id>:<client_seed>` "
                    "(default: the player id alone)")] | None = None


class SpinPrize(Out):
    amount: int


class SpinFairness(Out):
    client_seed: Annotated[str, Meta(
        description="The exact client seed the roll used: the player id, then ':' and the "
                    "client_seed the player sent, if any")]
    nonce: Annotated[int, Meta(description="The player's spin number in this campaign, from 0")]
    roll: int
    total_weight: int | UnsetType = UNSET
    server_seed_commitment: str | UnsetType = UNSET


class Spin(Out):
    id: str
    segment_id: Annotated[str, Meta(description="Where the wheel lands (the fallback segment "
                                                "when the drawn prize was unavailable)")]
    drawn_segment_id: Annotated[str, Meta(description="What the fair draw picked")]
    fallback: bool
    prize: SpinPrize | None
    gift: Gift | None
    fairness: SpinFairness
    spun_at: str
    spins_left: Annotated[int | None, Meta(
        description="Spins this player has left after this one (null: unlimited)")] = None
    spins_left_today: Annotated[int | None, Meta(
        description="Spins left today in the campaign's time zone (null: unlimited)")] = None


class PlayerGiftPage(Out):
    data: list[Gift]
    next_cursor: str | None


class FairnessInfo(Out):
    seed_commitment: str
    server_seed: Annotated[str | None, Meta(description="Revealed once the campaign has ended")]
    algorithm: Annotated[str, Meta(description=ALGORITHM + ": " + PROCEDURE)]
    procedure: Annotated[str, Meta(description="How to recompute every roll from "
                                               "(server_seed, client_seed, nonce)")]


class SpinRecord(Out):
    id: str
    player_id: str
    segment_id: str
    drawn_segment_id: str
    fallback: bool
    prize: SpinPrize | None
    client_seed: str
    nonce: int
    roll: int
    total_weight: int
    spun_at: str


class SpinPage(Out):
    data: list[SpinRecord]
    next_cursor: str | None


# ------------------------------------------------------------ bulk issuance

MAX_BATCH_ITEMS = 10_000


class BatchItem(Strict):
    amount: Amount
    recipient: Recipient | None = None
    reference: Annotated[str, Meta(min_length=1, max_length=128, pattern=NO_CONTROL,
                                   description="Your row id; also recipient.reference")] | None = (
        None)


class BatchCreate(Strict):
    items: Annotated[list[BatchItem], Meta(min_length=1, max_length=MAX_BATCH_ITEMS)]


BatchStatus = Literal["processing", "completed"]


class Batch(Out):
    id: str
    status: BatchStatus
    campaign_id: str
    count: int
    total_amount: int
    issued: Annotated[int, Meta(description="Gifts written so far (progress)")]
    created_at: str
    completed_at: str | None = None


class BatchGift(Gift):
    index: Annotated[int, Meta(ge=0, description="0-based position in the batch's items")] = 0


class BatchGiftPage(Out):
    data: list[BatchGift]
    next_cursor: str | None


# ------------------------------------------------------------ events and webhooks

EventType = Literal["gift.issued", "gift.redeemed", "gift.voided", "redemption.reversed",
                    "gift_batch.completed", "spin.won", "campaign.budget_low",
                    "campaign.budget_exhausted", "campaign.ended"]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)
EventFilter = Annotated[str, Meta(
    pattern="^(" + "|".join(re.escape(t) for t in ("*", *EVENT_TYPES)) + ")" + END,
    description="An event type, or `*` for every type")]
MAX_WEBHOOK_URL = 2048
WebhookUrl = Annotated[str, Meta(min_length=8, max_length=MAX_WEBHOOK_URL, description=(
    "https on deployed stages; the host must resolve only to public addresses "
    "(the local stack also allows loopback http)"))]


class WebhookEndpointCreate(Strict):
    url: WebhookUrl
    events: Annotated[list[EventFilter], Meta(min_length=1, max_length=16)]
    description: Text200 | None = None


EndpointStatus = Literal["enabled", "disabled"]


class WebhookEndpointPatch(Strict):
    url: WebhookUrl | UnsetType = UNSET
    events: Annotated[list[EventFilter], Meta(min_length=1, max_length=16)] | UnsetType = UNSET
    status: EndpointStatus | UnsetType = UNSET
    description: Text200 | None | UnsetType = UNSET


class WebhookEndpoint(Out):
    id: str
    url: str
    events: list[str]
    description: str | None
    status: EndpointStatus
    disabled_reason: str | None
    created_at: str
    updated_at: str
    secret: Annotated[str | None, Meta(description=(
        "`whsec_…`: only in the answer that creates the endpoint; keep it to verify "
        "Rewards-Signature"))] = None


class WebhookEndpointPage(Out):
    data: list[WebhookEndpoint]


class WebhookSecretRotated(Out):
    id: str
    secret: Annotated[str, Meta(description="The new secret, shown once")]
    previous_secrets_expire_at: Annotated[str | None, Meta(description=(
        "Until then the previous secret signs too (a second `v1=`)"))]


DeliveryStatus = Literal["succeeded", "failed"]


class WebhookDelivery(Out):
    id: str
    event_id: str
    event_type: str
    attempt: int
    status: DeliveryStatus
    response_code: int | None
    duration_ms: int
    error: str | None
    attempted_at: str
    next_attempt_at: str | None


class WebhookDeliveryPage(Out):
    data: list[WebhookDelivery]
    next_cursor: str | None


class Event(Out):
    id: Annotated[str, Meta(description="`evt_…`, the same on every delivery: dedupe by it")]
    type: EventType
    created_at: str
    campaign_id: str | None
    data: Annotated[dict[str, Any], Meta(description=(
        "The object: for gift events the gift (`id`, `masked_code`, `amount`, `balance`, "
        "`currency`, `status`, times; match gifts by `id`), for spin.won the spin, for "
        "gift_batch.completed the batch, for campaign events the campaign's figures"))]


class EventPage(Out):
    data: list[Event]
    next_cursor: str | None


class Redelivery(Out):
    event_id: str
    deliveries_queued: int
