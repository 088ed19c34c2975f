"""Players: tokens, the wheel they see, spins, fairness records."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from chalicelib.core.fair_draw import ALGORITHM, DEFAULT_TIMEZONE, MAX_ENVELOPES, PROCEDURE
from chalicelib.schemas.base import END, NO_CONTROL, Out, Strict
from chalicelib.schemas.campaigns import CampaignStatus, Fairness, GameConfig, SegmentLabels
from chalicelib.schemas.gifts import Gift

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
    labels: SegmentLabels | UnsetType = UNSET


class WheelView(Out):
    campaign_id: str
    segments: list[WheelSegmentOdds]
    spins_left: Annotated[int | None, Meta(description="null when unlimited; 0 once the "
                                                       "campaign has ended")]
    spins_left_today: Annotated[int | None, Meta(description="null when unlimited; 0 once "
                                                             "the campaign has ended")]
    fairness: Fairness
    status: Annotated[CampaignStatus, Meta(description=(
        "Whether the player can spin now: only while `active`. `paused` and `scheduled` "
        "may change; `ended` is final (show the player it is over, not a button)"))]
    ends_at: Annotated[str, Meta(description="The campaign's planned end")]
    timezone: Annotated[str, Meta(description=(
        "The campaign's IANA time zone: days (daily limits, gift expiry) end at its "
        "midnight, so show the player times in it"))] = DEFAULT_TIMEZONE
    game: Annotated[GameConfig, Meta(description=(
        "How to play the segments: a wheel, a scratch card or envelopes"))] = (
        msgspec.field(default_factory=GameConfig))


class SpinRequest(Strict):
    client_seed: Annotated[str, Meta(
        min_length=1, max_length=64, pattern=rf"^[\x20-\x7E]+{END}",
        description="Your own randomness. The draw's client seed binds it to the player: "
                    "`<length of player_id in UTF-8 bytes>:<player_id>:<client_seed>` "
                    "(`3:p-1:lucky`; without one, `3:p-1:`), as `fairness.client_seed` of "
                    "the answer shows")] | None = None
    pick: Annotated[int, Meta(ge=0, le=MAX_ENVELOPES - 1, description=(
        "Envelope games only, and required there: the envelope the player opened, "
        "0..envelopes-1. It is part of the draw's input (`fairness.client_seed` carries "
        "it as `pick=<n>:` before the seed)"))] | None = None


class SpinPrize(Out):
    amount: int


class SpinFairness(Out):
    client_seed: Annotated[str, Meta(
        description="The exact client seed the roll used: the player id's length in UTF-8 "
                    "bytes, ':', the player id, ':', and the client_seed the player sent "
                    "(empty if none)")]
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
    pick: Annotated[int, Meta(description="Envelope games: the envelope opened")
                    ] | UnsetType = UNSET


class PlayerGiftPage(Out):
    data: list[Gift]
    next_cursor: str | None


class FairnessInfo(Out):
    seed_commitment: str
    server_seed: Annotated[str | None, Meta(description="Revealed once the campaign has ended")]
    ended_at: Annotated[str | None, Meta(description=(
        "When the campaign ended and so the seed was revealed; null while it runs"))]
    algorithm: Annotated[str, Meta(description=ALGORITHM + ": " + PROCEDURE)]
    procedure: Annotated[str, Meta(description="How to recompute every roll from "
                                               "(server_seed, client_seed, nonce)")]


PLAYERS_MASKED = ("Masked (`zal*******567`) unless the API key holds `players:read`: player "
                  "ids are often phone numbers or emails")


class SpinRecord(Out):
    id: str
    player_id: Annotated[str | None, Meta(description=(
        PLAYERS_MASKED + "; null once the player's id was erased on request "
        "(POST /v1/recipients/erasures)"))]
    segment_id: str
    drawn_segment_id: str
    fallback: bool
    prize: SpinPrize | None
    client_seed: Annotated[str | None, Meta(description=(
        "The exact client seed the roll used; the player id inside it is masked as "
        "`player_id` is (a verifier replaying the rolls needs `players:read`, or an "
        "unmasked draw-log export); null once the player's id was erased"))]
    nonce: int
    roll: int
    total_weight: int
    spun_at: str
    pick: Annotated[int, Meta(description="Envelope games: the envelope opened, which "
                                          "client_seed names")] | UnsetType = UNSET
    erased: Annotated[bool, Meta(description=(
        "The player's id was erased on request: `player_id` and `client_seed` are null "
        "because the client seed named the player. The roll can no longer be "
        "recomputed by anyone; a verifier checks what remains (the roll is below "
        "total_weight and lands on drawn_segment_id) and reports the spin as erased, "
        "not as malformed"))] = False


class SpinPage(Out):
    data: list[SpinRecord]
    next_cursor: str | None
    players_masked: Annotated[bool, Meta(description=(
        "Whether player ids and client seeds on this page are masked (the key lacks "
        "`players:read`)"))] = False
