"""How a message leaves: email by Amazon SES (v2), SMS by Amazon SNS, Zalo ZNS by
Zalo's template-message API, or, on a local stack, the local outbox.

`send` is the one door, and it checks the partner's suppression list first, so no
caller can forget it: a suppressed contact is `Undeliverable("suppressed")`.
Every adapter sorts the provider's refusals in two: `Undeliverable(reason)` for a
refusal that a retry cannot change (a bad number, no Zalo account, an address SES
rejects), `ChannelDown` for one that time can (throttling, a timeout, a 5xx, a
quota). boto3 clients are made once per process, from the configuration (region,
endpoint), never at import (an API cold start that sends nothing pays nothing).
"""

from __future__ import annotations

import email.utils
import functools
import json
import logging
import secrets
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.core import contacts, errors
from chalicelib.core.config import settings
from chalicelib.delivery import outbound
from chalicelib.outreach import outbox, suppressions, zalo
from chalicelib.outreach.messages import ChannelDown, Message, Sent, Undeliverable

log = logging.getLogger("rewards.channels")


def send(partner_id: str, message: Message) -> Sent:
    """Hand `message` to its channel. Raises Undeliverable (for good: the delivery
    ends `failed` with its reason) or ChannelDown (try again later)."""
    if suppressions.suppressed_for(partner_id, message.channel, message.to):
        if settings().delivery_outbox:
            outbox.put(partner_id, message, status="failed", reason="suppressed")
        raise Undeliverable("suppressed")
    if settings().delivery_outbox:
        return outbox.put(partner_id, message)
    return SENDERS[message.channel](partner_id, message)


# ---------------------------------------------------------------------- email


@functools.lru_cache(maxsize=4)
def _client(service: str, region: str, endpoint: str | None) -> Any:
    import boto3  # provided by the Lambda runtime; only imported by a sender

    make: Callable[..., Any] = boto3.client  # the service is a variable: no stub overload
    return make(service, region_name=region, endpoint_url=endpoint)


def ses() -> Any:
    cfg = settings()
    return _client("sesv2", cfg.region, cfg.ses_endpoint)


def sns() -> Any:
    cfg = settings()
    return _client("sns", cfg.region, cfg.sns_endpoint)


SES_UNDELIVERABLE = {"MessageRejected": "rejected", "BadRequestException": "invalid_request",
                     "MailFromDomainNotVerifiedException": "sender_not_verified",
                     "NotFoundException": "invalid_request"}
"""SES refusals a retry cannot change; the rest (throttling, a paused account, a
limit) are ChannelDown."""


def _aws_failure(exc: Exception, refusals: dict[str, str], channel: str) -> Exception:
    code = errors.aws_code(exc)
    if code in refusals:
        return Undeliverable(refusals[code])
    log.warning("%s: channel down (%s)", channel, code or type(exc).__name__)
    return ChannelDown(f"{channel}: {code or type(exc).__name__}")


def from_address(configured: str, sender_name: str | None) -> str:
    """`"Highlands Coffee" <gifts@…>`: the recipient sees who sends the gift (the
    partner), from the platform's verified address; a name outside ASCII is
    MIME-encoded, as SES requires."""
    name, address = email.utils.parseaddr(configured)
    return email.utils.formataddr((sender_name or name, address), charset="utf-8")


def send_email(partner_id: str, message: Message) -> Sent:
    cfg = settings()
    content: dict[str, Any] = {"Simple": {
        "Subject": {"Data": message.subject or "", "Charset": "UTF-8"},
        "Body": {"Html": {"Data": message.html or "", "Charset": "UTF-8"},
                 "Text": {"Data": message.text, "Charset": "UTF-8"}}}}
    if message.unsubscribe_url:  # RFC 2369 and RFC 8058 (one click, by POST)
        content["Simple"]["Headers"] = [
            {"Name": "List-Unsubscribe", "Value": f"<{message.unsubscribe_url}>"},
            {"Name": "List-Unsubscribe-Post", "Value": "List-Unsubscribe=One-Click"}]
    request: dict[str, Any] = {
        "FromEmailAddress": from_address(cfg.ses_from_address, message.sender_name),
        "Destination": {"ToAddresses": [message.to]}, "Content": content,
        # feedback events carry the tags: the partner whose suppression list they fill
        "EmailTags": [{"Name": "partner_id", "Value": partner_id}]}
    if cfg.ses_configuration_set:
        request["ConfigurationSetName"] = cfg.ses_configuration_set
    try:
        answer = ses().send_email(**request)
    except (ClientError, BotoCoreError) as exc:
        raise _aws_failure(exc, SES_UNDELIVERABLE, "email") from exc
    return Sent(provider_id=str(answer["MessageId"]))


# ------------------------------------------------------------------------ SMS


SNS_UNDELIVERABLE = {"InvalidParameter": "invalid_phone",
                     "InvalidParameterValue": "invalid_phone",
                     "OptedOut": "opted_out"}


def e164(to: str) -> str:
    return "+" + contacts.phone(to)


def send_sms(partner_id: str, message: Message) -> Sent:
    cfg = settings()
    attributes = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
    if cfg.sms_sender_id:
        attributes["AWS.SNS.SMS.SenderID"] = {"DataType": "String",
                                              "StringValue": cfg.sms_sender_id}
    if cfg.sms_max_price_usd:
        attributes["AWS.SNS.SMS.MaxPrice"] = {"DataType": "Number",
                                              "StringValue": cfg.sms_max_price_usd}
    try:
        answer = sns().publish(PhoneNumber=e164(message.to), Message=message.text,
                               MessageAttributes=attributes)
    except (ClientError, BotoCoreError) as exc:
        raise _aws_failure(exc, SNS_UNDELIVERABLE, "sms") from exc
    return Sent(provider_id=str(answer["MessageId"]))


# ----------------------------------------------------------------------- Zalo


ZNS_PATH = "/message/template"
ZNS_UNDELIVERABLE = {
    -108: "invalid_phone", -109: "zalo_template_invalid", -111: "zalo_template_data_invalid",
    -112: "zalo_template_data_invalid", -114: "zalo_recipient_unavailable",
    -118: "no_zalo_account", -119: "zalo_cannot_receive", -139: "zalo_recipient_declined",
}
"""Zalo's error codes (its `error` field) that no retry changes. Every other
non-zero code (an invalid or expired OA token -124, quota -115 and -144, outside
the hours ZNS may be sent -133, Zalo's own faults) is ChannelDown: the message waits
for the operator or the clock."""


def zalo_phone(to: str) -> str:
    """`84…`: digits with the country code, no `+` (Zalo's form)."""
    return contacts.phone(to)


def send_zalo(partner_id: str, message: Message) -> Sent:
    account = zalo.account(partner_id)
    if account is None or not message.zalo_template_id:
        raise Undeliverable("zalo_not_configured")
    cfg = settings()
    body = json.dumps({"phone": zalo_phone(message.to), "template_id": message.zalo_template_id,
                       "template_data": message.zalo_params or {},
                       "tracking_id": secrets.token_hex(12)}).encode()
    try:
        target = outbound.check_url(cfg.zns_base_url + ZNS_PATH)
    except errors.DomainError as exc:
        raise ChannelDown(f"zalo: the ZNS endpoint is not reachable ({exc.detail})") from exc
    outcome = outbound.post(target, {"access_token": account.token,
                                     "Content-Type": "application/json"}, body,
                            cfg.zns_timeout_seconds)
    if outcome.code is None or outcome.code >= 500 or outcome.code == 429:
        raise ChannelDown(f"zalo: {outcome.error or outcome.code}")
    try:
        answer = json.loads(outcome.body)
        code = int(answer.get("error", -1))
    except (ValueError, TypeError, AttributeError):
        raise ChannelDown(f"zalo: an answer that is not Zalo's JSON (HTTP {outcome.code})") \
            from None
    if code == 0:
        msg_id = (answer.get("data") or {}).get("msg_id")
        return Sent(provider_id=f"zalo-{msg_id}")
    if code in ZNS_UNDELIVERABLE:
        raise Undeliverable(ZNS_UNDELIVERABLE[code])
    log.warning("zalo: channel down (error %s: %s)", code, str(answer.get("message"))[:200])
    raise ChannelDown(f"zalo: error {code}")


SENDERS: dict[str, Callable[[str, Message], Sent]] = {
    "email": send_email, "sms": send_sms, "zalo": send_zalo}
