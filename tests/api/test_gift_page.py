"""The gift link and the hosted gift page (issue 25), through HTTP: every gift answer
and gift event carries `gift_url`; the page shows an active, a partly used, a voided
and an expired gift as it should, in Vietnamese or English, with its headers; a
rotation revokes the old link; partner text is escaped."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest

from chalicelib.core import codes, vault
from tests.helpers import assert_problem, ok

HOSTILE = {"display_name": '<script>alert(1)</script>"\'&Cafe',
           "logo_url": "https://cdn.example.com/logo.png?a=1&b=2",
           "colour": "#FFD400"}


def path_of(url: str) -> str:
    return urlsplit(url).path


def page(api: Any, gift: dict, lang: str | None = None) -> Any:
    query = f"?lang={lang}" if lang else ""
    return api.call("GET", path_of(gift["gift_url"]) + query)


def text(response: Any) -> str:
    return response.body.decode()


class _Tags(HTMLParser):
    """The tags, attributes and text of a page, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(response: Any) -> _Tags:
    tags = _Tags()
    tags.feed(text(response))
    return tags


def rotate(api: Any, key: str, code: str, idem: str | None = None) -> Any:
    return api.call("POST", f"/v1/gifts/{code}/link-rotations", key=key,
                    idem=idem or str(uuid.uuid4()))


# ------------------------------------------------------------------ gift_url


def test_every_gift_answer_carries_the_same_link_which_never_holds_the_code(
        api, partner, wheel_campaign):
    key = partner["key"]
    issued = ok(api.issue(key, wheel_campaign["id"], 40_000), 201)
    url, code = issued["gift_url"], issued["code"]
    assert url.startswith("http://127.0.0.1:8000/g/")
    assert codes.normalize(code) not in url and code not in url

    got = ok(api.call("GET", f"/v1/gifts/{code}", key=key))
    listed = ok(api.call("GET", f"/v1/campaigns/{wheel_campaign['id']}/gifts", key=key))
    redeemed = ok(api.redeem(key, code, amount=1_000))
    held = ok(api.call("POST", f"/v1/gifts/{code}/holds", {"amount": 1_000}, key=key,
                       idem=str(uuid.uuid4())), 201)
    batch = ok(api.post_batch(key, wheel_campaign["id"], [{"amount": 1_000}]), 201)
    batch_gifts = ok(api.call("GET", f"/v1/gift-batches/{batch['id']}/gifts", key=key))

    assert got["gift_url"] == url
    assert [g["gift_url"] for g in listed["data"] if g["id"] == issued["id"]] == [url]
    assert redeemed["gift"]["gift_url"] == url
    assert held["gift"]["gift_url"] == url
    assert batch_gifts["data"][0]["gift_url"].startswith("http://127.0.0.1:8000/g/")
    assert batch_gifts["data"][0]["gift_url"] != url

    always = api.wheel_campaign(key, {"segments": [
        {"id": "win", "label": "Win", "weight": 1, "prize": {"amount": 5_000}},
        {"id": "none", "label": "None", "weight": 0, "prize": None}],
        "fallback_segment_id": "none"})
    token = api.player_token(key, always["id"], "player-link")
    won = ok(api.spin(token, idem=str(uuid.uuid4())), 201)["gift"]
    assert won["gift_url"].startswith("http://127.0.0.1:8000/g/")
    mine = ok(api.call("GET", "/v1/play/gifts", headers={"Authorization": f"Bearer {token}"}))
    assert mine["data"][0]["gift_url"] == won["gift_url"]


def test_a_voided_gifts_answer_keeps_its_link(api, partner, campaign):
    issued = ok(api.issue(partner["key"], campaign["id"]), 201)
    voided = ok(api.call("POST", f"/v1/gifts/{issued['code']}/void", {}, key=partner["key"],
                         idem=str(uuid.uuid4())))
    assert voided["gift_url"] == issued["gift_url"]


def test_the_links_base_is_the_configured_public_address(api, partner, campaign, monkeypatch):
    from chalicelib.core import config

    monkeypatch.setenv("GIFT_PAGE_BASE_URL", "https://gifts.example.vn/api/")
    config.reset()
    issued = ok(api.issue(partner["key"], campaign["id"]), 201)
    assert re.fullmatch(r"https://gifts\.example\.vn/api/g/[A-Za-z0-9_-]{40,120}",
                        issued["gift_url"])


def test_gift_events_carry_the_link(api, partner, campaign):
    from chalicelib.delivery import events
    from chalicelib.store.models import GiftModel

    issued = ok(api.issue(partner["key"], campaign["id"]), 201)
    key = vault.code_hash(codes.normalize(issued["code"]))
    before = GiftModel.get(key, consistent_read=True)
    ok(api.redeem(partner["key"], issued["code"], amount=1_000))
    after = GiftModel.get(key, consistent_read=True)
    arn = f"arn:aws:dynamodb:us-east-1:1:table/{GiftModel.Meta.table_name}/stream/x"
    made = events.from_records([
        {"eventName": "INSERT", "eventSourceARN": arn,
         "dynamodb": {"NewImage": before.serialize()}},
        {"eventName": "MODIFY", "eventSourceARN": arn,
         "dynamodb": {"OldImage": before.serialize(), "NewImage": after.serialize()}}])
    assert [(ev.type, ev.data["gift_url"]) for ev in made] == [
        ("gift.issued", issued["gift_url"]), ("gift.redeemed", issued["gift_url"])]
    assert issued["code"] not in str([ev.data for ev in made])


# ------------------------------------------------------------------ rotation


def test_a_rotation_gives_a_new_link_and_the_old_one_answers_404(api, partner, campaign):
    key = partner["key"]
    issued = ok(api.issue(key, campaign["id"]), 201)
    assert page(api, issued).status_code == 200
    idem = str(uuid.uuid4())

    rotated = ok(rotate(api, key, issued["code"], idem))

    assert rotated["gift_url"] != issued["gift_url"]
    assert {k: v for k, v in rotated.items() if k != "gift_url"} == {
        k: v for k, v in issued.items() if k != "gift_url"}
    old = page(api, issued)
    assert old.status_code == 404 and "text/html" in old.headers["Content-Type"]
    assert page(api, rotated).status_code == 200
    assert ok(api.call("GET", f"/v1/gifts/{issued['code']}", key=key))["gift_url"] == \
        rotated["gift_url"]
    # the same key replays the same answer; it does not rotate again
    again = rotate(api, key, issued["code"], idem)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json_body["gift_url"] == rotated["gift_url"]
    assert page(api, rotated).status_code == 200


def test_after_a_rotation_a_warm_redeem_answers_the_new_link(api, partner, campaign):
    key = partner["key"]
    issued = ok(api.issue(key, campaign["id"]), 201)
    ok(api.redeem(key, issued["code"], amount=1_000))  # the gift is now cached
    rotated = ok(rotate(api, key, issued["code"]))
    redeemed = ok(api.redeem(key, issued["code"], amount=1_000))
    assert redeemed["gift"]["gift_url"] == rotated["gift_url"]
    assert redeemed["gift"]["balance"] == issued["amount"] - 2_000


def test_a_rotation_needs_the_issuing_scope_and_an_idempotency_key(api, partner, campaign):
    issued = ok(api.issue(partner["key"], campaign["id"]), 201)
    till = api.partner("Till only", scopes=["gifts:redeem"])
    assert_problem(rotate(api, till["key"], issued["code"]), 403, "insufficient_scope")
    assert_problem(api.call("POST", f"/v1/gifts/{issued['code']}/link-rotations",
                            key=partner["key"]), 400, "idempotency_key_required")


def test_another_partners_key_cannot_rotate_a_gift(api, two_partners):
    a, b, _campaign, gift = two_partners
    assert_problem(rotate(api, b["key"], gift["code"]), 404, "not_found")
    assert page(api, gift).status_code == 200


# ------------------------------------------------------------------ the page


def test_an_active_gift_shows_amounts_expiry_code_qr_and_history(api, partner, campaign):
    ok(api.call("PATCH", f"/v1/campaigns/{campaign['id']}", {"delivery": {
        "channels": [], "where_to_use": "Mọi cửa hàng Acme\nToàn quốc"}}, key=partner["key"]))
    issued = ok(api.issue(partner["key"], campaign["id"], amount=200_000), 201)

    r = page(api, issued)

    assert r.status_code == 200
    body = text(r)
    assert r.headers["Content-Language"] == "vi" and '<html lang="vi">' in body
    assert "Quà tặng 200.000\u00a0₫" in body and "Có thể sử dụng" in body
    assert issued["code"] in body and "<svg" in body and 'role="img"' in body
    assert "Mọi cửa hàng Acme\nToàn quốc" in body
    assert "Hạn dùng đến hết ngày" in body and "Nhận quà" in body
    tags = parsed(r)
    assert not [t for t, _ in tags.tags if t in ("script", "iframe", "form", "link")]


def test_a_partly_used_gift_shows_its_balance_and_each_use(api, partner, campaign):
    issued = ok(api.issue(partner["key"], campaign["id"], amount=200_000), 201)
    ok(api.redeem(partner["key"], issued["code"], amount=50_000, location="Quận 1"))

    body = text(page(api, issued, "en"))

    assert "₫200,000" in body and "₫150,000" in body
    assert "Used ₫50,000" in body and "Quận 1" in body and "₫150,000 left" in body
    assert issued["code"] in body and "<svg" in body


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_voided_gift_says_so_and_shows_no_code_or_qr(api, partner, campaign, lang):
    issued = ok(api.issue(partner["key"], campaign["id"]), 201)
    ok(api.call("POST", f"/v1/gifts/{issued['code']}/void", {}, key=partner["key"],
                idem=str(uuid.uuid4())))

    r = page(api, issued, lang)

    assert r.status_code == 200
    body = text(r)
    said = {"vi": "Quà tặng này đã bị huỷ", "en": "This gift has been cancelled"}[lang]
    assert said in body
    assert "<svg" not in body and issued["code"] not in body
    assert issued["code"].split("-")[0] not in body


def test_an_expired_gift_says_so_and_shows_no_code_or_qr(api, partner, campaign, later):
    issued = ok(api.issue(partner["key"], campaign["id"]), 201)
    later(timedelta(days=campaign["gift_expiry_days"] + 2))

    body = text(page(api, issued, "en"))

    assert "has expired" in body and "was valid through" in body
    assert "<svg" not in body and issued["code"] not in body


def test_the_expiry_is_the_last_local_day_of_the_campaign(api, partner):
    c = api.campaign(partner["key"], gift_expiry_days=30, timezone="Asia/Ho_Chi_Minh")
    issued = ok(api.issue(partner["key"], c["id"]), 201)
    from datetime import datetime
    from zoneinfo import ZoneInfo

    last = (datetime.fromisoformat(issued["expires_at"].replace("Z", "+00:00"))
            .astimezone(ZoneInfo("Asia/Ho_Chi_Minh")) - timedelta(seconds=1)).date()
    vi, en = text(page(api, issued, "vi")), text(page(api, issued, "en"))
    assert f"Hạn dùng đến hết ngày {last:%d/%m/%Y} (giờ Việt Nam)" in vi
    assert f"Valid through {last.day} {last:%b %Y} (until 23:59, Vietnam time)" in en
    bangkok = api.campaign(partner["key"], timezone="Asia/Bangkok")
    other = ok(api.issue(partner["key"], bangkok["id"]), 201)
    assert "(until 23:59, Asia/Bangkok time)" in text(page(api, other, "en"))


def test_the_language_defaults_to_the_campaigns_and_follows_lang(api, partner):
    c = api.campaign(partner["key"])
    ok(api.call("PATCH", f"/v1/campaigns/{c['id']}", {"delivery": {"locale": "en"}},
                key=partner["key"]))
    issued = ok(api.issue(partner["key"], c["id"]), 201)
    assert "Ready to use" in text(page(api, issued))
    vi = page(api, issued, "vi")
    assert "Có thể sử dụng" in text(vi) and vi.headers["Content-Language"] == "vi"
    assert "Ready to use" in text(page(api, issued, "fr"))  # unknown: the default


def test_the_page_headers_keep_it_private_and_run_nothing(api, partner, campaign):
    issued = ok(api.issue(partner["key"], campaign["id"]), 201)
    for r in (page(api, issued), api.call("GET", "/g/" + "A" * 60)):
        assert r.headers["Content-Type"].startswith("text/html")
        assert r.headers["Cache-Control"] == "no-store"
        assert r.headers["X-Robots-Tag"] == "noindex, nofollow"
        assert r.headers["Referrer-Policy"] == "no-referrer"
        csp = r.headers["Content-Security-Policy"]
        assert "script-src" not in csp and "default-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
        assert f'<style nonce="{nonce}">' in text(r)


@pytest.mark.parametrize("token", [
    "A" * 60, "short", "x" * 121, "AQJsMa" + "-" * 60, "é" * 40])
def test_a_wrong_token_is_a_404_page_without_a_read(api, dynamodb_faults, token):
    calls = len(dynamodb_faults.calls)
    r = api.call("GET", f"/g/{token}")
    assert r.status_code == 404
    assert "Không tìm thấy quà tặng" in text(r)
    assert dynamodb_faults.calls[calls:] == []


@pytest.mark.parametrize("value", ["%00" * 20, "%F4%82%96%9B%C2%9E%06%C2%BD%3E", "x" * 300])
def test_a_path_value_no_link_could_hold_is_a_404_page_before_any_read(api, dynamodb_faults,
                                                                       value):
    calls = len(dynamodb_faults.calls)
    r = api.call("GET", "/g/" + value)
    assert r.status_code == 404 and r.headers["Content-Type"].startswith("text/html")
    assert "Không tìm thấy quà tặng" in text(r)
    assert dynamodb_faults.calls[calls:] == []


def test_any_changed_character_of_a_link_is_a_404(api, partner, campaign):
    issued = ok(api.issue(partner["key"], campaign["id"]), 201)
    token = path_of(issued["gift_url"]).removeprefix("/g/")
    for i in range(0, len(token), 7):
        swapped = token[:i] + ("B" if token[i] != "B" else "C") + token[i + 1:]
        assert api.call("GET", f"/g/{swapped}").status_code == 404, i


def test_hostile_branding_is_escaped_and_its_colour_kept_readable(api, partner, campaign):
    ok(api.call("PUT", "/v1/delivery/branding", HOSTILE, key=partner["key"]))
    ok(api.call("PATCH", f"/v1/campaigns/{campaign['id']}", {"delivery": {
        "where_to_use": "<img src=x onerror=alert(3)>"}}, key=partner["key"]))
    issued = ok(api.issue(partner["key"], campaign["id"]), 201)
    ok(api.redeem(partner["key"], issued["code"], amount=1_000,
                  location="</li><script>alert(4)</script>"))

    r = page(api, issued)

    body = text(r)
    tags = parsed(r)
    assert [t for t, _ in tags.tags if t == "script"] == []
    assert not [t for t, a in tags.tags if any(k.startswith("on") for k in a)]
    assert HOSTILE["display_name"] in "".join(tags.text)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    # the logo's address stays one attribute value, from its own origin only
    assert [a["src"] for t, a in tags.tags if t == "img"] == [HOSTILE["logo_url"]]
    assert "img-src https://cdn.example.com;" in r.headers["Content-Security-Policy"]
    # a yellow brand gets black text on it
    assert "--brand:#FFD400;--ink:#000000" in body


def test_a_logo_is_shown_from_its_own_origin_only(api, partner, campaign):
    ok(api.call("PUT", "/v1/delivery/branding", {
        "display_name": "Acme", "logo_url": "https://cdn.acme.vn/l.png?v=2",
        "colour": "#0A2A66"}, key=partner["key"]))
    issued = ok(api.issue(partner["key"], campaign["id"]), 201)
    r = page(api, issued)
    assert [a["src"] for t, a in parsed(r).tags if t == "img"] == [
        "https://cdn.acme.vn/l.png?v=2"]
    assert "img-src https://cdn.acme.vn;" in r.headers["Content-Security-Policy"]
    assert "--brand:#0A2A66;--ink:#FFFFFF" in text(r)


# ------------------------------------------------------------------ branding


def test_branding_is_set_and_read_back_with_campaigns_write(api, partner):
    key = partner["key"]
    assert ok(api.call("GET", "/v1/delivery/branding", key=key)) == {
        "display_name": "Acme Coffee", "logo_url": None, "colour": None}
    body = {"display_name": "Acme Cà phê", "logo_url": "https://cdn.acme.vn/l.png",
            "colour": "#123456"}
    assert ok(api.call("PUT", "/v1/delivery/branding", body, key=key)) == body
    assert ok(api.call("GET", "/v1/delivery/branding", key=key)) == body
    reader = api.partner("Reader", scopes=["gifts:redeem"])
    assert_problem(api.call("PUT", "/v1/delivery/branding", body, key=reader["key"]),
                   403, "insufficient_scope")


@pytest.mark.parametrize("bad", [{"display_name": ""}, {"display_name": "A", "colour": "red"},
                                 {"display_name": "A", "logo_url": "http://x.vn/l.png"},
                                 {"display_name": "A", "logo_url": 'https://x.vn/"><b>'},
                                 {"display_name": "A\u0000B"},
                                 {"display_name": "A", "extra": 1}])
def test_branding_that_cannot_be_shown_is_refused(api, partner, bad):
    assert_problem(api.call("PUT", "/v1/delivery/branding", bad, key=partner["key"]),
                   422, "validation_error")
