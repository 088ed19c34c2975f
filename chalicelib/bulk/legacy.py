"""Personal data stored before issue 21, sealed in one pass the operator runs once.

Why: items written before this version keep what is now sealed in clear until
their next write, and many never have one (a gift never redeemed, a spin record).
`POST /v1/admin/migrations/personal-data` runs one turn of this pass (at most
TURN_SECONDS, under API Gateway's 29 s) and answers where it is; the operator's
command (`devtools/migrate_personal_data.py`) calls it until it is done. It runs in
the stack because only the stack's functions may unwrap the data key (the key
policy lets an operator wrap a key, not unwrap one). A Scan, so outside every
request of a partner, paged, and resumable: the checkpoint (phase, the last key
handled) is one item, advanced on the condition that it is still where this turn
started, so two operators' turns never skip or repeat a page's writes.

What it migrates, in order (`PHASES`):
1. `gifts`: a recipient in clear (`recipient`) is sealed and indexed as a new gift's
   is (`recipients.migrate`), on the condition that it is still in clear and the
   gift's version (`seq`) unchanged: a redeem or void meanwhile (which seals it
   itself) wins, and no write of this pass touches an amount or balance.
2. `batch_rows`: a batch's input rows stored in clear (`items`) are sealed
   (`rows`), on the condition that they are still in clear.
3. `spins`: a spin record of a campaign made before issue 21 holds the player id and
   the client seed in clear. The id goes to an item of its own under the keyed hash
   the campaign's new spins would use (`spins.identity_keys`), sealed, and the spin names
   it by that key and keeps only the player's own seed, as a new spin does, in one
   transaction conditioned on the spin still holding that id. An erasure by player
   id then reaches these spins (`spins.erase_player`).

What it does not migrate, and why:
- the counters item of an old campaign's player and the player link of their won
  gifts are keyed by the id in clear (`campaign#player`). The old campaign's spins
  and the player's own gift list look them up by that key; moving them means
  switching the campaign's keying while a spin with the old terms cached may still
  write the old key, which would reset that player's limits. They stay until the
  campaign's data expires; an erasure unlinks the gifts (as for new campaigns) but
  leaves the counters' key.
- a spin whose client seed is not in the v2 form (`len:player:seed`) cannot be
  rebuilt from a sealed id and its seed: it is counted (`kept_v1`) and left.
- spins an old campaign records after the pass (it keeps writing that shape): run
  the pass again once such campaigns end.
- events (30 days), idempotency answers (24 hours) and exports (7 days) made before
  this version expire on their own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from msgspec import Struct
from pynamodb.exceptions import DoesNotExist, PutError, UpdateError
from pynamodb.models import Model

from chalicelib import schemas
from chalicelib.core import fair_draw, vault
from chalicelib.core.cache import Cache
from chalicelib.core.clock import iso
from chalicelib.core.clock import now as utcnow
from chalicelib.money import recipients
from chalicelib.play import spins
from chalicelib.store.models import CampaignModel, GiftModel, PlayerModel, SpinModel
from chalicelib.store.records import BatchModel, RecipientRecordModel
from chalicelib.store.retry import condition_failed
from chalicelib.store.transactions import Cancelled, Txn

CHECKPOINT = "migration#personal-data-v1"
PHASES = ("gifts", "batch_rows", "spins")
TURN_SECONDS = 20.0
PAGE = 100  # items per Scan page
COUNTS = ("gifts_sealed", "batch_chunks_sealed", "spins_sealed", "kept_v1", "skipped")


class Progress(Struct):
    phase: str = PHASES[0]  # or "done"
    after: dict[str, Any] | None = None  # the Scan's key to resume after
    counts: dict[str, int] = {}
    started_at: str = ""
    finished_at: str | None = None


# ------------------------------------------------------------------ checkpoint


def _load() -> tuple[Progress, bool]:
    try:
        item = RecipientRecordModel.get(CHECKPOINT, consistent_read=True)
    except DoesNotExist:
        return Progress(counts=dict.fromkeys(COUNTS, 0), started_at=iso(utcnow())), False
    raw = dict(item.progress or {})
    return Progress(phase=raw.get("phase", PHASES[0]), after=raw.get("after"),
                    counts={k: int(raw.get("counts", {}).get(k, 0)) for k in COUNTS},
                    started_at=raw.get("started_at", ""),
                    finished_at=raw.get("finished_at")), True


def _as_json(p: Progress) -> dict[str, Any]:
    return {"phase": p.phase, "after": p.after, "counts": p.counts,
            "started_at": p.started_at, "finished_at": p.finished_at}


def _save(before: Progress, stored: bool, after: Progress) -> bool:
    """Advance the checkpoint from `before`; False if another turn moved it first."""
    item = RecipientRecordModel(pk=CHECKPOINT, kind="migration", partner_id="-",
                                created_at=after.started_at, progress=_as_json(after))
    m = RecipientRecordModel
    condition = (m.progress == _as_json(before)) if stored else m.pk.does_not_exist()
    try:
        item.save(condition=condition)
    except PutError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


# ------------------------------------------------------------------ one turn


def run_turn(seconds: float = TURN_SECONDS) -> schemas.MigrationProgress:
    """Migrate for up to `seconds` from the checkpoint, then store where it stopped."""
    deadline = time.monotonic() + seconds
    before, stored = _load()
    progress = Progress(phase=before.phase, after=before.after, counts=dict(before.counts),
                        started_at=before.started_at, finished_at=before.finished_at)
    while progress.phase != "done" and time.monotonic() < deadline:
        scan = _SCANS[progress.phase]
        last = _page(progress, scan, deadline)
        progress.after = last
        if last is None:  # the phase's table is done
            nxt = PHASES.index(progress.phase) + 1
            progress.phase = PHASES[nxt] if nxt < len(PHASES) else "done"
            if progress.phase == "done":
                progress.finished_at = iso(utcnow())
    if not _save(before, stored, progress):
        progress, _ = _load()  # another turn got there first: its writes stand
    return schemas.MigrationProgress(
        phase=progress.phase, done=progress.phase == "done",
        counts=schemas.MigrationCounts(**progress.counts), started_at=progress.started_at,
        finished_at=progress.finished_at)


class _Scan(Struct, frozen=True):
    model: type[Model]
    filter: Any
    handle: Any  # (item, counts) -> None


def _page(progress: Progress, scan: _Scan, deadline: float) -> dict[str, Any] | None:
    """Handle the phase's items from its checkpoint until the deadline or a full
    page; the key to resume after (None: the table is done)."""
    result = scan.model.scan(filter_condition=scan.filter, page_size=PAGE,
                             last_evaluated_key=progress.after, consistent_read=True)
    items: Iterator[Any] = iter(result)
    for handled, item in enumerate(items, 1):
        scan.handle(item, progress.counts)
        if handled >= PAGE or time.monotonic() >= deadline:
            return result.last_evaluated_key or None
    return None


# ------------------------------------------------------------------ gifts


def _gift(g: GiftModel, counts: dict[str, int]) -> None:
    if not g.recipient or recipients.sealed(g):
        return
    seq = g.seq
    actions = recipients.migrate(g)
    if not actions:
        return
    condition = GiftModel.recipient.exists() & GiftModel.rcp.does_not_exist() \
        & GiftModel.rc.does_not_exist()
    condition &= (GiftModel.seq == seq) if seq is not None else GiftModel.seq.does_not_exist()
    try:
        GiftModel(code_hash=g.code_hash).update(actions=actions, condition=condition)
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        counts["skipped"] += 1  # written meanwhile: its own write sealed it
        return
    counts["gifts_sealed"] += 1


def _chunk(chunk: BatchModel, counts: dict[str, int]) -> None:
    if not chunk.part.startswith("chunk#") or not chunk.items or chunk.rows:
        return
    sealed = recipients.seal_rows(chunk.id, chunk.part, list(chunk.items))
    try:
        BatchModel(id=chunk.id, part=chunk.part).update(
            actions=[BatchModel.rows.set(sealed), BatchModel.items.remove()],
            condition=BatchModel.items.exists() & BatchModel.rows.does_not_exist())
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        counts["skipped"] += 1
        return
    counts["batch_chunks_sealed"] += 1


# ------------------------------------------------------------------ spins


_old_campaigns: Cache[str, bool] = Cache("legacy.old_campaigns", 5000)


def _is_old(campaign_id: str) -> bool:
    """A campaign made before issue 21 (its players keyed by their id in clear)."""
    old = _old_campaigns.get(campaign_id)
    if old is None:
        try:
            old = CampaignModel.get(campaign_id).pkid is None
        except DoesNotExist:
            old = False
        _old_campaigns.put(campaign_id, old)
    return old


def own_seed(player_id: str, client_seed: str, pick: int | None) -> str | None:
    """The player's own seed inside a v2 client seed (None if it is not one, or names
    another player or pick): what a migrated spin keeps, rebuilt exactly."""
    prefix = fair_draw.client_seed_for(player_id, "", pick)
    if not client_seed.startswith(prefix):
        return None
    seed = client_seed[len(prefix):]
    return seed if fair_draw.client_seed_for(player_id, seed, pick) == client_seed else None


def _spin(s: SpinModel, counts: dict[str, int]) -> None:
    if not s.player_id or s.player_key or not _is_old(s.campaign_id):
        return
    pick = None if s.pick is None else int(s.pick)
    seed = own_seed(s.player_id, s.client_seed or "", pick)
    if seed is None:
        counts["kept_v1"] += 1
        return
    home = spins.identity_keys(s.campaign_id, s.player_id)[0]
    txn = Txn()
    # never on an identity erased since (its spins counted, its id gone): the id
    # would come back for the spins migrated before the erasure
    txn.update("identity", PlayerModel(pk=home),
               [PlayerModel.pid.set(PlayerModel.pid | vault.seal(s.player_id, home)),
                PlayerModel.spins.add(1)],
               condition=PlayerModel.pid.exists() | PlayerModel.pk.does_not_exist())
    txn.update("spin", SpinModel(shard_key=s.shard_key, sort_key=s.sort_key),
               [SpinModel.player_key.set(home), SpinModel.seed.set(seed),
                SpinModel.player_id.remove(), SpinModel.client_seed.remove()],
               condition=(SpinModel.player_id == s.player_id)
               & SpinModel.player_key.does_not_exist())
    try:
        txn.commit()
    except Cancelled:
        counts["skipped"] += 1
        return
    counts["spins_sealed"] += 1


_SCANS = {
    "gifts": _Scan(GiftModel, GiftModel.recipient.exists(), _gift),
    "batch_rows": _Scan(BatchModel, BatchModel.items.exists(), _chunk),
    "spins": _Scan(SpinModel, SpinModel.player_id.exists(), _spin),
}
