"""Recipients' personal data: a data-subject request to erase a contact."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta

from chalicelib.schemas.base import END, NO_CONTROL, Out, Strict

ErasureSubject = Literal["phone", "email", "player_id"]
_PHONE_INPUT = rf"^\+?[0-9 .()-]{{6,24}}{END}"


class ErasureCreate(Strict):
    """Exactly one of `phone`, `email`, `player_id`. A phone matches however it was
    written on the gifts (`+84 901 234 567`, `0901234567`, `84901234567`); an email
    without regard to case."""

    phone: Annotated[str, Meta(max_length=24, pattern=_PHONE_INPUT)] | None = None
    email: Annotated[str, Meta(min_length=3, max_length=254, pattern=NO_CONTROL)] | None = None
    player_id: Annotated[str, Meta(min_length=1, max_length=128, pattern=NO_CONTROL)] | None \
        = None

    def __post_init__(self) -> None:
        given = [f for f in ("phone", "email", "player_id") if getattr(self, f) is not None]
        if len(given) != 1:
            raise ValueError("send exactly one of phone, email, player_id")

    def subject(self) -> tuple[ErasureSubject, str]:
        for kind in ("phone", "email", "player_id"):
            value = getattr(self, kind)
            if value is not None:
                return kind, value
        raise ValueError("no subject")


class ErasedCounts(Out):
    gifts: Annotated[int, Meta(description="Gifts whose recipient contact was removed")]
    deliveries: Annotated[int, Meta(description=(
        "Deliveries to the recipient that held the contact (webhook attempts hold none)"))]
    events: Annotated[int, Meta(description="Stored events the contact or player id was "
                                            "removed from")]
    spins: Annotated[int, Meta(description="Spins of the player whose id was removed")]


class Erasure(Out):
    id: str
    subject: ErasureSubject
    erased: ErasedCounts
    created_at: str
