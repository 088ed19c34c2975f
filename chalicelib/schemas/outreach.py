"""Delivery to the recipient: what a partner sets about how its gifts are shown and
sent (API.md, "Delivery to the recipient")."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from chalicelib.schemas.base import END, Strict

COLOUR = "^#[0-9a-fA-F]{6}" + END


class Branding(Strict):
    display_name: Annotated[str, Meta(min_length=1, max_length=100, description=(
        "The name recipients see on the gift page and in messages"))]
    logo_url: Annotated[str, Meta(max_length=2048, pattern="^https://[^\\s]+" + END, description=(
        "An https image URL shown on the gift page"))] | None = None
    colour: Annotated[str, Meta(pattern=COLOUR, description="#RRGGBB")] | None = None
