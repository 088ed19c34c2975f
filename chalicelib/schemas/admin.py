"""The operator's shapes: partners and API keys."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from chalicelib.schemas.base import SCOPES, Name, Out, Scope, Strict, Text100

# ------------------------------------------------------------------ requests


DEFAULT_CONTACT_RETENTION_DAYS = 90
RetentionDays = Annotated[int, Meta(ge=0, le=3650, description=(
    "Days a recipient's phone, email and name are kept after their gift expires; then "
    "they are deleted (default 90)"))]


class PartnerCreate(Strict):
    name: Name
    contact_retention_days: RetentionDays | None = None


class PartnerPatch(Strict):
    contact_retention_days: RetentionDays


class ApiKeyCreate(Strict):
    scopes: Annotated[list[Scope], Meta(min_length=1, max_length=len(SCOPES))] | None = None
    label: Text100 | None = None
    rate_limit: Annotated[int, Meta(ge=1, le=100_000, description=(
        "Requests a second this key may make (429 `rate_limited` beyond); default: the "
        "stage's API_KEY_RATE_LIMIT (1,000)"))] | None = None


class Partner(Out):
    id: str
    name: str
    created_at: str
    contact_retention_days: int = DEFAULT_CONTACT_RETENTION_DAYS


class ApiKeyCreated(Out):
    id: str
    key: Annotated[str, Meta(description="The secret. Shown once; store it now.")]
    partner_id: str
    scopes: list[str]
    label: str | None
    created_at: str
    rate_limit: Annotated[int | None, Meta(
        description="requests a second; null: the stage default")] = None


class MigrationCounts(Out):
    gifts_sealed: int = 0
    batch_chunks_sealed: int = 0
    spins_sealed: int = 0
    kept_v1: Annotated[int, Meta(description=(
        "Spins whose client seed predates the v2 form: left as they are"))] = 0
    skipped: Annotated[int, Meta(description=(
        "Items written meanwhile (their own write sealed them), or a player erased since"))
    ] = 0


class MigrationProgress(Out):
    phase: Annotated[str, Meta(description="gifts, batch_rows, spins, or done")]
    done: bool
    counts: MigrationCounts
    started_at: str
    finished_at: str | None = None
