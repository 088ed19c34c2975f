"""Reports, the lucky-draw papers and exports."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from chalicelib.core.periods import Granularity
from chalicelib.schemas.base import Out, Strict
from chalicelib.schemas.campaigns import ENDED_AT, Budget


class CountAmount(Out):
    count: int
    amount: int


NET_OF_REVERSALS = (
    "One rule for the totals and the series: `redeemed.count` counts redemptions (each "
    "partial redemption or capture once), `redeemed.amount` is what was redeemed net "
    "of reversals, and `reversed` gives the reversals on their own (count, and the "
    "amount given back to gifts). A reversal counts when it happens, so a period with "
    "more reversed than redeemed has a negative `redeemed.amount`, and the series' "
    "periods add up to the totals")


class GiftFigures(Out):
    issued: Annotated[CountAmount, Meta(
        description="gifts issued (singly, in batches, won on the wheel) and their face value")]
    redeemed: Annotated[CountAmount, Meta(
        description="redemptions (each partial redemption counts once) and the amount "
                    "redeemed, net of reversals. " + NET_OF_REVERSALS)]
    voided: Annotated[CountAmount, Meta(
        description="gifts voided and the unredeemed balance they gave back to the budget")]
    expired: Annotated[CountAmount, Meta(
        description="gifts past their expiry with a balance left, and that balance")]
    reversed: Annotated[CountAmount, Meta(
        description="reversals and the amount they gave back to gifts (netted out of "
                    "redeemed.amount)")] = msgspec.field(
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


class BlockedPlays(Out):
    velocity: Annotated[int, Meta(description="plays refused 429 over a `play_limits` rate")]
    blocklist: Annotated[int, Meta(description="plays refused 403: player or device denied")]
    wins_cap: Annotated[int, Meta(description="plays refused 403: the device won its cap")]


class SeriesPoint(Out):
    period_start: Annotated[str, Meta(description="the period's start in the campaign's "
                                                  "time zone, with its offset")]
    issued: CountAmount
    redeemed: Annotated[CountAmount, Meta(
        description="redemptions in the period, and the amount net of the period's "
                    "reversals (as gifts.redeemed in the totals)")]
    reversed: Annotated[CountAmount, Meta(
        description="reversals in the period and the amount they gave back")]
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
    plays_blocked: Annotated[BlockedPlays, Meta(description=(
        "plays the campaign's fraud controls refused, by reason (they changed nothing "
        "else)"))] = msgspec.field(default_factory=lambda: BlockedPlays(0, 0, 0))
    granularity: Granularity | None = None
    series: Annotated[list[SeriesPoint] | None, Meta(
        description="with ?granularity=day|hour (&from=&to=): the figures per period. "
                    + NET_OF_REVERSALS)] = None


# ----------------------------------------------------------------------- insights


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
    ends_at: Annotated[str, Meta(description="The planned end")]
    starts_local: str
    ends_local: str
    ended_at: Annotated[str | None, Meta(description=ENDED_AT)]
    ended_local: Annotated[str | None, Meta(
        description="`ended_at` in the campaign's time zone, with its offset")]
    budget: int
    total_weight: int
    fallback_segment_id: str | None
    prizes: list[PrizeLine]
    prizes_total: Annotated[int, Meta(description=(
        "the rows' `total_value` summed. Each row's quantity is bounded by the budget on "
        "its own (as if no other prize were won), so together the rows can exceed the "
        "budget"))]
    budget_cap: Annotated[int, Meta(description=(
        "the budget: every prize won is paid from it, so all prizes together never pay "
        "more, whatever the rows add up to"))]
    capped_by_budget: Annotated[bool, Meta(description=(
        "true when `prizes_total` exceeds `budget_cap`, so `total_prize_value` is the "
        "budget: the prizes cannot all be won"))]
    total_prize_value: Annotated[int, Meta(description=(
        "the most the prizes can pay out together: the lesser of `prizes_total` and "
        "`budget_cap`"))]
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
    partner_name: Annotated[str, Meta(description=(
        "The partner running the promotion: the business that files the report"))]
    currency: str
    timezone: str
    starts_at: str
    ends_at: Annotated[str, Meta(description="The planned end")]
    ended_at: Annotated[str, Meta(description=(
        "When the campaign actually ended (the PATCH that ended it early, else `ends_at`): "
        "the period reported runs from starts_at to here"))]
    prizes: list[PrizeResult]
    awarded: CountAmount
    claimed: CountAmount
    unclaimed_value: int
    state_budget_due: Annotated[int, Meta(description="50 % of the unclaimed value (rounded "
                                                      "up to the đồng)")]
    state_budget_rate: float
    final: Annotated[bool, Meta(description="true once every won gift has expired: "
                                            "unclaimed can no longer shrink")]
    final_at: Annotated[str, Meta(description="when the last prize (won at `ended_at`) "
                                              "expires")]
    report_deadline: Annotated[str, Meta(description="results report due: ended_at + 45 "
                                                     "days")]
    as_of: str
