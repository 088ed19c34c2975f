"""Delivery to the recipient: what a partner sets about how its gifts are shown and
sent (API.md, "Delivery to the recipient")."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from chalicelib.schemas.base import END, NO_CONTROL, Strict

COLOUR = "^#[0-9a-fA-F]{6}" + END
LOGO_URL = r"^https://[^\s\"'<>\\]+" + END
"""https, and nothing a page could not quote (no space, quote, angle bracket)."""


class Branding(Strict):
    display_name: Annotated[str, Meta(min_length=1, max_length=100, pattern=NO_CONTROL,
                                      description=(
        "The name recipients see on the gift page and in messages"))]
    logo_url: Annotated[str, Meta(max_length=2048, pattern=LOGO_URL, description=(
        "An https image URL shown on the gift page"))] | None = None
    colour: Annotated[str, Meta(pattern=COLOUR, description="#RRGGBB")] | None = None
