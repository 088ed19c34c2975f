"""Settings from environment variables, read lazily so tests and tools can change them.

Why lazily: the same code runs under pytest (moto in-process), locally against
moto's server, and in Lambda; none of them may pay for AWS clients at import time.
Secrets never live in the repo: locally they come from the environment (`make run`
generates them), deployed they come from one SSM SecureString parameter.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import re
from functools import lru_cache

from msgspec import Struct, field

from chalicelib.core import errors
from chalicelib.core.cache import Cache

log = logging.getLogger("rewards.config")

MAX_BATCH_BODY_BYTES = 6 * 1024 * 1024
"""A batch's body limit, which its route declares (a Struct's class attribute is a
field descriptor, not the default)."""


LOCAL_GIFT_PAGES = "http://127.0.0.1:8000"
"""Gift pages under `make run` on its default port (serve.py sets the real address)."""
_BASE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?")


class Settings(Struct, frozen=True):
    stage: str
    table_prefix: str
    region: str
    dynamodb_endpoint: str | None
    key_cache_seconds: int = 30
    money_key_cache_seconds: int = 3
    """A cached API key moves money for at most this long after its revocation."""
    idempotency_ttl_hours: int = 24
    idempotency_legacy_player_keys: bool = True
    """Look for player records kept under their pre-issue-21 key (one GetItem per player
    request on older campaigns); safe to turn off once the deploy is a day old."""
    max_body_bytes: int = 64 * 1024
    max_batch_body_bytes: int = MAX_BATCH_BODY_BYTES
    sync_batch_max_items: int = 500
    batch_queue_url: str | None = None
    campaign_shards: int = 32
    api_key_rate_limit: int = 1000
    player_rate_limit: int = 10
    """Requests a second per player of a campaign (player tokens); 0: no limit."""
    campaign_play_rate_limit: int = 20_000
    """Requests a second per campaign from all its player tokens; 0: no limit."""
    webhook_queue_url: str | None = None
    webhook_timeout_seconds: float = 10.0
    webhook_backoff_base_seconds: float = 30.0
    webhook_backoff_cap_seconds: float = 6 * 3600.0
    webhook_retry_window_seconds: float = 3 * 24 * 3600.0
    send_queue_url: str | None = None
    """The queue of messages to recipients (`outreach.deliveries`); unset: the local one."""
    delivery_rate_email: float = 14.0
    """Messages a second through each channel, over every sender instance: SES's and
    SNS's per-second quotas of the account (ZNS: the OA's). Each instance gets its
    share (`delivery_sender_concurrency`)."""
    delivery_rate_sms: float = 20.0
    delivery_rate_zalo: float = 20.0
    delivery_sender_concurrency: int = 2
    """Sender instances at most (the send function's reserved concurrency)."""
    delivery_lease_seconds: float = 900.0
    """How long a queued or claimed delivery is left to the queue and its sender before
    the sweeper looks at it again."""
    delivery_max_attempts: int = 6
    delivery_backoff_base_seconds: float = 30.0
    exports_bucket: str | None = None
    """Set by the deployed stack (presigned URLs); unset, exports use moto's S3."""
    s3_endpoint: str | None = None
    public_api_url: str = "http://localhost:8000"
    """Where this API answers the public (the unsubscribe page `/u/{token}` that every
    email links to): the stage's custom domain, or its API Gateway URL."""
    delivery_outbox: bool = False
    """Messages go to the local outbox (`outreach.outbox`) instead of SES, SNS and
    Zalo: nothing leaves the machine. On by default on the local stage only."""
    ses_from_address: str = "Gifts <gifts@example.com>"
    ses_configuration_set: str | None = None
    """The SES configuration set whose event destination (SNS) carries bounces,
    complaints and deliveries back (`outreach.feedback`)."""
    ses_endpoint: str | None = None
    sns_endpoint: str | None = None
    sms_sender_id: str | None = None
    """The alphanumeric sender id (brand name) SMS are sent from, where the country
    allows one; Vietnam requires it registered."""
    sms_max_price_usd: str | None = None
    zns_base_url: str = "https://business.openapi.zalo.me"
    zns_timeout_seconds: float = 10.0
    template_cache_seconds: float = 60.0
    """How long a Lambda keeps a partner's template: a change reaches every sender
    within this time."""
    gift_page_base_url: str = LOCAL_GIFT_PAGES
    """Where gift pages are served (`GET /g/{token}`): gift links are this plus
    `/g/<token>`. `GIFT_PAGE_BASE_URL`, else `PUBLIC_API_URL` (where the unsubscribe
    page is served too): the API's public URL with its stage path, or a custom
    domain; `make run`: its own address."""

    def table(self, name: str) -> str:
        return f"{self.table_prefix}-{name}"


def _secrets_from_ssm(parameter: str, region: str) -> dict:
    """Deployed stages keep the admin token and signing keys in one SecureString."""
    import boto3  # provided by the Lambda runtime; only imported when deployed

    client = boto3.client("ssm", region_name=region)
    value = client.get_parameter(Name=parameter, WithDecryption=True)["Parameter"]["Value"]
    return json.loads(value)


KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
"""What a key id may be: it is written into what the key makes (`v1.<kid>.<sealed>`,
`<kid>.<hash>`, a token's `kid`), and read back by splitting on `.` and `:`, so a
`.` in it (`key.2026`) would seal values that can never be opened."""

KEY_SETTINGS = {"signing_keys": "SIGNING_KEYS", "code_lookup_keys": "CODE_LOOKUP_KEYS",
                "code_data_keys": "CODE_DATA_KEYS",
                "code_data_keys_wrapped": "CODE_DATA_KEYS_WRAPPED",
                "gift_link_keys": "GIFT_LINK_KEYS"}
"""The secrets that list keys (`kid:secret[,kid:secret…]`), by their name in the SSM
parameter and their environment variable."""


class InvalidSetting(ValueError):
    """A setting the service cannot work with. The message names the setting and
    what is wrong, never its value: it is shown at startup and in logs."""


def parse_keys(raw: str, name: str) -> dict[str, str]:
    """`kid:secret[,kid:secret…]` as kid -> secret, the first being current; raises
    InvalidSetting naming `name` for an entry without a secret, a key id outside
    KEY_ID or a key id listed twice."""
    keys: dict[str, str] = {}
    for n, part in enumerate(raw.split(","), 1):
        part = part.strip()
        if not part:
            continue
        kid, sep, secret = part.partition(":")
        if not sep or not secret.strip():
            raise InvalidSetting(f"{name}: entry {n} is not <key id>:<secret>")
        if not KEY_ID.fullmatch(kid):
            raise InvalidSetting(
                f"{name}: key id {kid[:40]!r} (entry {n}) may hold only letters, digits, "
                f"'_' and '-' (1 to 32 of them): values sealed under an id with a '.' "
                f"could never be opened")
        if kid in keys:
            raise InvalidSetting(f"{name}: key id {kid!r} is listed twice")
        keys[kid] = secret
    return keys


def validate_environment() -> None:
    """Refuse to start with key lists in the environment that cannot work (called
    when the app is imported, so a Lambda's init and `make run` fail at once, with
    the variable named). Secrets read from SSM are checked when they are loaded,
    and by the preflight (`make preflight`) before the first request."""
    for name, variable in KEY_SETTINGS.items():
        keys = parse_keys(os.environ.get(variable, ""), variable)
        if name == "code_data_keys":
            for kid, value in keys.items():
                check_data_key(value, f"{variable}: key {kid!r}")
    for variable in ("GIFT_PAGE_BASE_URL", "PUBLIC_API_URL"):
        check_base_url(os.environ.get(variable, ""), variable)


def check_base_url(value: str, name: str) -> None:
    """Links sent to people start with it (gift pages, unsubscribe pages): a plain
    http(s) origin with an optional path (no query, fragment or credentials), or the
    links would not open."""
    if value and not _BASE_URL.fullmatch(value.rstrip("/")):
        raise InvalidSetting(f"{name}: not an http(s) URL of a host and an optional path "
                             "(no query, fragment or user)")


def check_data_key(value: str, what: str) -> None:
    """A plain data key must be standard base64 of 32 bytes (AES-256)."""
    try:
        size = len(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError):
        size = -1
    if size != 32:
        raise InvalidSetting(f"{what} is not base64 of 32 bytes")


class Secrets(Struct, frozen=True):
    admin_token: str
    signing_keys: dict[str, str] = field(default_factory=dict)
    """Key id -> secret, for player tokens and derived batch codes. The first is current."""
    current_key_id: str = ""
    code_lookup_keys: dict[str, str] = field(default_factory=dict)
    """Key id -> secret of the keyed hash gifts are found by (vault). The first is current."""
    code_data_keys: dict[str, str] = field(default_factory=dict)
    """Key id -> base64 AES-256 key that seals codes shown again (local stacks)."""
    code_data_keys_wrapped: dict[str, str] = field(default_factory=dict)
    """Key id -> base64 KMS ciphertext of such a key (deployed stages)."""
    gift_link_keys: dict[str, str] = field(default_factory=dict)
    """Key id -> secret that signs gift page links (money.gift_links). The first signs,
    all verify: a new key goes first, the old one stays until its links may go."""


def region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"


SECRETS_TTL_SECONDS = 300.0
_secrets: Cache[str, Secrets] = Cache("config.secrets", 1, ttl=SECRETS_TTL_SECONDS)


def secrets() -> Secrets:
    """Loaded on first use, not at import: a cold start that serves a request
    needing no secret (health, a partner call) never waits for SSM. Kept for five
    minutes, so a rotated or newly added key (the code data key, added once the
    stack's KMS key exists) reaches warm Lambdas without a redeploy."""
    loaded = _secrets.get("secrets")
    if loaded is None:
        loaded = _load_secrets()
        _secrets.put("secrets", loaded)
    return loaded


def raw_secrets() -> tuple[dict[str, str], dict[str, str]]:
    """The secrets as configured, before parsing, and where each came from (its
    environment variable, or its field of the SSM parameter)."""
    env = os.environ
    names = {"admin_token": "ADMIN_TOKEN", **KEY_SETTINGS}
    raw = {name: env.get(var, "") for name, var in names.items()}
    source = dict(names)
    parameter = env.get("SECRETS_SSM_PARAMETER")
    if parameter and not all(raw[n] for n in ("admin_token", "signing_keys",
                                              "code_lookup_keys", "gift_link_keys")):
        secret = _secrets_from_ssm(parameter, region())
        for name, value in raw.items():
            if not value and secret.get(name):
                raw[name] = str(secret[name])
                source[name] = f"{name} in {parameter}"
    return raw, source


def parse_secrets(raw: dict[str, str], source: dict[str, str]) -> Secrets:
    """Raises InvalidSetting naming the setting (by `source`) that cannot work."""
    keys = {name: parse_keys(raw.get(name, ""), source.get(name, name))
            for name in KEY_SETTINGS}
    signing_keys = keys["signing_keys"]
    return Secrets(admin_token=raw.get("admin_token", ""), signing_keys=signing_keys,
                   current_key_id=next(iter(signing_keys), ""),
                   code_lookup_keys=keys["code_lookup_keys"],
                   code_data_keys=keys["code_data_keys"],
                   code_data_keys_wrapped=keys["code_data_keys_wrapped"],
                   gift_link_keys=keys["gift_link_keys"])


def _load_secrets() -> Secrets:
    try:
        return parse_secrets(*raw_secrets())
    except InvalidSetting as exc:
        # the operator learns which setting from the log (and the preflight); a
        # caller gets a 503 that names nothing of the configuration
        log.error("secrets refused: %s", exc)
        raise errors.ServiceUnavailable(
            "The service is misconfigured; the operator has been alerted") from exc


@lru_cache(maxsize=1)
def settings() -> Settings:
    env = os.environ
    return Settings(
        stage=env.get("STAGE", "dev"),
        table_prefix=env.get("TABLE_PREFIX", "rewards-dev"),
        region=region(),
        dynamodb_endpoint=env.get("DYNAMODB_ENDPOINT") or None,
        key_cache_seconds=int(env.get("API_KEY_CACHE_SECONDS", "30")),
        money_key_cache_seconds=int(env.get("API_KEY_MONEY_CACHE_SECONDS", "3")),
        idempotency_ttl_hours=int(env.get("IDEMPOTENCY_TTL_HOURS", "24")),
        idempotency_legacy_player_keys=env.get("IDEMPOTENCY_LEGACY_PLAYER_KEYS", "1") != "0",
        sync_batch_max_items=int(env.get("SYNC_BATCH_MAX_ITEMS", "500")),
        batch_queue_url=env.get("BATCH_QUEUE_URL") or None,
        # fixed per campaign at creation; 2..96 (creation is one transaction of
        # shards + 2 items, at most 100)
        campaign_shards=min(96, max(2, int(env.get("CAMPAIGN_SHARDS", "32")))),
        # requests a second per API key unless the key has its own; 0: no limit
        api_key_rate_limit=max(0, int(env.get("API_KEY_RATE_LIMIT", "1000"))),
        # player tokens: per player and per campaign (all its players), a second;
        # the campaign's is above the 10,000 spins/s a campaign must sustain
        player_rate_limit=max(0, int(env.get("PLAYER_RATE_LIMIT", "10"))),
        campaign_play_rate_limit=max(0, int(env.get("CAMPAIGN_PLAY_RATE_LIMIT", "20000"))),
        webhook_queue_url=env.get("WEBHOOK_QUEUE_URL") or None,
        webhook_timeout_seconds=float(env.get("WEBHOOK_TIMEOUT_SECONDS", "10")),
        webhook_backoff_base_seconds=float(env.get("WEBHOOK_BACKOFF_BASE_SECONDS", "30")),
        webhook_backoff_cap_seconds=float(env.get("WEBHOOK_BACKOFF_CAP_SECONDS", "21600")),
        webhook_retry_window_seconds=float(env.get("WEBHOOK_RETRY_WINDOW_SECONDS", "259200")),
        send_queue_url=env.get("SEND_QUEUE_URL") or None,
        delivery_rate_email=float(env.get("DELIVERY_RATE_EMAIL", "14")),
        delivery_rate_sms=float(env.get("DELIVERY_RATE_SMS", "20")),
        delivery_rate_zalo=float(env.get("DELIVERY_RATE_ZALO", "20")),
        delivery_sender_concurrency=max(1, int(env.get("DELIVERY_SENDER_CONCURRENCY", "2"))),
        delivery_lease_seconds=float(env.get("DELIVERY_LEASE_SECONDS", "900")),
        delivery_max_attempts=max(1, int(env.get("DELIVERY_MAX_ATTEMPTS", "6"))),
        delivery_backoff_base_seconds=float(env.get("DELIVERY_BACKOFF_BASE_SECONDS", "30")),
        exports_bucket=env.get("EXPORTS_BUCKET") or None,
        s3_endpoint=env.get("S3_ENDPOINT") or None,
        public_api_url=(env.get("PUBLIC_API_URL") or "http://localhost:8000").rstrip("/"),
        delivery_outbox=env.get("DELIVERY_OUTBOX",
                                "1" if env.get("STAGE", "dev") == "local" else "0") == "1",
        ses_from_address=env.get("SES_FROM_ADDRESS") or "Gifts <gifts@example.com>",
        ses_configuration_set=env.get("SES_CONFIGURATION_SET") or None,
        ses_endpoint=env.get("SES_ENDPOINT") or None,
        sns_endpoint=env.get("SNS_ENDPOINT") or None,
        sms_sender_id=env.get("SMS_SENDER_ID") or None,
        sms_max_price_usd=env.get("SMS_MAX_PRICE_USD") or None,
        zns_base_url=(env.get("ZNS_BASE_URL") or "https://business.openapi.zalo.me").rstrip("/"),
        zns_timeout_seconds=float(env.get("ZNS_TIMEOUT_SECONDS", "10")),
        template_cache_seconds=float(env.get("TEMPLATE_CACHE_SECONDS", "60")),
        gift_page_base_url=(env.get("GIFT_PAGE_BASE_URL") or env.get("PUBLIC_API_URL")
                            or LOCAL_GIFT_PAGES).rstrip("/"),
    )


# Deployed, infra/finalize.py points the events function at the streams of every
# table in tables.STREAMED; chalice needs some ARN at packaging time.
EVENTS_STREAM_PLACEHOLDER = (
    "arn:aws:dynamodb:us-east-1:000000000000:table/rewards-gifts/stream/placeholder")


class Wiring(Struct, frozen=True):
    """The names `app.py` wires its background handlers to. Read when `app` is
    imported (Chalice's decorators need them then, and `chalice package` writes them
    into the template), so they are not part of `settings()`, which follows the
    environment of the moment."""

    batch_queue: str
    events_stream_arn: str
    webhook_queue: str
    delivery_feedback_topic: str
    """SES's event destination (bounces, complaints, deliveries) and the two-way SMS
    replies publish here; `delivery_feedback` reads it."""
    send_queue: str = "rewards-sends"


def wiring() -> Wiring:
    env = os.environ
    return Wiring(
        batch_queue=env.get("BATCH_QUEUE_NAME", "rewards-batches"),
        events_stream_arn=env.get("EVENTS_STREAM_ARN", EVENTS_STREAM_PLACEHOLDER),
        webhook_queue=env.get("WEBHOOK_QUEUE_NAME", "rewards-webhooks"),
        delivery_feedback_topic=env.get("DELIVERY_FEEDBACK_TOPIC", "rewards-delivery-feedback"),
        send_queue=env.get("SEND_QUEUE_NAME", "rewards-sends"))


def reset() -> None:
    """Forget cached settings (tests change the environment between cases)."""
    settings.cache_clear()
    _secrets.clear()
