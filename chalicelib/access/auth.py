"""Who is calling: the operator (admin token), a partner (API key) or a player (JWT).

API keys look like `rk_<22 id chars>_<43 secret chars>`, letters and digits only
(a double-click selects the whole key; no separator can appear inside a part):
the id part finds the record in one GetItem, the whole key is checked against a
SHA-256 hash (the secret has ~256 bits, so a slow hash adds nothing) in constant
time. Lookups are cached for `API_KEY_CACHE_SECONDS` (30 s) for reads, but a call
that moves money or changes a gift re-reads a key cached longer than
`API_KEY_MONEY_CACHE_SECONDS` (3 s), strongly consistent: a revoked key stops
issuing, redeeming or voiding within seconds on every instance, and every other
call within 30 s (the contract allows 60).
Player tokens are short-lived HS256 JWTs bound to partner, campaign and player.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from msgspec import Struct

from chalicelib import schemas
from chalicelib.core import config, errors, ids
from chalicelib.core.cache import Cache
from chalicelib.core.clock import iso
from chalicelib.core.config import settings
from chalicelib.core.ids import new_id
from chalicelib.store import idempotency
from chalicelib.store.models import ApiKeyModel, PartnerModel
from chalicelib.store.retry import condition_failed
from chalicelib.store.transactions import Txn

KEY_PREFIX = "rk_"
_ID_LEN = 22
_SECRET_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SECRET_LEN = 43  # 43 * log2(62) ~ 256 bits
PLAYER_AUDIENCE = "rewards:play"
ISSUER = "rewards-api"
MAX_PLAYER_TTL = schemas.MAX_PLAYER_TOKEN_SECONDS


class PartnerPrincipal(Struct, frozen=True):
    partner_id: str
    key_id: str
    scopes: frozenset[str]
    rate_limit: int | None = None  # requests a second; None: the stage default


class PlayerPrincipal(Struct, frozen=True):
    partner_id: str
    campaign_id: str
    player_id: str


class AdminPrincipal(Struct, frozen=True):
    pass


def authenticate_admin(token: str) -> AdminPrincipal:
    expected = config.secrets().admin_token
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        raise errors.Unauthorized("The operator token is not valid")
    return AdminPrincipal()


# ------------------------------------------------------------------- API keys


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


KEY_CACHE_ENTRIES = 10_000
"""API keys one Lambda remembers; one it forgot costs a GetItem on its next call."""
_cache: Cache[str, ApiKeyModel] = Cache("auth.api_keys", KEY_CACHE_ENTRIES)
"""key id -> record; how old an entry may be is the caller's (`_lookup`)."""


def _lookup(key_id: str, moves_money: bool = False) -> ApiKeyModel | None:
    """The key's record, from this Lambda's cache while it is young enough.

    Why two ages: a read served with a revoked key for 30 s leaks little, but a
    gift issued or redeemed with it is money; money moves accept a cached record
    only for `money_key_cache_seconds`, and refresh it with a consistent read (an
    eventually consistent one could still return the record from before the
    revocation). The refresh is one GetItem per key per few seconds per Lambda."""
    cfg = settings()
    ttl = min(cfg.key_cache_seconds, cfg.money_key_cache_seconds) if moves_money else \
        cfg.key_cache_seconds
    hit = _cache.get(key_id, max_age=ttl)
    if hit is not None:
        return hit
    try:
        record = ApiKeyModel.get(key_id, consistent_read=moves_money)
    except ApiKeyModel.DoesNotExist:
        return None
    _cache.put(key_id, record)
    return record


PLAYERS_READ = "players:read"


def sees_players(principal: object) -> bool:
    """The one rule for player ids (often phone numbers and emails) and the client
    seeds that contain them, in every list and export: in clear only to a key that
    holds `players:read`, masked (`core.masking`) for any other."""
    return PLAYERS_READ in (getattr(principal, "scopes", None) or ())


def require_players_read(principal: object, what: str) -> None:
    """403 `insufficient_scope` unless the key may see player ids in clear."""
    if not sees_players(principal):
        raise errors.InsufficientScope(f"{what} needs the scope {PLAYERS_READ}")


def authenticate_api_key(token: str, moves_money: bool = False) -> PartnerPrincipal:
    """`moves_money`: the call issues, redeems, voids or tops up, so a revocation
    must stop it within seconds (see `_lookup`)."""
    bad = errors.Unauthorized("The API key is not valid or has been revoked")
    if not token.startswith(KEY_PREFIX) or len(token) < len(KEY_PREFIX) + _ID_LEN + 2 \
            or len(token) > 200:
        raise bad
    id_part = token[len(KEY_PREFIX):len(KEY_PREFIX) + _ID_LEN]
    if token[len(KEY_PREFIX) + _ID_LEN] != "_" or not id_part.isalnum():
        raise bad
    record = _lookup(f"key_{id_part}", moves_money)
    if record is None or record.revoked_at is not None or \
            not hmac.compare_digest(record.key_hash, _hash(token)):
        raise bad
    return PartnerPrincipal(record.partner_id, record.id, frozenset(record.scopes),
                            int(record.rate_limit) if record.rate_limit else None)


def create_partner(name: str, now: datetime,
                   claim: idempotency.Claim | None = None,
                   contact_retention_days: int | None = None) -> schemas.Partner:
    """With an Idempotency-Key, its record rides in the partner's own transaction, so
    an operator's retry after a timeout never makes a second partner."""
    partner = PartnerModel(id=new_id(ids.PARTNER), name=name, created_at=iso(now),
                           contact_retention_days=contact_retention_days)
    out = partner_out(partner)
    if claim is None:
        partner.save(condition=PartnerModel.id.does_not_exist())
        return out
    txn = Txn().put("partner", partner, PartnerModel.id.does_not_exist())
    claim.add_to(txn, 201, schemas.encode(out).decode())
    idempotency.commit(txn, claim)
    return out


def partner_out(p: PartnerModel) -> schemas.Partner:
    days = p.contact_retention_days
    return schemas.Partner(id=p.id, name=p.name, created_at=p.created_at,
                           contact_retention_days=schemas.DEFAULT_CONTACT_RETENTION_DAYS
                           if days is None else int(days))


def set_contact_retention(partner_id: str, days: int) -> schemas.Partner:
    """The partner's retention of recipients' contacts (read by `money.recipients`,
    which caches it five minutes): for gifts issued from now on, the contact's
    deletion is timed by it; every answer applies it at once."""
    try:
        p = PartnerModel.get(partner_id, consistent_read=True)
    except PartnerModel.DoesNotExist:
        raise errors.NotFound(f"No partner {partner_id}") from None
    p.update(actions=[PartnerModel.contact_retention_days.set(days)],
             condition=PartnerModel.id.exists())
    return partner_out(p)


def partner_name(partner_id: str) -> str | None:
    """The partner's name, for the papers that name the business (the results
    report's header); None for no such partner."""
    try:
        return str(PartnerModel.get(partner_id).name)
    except PartnerModel.DoesNotExist:
        return None


def create_api_key(partner_id: str, scopes: list[str] | None, label: str | None,
                   now: datetime, rate_limit: int | None = None) -> tuple[ApiKeyModel, str]:
    """Returns the record and the secret, which is never stored and never shown again."""
    try:
        PartnerModel.get(partner_id)
    except PartnerModel.DoesNotExist:
        raise errors.NotFound(f"No partner {partner_id}") from None
    key_id = new_id(ids.API_KEY, _ID_LEN)
    random_part = "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(_SECRET_LEN))
    secret = f"{KEY_PREFIX}{key_id[4:]}_{random_part}"
    chosen = [s for s in schemas.SCOPES if scopes is None or s in scopes]
    record = ApiKeyModel(id=key_id, partner_id=partner_id, key_hash=_hash(secret),
                         scopes=chosen, label=label, created_at=iso(now),
                         rate_limit=rate_limit)
    record.save(condition=ApiKeyModel.id.does_not_exist())
    return record, secret


def revoke_api_key(partner_id: str, key_id: str, now: datetime) -> None:
    from pynamodb.exceptions import UpdateError

    try:
        ApiKeyModel(id=key_id).update(
            actions=[ApiKeyModel.revoked_at.set(iso(now))],
            condition=ApiKeyModel.id.exists() & (ApiKeyModel.partner_id == partner_id))
    except UpdateError as exc:
        if condition_failed(exc):
            raise errors.NotFound(f"No API key {key_id} for partner {partner_id}") from None
        raise
    _cache.pop(key_id)


# ---------------------------------------------------------------- player tokens


def mint_player_token(partner_id: str, campaign_id: str, player_id: str, ttl_seconds: int,
                      now: datetime) -> tuple[str, datetime]:
    import jwt  # only player-token routes pay for PyJWT's import

    cfg = config.secrets()
    if not cfg.current_key_id:
        raise errors.ServiceUnavailable("Player tokens are not configured (SIGNING_KEYS)")
    expires = now + timedelta(seconds=min(ttl_seconds, MAX_PLAYER_TTL))
    claims = {"iss": ISSUER, "aud": PLAYER_AUDIENCE, "sub": player_id, "ptn": partner_id,
              "cmp": campaign_id, "iat": int(now.timestamp()), "exp": int(expires.timestamp())}
    token = jwt.encode(claims, cfg.signing_keys[cfg.current_key_id], algorithm="HS256",
                       headers={"kid": cfg.current_key_id})
    return token, expires.replace(microsecond=0)


def authenticate_player(token: str) -> PlayerPrincipal:
    import jwt

    bad = errors.Unauthorized("The player token is not valid or has expired")
    keys = config.secrets().signing_keys
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        if kid not in keys:
            raise bad
        claims = jwt.decode(token, keys[kid], algorithms=["HS256"], audience=PLAYER_AUDIENCE,
                            issuer=ISSUER, options={"require": ["exp", "iat", "aud", "iss",
                                                                "sub", "ptn", "cmp"]})
    except jwt.PyJWTError:
        raise bad from None
    if claims["exp"] - claims["iat"] > MAX_PLAYER_TTL:
        raise bad
    if not all(isinstance(claims[c], str) for c in ("sub", "ptn", "cmp")):
        raise bad
    return PlayerPrincipal(claims["ptn"], claims["cmp"], claims["sub"])


def idempotency_scope(principal: object, player: str | None = None,
                      hashed: bool = True) -> idempotency.Scope:
    """Keys are scoped to the caller: the partner, or for spins the player, named by
    `player`, the key the campaign keeps them under (`campaigns.player_key_of`, which
    the edge passes: this layer cannot read campaigns)."""
    if isinstance(principal, PartnerPrincipal):
        return principal.partner_id
    if isinstance(principal, PlayerPrincipal):
        return idempotency.PlayerScope(principal.partner_id, principal.campaign_id,
                                       player if player is not None else principal.player_id,
                                       hashed and player is not None)
    return "admin"
