"""Identifiers: every id's prefix and how a new one is drawn, in one place.

An id is `<prefix>_<body>`: the prefix says what it names (a partner reading a log
tells a gift from a hold at a glance), and a path value with the wrong prefix is
refused before any read (`edge.http.check_path_values`). Random ids draw their body
here; batch and event ids are derived (from the request and from the stream record)
and use the same alphabet.
"""

from __future__ import annotations

import secrets

ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"  # random ids here, derived ids in batches

PARTNER = "ptn"
API_KEY = "key"
CAMPAIGN = "cmp"
GIFT = "gft"
GIFT_EVENT = "gev"
REDEMPTION = "red"
HOLD = "hld"
REVERSAL = "rev"
SPIN = "spn"
BATCH = "bat"
EXPORT = "exp"
EVENT = "evt"
ENDPOINT = "whe"
DELIVERY = "whd"  # a webhook delivery
GIFT_DELIVERY = "dlv"  # a message carrying a gift to its recipient
ERASURE = "era"

PATH_PREFIXES = {"partner_id": PARTNER, "key_id": API_KEY, "campaign_id": CAMPAIGN,
                 "batch_id": BATCH, "gift_id": GIFT, "spin_id": SPIN,
                 "redemption_id": REDEMPTION, "hold_id": HOLD, "export_id": EXPORT,
                 "event_id": EVENT, "endpoint_id": ENDPOINT,
                 "delivery_id": GIFT_DELIVERY}
"""Path parameter -> the prefix its ids carry."""


def new_id(prefix: str, length: int = 22) -> str:
    """Opaque id with a readable prefix; ~113 bits, so ids are also unguessable."""
    return f"{prefix}_" + "".join(secrets.choice(ID_ALPHABET) for _ in range(length))
