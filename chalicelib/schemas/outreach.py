"""Delivery to the recipient: what a partner sets about how its gifts are shown and
sent (API.md, "Delivery to the recipient")."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta

from chalicelib.schemas.base import END, NO_CONTROL, NO_CONTROL_OR_EMPTY, Out, Strict
from chalicelib.schemas.campaigns import Locale

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


# ---------------------------------------------------------------- templates

TemplateKind = Literal["gift", "reminder"]
TemplateChannel = Literal["email", "sms", "zalo"]
TemplateSource = Literal["default", "partner"]
ZaloParamName = Annotated[str, Meta(min_length=1, max_length=30, pattern="^[A-Za-z0-9_]+" + END)]
ZaloParamValue = Annotated[str, Meta(max_length=500, pattern=NO_CONTROL_OR_EMPTY)]
PLACEHOLDER_NOTE = ("Placeholders: {{recipient_name}}, {{amount}}, {{expires_on}}, "
                    "{{gift_url}}, {{partner_name}}; any other is refused (422), and so is "
                    "a gift code: messages carry the link")


class TemplateBody(Strict):
    """One template; which fields apply depends on the channel (email: subject, html,
    text?; sms: text, transliterate?; zalo: zalo_params, zalo_template_id?)."""

    subject: Annotated[str, Meta(min_length=1, max_length=200, pattern=NO_CONTROL,
                                 description="email: the subject line")] | None = None
    html: Annotated[str, Meta(min_length=1, max_length=50_000, description=(
        "email: the body as HTML; values are escaped, and a footer with the "
        "unsubscribe link is added after it"))] | None = None
    text: Annotated[str, Meta(min_length=1, max_length=2_000, description=(
        "sms: the message; email: the plain part (derived from html when absent); "
        "zalo: not used"))] | None = None
    transliterate: Annotated[bool, Meta(description=(
        "sms: send the text without Vietnamese diacritics (GSM-7, 160 characters a "
        "segment instead of 70)"))] | None = None
    zalo_template_id: Annotated[str, Meta(min_length=1, max_length=64,
                                          pattern="^[A-Za-z0-9_-]+" + END, description=(
        "zalo: the approved ZNS template; default: the one the operator set for this "
        "kind"))] | None = None
    zalo_params: Annotated[dict[ZaloParamName, ZaloParamValue], Meta(
        max_length=20, description=(
            "zalo: the ZNS template's parameters (template_data), each a text with "
            "placeholders"))] | None = None


class Template(Out):
    channel: TemplateChannel
    locale: Locale
    kind: TemplateKind
    source: Annotated[TemplateSource, Meta(description=(
        "`default` until the partner sets its own"))]
    subject: str | None = None
    html: str | None = None
    text: str | None = None
    transliterate: bool | None = None
    zalo_template_id: str | None = None
    zalo_params: dict[str, str] | None = None
    updated_at: str | None = None


class SampleValues(Strict):
    recipient_name: Annotated[str, Meta(max_length=100, pattern=NO_CONTROL_OR_EMPTY)] | None = None
    amount: Annotated[str, Meta(max_length=40, pattern=NO_CONTROL_OR_EMPTY)] | None = None
    expires_on: Annotated[str, Meta(max_length=40, pattern=NO_CONTROL_OR_EMPTY)] | None = None
    gift_url: Annotated[str, Meta(max_length=2048, pattern=NO_CONTROL_OR_EMPTY)] | None = None
    partner_name: Annotated[str, Meta(max_length=100, pattern=NO_CONTROL_OR_EMPTY)] | None = None


class PreviewRequest(Strict):
    values: Annotated[SampleValues, Meta(description=(
        "Values to render with; each one left out takes a sample"))] | None = None
    template: Annotated[TemplateBody, Meta(description=(
        "A template to try before saving it; default: the one in use"))] | None = None


class SmsCost(Out):
    encoding: Literal["GSM-7", "UCS-2"]
    length: Annotated[int, Meta(description="Characters in that encoding's units")]
    segments: Annotated[int, Meta(description="SMS parts it is sent (and billed) as")]


class Preview(Out):
    channel: TemplateChannel
    locale: Locale
    kind: TemplateKind
    to: str
    text: str
    subject: str | None = None
    html: str | None = None
    zalo_template_id: str | None = None
    zalo_params: dict[str, str] | None = None
    sms: SmsCost | None = None


# ------------------------------------------------------------ suppressions

SuppressionReason = Literal["bounce", "complaint", "unsubscribe", "sms_stop", "manual"]


class Suppression(Out):
    contact: Annotated[str, Meta(description="The contact as asked, masked")]
    reason: SuppressionReason
    created_at: str


# -------------------------------------------------------------------- Zalo

class ZaloTemplateIds(Strict):
    gift: Annotated[str, Meta(min_length=1, max_length=64, pattern="^[A-Za-z0-9_-]+" + END)]
    reminder: Annotated[str, Meta(min_length=1, max_length=64,
                                  pattern="^[A-Za-z0-9_-]+" + END)] | None = None


class ZaloSettings(Strict):
    oa_access_token: Annotated[str, Meta(min_length=8, max_length=2048, pattern=NO_CONTROL,
                                         description=(
        "The partner's Official Account access token; stored sealed, never shown again"))]
    template_ids: ZaloTemplateIds


class ZaloStatus(Out):
    partner_id: str
    oa_access_token: Annotated[str, Meta(description="Masked: only its last 4 characters")]
    token_set: bool
    template_ids: dict[str, str]
    updated_at: str
