"""The text of a message to a gift's recipient: placeholders, escaping, the plain part
of an email, SMS encodings and segments, and the opt-out keywords. Pure (no I/O), so
the preview route, the sender and the feedback reader apply one set of rules.

Why these rules:
- a template names only the placeholders `PLACEHOLDERS`; anything else (a typo, or
  `{{code}}`) is refused when the template is saved, not discovered in 50,000 sent
  messages. A code never goes in a message: the link does (API.md).
- values are escaped in HTML (a recipient named `<b>` is text), never in SMS.
- Vietnamese with its diacritics is not GSM-7: one character outside it makes the
  whole SMS UCS-2, 70 characters a segment instead of 160, and each segment is paid.
  `fold` writes Vietnamese without diacritics (the usual form of brand-name SMS in
  Vietnam), so a template may opt in and stay in one or two segments.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Mapping

from msgspec import Struct

PLACEHOLDERS: tuple[str, ...] = ("recipient_name", "amount", "expires_on", "gift_url",
                                 "partner_name")
_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
_NAME = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*")
_CODE_LIKE = re.compile(r"code|pin|voucher|serial|secret", re.I)


class TemplateProblem(Struct, frozen=True):
    """One reason a template cannot be used: where (`field`) and why."""

    field: str
    message: str


def placeholders_in(text: str) -> list[str]:
    """The placeholder names `text` uses, in order, each once (malformed ones as
    written)."""
    found: list[str] = []
    for raw in _PLACEHOLDER.findall(text):
        m = _NAME.fullmatch(raw)
        name = m.group(1) if m else raw
        if name not in found:
            found.append(name)
    return found


def check(field: str, text: str, *, needs_link: bool = False) -> list[TemplateProblem]:
    """Why `text` (the template's `field`) cannot be used: unknown placeholders, named;
    a gift code asked for; a `{{` left open; the link missing where it must be."""
    problems: list[TemplateProblem] = []
    names = placeholders_in(text)
    codes = [n for n in names if n not in PLACEHOLDERS and _CODE_LIKE.search(n)]
    unknown = [n for n in names if n not in PLACEHOLDERS and n not in codes]
    if codes:
        problems.append(TemplateProblem(field, (
            f"{', '.join('{{' + n + '}}' for n in codes)}: a message never carries the "
            f"gift's code; use {{{{gift_url}}}}, the gift page shows the code and its QR")))
    if unknown:
        problems.append(TemplateProblem(field, (
            f"unknown placeholder{'s' if len(unknown) > 1 else ''} "
            f"{', '.join('{{' + n + '}}' for n in unknown)}; the placeholders are "
            f"{', '.join('{{' + n + '}}' for n in PLACEHOLDERS)}")))
    if "{{" in _PLACEHOLDER.sub("", text):
        problems.append(TemplateProblem(field, "a '{{' is not closed by '}}'"))
    if needs_link and "gift_url" not in names:
        problems.append(TemplateProblem(field, "must contain {{gift_url}}: the link is "
                                               "how the recipient reaches the gift"))
    return problems


def fill(text: str, values: Mapping[str, str], *, escape: bool = False) -> str:
    """`text` with each placeholder replaced by its value (HTML-escaped when `escape`).
    Only called on a template `check` passed; an unknown name is left as written."""

    def one(m: re.Match[str]) -> str:
        name = _NAME.fullmatch(m.group(1))
        if name is None or name.group(1) not in values:
            return m.group(0)
        value = values[name.group(1)]
        return html.escape(value, quote=True) if escape else value

    return _PLACEHOLDER.sub(one, text)


# -------------------------------------------------------------------- email


_BLOCK_END = re.compile(r"</(p|div|h[1-6]|li|tr|table|ul|ol)\s*>|<br\s*/?>", re.I)
_LINK = re.compile(r"<a\s[^>]*?href\s*=\s*(\"[^\"]*\"|'[^']*')[^>]*>(.*?)</a\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_DROP = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.I | re.S)


def text_of_html(markup: str) -> str:
    """The plain part of an email from its HTML: paragraphs on their own lines, a link
    as `label (url)` (or the url alone when it is its own label), no tags."""

    def link(m: re.Match[str]) -> str:
        href = html.unescape(m.group(1)[1:-1]).strip()
        label = _TAG.sub("", m.group(2)).strip()
        return href if not label or html.unescape(label) == href else f"{label} ({href})"

    text = _DROP.sub("", markup)
    text = _LINK.sub(link, text)
    text = _BLOCK_END.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


FOOTER = {
    "vi": ("Bạn nhận được email này vì {partner} gửi tặng bạn một món quà.",
           "Hủy nhận email từ {partner}"),
    "en": ("You are receiving this email because {partner} sent you a gift.",
           "Unsubscribe from {partner}'s emails"),
}


def email_document(body_html: str, *, locale: str, partner_name: str,
                   unsubscribe_url: str) -> str:
    """The email as sent: the template's HTML in a minimal document, with the footer
    and its unsubscribe link added after it (a template cannot leave it out)."""
    why, label = FOOTER.get(locale, FOOTER["en"])
    partner = html.escape(partner_name, quote=True)
    footer = (
        '<hr style="border:none;border-top:1px solid #ddd;margin:24px 0 12px">'
        '<p style="font-size:12px;color:#666">'
        f'{why.format(partner=partner)} '
        f'<a href="{html.escape(unsubscribe_url, quote=True)}">'
        f'{label.format(partner=partner)}</a></p>')
    if re.search(r"</body\s*>", body_html, re.I):
        return re.sub(r"(</body\s*>)", lambda m: footer + m.group(1), body_html, count=1,
                      flags=re.I)
    return (f'<!doctype html><html lang="{locale}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1"></head>'
            '<body style="font-family:Arial,Helvetica,sans-serif;font-size:16px;'
            f'line-height:1.5;color:#222;max-width:560px;margin:0 auto;padding:16px">'
            f'{body_html}{footer}</body></html>')


def email_text_footer(*, locale: str, partner_name: str, unsubscribe_url: str) -> str:
    why, label = FOOTER.get(locale, FOOTER["en"])
    return f"--\n{why.format(partner=partner_name)}\n{label.format(partner=partner_name)}: " \
           f"{unsubscribe_url}"


# ---------------------------------------------------------------------- SMS


GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


class SmsSize(Struct, frozen=True):
    """What an SMS costs: its encoding, its length in that encoding's units and the
    segments it is split into (each billed)."""

    encoding: str  # "GSM-7" | "UCS-2"
    length: int
    segments: int


def sms_size(text: str) -> SmsSize:
    """GSM-7: 160 septets in one segment, 153 each when split (an extended character
    takes two); UCS-2 (any other character, e.g. Vietnamese diacritics): 70 UTF-16
    units, 67 each when split."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text):
        n = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        return SmsSize("GSM-7", n, 1 if n <= 160 else math.ceil(n / 153))
    n = len(text.encode("utf-16-le")) // 2
    return SmsSize("UCS-2", n, 1 if n <= 70 else math.ceil(n / 67))


_FOLD_SPECIAL = {"đ": "d", "Đ": "D", "₫": "VND", "–": "-", "—": "-", "‘": "'", "’": "'",
                 "“": '"', "”": '"', "…": "...", "\u00a0": " "}


def fold(text: str) -> str:
    """Vietnamese (and Latin) written without diacritics: `Tặng bạn 200.000 ₫` ->
    `Tang ban 200.000 VND`. Characters that have no plain form are kept."""
    text = "".join(_FOLD_SPECIAL.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


_OPT_OUT = ("STOP", "TU CHOI", "TUCHOI", "UNSUBSCRIBE")
_WORDS = re.compile(r"[^A-Z0-9]+")


def is_opt_out(body: str) -> bool:
    """An SMS reply that asks for no more messages: `STOP`, `TU CHOI` or `TỪ CHỐI`
    (any case, with or without diacritics, punctuation ignored), alone or first."""
    words = _WORDS.sub(" ", fold(body).upper()).strip()
    return any(words == k or words.startswith(k + " ") for k in _OPT_OUT)


# ------------------------------------------------------------------- values


NAMELESS = {"vi": "bạn", "en": "there"}
"""What `{{recipient_name}}` says when the partner sent no name: "Chào bạn," and
"Hi there," both read as written."""


def with_fallbacks(values: Mapping[str, str], locale: str) -> dict[str, str]:
    filled = dict(values)
    if not filled.get("recipient_name", "").strip():
        filled["recipient_name"] = NAMELESS.get(locale, NAMELESS["en"])
    return filled
