"""The HTML this package serves: the unsubscribe page an email links to, and the
local outbox. Server-rendered, no script, every value escaped."""

from __future__ import annotations

import html
import json
from typing import Any

PAGE_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
"""Inline styles, a form posted to itself, images in previewed emails; no script."""

_STYLE = ("body{font-family:system-ui,Arial,sans-serif;max-width:640px;margin:2rem auto;"
          "padding:0 1rem;color:#222;line-height:1.5}button{font-size:1rem;padding:.6rem 1.2rem;"
          "border-radius:6px;border:1px solid #c8102e;background:#c8102e;color:#fff}"
          "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;"
          "padding:.4rem;text-align:left;vertical-align:top}pre{white-space:pre-wrap;"
          "background:#f6f6f6;padding:.5rem;margin:0}iframe{width:100%;height:540px;"
          "border:1px solid #ddd}.st{font-weight:bold}")


def _page(title: str, body: str, lang: str = "vi", width: str = "640px") -> str:
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            '<meta name="robots" content="noindex">'
            f"<title>{html.escape(title)}</title><style>{_STYLE}"
            f"body{{max-width:{width}}}</style></head>"
            f"<body>{body}</body></html>")


def unsubscribe_form(partner_name: str, action: str) -> str:
    """Asks before acting: mail scanners follow every link with a GET, so only the
    POST (the button, or a mail client's RFC 8058 one-click) unsubscribes."""
    p = html.escape(partner_name)
    return _page("Hủy nhận email / Unsubscribe", (
        f"<h1>Hủy nhận email từ {p}</h1>"
        f"<p>Bạn sẽ không nhận thêm email quà tặng từ {p}.</p>"
        f'<form method="post" action="{html.escape(action, quote=True)}">'
        '<button type="submit">Hủy nhận / Unsubscribe</button></form>'
        f'<p lang="en">You will no longer receive gift emails from {p}.</p>'))


def unsubscribed(partner_name: str) -> str:
    p = html.escape(partner_name)
    return _page("Đã hủy nhận / Unsubscribed", (
        f"<h1>Đã hủy nhận email từ {p}</h1>"
        "<p>Quà bạn đã nhận vẫn dùng được như bình thường.</p>"
        f'<p lang="en">You are unsubscribed from {p}\'s emails. Gifts you already have '
        "still work.</p>"))


def outbox(entries: list[dict[str, Any]]) -> str:
    """Every message the local stack 'sent', newest first: an email as its rendered
    HTML (in a sandboxed frame: it runs nothing), an SMS as its text with its size,
    a ZNS message as the JSON Zalo would have received."""
    from chalicelib.core import message_text

    rows = []
    for e in entries:
        m = e["message"]
        if m.channel == "email":
            shown = (f"<p><b>Subject:</b> {html.escape(m.subject or '')}</p>"
                     f'<iframe sandbox="" title="email to {html.escape(m.to)}" '
                     f'srcdoc="{html.escape(m.html or "", quote=True)}"></iframe>'
                     f"<details><summary>Plain text</summary><pre>{html.escape(m.text)}"
                     "</pre></details>")
        elif m.channel == "sms":
            size = message_text.sms_size(m.text)
            shown = (f"<pre>{html.escape(m.text)}</pre><p>{size.encoding}, {size.length} "
                     f"characters, {size.segments} segment(s)</p>")
        else:
            payload = {"phone": m.to, "template_id": m.zalo_template_id,
                       "template_data": m.zalo_params or {}}
            shown = f"<pre>{html.escape(json.dumps(payload, ensure_ascii=False, indent=2))}</pre>"
        status = html.escape(str(e["status"]) + (f" ({e['reason']})" if e.get("reason") else ""))
        rows.append(f"<tr><td>{html.escape(str(e['at']))}<br>{html.escape(str(e['partner_id']))}"
                    f"</td><td>{html.escape(m.channel)}<br>{html.escape(m.to)}</td>"
                    f'<td class="st">{status}</td><td>{shown}</td></tr>')
    table = ("<table><thead><tr><th>When, partner</th><th>Channel, to</th><th>Status</th>"
             "<th>Message</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
             if rows else "<p>No message yet. Issue a gift with a recipient's phone or "
                          "email in a campaign whose delivery settings enable a channel.</p>")
    return _page("Local outbox", (
        "<h1>Local outbox</h1><p>On this local stack nothing leaves the machine: every "
        f"email, SMS and Zalo message lands here ({len(entries)} shown, newest first).</p>"
        + table), lang="en", width="1200px")
