"""What the channels say after a send, as `messages.Feedback` plus suppressions.

Two sources arrive by SNS (app.py's `delivery_feedback` handler, one topic each):
- SES v2 event publishing (the configuration set's SNS event destination): Bounce
  (Permanent: `bounced` and suppressed; Transient or Undetermined: nothing, SES
  retried and may still deliver), Complaint (`complained`, suppressed), Delivery
  (`delivered`), Reject and Rendering Failure (`failed`). The partner comes from
  the message's `partner_id` tag, set by `channels.send_email`. Older SES
  notifications (`notificationType`) read the same.
- SNS two-way SMS: a reply (`originationNumber`, `messageBody`) that says STOP or
  TU CHOI / TỪ CHỐI (`core.message_text.is_opt_out`) suppresses the number: for the
  partner whose message it answered when `partner_of` can tell
  (`previousPublishedMessageId`), otherwise for SMS from every partner
  (`suppressions.ALL_PARTNERS`): the reply went to the platform's shared number.

Statuses are recorded by the planner (`outreach.deliveries.apply_feedback`, the
sendflow part): `handle` takes it as `apply`, so this module neither imports nor
guesses it, and tests pass a recording one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from msgspec import Struct, field

from chalicelib.core import message_text
from chalicelib.core.clock import now
from chalicelib.outreach import suppressions
from chalicelib.outreach.messages import Feedback

log = logging.getLogger("rewards.feedback")

Apply = Callable[[list[Feedback]], int]
PartnerOf = Callable[[str], "str | None"]


class Suppress(Struct, frozen=True):
    partner_id: str | None  # None: the partner is to be found from provider_id
    contact: str
    reason: str
    provider_id: str | None = None


class Parsed(Struct, frozen=True):
    feedback: list[Feedback] = field(default_factory=list)
    suppress: list[Suppress] = field(default_factory=list)


def _tag(mail: dict[str, Any], name: str) -> str | None:
    values = (mail.get("tags") or {}).get(name) or []
    return str(values[0]) if values else None


def parse_ses(event: dict[str, Any]) -> Parsed:
    """One SES event (event publishing or notification) as feedback and suppressions."""
    kind = event.get("eventType") or event.get("notificationType") or ""
    mail = event.get("mail") or {}
    provider_id = str(mail.get("messageId") or "")
    partner_id = _tag(mail, "partner_id")
    if not provider_id:
        return Parsed()
    if kind == "Bounce":
        bounce = event.get("bounce") or {}
        if bounce.get("bounceType") != "Permanent":
            return Parsed()  # transient: SES retried; the address is not at fault
        reason = f"bounce: {bounce.get('bounceSubType') or 'General'}"
        return Parsed([Feedback(provider_id, "bounced", reason)], [
            Suppress(partner_id, str(r.get("emailAddress")), "bounce", provider_id)
            for r in bounce.get("bouncedRecipients") or [] if r.get("emailAddress")])
    if kind == "Complaint":
        complaint = event.get("complaint") or {}
        reason = f"complaint: {complaint.get('complaintFeedbackType') or 'abuse'}"
        return Parsed([Feedback(provider_id, "complained", reason)], [
            Suppress(partner_id, str(r.get("emailAddress")), "complaint", provider_id)
            for r in complaint.get("complainedRecipients") or [] if r.get("emailAddress")])
    if kind == "Delivery":
        return Parsed([Feedback(provider_id, "delivered")])
    if kind == "Reject":
        reason = (event.get("reject") or {}).get("reason") or "rejected"
        return Parsed([Feedback(provider_id, "failed", f"rejected: {reason}"[:200])])
    if kind in ("Rendering Failure", "RenderingFailure"):
        reason = (event.get("failure") or {}).get("errorMessage") or "rendering failure"
        return Parsed([Feedback(provider_id, "failed", str(reason)[:200])])
    return Parsed()  # Send, Open, Click, DeliveryDelay, Subscription: no status change


def parse_sms_reply(event: dict[str, Any]) -> Parsed:
    """A two-way SMS reply; only an opt-out keyword means anything here."""
    number, body = event.get("originationNumber"), event.get("messageBody")
    if not isinstance(number, str) or not isinstance(body, str) or \
            not message_text.is_opt_out(body):
        return Parsed()
    previous = event.get("previousPublishedMessageId")
    return Parsed(suppress=[Suppress(None, number, "sms_stop",
                                     str(previous) if previous else None)])


def parse(message: str) -> Parsed:
    """An SNS message's text from either topic; anything else parses to nothing."""
    try:
        event = json.loads(message)
    except ValueError:
        log.warning("feedback: a message that is not JSON was ignored")
        return Parsed()
    if not isinstance(event, dict):
        return Parsed()
    if "originationNumber" in event:
        return parse_sms_reply(event)
    return parse_ses(event)


class Handled(Struct, frozen=True):
    feedback: int
    applied: int
    suppressed: int


def handle(message: str, apply: Apply, partner_of: PartnerOf | None = None,
           at: datetime | None = None) -> Handled:
    """Parse one SNS message, add its suppressions, and pass its statuses to `apply`
    (the planner's `apply_feedback`). `partner_of(provider_id)` names the partner of
    a sent message, for an SMS reply."""
    parsed = parse(message)
    added = 0
    for s in parsed.suppress:
        partner_id = s.partner_id
        if partner_id is None and s.provider_id and partner_of is not None:
            partner_id = partner_of(s.provider_id)
        if partner_id is None and s.reason == "sms_stop":
            partner_id = suppressions.ALL_PARTNERS
        if partner_id is None:
            log.warning("feedback: a %s for a message of no known partner was ignored",
                        s.reason)
            continue
        added += suppressions.add(partner_id, s.contact, s.reason, at or now())
    applied = apply(parsed.feedback) if parsed.feedback else 0
    return Handled(len(parsed.feedback), applied, added)


def statuses_not_recorded(items: list[Feedback]) -> int:
    """The applier until the planner's `deliveries.apply_feedback` is wired in app.py
    (the merge of issue 25's parts): logs what it would have recorded."""
    for item in items:
        log.info("feedback: %s %s (%s) not recorded: no planner wired", item.provider_id,
                 item.status, item.reason)
    return 0
