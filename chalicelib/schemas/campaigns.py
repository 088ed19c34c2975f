"""Campaigns and their wheel: what a partner sends and what it reads back."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from chalicelib.core import fair_draw
from chalicelib.core.fair_draw import DEFAULT_TIMEZONE
from chalicelib.schemas.base import (
    END,
    MAX_BUDGET,
    SEGMENT_ID,
    Amount,
    Currency,
    Name,
    Out,
    SegmentLabel,
    Strict,
    Timestamp,
)


class Prize(Strict):
    amount: Amount


# A wheel's shape, with its bounds from `fair_draw`; the rules across its parts (unique
# ids, the fallback segment) are fair_draw.validate_wheel's (campaigns.rule_errors).
SpinLimit = Annotated[int, Meta(ge=1, le=fair_draw.MAX_SPIN_LIMIT)]


MAX_LABEL_LANGUAGES = 8
LanguageCode = Annotated[str, Meta(pattern="^[a-z]{2}" + END,
                                   description="ISO 639-1 language code: vi, en")]
SegmentLabels = Annotated[dict[LanguageCode, SegmentLabel], Meta(
    max_length=MAX_LABEL_LANGUAGES, description=(
        "The label per language, for players who see the wheel in that language "
        "(`{\"vi\": \"Chúc may mắn lần sau\", \"en\": \"Better luck next time\"}`); a "
        "language not listed shows `label`. Optional: a wheel without it reads as before"))]


class Segment(Strict):
    id: Annotated[str, Meta(min_length=1, max_length=fair_draw.MAX_ID_LENGTH, pattern=SEGMENT_ID)]
    label: Annotated[SegmentLabel, Meta(description=(
        "Shown to players, and on the papers (prize structure, results report)"))]
    weight: Annotated[int, Meta(ge=0, le=fair_draw.MAX_WEIGHT)]
    prize: Prize | None = None
    inventory: Annotated[int, Meta(ge=0, le=fair_draw.MAX_INVENTORY)] | None = None
    labels: SegmentLabels | UnsetType = UNSET


class Limits(Strict):
    spins_per_player: SpinLimit | None = None
    spins_per_player_per_day: SpinLimit | None = None


class WheelConfig(Strict):
    segments: Annotated[list[Segment], Meta(min_length=fair_draw.MIN_SEGMENTS,
                                            max_length=fair_draw.MAX_SEGMENTS)]
    fallback_segment_id: Annotated[str, Meta(min_length=1, max_length=fair_draw.MAX_ID_LENGTH)]
    limits: Limits | None = None


GameKind = Literal["wheel", "scratch", "envelope"]


class GameConfig(Strict):
    kind: Annotated[GameKind, Meta(description=(
        "How the player plays the same wheel of segments: `wheel` spins it, `scratch` "
        "reveals one card per play, `envelope` lets the player pick one of `envelopes` "
        "envelopes (the pick is part of the draw's input). Fixed at creation"))] = "wheel"
    envelopes: Annotated[int, Meta(
        ge=fair_draw.MIN_ENVELOPES, le=fair_draw.MAX_ENVELOPES,
        description="How many envelopes an `envelope` game shows (default 6); only for "
                    "`envelope`")] | None = None


PerMinute = Annotated[int, Meta(ge=1, le=100_000)]


class PlayLimits(Strict):
    """Fraud controls on the play endpoints, beside the player's spin limits: the
    partner mints player ids, so one device or address could play as many players."""

    per_player_per_minute: Annotated[PerMinute, Meta(description=(
        "Plays one player may make in a minute"))] | None = None
    per_device_per_minute: Annotated[PerMinute, Meta(description=(
        "Plays one device (`Rewards-Device-Id`) may make in a minute, whoever plays"))
    ] | None = None
    per_address_per_minute: Annotated[PerMinute, Meta(description=(
        "Plays one client address may make in a minute"))] | None = None
    wins_per_device: Annotated[int, Meta(ge=1, le=fair_draw.MAX_SPIN_LIMIT, description=(
        "Prizes one device may win in the campaign; past it, plays from the device are "
        "refused with 403 `play_blocked` (`reason: wins_cap`)"))] | None = None


Channel = Literal["zalo", "sms", "email"]
LOCALES = ("vi", "en")
Locale = Literal["vi", "en"]
ClockTime = Annotated[str, Meta(pattern="^([01][0-9]|2[0-3]):[0-5][0-9]" + END,
                                description="HH:MM in the campaign's time zone")]
MAX_REMINDER_DAYS = 365
MAX_WHERE_TO_USE = 500


class SendWindow(Strict):
    """Hours of the campaign's local day when messages may go out; a message due
    outside them waits for the next opening. `from` after `to` spans midnight."""

    from_: Annotated[ClockTime, Meta(description="Opens at (inclusive)")] = msgspec.field(
        name="from")
    to: Annotated[ClockTime, Meta(description="Closes at (exclusive)")]


class DeliverySettings(Strict):
    """How a campaign's gifts reach their recipients (API.md, "Delivery to the
    recipient"). Absent on a campaign: nothing is sent, the partner uses `gift_url`."""

    channels: Annotated[list[Channel], Meta(max_length=3, description=(
        "In order of preference: the first one the recipient has a contact for is used; "
        "`[]` means the partner sends itself, using `gift_url`"))] = msgspec.field(
        default_factory=list)
    send_window: SendWindow | None = None
    reminder_days_before_expiry: Annotated[int, Meta(
        ge=1, le=MAX_REMINDER_DAYS, description=(
            "Send one reminder this many days before expiry while a balance is left; "
            "null: no reminder"))] | None = None
    locale: Annotated[Locale, Meta(description=(
        "The language of messages and of the gift page (default `vi`)"))] | None = None
    where_to_use: Annotated[str, Meta(max_length=MAX_WHERE_TO_USE, description=(
        "Where the gift can be used, shown on the gift page"))] | None = None


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
    game: Annotated[GameConfig, Meta(description=(
        "The game played on `wheel`'s segments; needs `wheel`. Default `wheel`"))
    ] | None = None
    play_limits: PlayLimits | None = None
    delivery: DeliverySettings | None = None


class CampaignPatch(Strict):
    status: Annotated[Literal["paused", "active", "ended"], Meta(description=(
        "`ended` is final. `active` on a campaign whose starts_at is still ahead keeps it "
        "`scheduled` until then"))] | UnsetType = UNSET
    name: Name | UnsetType = UNSET
    ends_at: Timestamp | UnsetType = UNSET
    delivery: Annotated[DeliverySettings, Meta(description=(
        "Replaces the delivery settings whole"))] | UnsetType = UNSET


class TopupCreate(Strict):
    amount: Annotated[int, Meta(ge=1, le=MAX_BUDGET)]


class Budget(Out):
    total: int
    spent: int
    remaining: int


class Fairness(Out):
    seed_commitment: str


ENDED_AT = ("When the campaign actually ended: the moment a PATCH ended it early, else "
            "`ends_at` once passed; null while it has not ended. The papers (results "
            "report, prize structure, fairness reveal) count from it")


CampaignStatus = Literal["scheduled", "active", "paused", "ended"]


class Campaign(Out):
    id: str
    name: str
    status: CampaignStatus
    currency: str
    budget: Budget
    starts_at: str
    ends_at: Annotated[str, Meta(description="The planned end")]
    ended_at: Annotated[str | None, Meta(description=ENDED_AT)]
    gift_expiry_days: int
    timezone: str
    wheel: WheelConfig | None
    fairness: Fairness
    created_at: str
    game: GameConfig = msgspec.field(default_factory=GameConfig)
    play_limits: PlayLimits | None = None
    delivery: DeliverySettings = msgspec.field(default_factory=DeliverySettings)


class CampaignPage(Out):
    data: list[Campaign]
    next_cursor: str | None


class BlocklistEntry(Out):
    campaign_id: str
    entry: Annotated[str, Meta(description="The player id, or `device:<Rewards-Device-Id>`")]
    blocked: bool
    added_at: str
