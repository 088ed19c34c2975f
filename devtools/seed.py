"""Idempotent demo data for `make run`: a partner, an all-scopes API key, a live campaign.

Everything is created through the domain functions (the same code paths the API
uses), never by raw table writes, so the demo data is exactly what a partner gets.
An API key's secret is shown once, so the demo ids and key are kept in
`<state dir>/demo.json`; a later run reuses them while they still work against
the current tables (with the emulator the tables are fresh each run, so it seeds
again), and replaces only what is gone.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

import msgspec

PARTNER_NAME = "Demo Coffee"
CAMPAIGN_NAME = "Demo Tet 2027"

# The wheel of API.md's example.
DEMO_WHEEL = {
    "segments": [
        {"id": "big", "label": "100.000đ voucher", "weight": 1, "prize": {"amount": 100000},
         "inventory": 10,
         "labels": {"vi": "Voucher 100.000đ", "en": "100,000đ voucher"}},
        {"id": "small", "label": "20.000đ voucher", "weight": 20, "prize": {"amount": 20000},
         "labels": {"vi": "Voucher 20.000đ", "en": "20,000đ voucher"}},
        {"id": "none", "label": "Chúc may mắn lần sau", "weight": 79, "prize": None,
         "labels": {"vi": "Chúc may mắn lần sau", "en": "Better luck next time"}},
    ],
    "fallback_segment_id": "none",
    "limits": {"spins_per_player": 10, "spins_per_player_per_day": 3},
}


@dataclass
class Demo:
    partner_id: str
    key_id: str
    key: str
    campaign_id: str
    table_prefix: str = ""
    endpoint: str = ""


def _load(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _save(path: Path, demo: Demo) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(asdict(demo), f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def _partner_exists(partner_id: str) -> bool:
    from chalicelib.store.models import PartnerModel

    try:
        PartnerModel.get(partner_id)
    except PartnerModel.DoesNotExist:
        return False
    return True


def _key_works(key: str, partner_id: str) -> bool:
    """The saved key still authenticates for the partner and holds every scope (a
    key made before a scope was added, such as `players:read`, is replaced)."""
    from chalicelib import schemas
    from chalicelib.access import auth
    from chalicelib.core import errors

    try:
        principal = auth.authenticate_api_key(key)
    except errors.DomainError:
        return False
    return principal.partner_id == partner_id and principal.scopes >= set(schemas.SCOPES)


def _campaign_live(partner_id: str, campaign_id: str, now: datetime) -> bool:
    from chalicelib.core import errors
    from chalicelib.money import campaigns

    try:
        c = campaigns.get(partner_id, campaign_id)
    except errors.DomainError:
        return False
    return campaigns.effective_status(c, now) == "active"


def campaign_body(now: datetime) -> dict:
    return {"name": CAMPAIGN_NAME, "currency": "VND", "budget": 10_000_000,
            "starts_at": now - timedelta(minutes=1), "ends_at": now + timedelta(days=60),
            "gift_expiry_days": 30, "wheel": DEMO_WHEEL}


def seed(state_file: Path, now: datetime) -> tuple[Demo, bool]:
    """Return the demo data and whether all of it was reused from `state_file`."""
    from chalicelib import schemas
    from chalicelib.access import auth
    from chalicelib.core.config import settings
    from chalicelib.money import campaigns

    cfg = settings()
    saved = _load(state_file) or {}
    partner_id = saved.get("partner_id")
    key_id, key = saved.get("key_id"), saved.get("key")
    campaign_id = saved.get("campaign_id")
    reused = True

    if not (isinstance(partner_id, str) and _partner_exists(partner_id)):
        partner_id = auth.create_partner(PARTNER_NAME, now).id
        key = campaign_id = None
        reused = False
    if not (isinstance(key, str) and isinstance(key_id, str) and _key_works(key, partner_id)):
        record, key = auth.create_api_key(partner_id, None, "demo", now)
        key_id = record.id
        reused = False
    if not (isinstance(campaign_id, str) and _campaign_live(partner_id, campaign_id, now)):
        body = msgspec.convert(campaign_body(now), schemas.CampaignCreate)
        campaign_id = campaigns.create(partner_id, body, now).id
        reused = False

    demo = Demo(partner_id=partner_id, key_id=key_id, key=key, campaign_id=campaign_id,
                table_prefix=cfg.table_prefix, endpoint=cfg.dynamodb_endpoint or "")
    if not reused or saved != asdict(demo):
        _save(state_file, demo)
    return demo, reused
