"""Provably fair spin-the-wheel draws.

Players can only trust the wheel if they can recompute every result without
trusting us, so the whole draw is a deterministic function of public data plus
one secret that is committed to up front and revealed afterwards. This
docstring is the normative description of algorithm ``hmac-sha256-rejection-v2``;
the code below must match it, not the other way round.

Verification procedure
======================

Published when the campaign is created:

* ``seed_commitment``: a lowercase hex SHA-256 digest (64 characters).
* The wheel's segments, in their listed order, each with an ``id`` (string)
  and a ``weight`` (non-negative integer). These must not change afterwards.

Revealed when the campaign ends:

* ``server_seed``: a string of 64 lowercase hexadecimal characters.

Recorded for every spin:

* ``player_id``, ``client_seed`` (a string), ``nonce`` (non-negative integer),
  ``roll`` (integer) and ``drawn_segment_id`` (string).

``client_seed`` binds the draw to its player without ambiguity (v2): it is
``decimal(n) + ":" + player_id + ":" + seed``, where ``n`` is the length of
``player_id`` in UTF-8 bytes and ``seed`` is what the player sent (empty if
nothing). Read back, the length says where the player id ends, so no two
different (player, seed) pairs can share a ``client_seed``, whatever characters
either holds (v1 joined them with a bare ``":"``, so player ``u0`` with seed
``a:b`` and player ``u0:a`` with seed ``b`` drew alike). A verifier checks that
the recorded ``client_seed`` starts with the spin's own player id so encoded.

Envelope games (the player picks envelope ``k`` of ``N``): the pick is the player's
input to the draw, so it goes into ``client_seed`` too, ahead of the seed:
``decimal(n) + ":" + player_id + ":pick=" + decimal(k) + ":" + seed``. Only envelope
campaigns use this form (a campaign's game never changes), the pick is digits and
so cannot hold the ``":"`` that ends it, and the seed is still the rest: read back,
every (player, pick, seed) triple has its own ``client_seed``. Wheel and scratch
spins keep the form above, so every spin recorded before envelopes verifies
unchanged. A verifier of an envelope campaign checks that the recorded pick is the
one ``client_seed`` names, and is below ``N``.

Step 1 - check the commitment.
    Compute SHA-256 over the ASCII bytes of ``server_seed`` exactly as
    revealed: the 64 hex *characters* (64 bytes), NOT the 32 bytes they
    encode. Its lowercase hex digest must equal ``seed_commitment``.

Step 2 - total weight.
    ``T`` = the sum of the weights of all segments (zero weights included; they
    add nothing). ``T`` is at least 1.

Step 3 - acceptance bound.
    ``L = floor(2**64 / T) * T`` (integer arithmetic). ``L`` is the largest
    multiple of ``T`` not exceeding ``2**64``.

Step 4 - the roll. For ``round = 0, 1, 2, ...``:

    a. ``message`` = the UTF-8 bytes of
       ``client_seed + ":" + decimal(nonce) + ":" + decimal(round)``, where
       ``decimal`` writes a non-negative integer in base 10 with ASCII digits,
       no sign, no padding and no leading zeros (``0`` is ``"0"``).
    b. ``block`` = HMAC-SHA256 with key = the ASCII bytes of ``server_seed``
       (again the 64 hex characters, not hex-decoded) over ``message``:
       32 bytes.
    c. Split ``block`` into four 8-byte chunks, in order: bytes 0-7, 8-15,
       16-23, 24-31. Read each chunk as an unsigned 64-bit big-endian
       integer ``x``.
    d. Examine the chunks in that order. The first ``x`` with ``x < L`` is
       accepted: ``roll = x mod T`` and the procedure stops. Any ``x >= L``
       is discarded. If all four are discarded, continue with the next round.

    The roll is the first accepted value over the whole stream; every round
    is only consulted if all earlier chunks were discarded.

Step 5 - the segment.
    Walk the segments in their listed order keeping a running sum ``C``
    that starts at 0: add the segment's weight to ``C``; the first segment
    with ``roll < C`` is the drawn segment. A zero-weight segment never
    increases ``C`` and so can never be drawn.

Step 6 - compare.
    The recomputed roll must equal the recorded ``roll`` and the segment from
    step 5 must have ``id == drawn_segment_id``. No two spins under the same
    server seed may share the same ``(client_seed, nonce)`` pair, because that
    pair fully determines the outcome and a repeat would be a replay.

Why this is unbiased: ``L`` is a multiple of ``T``, so each residue
``0 .. T-1`` has exactly ``L / T`` preimages in ``[0, L)``; the discarded
values ``[L, 2**64)`` are fewer than ``T`` out of ``2**64``, so a chunk is
discarded with probability below ``T / 2**64`` (negligible for any real
wheel). A plain ``x mod T`` would favour the low residues.

Test vectors: with ``server_seed = "00" * 32`` (64 zero characters),
``client_seed = "player-1"`` and weights ``[50, 30, 15, 5]`` (``T = 100``,
cumulative bounds 50, 80, 95, 100), nonce 0 gives ``roll = 47`` (first
segment) and nonce 3 gives ``roll = 99`` (fourth segment).

Erased spins: a player may have their id erased on request (personal data law).
The client seed names the player, so an erased spin is published with
``erased: true`` and ``player_id`` and ``client_seed`` null. Its roll can no longer
be recomputed by anyone, and nothing is kept that would let it be: a hash of the
client seed would be a hash of a phone number and a short seed, found again by
trying every number. What remains is checked: ``roll`` is below ``T`` and step 5
on the recorded roll gives ``drawn_segment_id``; the verifier reports such a spin
as erased (not checkable), never as malformed. A spin without ``client_seed`` that
is not marked erased is malformed.

What verification deliberately does not cover: inventory. The draw depends
only on the published weights. When the drawn segment's prize is out of stock
the service awards the fallback segment instead; that substitution happens
after the draw and leaves ``roll`` and ``drawn_segment_id`` untouched.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any, TypeGuard
from zoneinfo import ZoneInfo

from msgspec import Struct

ALGORITHM = "hmac-sha256-rejection-v2"
PROCEDURE = (
    "seed_commitment = hex SHA-256 of the ASCII bytes of server_seed (its 64 hex "
    "characters, not the bytes they encode). T = sum of the wheel's segment weights; "
    "L = floor(2^64 / T) * T. For round = 0, 1, 2, ...: block = HMAC-SHA256(key = ASCII "
    "bytes of server_seed, message = UTF-8 of client_seed + ':' + nonce + ':' + round, "
    "integers in plain decimal); read block as four unsigned 64-bit big-endian integers "
    "x in order; the first x < L gives roll = x mod T. The drawn segment is the first, in "
    "the wheel's listed order, whose running sum of weights exceeds roll. client_seed and "
    "nonce are the spin's recorded fairness.client_seed and fairness.nonce; client_seed "
    "is the length of the player id in UTF-8 bytes, ':', the player id, ':', and the seed "
    "the player sent (empty if none), so it names its player without ambiguity; in an "
    "envelope game the seed is preceded by 'pick=', the envelope's number and ':'.")


PICK_PREFIX = "pick="


def client_seed_for(player_id: str, seed: str | None, pick: int | None = None) -> str:
    """The recorded client_seed of a spin: the player's own seed, bound to the player
    by a length prefix, so that (player, seed) pairs never collide; an envelope's pick
    goes before the seed, digits ended by ':', so (player, pick, seed) never collide."""
    chosen = "" if pick is None else f"{PICK_PREFIX}{int(pick)}:"
    return f"{len(player_id.encode())}:{player_id}:{chosen}{seed or ''}"


def pick_of(client_seed: str) -> int | None:
    """The envelope a client_seed names (the encoding above), or None if it names none."""
    player = player_of(client_seed)
    if player is None:
        return None
    rest = client_seed[len(f"{len(player.encode())}:{player}:"):]
    if not rest.startswith(PICK_PREFIX):
        return None
    digits, sep, _ = rest[len(PICK_PREFIX):].partition(":")
    if not sep or not digits.isdigit() or digits != str(int(digits)):
        return None
    return int(digits)


def player_of(client_seed: str) -> str | None:
    """The player id a v2 client_seed names, or None if it is not one."""
    length, sep, rest = client_seed.partition(":")
    if not sep or not length.isdigit() or length != str(int(length)):
        return None
    raw = rest.encode()
    n = int(length)
    if len(raw) < n + 1 or raw[n:n + 1] != b":":
        return None
    try:
        return raw[:n].decode()
    except UnicodeDecodeError:
        return None
"""The docstring's procedure in one paragraph, published with every fairness answer."""
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

# A wheel's bounds, declared once: schemas.WheelConfig checks them on every request
# (the prize amount is any gift's Amount), the report rows keep one column pair per
# possible segment. MAX_SEGMENTS * MAX_WEIGHT stays far below 2**64, the draw's space.
MIN_SEGMENTS = 1
MAX_SEGMENTS = 24
MAX_ID_LENGTH = 64
MAX_LABEL_LENGTH = 100
MAX_WEIGHT = 1_000_000_000
MAX_INVENTORY = 10**9
MAX_SPIN_LIMIT = 1_000_000
GAME_KINDS = ("wheel", "scratch", "envelope")
MIN_ENVELOPES, MAX_ENVELOPES, DEFAULT_ENVELOPES = 2, 12, 6

_WORD_BYTES = 8
_SPACE = 2 ** (8 * _WORD_BYTES)

Segment = Mapping[str, Any]


class Draw(Struct, frozen=True):
    """Outcome of one spin; ``roll`` and ``total_weight`` are kept so the spin
    can be stored with everything a verifier needs."""

    segment_id: str
    roll: int
    total_weight: int


# --- seeds -----------------------------------------------------------------


def new_server_seed() -> str:
    """A fresh secret per campaign; 256 bits so it cannot be brute-forced from
    the published commitment."""
    return secrets.token_bytes(32).hex()


def commitment(server_seed: str) -> str:
    """Hash the hex *text* (not the decoded bytes) so verifiers can run
    ``sha256sum`` on the revealed string directly."""
    return hashlib.sha256(server_seed.encode("ascii")).hexdigest()


# --- the draw --------------------------------------------------------------


def _acceptance_bound(total_weight: int, space: int = _SPACE) -> int:
    """Largest multiple of ``total_weight`` within ``space``: keeping only
    values below it makes every residue equally likely. ``space`` is a
    parameter only so tests can check the argument exhaustively on a small
    word size."""
    return (space // total_weight) * total_weight


def _check_total_weight(total_weight: int) -> None:
    if not _is_int(total_weight):
        raise TypeError("total_weight must be an int")
    if not 1 <= total_weight <= _SPACE:
        # Above 2**64 the acceptance bound would be 0 and the loop endless.
        raise ValueError(f"total_weight must be between 1 and 2**64, got {total_weight}")


def roll(server_seed: str, client_seed: str, nonce: int, total_weight: int) -> int:
    """Uniform integer in ``[0, total_weight)``; see the module docstring for
    the exact procedure that verifiers reproduce."""
    _check_total_weight(total_weight)
    if not _is_int(nonce):
        raise TypeError("nonce must be an int")
    if nonce < 0:
        raise ValueError("nonce must be non-negative")
    key = server_seed.encode("ascii")
    bound = _acceptance_bound(total_weight)
    round_ = 0
    # Each chunk is rejected with probability < total_weight / 2**64, so the
    # loop practically always ends in round 0; it is unbounded on purpose
    # because any cap would reintroduce bias.
    while True:
        message = f"{client_seed}:{nonce}:{round_}".encode()
        block = hmac.new(key, message, hashlib.sha256).digest()
        for offset in range(0, len(block), _WORD_BYTES):
            x = int.from_bytes(block[offset : offset + _WORD_BYTES], "big")
            if x < bound:
                return x % total_weight
        round_ += 1


def total_weight(segments: Sequence[Segment]) -> int:
    """Zero-weight segments count towards nothing but stay on the wheel, so
    the published order and the cumulative bounds stay stable."""
    return sum(segment["weight"] for segment in segments)


def pick(segments: Sequence[Segment], r: int) -> Segment:
    """Listed order matters: it is part of the published wheel, so reordering
    segments would change which roll lands where."""
    if r < 0:
        raise ValueError(f"roll must be non-negative, got {r}")
    upper = 0
    for segment in segments:
        upper += segment["weight"]
        if r < upper:
            return segment
    raise ValueError(f"roll {r} is not below the total weight {upper}")


def draw(server_seed: str, client_seed: str, nonce: int, segments: Sequence[Segment]) -> Draw:
    """Single entry point for the spin handler so the roll and the segment
    lookup can never drift apart from what ``verify`` recomputes."""
    total = total_weight(segments)
    r = roll(server_seed, client_seed, nonce, total)
    return Draw(segment_id=pick(segments, r)["id"], roll=r, total_weight=total)


def probabilities(segments: Sequence[Segment]) -> list[dict[str, Any]]:
    """Odds shown to players; rounded because they are for display; the
    exact odds are the integer weights themselves."""
    total = total_weight(segments)
    if total <= 0:
        raise ValueError("the wheel has no positive weight")
    return [
        {
            "id": segment["id"],
            "label": segment["label"],
            "probability": round(segment["weight"] / total, 6),
            **({"labels": segment["labels"]} if segment.get("labels") else {}),
        }
        for segment in segments
    ]


# --- verification ----------------------------------------------------------


def verify(
    server_seed: str,
    seed_commitment: str,
    segments: Sequence[Segment],
    spins: Sequence[Mapping[str, Any]],
    envelopes: int | None = None,
) -> list[str]:
    """Auditor-facing: it must report every problem it can find rather than
    stop at the first one or raise on a malformed record. ``envelopes``: the
    campaign is an envelope game of that many envelopes, so every spin's pick
    must be in its client_seed and in range."""
    problems: list[str] = []
    try:
        expected_commitment = commitment(server_seed)
    except (AttributeError, UnicodeEncodeError):
        return ["server seed is not an ASCII string"]
    if not isinstance(seed_commitment, str) or expected_commitment != seed_commitment.lower():
        problems.append(
            f"commitment mismatch: sha256(server_seed) is {expected_commitment}, "
            f"published commitment is {seed_commitment!r}"
        )

    try:
        total = _drawable_total(segments)
    except (AttributeError, TypeError, ValueError) as exc:
        problems.append(f"segments cannot be drawn from: {exc}")
        return problems

    seen: dict[tuple[str, int], Any] = {}
    for index, spin in enumerate(spins):
        problems.extend(_spin_problems(server_seed, segments, total, index, spin, seen))
        if envelopes is not None and isinstance(spin, Mapping):
            problems.extend(_erased_pick_problems(index, spin, envelopes) if is_erased(spin)
                            else _pick_problems(index, spin, envelopes))
    return problems


def _pick_problems(index: int, spin: Mapping[str, Any], envelopes: int) -> list[str]:
    """An envelope spin's pick is an input of its draw: the recorded pick must be the
    one its client_seed names (so the roll was drawn on it), and a real envelope."""
    label = f"spin {spin.get('id', f'#{index}')!r}"
    client_seed = spin.get("client_seed")
    named = pick_of(client_seed) if isinstance(client_seed, str) else None
    recorded = spin.get("pick")
    if named is None:
        return [f"{label}: client_seed names no envelope pick"]
    problems = []
    if recorded != named:
        problems.append(f"{label}: pick mismatch: recorded {recorded!r}, "
                        f"client_seed names {named}")
    if not 0 <= named < envelopes:
        problems.append(f"{label}: pick {named} is not one of the {envelopes} envelopes")
    return problems


def _erased_pick_problems(index: int, spin: Mapping[str, Any], envelopes: int
                          ) -> list[str]:
    """An erased envelope spin no longer shows the client seed naming its pick: the
    recorded pick must still be a real envelope."""
    recorded = spin.get("pick")
    if _is_int(recorded) and 0 <= recorded < envelopes:
        return []
    return [f"spin {spin.get('id', f'#{index}')!r} (erased): pick {recorded!r} is not one "
            f"of the {envelopes} envelopes"]


def _drawable_total(segments: Sequence[Segment]) -> int:
    """The wheel's total weight, raising on a segment no spin could be drawn from:
    without a sound wheel no roll can be recomputed, so ``verify`` stops there."""
    for segment in segments:
        if not isinstance(segment.get("id"), str) or not _is_int(segment.get("weight")):
            raise TypeError("every segment needs a string id and an integer weight")
        if segment["weight"] < 0:
            raise ValueError("weights must not be negative")
    total = total_weight(segments)
    _check_total_weight(total)
    return total


def _spin_problems(
    server_seed: str,
    segments: Sequence[Segment],
    total: int,
    index: int,
    spin: object,
    seen: dict[tuple[str, int], Any],
) -> list[str]:
    """Problems of one recorded spin. ``seen`` holds, across the calls of one
    ``verify``, the spin that first used each (client_seed, nonce) pair: that pair
    fully determines the outcome, so a repeat is a replay and is reported."""
    if not isinstance(spin, Mapping):
        return [f"spin #{index}: not an object"]
    label = f"spin {spin.get('id', f'#{index}')!r}"
    if is_erased(spin):
        return _erased_problems(segments, total, label, spin)
    client_seed = spin.get("client_seed")
    nonce = spin.get("nonce")
    if not isinstance(client_seed, str) or not _is_int(nonce) or nonce < 0:
        return [f"{label}: missing or malformed client_seed/nonce"]

    problems: list[str] = []
    player = spin.get("player_id")
    if player is not None and player_of(client_seed) != player:
        problems.append(f"{label}: client_seed does not name player {player!r}")

    pair = (client_seed, nonce)
    if pair in seen:
        problems.append(
            f"{label}: reuses client_seed {client_seed!r} and nonce {nonce} "
            f"of spin {seen[pair]!r}"
        )
    else:
        seen[pair] = spin.get("id", f"#{index}")
    expected_roll = roll(server_seed, client_seed, nonce, total)
    return problems + _outcome_problems(segments, label, spin, expected_roll)


def is_erased(spin: Mapping[str, Any]) -> bool:
    """A spin whose player was erased on request: marked so, and without the client
    seed that named the player (a spin marked erased that still shows a client seed
    is checked in full)."""
    return spin.get("erased") is True and spin.get("client_seed") is None


def _erased_problems(segments: Sequence[Segment], total: int, label: str,
                     spin: Mapping[str, Any]) -> list[str]:
    """What an erased spin still shows: its roll lies on the wheel and lands on the
    segment it says was drawn. The roll itself cannot be recomputed."""
    recorded_roll = spin.get("roll")
    if not _is_int(recorded_roll) or not 0 <= recorded_roll < total:
        return [f"{label} (erased): roll {recorded_roll!r} is not below the total "
                f"weight {total}"]
    return _outcome_problems(segments, f"{label} (erased)", spin, recorded_roll)


def _outcome_problems(
    segments: Sequence[Segment], label: str, spin: Mapping[str, Any], expected_roll: int
) -> list[str]:
    """Step 6 for one spin: its recorded roll and segment against the recomputed ones."""
    problems: list[str] = []
    recorded_roll = spin.get("roll")
    if not _is_int(recorded_roll) or recorded_roll != expected_roll:
        problems.append(
            f"{label}: roll mismatch: recorded {recorded_roll!r}, recomputed {expected_roll}"
        )
    expected_segment = pick(segments, expected_roll)["id"]
    recorded_segment = spin.get("drawn_segment_id")
    if recorded_segment != expected_segment:
        problems.append(
            f"{label}: drawn segment mismatch: recorded {recorded_segment!r}, "
            f"recomputed {expected_segment!r}"
        )
    return problems


# --- per-day limits --------------------------------------------------------


def _local(now: datetime, tz: str) -> tuple[datetime, ZoneInfo]:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    zone = ZoneInfo(tz)
    return now.astimezone(zone), zone


def day_key(now: datetime, tz: str) -> str:
    """Players think in local days, so a daily limit resets at local midnight
    in the campaign's zone, not at UTC midnight."""
    local, _ = _local(now, tz)
    return local.date().isoformat()


def seconds_until_next_day(now: datetime, tz: str) -> int:
    """Rounded up and never 0, so a client that honours Retry-After always
    lands in the next day instead of retrying too early."""
    local, zone = _local(now, tz)
    now_utc = now.astimezone(UTC)
    tomorrow = local.date() + timedelta(days=1)
    # fold=0 is right for a normal midnight and for one skipped by a DST jump
    # (it maps to the jump instant); fold=1 only matters if the first
    # occurrence of an ambiguous midnight is already behind us.
    next_day = now_utc
    for fold in (0, 1):
        candidate = datetime.combine(tomorrow, time(0, fold=fold), tzinfo=zone)
        next_day = candidate.astimezone(UTC)
        if next_day > now_utc:
            break
    whole, remainder = divmod(next_day - now_utc, timedelta(seconds=1))
    return max(1, whole + (1 if remainder else 0))


# --- validation ------------------------------------------------------------


def _is_int(value: object) -> TypeGuard[int]:
    # JSON true/false arrive as bool, which Python treats as int.
    return isinstance(value, int) and not isinstance(value, bool)


def is_known_timezone(name: object) -> bool:
    """Days (spin limits, expiry) are counted in the campaign's zone; zoneinfo raises
    unrelated types for bad keys (a folder name is IsADirectoryError), so all count."""
    if not isinstance(name, str) or not name or len(name) > 255:
        return False
    try:
        ZoneInfo(name)
    except Exception:  # noqa: BLE001 - zoneinfo raises several unrelated types for bad keys
        return False
    return True


def validate_wheel(wheel: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The rules that tie a wheel's parts together. Each part's own shape (types,
    bounds, the id alphabet) is schemas.WheelConfig's to check, once; these rules
    need that shape, so call this only on a wheel the schema accepted. Every broken
    rule is listed, so a brand admin fixes them all in one round trip."""
    errors: list[tuple[str, str]] = []
    segments = wheel["segments"]
    has_prize: dict[str, bool] = {}
    for index, segment in enumerate(segments):
        prize = segment.get("prize") is not None
        if segment.get("inventory") is not None and not prize:
            errors.append((f"segments[{index}].inventory",
                           "is only allowed on a segment with a prize"))
        seg_id = segment["id"]
        if seg_id in has_prize:
            errors.append((f"segments[{index}].id", f"duplicates segment id {seg_id!r}"))
        else:
            has_prize[seg_id] = prize
    if total_weight(segments) <= 0:
        errors.append(("segments", "at least one segment must have a positive weight"))

    fallback = wheel["fallback_segment_id"]
    if fallback not in has_prize:
        errors.append(("fallback_segment_id", "must be the id of one of the segments"))
    elif has_prize[fallback]:
        errors.append(("fallback_segment_id", "must refer to a segment without a prize"))
    return errors
