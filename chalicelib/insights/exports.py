"""Exports of a campaign of any size: the draw log, its gifts, its results, as CSV.

No call holds a whole campaign. `POST .../exports` writes the export's header and
a `pending` marker (the pattern of `batches`) and asks the worker (the batch
queue's consumer; the sweeper finds what a lost message left). Each step of the
worker reads the next rows in time order, merging the campaign's shards (one lazy
Query per shard, k-way merged: every shard is read once, not once per page),
until it holds one S3 multipart part (5 MB, S3's minimum), uploads it, then
stores its resumable cursor (the sort value written up to, the same for every
shard: each shard resumes with `> cursor`) on the header, conditioned on the
cursor it started from. A crash or a second worker repeats at most one part
(same number, same rows; the part list is read back from S3 at completion).
Rows are those stamped before the export was asked for (`as_of`), so the file is
one consistent cut of a growing log.

Deployed, the file is downloaded from S3 with a presigned URL (bucket in
infra/tables.yaml: encrypted, private, deleted after 7 days); under `make run`
and in tests it lives in moto's S3 and the API serves it (`/v1/exports/{id}/file`).

Player ids are masked (`zal*******567`, and inside the client seed; the one rule of
`core.masking`, as in the spins list) unless the export is made with `unmask=true`,
which, like reading such an export, needs a key holding `players:read`
(`auth.sees_players`, checked by the routes); an inspector checking every draw with
the published verifier needs the unmasked client seeds.

An unmasked file holds player ids in clear, so it is never stored so: its rows are
sealed in frames (`SEALED`) under a key of its own, kept sealed under the stage's
data key on the header (`vault.new_envelope`). A dump of the bucket (or a leaked
presigned URL) shows ciphertext; the partner downloads it through the API, which
opens the frames and answers the plain CSV, `SERVE_BYTES` of it per response (a
larger file continues at the `Link: rel="next"` the answer carries: deployed, a
Lambda answer is at most 6 MB). A masked file holds nothing personal (masked ids,
the partner's own references) and stays a plain object with a presigned URL.
"""

from __future__ import annotations

import contextlib
import csv
import heapq
import io
import logging
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from msgspec import Struct
from pynamodb.exceptions import UpdateError
from pynamodb.expressions.update import Action

from chalicelib import schemas
from chalicelib.core import errors, ids, masking, vault
from chalicelib.core.clock import iso, parse_iso
from chalicelib.core.clock import now as utcnow
from chalicelib.core.config import settings
from chalicelib.core.ids import new_id
from chalicelib.core.spreadsheet import spreadsheet_cell
from chalicelib.insights import lucky_draw
from chalicelib.money import campaigns, gifts
from chalicelib.play import spins
from chalicelib.store import jobs
from chalicelib.store.jobs import PENDING
from chalicelib.store.keys import shard_keys
from chalicelib.store.models import CampaignModel, GiftModel, SpinModel
from chalicelib.store.paging import chunks
from chalicelib.store.records import ExportModel
from chalicelib.store.retry import condition_failed

log = logging.getLogger("rewards.exports")

HEADER = "header"
PART_BYTES = 5 * 1024 * 1024  # S3's minimum part size (but the last)
PAGE = 1000  # items per shard Query page
KEEP_DAYS = 7  # the header's TTL and the bucket's lifecycle rule
URL_SECONDS = 3600
KINDS = ("draw_log", "gifts", "results")
FRAME_CHARS = 128 * 1024
"""Characters of CSV per sealed frame (at most 512 KiB of UTF-8): frames end on a row,
so every frame opens into whole rows."""
SERVE_BYTES = 2 * 1024 * 1024
"""Plain CSV one download answer carries at most (but one frame), past which it links
the next: a deployed Lambda answers at most 6 MB, and JSON escapes non-ASCII text."""
READ_BYTES = SERVE_BYTES + 4 * FRAME_CHARS + 64 * 1024
"""One ranged GET of a sealed file: enough for SERVE_BYTES and the frame that ends it."""

DRAW_LOG_COLUMNS = ("spun_at_local", "spun_at_utc", "spin_id", "player_id",
                    "drawn_segment_id", "awarded_segment_id", "fallback", "prize_value",
                    "gift_id", "client_seed", "nonce", "roll", "total_weight", "pick",
                    "erased")
"""`pick`: the envelope an envelope game's player opened (empty for other games);
`erased`: 1 when the player's id was erased on request (player and client seed
empty: the roll can no longer be recomputed, fair_draw)."""
GIFT_COLUMNS = ("gift_id", "issued_at_local", "issued_at_utc", "amount", "balance",
                "redeemed_amount", "status", "expires_at", "player_id", "spin_id",
                "batch_id", "batch_index", "reference")
RESULT_COLUMNS = ("segment_id", "label", "value", "awarded_count", "awarded_value",
                  "claimed_count", "claimed_value", "unclaimed_value")


# ------------------------------------------------------------------- storage


def bucket() -> str:
    return settings().exports_bucket or f"{settings().table_prefix}-exports"


def deployed() -> bool:
    """A bucket named by the stack: presigned URLs; else moto's S3 served by the API."""
    return settings().exports_bucket is not None


_client: Any = None
_bucket_ready: set[str] = set()


def s3() -> Any:
    global _client
    import boto3  # provided by the Lambda runtime; imported only when exporting

    endpoint = settings().s3_endpoint or (None if deployed()
                                                 else settings().dynamodb_endpoint)
    if _client is None or getattr(_client, "_rewards_endpoint", "") != endpoint:
        _client = boto3.client("s3", region_name=settings().region, endpoint_url=endpoint)
        _client._rewards_endpoint = endpoint
    name = bucket()
    if not deployed() and name not in _bucket_ready:  # moto: make the bucket on first use
        with contextlib.suppress(_client.exceptions.BucketAlreadyOwnedByYou):
            _client.create_bucket(Bucket=name, **_location(settings().region))
        _bucket_ready.add(name)
    return _client


def _location(region: str) -> dict[str, Any]:
    """S3 refuses a CreateBucket without a LocationConstraint anywhere but
    us-east-1 (IllegalLocationConstraintException), and refuses one naming
    us-east-1: the local stack in Singapore needs the first, in Virginia the second."""
    if region == "us-east-1":
        return {}
    return {"CreateBucketConfiguration": {"LocationConstraint": region}}


def reset() -> None:
    global _client
    _client = None
    _bucket_ready.clear()


def _header(export_id: str) -> ExportModel | None:
    try:
        return ExportModel.get(export_id, HEADER, consistent_read=True)
    except ExportModel.DoesNotExist:
        return None


def get(partner_id: str, export_id: str) -> ExportModel:
    """Another partner's export is as missing as one that never existed (the id's
    shape was checked with every path value, by http.check_path_values)."""
    h = _header(export_id)
    if h is None or h.partner_id != partner_id:
        raise errors.NotFound(f"No export {export_id}")
    return h


def to_out(h: ExportModel, base_url: str = "") -> schemas.Export:
    url = None
    if h.status == "completed":
        if h.dek:  # sealed: only the API opens it
            url = f"{base_url}/v1/exports/{h.id}/file"
        elif deployed():
            url = s3().generate_presigned_url(
                "get_object", Params={"Bucket": bucket(), "Key": h.s3_key},
                ExpiresIn=URL_SECONDS)
        else:
            url = f"{base_url}/v1/exports/{h.id}/file"
    return schemas.Export(id=h.id, campaign_id=h.campaign_id, kind=h.kind,
                          status=cast(schemas.ExportStatus, h.status),
                          rows=int(h.rows or 0), unmasked=bool(h.unmask),
                          created_at=h.created_at, completed_at=h.completed_at,
                          download_url=url, error=h.error)


# ------------------------------------------------------------------ creating


def create(partner_id: str, campaign_id: str, kind: str, unmask: bool,
           now: datetime) -> ExportModel:
    c = campaigns.get(partner_id, campaign_id)
    if kind == "results" and campaigns.effective_status(c, now) != "ended":
        raise errors.CampaignNotEnded("The results can be exported once the campaign ends")
    if kind in ("draw_log", "results") and not c.wheel:
        raise errors.CampaignHasNoWheel(f"Campaign {campaign_id} was created without a wheel")
    export_id = new_id(ids.EXPORT)
    at = iso(now)
    dek = vault.new_envelope(_bound(export_id))[1] if unmask else None
    h = ExportModel(id=export_id, part=HEADER, partner_id=partner_id, campaign_id=c.id,
                    kind=kind, status="queued", unmask=1 if unmask else 0, created_at=at,
                    as_of=at, rows=0, parts=[], dek=dek,
                    s3_key=f"exports/{partner_id}/{c.id}/{export_id}-{kind}.csv",
                    expires_at=now + timedelta(days=KEEP_DAYS))
    h.save(condition=ExportModel.id.does_not_exist())
    ExportModel(id=PENDING, part=export_id, partner_id=partner_id, created_at=at,
                expires_at=now + timedelta(days=KEEP_DAYS)).save()
    jobs.enqueue(JOB, export_id)
    return h


# ------------------------------------------------------------------- rows


PLAYERS_READ = 100  # rows whose players are read in one BatchGetItem


def _with_players(rows: Iterator[Any]) -> Iterator[tuple[Any, dict[str, str]]]:
    """Each spin or gift with the ids of the players of its group of rows: a player
    id is kept on the player's item only (`spins.player_ids`)."""
    for group in chunks(rows, PLAYERS_READ):
        known = spins.player_ids([r.player_key for r in group if r.player_key])
        for row in group:
            yield row, known


def _merged(fetch: Callable[[str, str | None], Iterator[Any]], keys: list[str],
            sort_value: Callable[[Any], str], after: str | None, before: str
            ) -> Iterator[Any]:
    """Items of every shard after `after` and before `before`, in one order: a k-way
    merge of lazy per-shard Queries."""
    before = before + "$"  # "$" sorts after "#": items of the as_of second are in

    def shard(key: str) -> Iterator[Any]:
        for item in fetch(key, after):
            if sort_value(item) >= before:
                return
            yield item

    return heapq.merge(*(shard(k) for k in keys), key=sort_value)


def _draw_log(h: ExportModel, c: CampaignModel, after: str | None
              ) -> Iterator[tuple[str, list[Any]]]:
    zone = ZoneInfo(c.timezone)

    def fetch(key: str, cursor: str | None) -> Iterator[SpinModel]:
        return iter(SpinModel.query(key, SpinModel.sort_key > cursor if cursor else None,
                                    page_size=PAGE, consistent_read=True))

    merged = _merged(fetch, shard_keys(c.id, int(c.shards)), lambda s: s.sort_key,
                     after, h.as_of)
    for s, known in _with_players(merged):  # the spin names its gift by id: no code
        player, seed = spins.spin_player(s, known)
        erased = player is None or seed is None  # on request
        if player is None or seed is None:
            player, seed = "", ""
        elif not h.unmask:
            player, seed = masking.player_id(player), masking.client_seed(seed, player)
        yield s.sort_key, [
            parse_iso(s.spun_at).astimezone(zone).isoformat(), s.spun_at, s.id, player,
            s.drawn_segment_id, s.segment_id, int(s.fallback or 0),
            int(s.prize_amount or 0), s.gift_id or "", seed,
            int(s.nonce), int(s.roll), int(s.total_weight),
            "" if s.pick is None else int(s.pick), 1 if erased else 0]


def _gifts(h: ExportModel, c: CampaignModel, after: str | None
           ) -> Iterator[tuple[str, list[Any]]]:
    zone = ZoneInfo(c.timezone)
    now = parse_iso(h.as_of)

    def fetch(key: str, cursor: str | None) -> Iterator[GiftModel]:
        entries = GiftModel.by_shard.query(  # keys only: the gifts read 100 at a time
            key, GiftModel.issued_key > cursor if cursor else None, page_size=PAGE)
        for some in chunks(entries, 100):
            yield from gifts.fill(some)

    merged = _merged(fetch, shard_keys(c.id, int(c.shards)), lambda g: g.issued_key,
                     after, h.as_of)
    for g, known in _with_players(merged):
        if c.pkid:  # players keyed by a keyed hash: the id is on the player's item
            player = known.get(g.player_key or "", "")
        else:
            player = (g.player_key or "").partition("#")[2]
        if player and not h.unmask:
            player = masking.player_id(player)
        status = gifts.status_of(g, now)
        redeemed = 0 if g.status == "voided" else int(g.amount) - int(g.balance)
        yield g.issued_key, [
            g.id, parse_iso(g.issued_at).astimezone(zone).isoformat(), g.issued_at,
            int(g.amount), int(g.balance), redeemed, status, g.expires_at, player,
            g.spin_id or "", g.batch_id or "",
            "" if g.batch_index is None else int(g.batch_index), g.reference or ""]


def _results(h: ExportModel, c: CampaignModel, after: str | None
             ) -> Iterator[tuple[str, list[Any]]]:
    r = lucky_draw.results(h.partner_id, c.id, parse_iso(h.as_of))
    lines = [[p.segment_id, p.label, p.value, p.awarded.count, p.awarded.amount,
              p.claimed.count, p.claimed.amount, p.unclaimed_value] for p in r.prizes]
    lines.append(["total", "", "", r.awarded.count, r.awarded.amount, r.claimed.count,
                  r.claimed.amount, r.unclaimed_value])
    lines.append(["state_budget_due", "", "", "", "", "", "", r.state_budget_due])
    for i, line in enumerate(lines):
        key = f"{i:06d}"
        if after is None or key > after:
            yield key, line


PRODUCERS = {"draw_log": (_draw_log, DRAW_LOG_COLUMNS), "gifts": (_gifts, GIFT_COLUMNS),
             "results": (_results, RESULT_COLUMNS)}


# ------------------------------------------------------------------- steps


def _start(h: ExportModel) -> ExportModel | None:
    """Open the multipart upload once (a second worker adopts the first's; None if
    the header is gone meanwhile)."""
    client = s3()
    upload = client.create_multipart_upload(Bucket=bucket(), Key=h.s3_key,
                                            ContentType="text/csv; charset=utf-8")
    try:
        h.update([ExportModel.upload_id.set(upload["UploadId"]),
                  ExportModel.status.set("running")],
                 condition=ExportModel.upload_id.does_not_exist())
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        client.abort_multipart_upload(Bucket=bucket(), Key=h.s3_key,
                                      UploadId=upload["UploadId"])
        return _header(h.id)
    return h


class _Part(Struct, frozen=True):
    """One step's CSV: rows until PART_BYTES (S3's minimum part size) is reached, so
    a step stays seconds long; the export resumes after `cursor`, the sort value of
    its last row, unless the rows ran out (`finished`). `frames`: the CSV in pieces
    of whole rows (FRAME_CHARS each), the unit a sealed file is sealed in."""

    frames: list[bytes]
    rows: int
    cursor: str | None
    finished: bool

    @property
    def data(self) -> bytes:
        return b"".join(self.frames)


def step(export_id: str) -> ExportModel | None:
    """Write one part (or finish). Returns the header as it now is."""
    h = _header(export_id)
    if h is None or h.status in ("completed", "failed"):
        return h
    if not h.upload_id:
        h = _start(h)
        if h is None:
            return None
    c = CampaignModel.get(h.campaign_id, consistent_read=True)
    number = len(h.parts or []) + 1
    part = _next_part(h, c, number)
    client = s3()
    actions: list[Action] = []
    data = _sealed_part(h, part) if h.dek else part.data
    if data:
        actions += _upload_part(client, h, number, part, data)
    if part.finished:
        _complete_upload(client, h, number)
        actions += [ExportModel.status.set("completed"),
                    ExportModel.completed_at.set(iso(utcnow()))]
    # Conditioned on the cursor this step started from: of two workers on one
    # part, only the first records it.
    condition = (ExportModel.cursor == h.cursor) if h.cursor is not None \
        else ExportModel.cursor.does_not_exist()
    try:
        h.update(actions, condition=condition & (ExportModel.status != "completed"))
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
        return _header(export_id)  # another worker wrote this part first
    if part.finished:
        ExportModel(id=PENDING, part=export_id).delete()
    return h


def _next_part(h: ExportModel, c: CampaignModel, number: int) -> _Part:
    """The rows after the header's cursor, as CSV, up to one part's size."""
    produce, columns = PRODUCERS[h.kind]
    frames: list[bytes] = []
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    if number == 1:
        text.write("\ufeff")  # so a spreadsheet reads the file as UTF-8 (Vietnamese)
        writer.writerow(columns)
    rows, cursor, finished, written = 0, h.cursor, True, 0
    for sort_value, line in produce(h, c, h.cursor):
        writer.writerow([spreadsheet_cell(v) if isinstance(v, str) else v for v in line])
        rows += 1
        cursor = sort_value
        if text.tell() >= FRAME_CHARS:
            written += text.tell()
            frames.append(text.getvalue().encode())
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
        if written + text.tell() >= PART_BYTES:
            finished = False
            break
    if text.tell():
        frames.append(text.getvalue().encode())
    return _Part(frames=frames, rows=rows, cursor=cursor, finished=finished)


def _bound(export_id: str) -> str:
    """What an export's file key is sealed to: this export (a key copied to another
    header does not open)."""
    return f"export\x00{export_id}"


ROWS, END = "rows", "end"


def _frame_bound(export_id: str, offset: int, kind: str) -> bytes:
    """A frame is bound to its export, its place in the file and its kind: a frame
    moved, dropped or replayed from another file does not open, and the END frame
    (empty, last) shows that nothing was cut off the file's tail."""
    return f"export-frame\x00{export_id}\x00{offset}\x00{kind}".encode()


def _sealed_part(h: ExportModel, part: _Part) -> bytes:
    """SEALED: the part's frames, each sealed under the export's own key at its place
    in the file (the header's `bytes`: what earlier parts stored), and after the
    last rows the END frame. A part written again (a crash, a second worker) is
    sealed again at the same offsets."""
    key = vault.open_envelope(h.dek, _bound(h.id))
    offset = int(h.bytes or 0)
    out = []
    for frame in part.frames:
        sealed = vault.seal_frame(key, frame, _frame_bound(h.id, offset, ROWS))
        out.append(sealed)
        offset += len(sealed)
    if part.finished:
        out.append(vault.seal_frame(key, b"", _frame_bound(h.id, offset, END)))
    return b"".join(out)


SEALED = "frames of `len | nonce | AES-GCM(rows) | tag`, then an empty END frame"


def _upload_part(client: Any, h: ExportModel, number: int, part: _Part, data: bytes
                 ) -> list[Action]:
    """Upload the part; return the header's updates that record it."""
    etag = client.upload_part(Bucket=bucket(), Key=h.s3_key, UploadId=h.upload_id,
                              PartNumber=number, Body=data)["ETag"]
    actions: list[Action] = [ExportModel.parts.set([*(h.parts or []), [number, etag]]),
                             ExportModel.rows.set(int(h.rows or 0) + part.rows),
                             ExportModel.bytes.set(int(h.bytes or 0) + len(data))]
    if part.cursor is not None:
        actions.append(ExportModel.cursor.set(part.cursor))
    return actions


def _complete_upload(client: Any, h: ExportModel, number: int) -> None:
    """Complete the upload with the parts as S3 lists them (a part written twice is
    there once, as last written), none past `number`, the last part of the file."""
    listed = client.list_parts(Bucket=bucket(), Key=h.s3_key, UploadId=h.upload_id,
                               MaxParts=1000)
    parts = [{"PartNumber": p["PartNumber"], "ETag": p["ETag"]}
             for p in listed.get("Parts", []) if p["PartNumber"] <= max(1, number)]
    while listed.get("IsTruncated"):
        listed = client.list_parts(Bucket=bucket(), Key=h.s3_key, UploadId=h.upload_id,
                                   MaxParts=1000,
                                   PartNumberMarker=listed["NextPartNumberMarker"])
        parts += [{"PartNumber": p["PartNumber"], "ETag": p["ETag"]}
                  for p in listed.get("Parts", []) if p["PartNumber"] <= number]
    client.complete_multipart_upload(Bucket=bucket(), Key=h.s3_key, UploadId=h.upload_id,
                                     MultipartUpload={"Parts": parts})


MAX_FAILURES = 5


def _failed_step(export_id: str, exc: Exception) -> None:
    """Count a step that raised; after MAX_FAILURES the export is `failed` (its upload
    aborted, its marker dropped) instead of being retried for ever."""
    try:
        h = _header(export_id)
        if h is None:
            return
        h.update([ExportModel.failures.add(1),
                  ExportModel.error.set(f"{type(exc).__name__} (attempt "
                                        f"{int(h.failures or 0) + 1} of {MAX_FAILURES})")])
        if int(h.failures) < MAX_FAILURES:
            return
        h.update([ExportModel.status.set("failed")],
                 condition=ExportModel.status != "completed")
        if h.upload_id:
            s3().abort_multipart_upload(Bucket=bucket(), Key=h.s3_key, UploadId=h.upload_id)
        ExportModel(id=PENDING, part=export_id).delete()
    except Exception:  # noqa: BLE001 - the step's own error is the one to report
        log.exception("export %s: could not record a failed step", export_id)


def process(export_id: str, deadline: float | None = None) -> ExportModel | None:
    """Steps until done or past the deadline (a step is one part: seconds)."""
    while True:
        try:
            h = step(export_id)
        except Exception as exc:
            _failed_step(export_id, exc)
            raise
        if h is None or h.status in ("completed", "failed"):
            return h
        if deadline is not None and time.monotonic() >= deadline:
            return h


JOB = jobs.Job(field="export_id", model=ExportModel, process=process,
               finished=lambda h: h.status in ("completed", "failed"))
"""Exports share the batch queue and its worker (`jobs`)."""


class FilePiece(Struct, frozen=True):
    """What one download answer carries: plain CSV, and where the next answer starts
    (None: the file is complete)."""

    data: bytes
    next_offset: int | None = None


def read_file(h: ExportModel, offset: int = 0) -> FilePiece:
    """The file as CSV. A plain one whole (under `make run`; deployed, masked files are
    downloaded from S3 with a presigned URL); a sealed one opened here, SERVE_BYTES of
    it from `offset` (a frame's place in the file, as the previous answer named it)."""
    if h.status != "completed":
        raise errors.ExportNotReady(f"The export is {h.status}; download it once completed")
    if not h.dek:
        if offset:
            raise errors.InvalidCursor("This export is answered whole; drop `offset`")
        body: bytes = s3().get_object(Bucket=bucket(), Key=h.s3_key)["Body"].read()
        return FilePiece(body)
    return _open_piece(h, offset)


def _open_piece(h: ExportModel, offset: int) -> FilePiece:
    key = vault.open_envelope(h.dek, _bound(h.id))
    size = int(h.bytes or 0)
    if not 0 <= offset < size:
        raise errors.InvalidCursor("`offset` is not a place in this export's file")
    end = min(size, offset + READ_BYTES) - 1
    buf: bytes = s3().get_object(Bucket=bucket(), Key=h.s3_key,
                                 Range=f"bytes={offset}-{end}")["Body"].read()
    out: list[bytes] = []
    served = pos = 0
    while pos + vault.FRAME_HEADER <= len(buf):
        n = vault.frame_length(buf[pos:])
        if pos + n > len(buf):
            break
        kind = END if n == vault.FRAME_OVERHEAD else ROWS
        try:
            plain = vault.open_frame(key, buf[pos:pos + n],
                                     _frame_bound(h.id, offset + pos, kind))
        except errors.ServiceUnavailable:
            if pos == 0 and offset:  # not a frame's place: a made-up `offset`
                raise errors.InvalidCursor("`offset` is not a place in this export's "
                                           "file; use the Link answered") from None
            raise
        if kind == END:
            return FilePiece(b"".join(out))
        if out and served + len(plain) > SERVE_BYTES:
            break
        out.append(plain)
        served += len(plain)
        pos += n
    if not out:
        if offset:  # no frame starts there: a made-up `from`
            raise errors.InvalidCursor("`offset` is not a place in this export's file; "
                                       "use the Link answered")
        raise errors.ServiceUnavailable("A stored file could not be opened (cut short)")
    if offset + pos >= size:  # the END frame is missing: the file was cut short
        raise errors.ServiceUnavailable("A stored file could not be opened (no end)")
    return FilePiece(b"".join(out), offset + pos)
