"""The hosted gift page (`GET /g/{token}`): what a recipient opens from a message or a
partner's app, and shows at the till.

Why server-rendered HTML with no script: it must open on any phone, fast, on a poor
connection, and show the code even where JavaScript is off; and a page that runs
nothing cannot be made to run a partner's (untrusted) text. Every value from a
partner (name, logo address, where to use, a redemption's location) is escaped here;
the colour is used only when it is `#RRGGBB`, and the text on it is black or white,
whichever reads better (WCAG contrast). The style sheet is inline, allowed by a
per-answer CSP nonce; the QR code is inline SVG (nothing fetched but the partner's
logo, from its own https origin, with no referrer).

`load` reads (the gift by its token, its campaign, its partner's branding, its
history); `render` and `not_found` are pure.
"""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from msgspec import Struct

from chalicelib import schemas
from chalicelib.core import codes
from chalicelib.core.cache import Cache
from chalicelib.core.clock import parse_iso
from chalicelib.money import campaigns, gift_links, gift_versions, gifts, qr_codes
from chalicelib.outreach import branding

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")
HISTORY_SHOWN = 50
DEFAULT_COLOUR = "#0B5CAD"
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_HOST = re.compile(r"[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?")


class Page(Struct, frozen=True):
    """Everything the page shows, read once."""

    gift_id: str
    code: str  # formatted; shown only while the gift can be used
    amount: int
    balance: int
    available: int
    currency: str
    status: str  # active | redeemed | voided | expired
    expires_at: datetime
    timezone: str
    brand: schemas.Branding
    where_to_use: str | None
    locale: Lang
    history: list[schemas.GiftEvent]


class _Setting(Struct, frozen=True):
    """What a page shows of its campaign and partner: the same on every page of the
    campaign, so kept a minute (`SETTINGS_SECONDS`)."""

    timezone: str
    where_to_use: str | None
    locale: Lang
    brand: schemas.Branding


SETTINGS_SECONDS = 60.0
"""How long a Lambda shows a campaign's delivery settings and its partner's branding
after they change: a campaign's recipients opening their links all at once (a Tết
send) then read the campaign and partner items about once a minute per Lambda, not
once a page."""
_settings: Cache[str, _Setting] = Cache("gift_page.settings", 2000, ttl=SETTINGS_SECONDS)


def _setting(partner_id: str, campaign_id: str) -> _Setting:
    found = _settings.get(campaign_id)
    if found is None:
        c = campaigns.get(partner_id, campaign_id)
        delivery = campaigns.delivery_of(c)
        found = _Setting(timezone=c.timezone, where_to_use=delivery.where_to_use,
                         locale=delivery.locale or "vi", brand=branding.get(partner_id))
        _settings.put(campaign_id, found)
    return found


def load(token: str, now: datetime) -> Page:
    """The page of a genuine, current token; NotFound otherwise (gift_links.find).
    The gift and its history are read on every view (strongly consistent: a use at
    the till shows at once); its campaign's settings and branding come from
    `_setting`."""
    g = gift_links.find(token)
    s = _setting(g.partner_id, g.campaign_id)
    events, _ = gift_versions.history(g, HISTORY_SHOWN, None)
    return Page(gift_id=g.id, code=codes.format_code(gifts.plain_code(g)),
                amount=int(g.amount), balance=int(g.balance),
                available=gift_versions.available(g, now), currency=g.currency,
                status=gifts.status_of(g, now), expires_at=parse_iso(g.expires_at),
                timezone=s.timezone, brand=s.brand, where_to_use=s.where_to_use,
                locale=s.locale, history=events)


def language(asked: str | None, default: str) -> Lang:
    """`?lang=` when it is one the page speaks, else the default (else `vi`)."""
    for lang in LANGS:
        if asked == lang:
            return lang
    return "en" if default == "en" else "vi"


# ------------------------------------------------------------------ formats

MINOR_UNITS = {"VND": 0, "JPY": 0, "KRW": 0}
"""ISO 4217 minor units of the currencies a campaign may use (the rest have 2)."""
SYMBOLS = {"VND": "₫", "USD": "$", "EUR": "€", "GBP": "£", "SGD": "S$", "THB": "฿",
           "IDR": "Rp", "MYR": "RM", "PHP": "₱", "JPY": "¥", "KRW": "₩", "AUD": "A$",
           "CNY": "CN¥", "HKD": "HK$", "TWD": "NT$", "INR": "₹"}


def money(amount: int, currency: str, lang: Lang) -> str:
    """`200.000 ₫` in Vietnamese, `₫200,000` in English; amounts are minor units."""
    places = MINOR_UNITS.get(currency, 2)
    whole, part = divmod(abs(amount), 10 ** places) if places else (abs(amount), 0)
    grouped = f"{whole:,}"
    sign = "-" if amount < 0 else ""
    symbol = SYMBOLS.get(currency, currency)
    if lang == "vi":
        number = grouped.replace(",", ".") + (f",{part:0{places}d}" if places else "")
        return f"{sign}{number}\u00a0{symbol}"
    number = grouped + (f".{part:0{places}d}" if places else "")
    return f"{sign}{symbol}{number}"


MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
             "Dec")


def day(moment: datetime, lang: Lang) -> str:
    return (moment.strftime("%d/%m/%Y") if lang == "vi"
            else f"{moment.day} {MONTHS_EN[moment.month - 1]} {moment.year}")


def last_day(expires_at: datetime, tz: str) -> datetime:
    """A gift expires at a local midnight: its last valid day is the one before."""
    return (expires_at.astimezone(ZoneInfo(tz)) - timedelta(seconds=1))


def stamp(at: str, tz: str, lang: Lang) -> str:
    local = parse_iso(at).astimezone(ZoneInfo(tz))
    return f"{day(local, lang)}{' ' if lang == 'vi' else ', '}{local:%H:%M}"


# ------------------------------------------------------------------ colour


def _luminance(colour: str) -> float:
    def channel(hex2: str) -> float:
        c = int(hex2, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(colour: str) -> str:
    """Black or white text on `colour`, whichever has the higher contrast (at least
    4.58:1 whatever the colour)."""
    return "#000000" if contrast(colour, "#000000") >= contrast(colour, "#FFFFFF") \
        else "#FFFFFF"


def brand_colour(value: str | None) -> str:
    return value.upper() if value and _COLOUR.fullmatch(value) else DEFAULT_COLOUR


def logo_origin(url: str | None) -> str | None:
    """The https origin a logo may be loaded from (for the CSP), or None: a logo whose
    address is not a plain https host is not shown."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme != "https" or not _HOST.fullmatch(parts.netloc or ""):
        return None
    return f"https://{parts.netloc}"


# ------------------------------------------------------------------ texts

TEXT: dict[str, dict[Lang, str]] = {
    "title": {"vi": "Quà tặng từ {partner}", "en": "A gift from {partner}"},
    "heading": {"vi": "Quà tặng {amount}", "en": "{amount} gift"},
    "amount": {"vi": "Giá trị", "en": "Value"},
    "balance": {"vi": "Số dư", "en": "Balance"},
    "available": {"vi": "Dùng được ngay", "en": "Available now"},
    "held": {"vi": "Một phần số dư đang được giữ cho một giao dịch chưa hoàn tất.",
             "en": "Part of the balance is held for a payment in progress."},
    "valid": {"vi": "Hạn dùng đến hết ngày {day} (giờ {zone})",
              "en": "Valid through {day} (until 23:59, {zone} time)"},
    "active": {"vi": "Có thể sử dụng", "en": "Ready to use"},
    "redeemed": {"vi": "Quà tặng này đã được dùng hết.",
                 "en": "This gift has been fully used."},
    "voided": {"vi": "Quà tặng này đã bị huỷ và không thể sử dụng.",
               "en": "This gift has been cancelled and can no longer be used."},
    "expired": {"vi": "Quà tặng này chỉ dùng được đến hết ngày {day} và đã hết hạn.",
                "en": "This gift was valid through {day} and has expired."},
    "till": {"vi": "Đưa mã này cho thu ngân", "en": "Show this at the till"},
    "qr": {"vi": "Mã QR của quà tặng", "en": "QR code of the gift"},
    "code": {"vi": "Mã quà tặng", "en": "Gift code"},
    "where": {"vi": "Nơi sử dụng", "en": "Where to use it"},
    "history": {"vi": "Lịch sử", "en": "History"},
    "after": {"vi": "còn lại {balance}", "en": "{balance} left"},
    "language": {"vi": "Ngôn ngữ", "en": "Language"},
    "private": {"vi": "Đừng chia sẻ liên kết này: ai có nó đều xem được mã quà tặng.",
                "en": "Do not share this link: anyone who has it can see the gift code."},
    "missing_title": {"vi": "Không tìm thấy quà tặng", "en": "Gift not found"},
    "missing": {"vi": "Liên kết này không đúng hoặc đã được thay bằng liên kết mới. "
                      "Hãy mở liên kết mới nhất bạn nhận được.",
                "en": "This link is wrong or has been replaced by a new one. Open the "
                      "latest link you received."},
}
EVENTS: dict[str, dict[Lang, str]] = {
    "issued": {"vi": "Nhận quà", "en": "Received"},
    "held": {"vi": "Giữ tạm", "en": "Held"},
    "captured": {"vi": "Đã dùng", "en": "Used"},
    "released": {"vi": "Bỏ giữ tạm", "en": "Hold released"},
    "redeemed": {"vi": "Đã dùng", "en": "Used"},
    "reversed": {"vi": "Hoàn lại", "en": "Refunded"},
    "voided": {"vi": "Đã huỷ", "en": "Cancelled"},
}
LANG_NAMES: dict[Lang, str] = {"vi": "Tiếng Việt", "en": "English"}
ZONES: dict[str, dict[Lang, str]] = {"Asia/Ho_Chi_Minh": {"vi": "Việt Nam", "en": "Vietnam"},
                                     "Asia/Saigon": {"vi": "Việt Nam", "en": "Vietnam"}}
"""Zones a recipient knows by their country's name; any other shows its IANA name."""


def t(key: str, lang: Lang, **values: str) -> str:
    """A text with its values escaped (the texts themselves are ours)."""
    return TEXT[key][lang].format(**{k: html.escape(v) for k, v in values.items()})


def e(value: str) -> str:
    return html.escape(value, quote=True)


# ------------------------------------------------------------------ rendering

STYLE = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;
color:#1a1a1a;background:#f4f5f7}
.brand{background:var(--brand);color:var(--ink);padding:16px 20px;display:flex;
align-items:center;gap:12px}
.brand img{height:40px;width:auto;max-width:120px;background:#fff;border-radius:6px;
padding:2px}
.brand p{margin:0;font-weight:600;font-size:1.1rem;overflow-wrap:anywhere}
main{max-width:32rem;margin:0 auto;padding:16px}
.card{background:#fff;border-radius:12px;padding:16px 20px;margin:0 0 16px;
box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.5rem;margin:0 0 8px;line-height:1.25}
h2{font-size:1.1rem;margin:0 0 8px}
.state{display:inline-block;margin:0 0 12px;padding:2px 10px;border-radius:999px;
font-weight:600;background:#E6F4EA;color:#0A5C2A}
.notice{margin:0 0 12px;padding:12px;border-radius:8px;font-weight:600;
background:#FDECEA;color:#7A1111;border-left:6px solid #B3261E}
dl{margin:0 0 12px;background:#f4f5f7;border-radius:8px;padding:4px 12px}
dl div{display:flex;justify-content:space-between;align-items:baseline;gap:12px;
padding:6px 0;border-top:1px solid #e2e4e8}
dl div:first-child{border-top:0}
dt{color:#3d3d3d}
dd{margin:0;font-weight:700;font-size:1.1rem;text-align:right;overflow-wrap:anywhere}
.expiry{margin:0;color:#333}
.till{text-align:center;border-top:6px solid var(--brand)}
.qr svg{width:min(70vw,240px);height:auto;display:block;margin:8px auto;background:#fff}
.code{font:700 1.5rem/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
letter-spacing:.06em;margin:8px 0 0;overflow-wrap:anywhere}
.where p{margin:0;white-space:pre-line;overflow-wrap:anywhere}
ol{list-style:none;margin:0;padding:0}
li{padding:8px 0;border-top:1px solid #e2e4e8}
li:first-child{border-top:0}
li time{display:block;font-size:.85rem;color:#4a4a4a}
.private{font-size:.9rem;color:#4a4a4a;margin:0 0 16px}
footer{max-width:32rem;margin:0 auto;padding:0 16px 24px}
footer a{color:#0B4F94;padding:8px 4px;display:inline-block}
footer a[aria-current]{font-weight:700;color:#1a1a1a;text-decoration:none}
a:focus-visible{outline:3px solid #0B4F94;outline-offset:2px}
"""


def _head(title: str, lang: Lang, nonce: str, colour: str) -> str:
    colour = brand_colour(colour)
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="robots" content="noindex, nofollow">'
            '<meta name="referrer" content="no-referrer">'
            f"<title>{e(title)}</title>"
            f'<style nonce="{e(nonce)}">:root{{--brand:{colour};--ink:{ink_on(colour)}}}'
            f"{STYLE}</style></head><body>")


def _languages(lang: Lang) -> str:
    links = []
    for code in LANGS:
        current = ' aria-current="page"' if code == lang else ""
        links.append(f'<a href="?lang={code}" hreflang="{code}" lang="{code}"{current}>'
                     f"{LANG_NAMES[code]}</a>")
    return (f'<footer><nav aria-label="{t("language", lang)}">'
            + " · ".join(links) + "</nav></footer>")


def _brand(brand: schemas.Branding) -> str:
    logo = ""
    if logo_origin(brand.logo_url):
        logo = f'<img src="{e(brand.logo_url or "")}" alt="" referrerpolicy="no-referrer">'
    return f'<header class="brand">{logo}<p>{e(brand.display_name)}</p></header>'


_SIZE = re.compile(r'<svg ([^>]*?)width="(\d+)" height="(\d+)"')


def _qr(code: str, lang: Lang) -> str:
    """The QR as inline SVG that scales with the screen (a viewBox for its drawing)."""
    svg = _SIZE.sub(r'<svg \1viewBox="0 0 \2 \3" width="\2" height="\3"',
                    qr_codes.qr_svg(code), count=1)
    label = e(TEXT["qr"][lang])
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    return svg.replace("<title>Gift code</title>", f"<title>{label}</title>", 1)


def _history(page: Page, lang: Lang) -> str:
    items = []
    for ev in page.history:
        what = EVENTS.get(ev.type, {}).get(lang, ev.type)
        line = f"{e(what)} {e(money(ev.amount, page.currency, lang))}"
        if ev.type not in ("held", "released", "voided"):
            line += " · " + t("after", lang,
                              balance=money(ev.balance_after, page.currency, lang))
        if ev.location:
            line += f" · {e(ev.location)}"
        items.append(f'<li><time datetime="{e(ev.at)}">{e(stamp(ev.at, page.timezone, lang))}'
                     f"</time>{line}</li>")
    return (f'<section class="card" aria-labelledby="h-history"><h2 id="h-history">'
            f'{t("history", lang)}</h2><ol>{"".join(items)}</ol></section>')


def render(page: Page, lang: Lang, nonce: str) -> str:
    """The page in `lang`. The code and its QR only while the gift can be used."""
    m = lambda n: money(n, page.currency, lang)  # noqa: E731
    last = day(last_day(page.expires_at, page.timezone), lang)
    usable = page.status == "active" and page.balance > 0
    title = t("title", lang, partner=page.brand.display_name)
    parts = [_head(title, lang, nonce, page.brand.colour or DEFAULT_COLOUR),
             _brand(page.brand), "<main>",
             '<section class="card" aria-labelledby="h-gift">',
             f'<h1 id="h-gift">{t("heading", lang, amount=m(page.amount))}</h1>']
    if usable:
        parts.append(f'<p class="state">{t("active", lang)}</p>')
    else:
        parts.append(f'<p class="notice" role="status">{t(page.status, lang, day=last)}</p>')
    figures = [("amount", page.amount), ("balance", page.balance),
               ("available", page.available)]
    if page.status == "voided":  # its balance went back to the partner: none is left
        figures = [("amount", page.amount), ("available", 0)]
    parts.append("<dl>" + "".join(f"<div><dt>{t(name, lang)}</dt><dd>{e(m(value))}</dd></div>"
                                  for name, value in figures) + "</dl>")
    if usable and page.available < page.balance:
        parts.append(f'<p class="expiry">{t("held", lang)}</p>')
    if usable:
        zone = ZONES.get(page.timezone, {}).get(lang, page.timezone)
        parts.append(f'<p class="expiry">{t("valid", lang, day=last, zone=zone)}</p>')
    parts.append("</section>")
    if usable:
        parts.append(
            f'<section class="card till" aria-labelledby="h-till"><h2 id="h-till">'
            f'{t("till", lang)}</h2><div class="qr">{_qr(page.code, lang)}</div>'
            f'<p class="code" aria-label="{t("code", lang)}">{e(page.code)}</p></section>'
            f'<p class="private">{t("private", lang)}</p>')
    if page.where_to_use:
        parts.append(f'<section class="card where" aria-labelledby="h-where">'
                     f'<h2 id="h-where">{t("where", lang)}</h2>'
                     f"<p>{e(page.where_to_use)}</p></section>")
    parts.append(_history(page, lang))
    parts.append("</main>")
    parts.append(_languages(lang))
    parts.append("</body></html>")
    return "".join(parts)


def not_found(lang: Lang, nonce: str) -> str:
    return "".join([
        _head(TEXT["missing_title"][lang], lang, nonce, DEFAULT_COLOUR),
        '<main><section class="card" aria-labelledby="h-missing">',
        f'<h1 id="h-missing">{t("missing_title", lang)}</h1>',
        f'<p>{t("missing", lang)}</p></section></main>', _languages(lang),
        "</body></html>"])


def policy(nonce: str, brand: schemas.Branding | None) -> str:
    """The page's CSP: nothing runs; its one style block by nonce; no image but the
    partner's logo, from its origin (the QR is inline SVG markup); no form, no frame."""
    origin = logo_origin(brand.logo_url) if brand is not None else None
    images = origin or "'none'"
    return (f"default-src 'none'; style-src 'nonce-{nonce}'; img-src {images}; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
