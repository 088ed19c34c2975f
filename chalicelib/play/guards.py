"""Fraud controls of the play endpoints, per campaign (`play_limits`, the deny list).

Why at the game layer: the partner mints player ids, so limits per player alone let
one device or one address play as thousands of players. A campaign may cap plays per
minute per player, per device (`Rewards-Device-Id`, a random id the widget keeps)
and per client address (API Gateway's source IP), and prizes per device; the partner
keeps a deny list of player ids and devices. A refusal is 429 `rate_limited` (with
Retry-After: the next minute) or 403 `play_blocked` (`reason`: `blocklist`,
`wins_cap`) and changes nothing of the play: no spin, no budget, no counters.

How, and what it costs (items in `rate-limits`, see `GuardModel`):

- Velocity: one item per (campaign, player | device | address, minute), a fixed
  window. It rides in the play's own TransactWriteItems as a conditional ADD
  (`n < limit`), so a play over the limit cancels the whole play and nothing is
  written, and a play under it is counted atomically with the spin: 2 write units
  per enabled limit per play, on a key of its own (no key per campaign is hot: a
  device making 10 plays a minute writes its own item 10 times).
- Wins per device: one item per (campaign, device); a win ADDs to it under `n <
  cap`, any other play checks it (ConditionCheck) in the same transaction: 2 write
  units per play on the device's key.
- Deny list: one item per (campaign, player) or (campaign, device), read before the
  play with one BatchGetItem (eventually consistent: 0.5 read unit per key, at most
  2 keys), remembered per Lambda for DENY_HINT_SECONDS: a new entry stops plays
  within that time, as a revoked API key does.
- Refusals are counted per shard (`pb#<campaign>#NN`, the shard the play was
  charged to): one UpdateItem (1 write unit) per refused play, outside any
  transaction; the report reads the N items in one BatchGetItem.

Personal data: an address is never stored; its minute window is keyed by an HMAC
of it under the stage's current signing key (so the key cannot be brute-forced back
over the IPv4 space); players' windows likewise. Device ids are random, so the
long-lived items (wins, deny list) key them by plain SHA-256, which a key rotation
cannot reset.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from msgspec import Struct
from pynamodb.exceptions import UpdateError

from chalicelib.core import errors, vault
from chalicelib.core.cache import Cache
from chalicelib.core.clock import iso
from chalicelib.core.config import secrets
from chalicelib.money import campaigns
from chalicelib.store.models import GuardModel
from chalicelib.store.transactions import Cancelled, Txn

log = logging.getLogger("rewards.guards")
DEVICE_HEADER = "Rewards-Device-Id"
MAX_DEVICE_ID = 128
DENY_HINT_SECONDS = 30.0
DENY_HINT_ENTRIES = 50_000
WINDOW_SECONDS = 60
WINS_KEEP_SECONDS = 400 * 86_400  # past any campaign (3650-day expiry is of gifts)

VELOCITY = "velocity"
BLOCKLIST = "blocklist"
WINS_CAP = "wins_cap"
REASONS = (VELOCITY, BLOCKLIST, WINS_CAP)
_COUNTER = {VELOCITY: GuardModel.bv, BLOCKLIST: GuardModel.bb, WINS_CAP: GuardModel.bw}

_LABEL = "guard:"  # + p | d | a (velocity), w (wins): the transaction labels
_LIMIT_OF = {"p": "per_player_per_minute", "d": "per_device_per_minute",
             "a": "per_address_per_minute"}

_denied: Cache[str, bool] = Cache("guards.denied", DENY_HINT_ENTRIES, ttl=DENY_HINT_SECONDS)


class Caller(Struct, frozen=True):
    """Who is playing, beyond the player token: the device the widget names and the
    address the request came from (either may be unknown)."""

    device: str | None = None
    address: str | None = None


def caller(headers: dict[str, str], address: str | None) -> Caller:
    """A device id longer than MAX_DEVICE_ID or with control characters is ignored as
    absent rather than refused: the limits per address still apply."""
    device = (headers.get(DEVICE_HEADER.lower()) or "").strip()
    ok = 0 < len(device) <= MAX_DEVICE_ID and device.isprintable()
    return Caller(device if ok else None, address or None)


# ------------------------------------------------------------------- keys


def _keyed(kind: str, campaign_id: str, value: str) -> str:
    keys = secrets().signing_keys
    secret = next(iter(keys.values()), "").encode()
    message = f"play-guard\x00{campaign_id}\x00{kind}\x00{value}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


DENY_PURPOSE = "deny-player"


def device_hash(device: str) -> str:
    return hashlib.sha256(device.encode()).hexdigest()[:32]


def deny_keys(campaign_id: str, entry: str) -> list[str]:
    """Where `entry` (as the blocklist path names it: a player id, or `device:<id>`)
    may be stored, the key to write first. A player id is often a phone number, so
    it is keyed by a keyed hash (`vault.keyed_hash`), under every configured lookup
    key: an entry made before a key rotation is still found and lifted."""
    if entry.startswith("device:"):
        return [f"deny#{campaign_id}#d#{device_hash(entry.removeprefix('device:'))}"]
    return [f"deny#{campaign_id}#p#{h}"
            for h in vault.keyed_hashes(DENY_PURPOSE, f"{campaign_id}\x00{entry}")]


def deny_key(campaign_id: str, entry: str) -> str:
    return deny_keys(campaign_id, entry)[0]


def _at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _window(now: datetime) -> int:
    return int(now.timestamp()) // WINDOW_SECONDS


def retry_after(now: datetime) -> int:
    """Seconds to the next window, never 0."""
    return max(1, WINDOW_SECONDS - int(now.timestamp()) % WINDOW_SECONDS)


# ----------------------------------------------------------------- checks


def check_denied(terms: campaigns.Terms, player_id: str, who: Caller, shard: str,
                 now: datetime) -> None:
    """Refuse a player or device on the deny list (403, reason `blocklist`)."""
    keys = deny_keys(terms.id, player_id)
    if who.device is not None:
        keys += deny_keys(terms.id, f"device:{who.device}")
    unknown = [k for k in keys if _denied.get(k) is None]
    if unknown:
        found = {item.pk for item in GuardModel.batch_get(unknown)}
        for k in unknown:
            _denied.put(k, k in found)
    if any(_denied.get(k) for k in keys):
        count_blocked(terms.id, shard, BLOCKLIST)
        raise errors.PlayBlocked("The campaign's deny list holds this player or device",
                                 extra={"reason": BLOCKLIST})


def add_to_txn(txn: Txn, terms: campaigns.Terms, player_id: str, who: Caller, win: bool,
               now: datetime) -> None:
    """The play's guard items, in its own transaction (see the module docstring)."""
    limits = terms.play_limits
    window = _window(now)
    values = {"p": player_id, "d": who.device, "a": who.address}
    for kind, name in _LIMIT_OF.items():
        limit, value = limits.get(name), values[kind]
        if limit is None or value is None:
            continue
        g = GuardModel
        txn.update(_LABEL + kind, GuardModel(
            pk=f"pv#{terms.id}#{kind}#{_keyed(kind, terms.id, value)}#{window}"),
            [g.n.add(1), g.expires_at.set(_at((window + 3) * WINDOW_SECONDS))],
            condition=g.n.does_not_exist() | (g.n < int(limit)))
    cap = limits.get("wins_per_device")
    if cap is not None and who.device is not None:
        g = GuardModel
        pk = f"pw#{terms.id}#{device_hash(who.device)}"
        under = g.n.does_not_exist() | (g.n < int(cap))
        if win:
            txn.update(_LABEL + "w", GuardModel(pk=pk), [
                g.n.add(1), g.expires_at.set(now + timedelta(seconds=WINS_KEEP_SECONDS))],
                condition=under)
        else:
            txn.check(_LABEL + "w", GuardModel, pk, under)


def refuse_if_guarded(cancelled: Cancelled, terms: campaigns.Terms, shard: str,
                      now: datetime) -> None:
    """A cancelled play whose guard item refused it: count it and raise the refusal.
    Nothing of the play was written (the whole transaction was cancelled)."""
    failed = {label.removeprefix(_LABEL) for label in cancelled.failed
              if label.startswith(_LABEL)}
    if not failed:
        return
    if "w" in failed:
        count_blocked(terms.id, shard, WINS_CAP)
        raise errors.PlayBlocked("This device has won all the prizes the campaign allows "
                                 "one device", extra={"reason": WINS_CAP})
    count_blocked(terms.id, shard, VELOCITY)
    which = sorted({"p": "player", "d": "device", "a": "address"}[k] for k in failed)
    raise errors.RateLimited(
        f"Too many plays from this {' and '.join(which)} this minute; try again later",
        headers={"Retry-After": str(retry_after(now))},
        extra={"reason": VELOCITY, "limit": which[0]})


# ------------------------------------------------------------ bookkeeping


def count_blocked(campaign_id: str, shard: str, reason: str) -> None:
    """One refused play, on the shard's own row; best effort, so a refusal is never
    turned into a 503 by its own bookkeeping."""
    suffix = shard.rsplit("#", 1)[-1]
    try:
        GuardModel(pk=f"pb#{campaign_id}#{suffix}").update(
            actions=[_COUNTER[reason].add(1)])
    except UpdateError:
        log.warning("could not count a blocked play of %s (%s)", campaign_id, reason)


def blocked_counts(campaign_id: str, shard_keys: Iterable[str]) -> dict[str, int]:
    """Refused plays by reason, summed over the campaign's shards (one BatchGetItem)."""
    keys = [f"pb#{campaign_id}#{k.rsplit('#', 1)[-1]}" for k in shard_keys]
    totals = dict.fromkeys(REASONS, 0)
    for item in GuardModel.batch_get(keys, consistent_read=True):
        totals[VELOCITY] += int(item.bv or 0)
        totals[BLOCKLIST] += int(item.bb or 0)
        totals[WINS_CAP] += int(item.bw or 0)
    return totals


def deny(partner_id: str, campaign_id: str, entry: str, now: datetime) -> dict[str, Any]:
    campaigns.get(partner_id, campaign_id)
    _check_entry(entry)
    GuardModel(pk=deny_key(campaign_id, entry), added_at=iso(now)).save()
    _denied.put(deny_key(campaign_id, entry), True)
    return {"campaign_id": campaign_id, "entry": entry, "blocked": True, "added_at": iso(now)}


def allow(partner_id: str, campaign_id: str, entry: str) -> None:
    campaigns.get(partner_id, campaign_id)
    _check_entry(entry)
    for key in deny_keys(campaign_id, entry):
        GuardModel(pk=key).delete()
        _denied.put(key, False)


def _check_entry(entry: str) -> None:
    bare = entry.removeprefix("device:")
    limit = MAX_DEVICE_ID if entry.startswith("device:") else 128
    if not bare or len(bare) > limit or not bare.isprintable():
        raise errors.field_error("entry", "a player id, or device:<device id>, of printable "
                                          f"characters (at most {limit})")
