"""The local outbox: where every message goes on a local stack (`make run`, or
DELIVERY_OUTBOX=1) instead of SES, SNS or Zalo, so nothing leaves the machine and a
newcomer sees each email rendered, each SMS and ZNS payload, with its status, at
`GET /v1/dev/outbox`.

Kept in the `outreach` table (on the local emulator) rather than in memory: the
sender and the API may run in different threads or processes of a local stack, and
one table is what both see. Entries expire after OUTBOX_DAYS (TTL). Never used on a
deployed stage (`outreach.channels` checks the setting; the route refuses)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import msgspec

from chalicelib.core.clock import iso, now
from chalicelib.outreach import messages
from chalicelib.store import keys
from chalicelib.store.records import OutreachModel

OUTBOX_DAYS = 7
PAGE = 200


def put(partner_id: str, message: messages.Message, status: str = "sent",
        reason: str | None = None) -> messages.Sent:
    """The message, as it would have been sent; its provider id starts `outbox-`."""
    at = now()
    provider_id = f"outbox-{secrets.token_hex(8)}"
    OutreachModel(keys.OUTBOX, f"{iso(at)}#{provider_id}", partner_id=partner_id,
                  data={"message": msgspec.to_builtins(message), "status": status,
                        "provider_id": provider_id},
                  reason=reason, created_at=iso(at),
                  expires_at=at + timedelta(days=OUTBOX_DAYS)).save()
    return messages.Sent(provider_id=provider_id)


def entries(limit: int = PAGE) -> list[dict[str, Any]]:
    """The newest first: {at, partner_id, status, reason, provider_id, message}."""
    out = []
    for item in OutreachModel.query(keys.OUTBOX, scan_index_forward=False, limit=limit):
        data = item.data or {}
        out.append({"at": item.created_at, "partner_id": item.partner_id,
                    "status": data.get("status"), "reason": item.reason,
                    "provider_id": data.get("provider_id"),
                    "message": msgspec.convert(data.get("message"), messages.Message)})
    return out
