"""Domain errors with stable codes, and the one place that turns them into problem+json.

Why one place: partners switch on `code`, so a code must mean the same thing on
every route, and no exception may ever leak out as a stack trace.
"""

from __future__ import annotations

from typing import Any

PROBLEM_TYPE = "https://docs.rewards-api.dev/problems/{code}"


class DomainError(Exception):
    """Base of every error a caller can cause; `remember` marks outcomes an
    idempotency key must replay (the request was accepted and then decided)."""

    status = 400
    code = "bad_request"
    title = "Bad request"
    remember = False

    def __init__(self, detail: str | None = None, *, headers: dict[str, str] | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.headers = headers or {}
        self.extra = extra or {}

    def problem(self) -> dict[str, Any]:
        body = {
            "type": PROBLEM_TYPE.format(code=self.code),
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
        }
        body.update(self.extra)
        return body


def _error(name: str, status: int, code: str, title: str, remember: bool = False) -> type:
    return type(name, (DomainError,), {"status": status, "code": code, "title": title,
                                        "remember": remember})


BadRequest = _error("BadRequest", 400, "bad_request", "Bad request")
InvalidJson = _error("InvalidJson", 400, "invalid_json", "The request body is not valid JSON")
InvalidCursor = _error("InvalidCursor", 400, "invalid_cursor", "The cursor is not valid")
IdempotencyKeyRequired = _error("IdempotencyKeyRequired", 400, "idempotency_key_required",
                                "An Idempotency-Key header is required")
InvalidIdempotencyKey = _error("InvalidIdempotencyKey", 400, "invalid_idempotency_key",
                               "The Idempotency-Key header is not valid")
Unauthorized = _error("Unauthorized", 401, "unauthorized", "Missing or invalid credentials")
InsufficientScope = _error("InsufficientScope", 403, "insufficient_scope",
                           "The API key lacks the scope this operation needs")
NotFound = _error("NotFound", 404, "not_found", "Not found")
MethodNotAllowed = _error("MethodNotAllowed", 405, "method_not_allowed", "Method not allowed")
NotAcceptable = _error("NotAcceptable", 406, "not_acceptable", "Not acceptable")
Conflict = _error("Conflict", 409, "conflict", "Conflict")
BudgetExhausted = _error("BudgetExhausted", 409, "budget_exhausted",
                         "The campaign budget cannot cover this", remember=True)
CampaignNotActive = _error("CampaignNotActive", 409, "campaign_not_active",
                           "The campaign is not active", remember=True)
CampaignEnded = _error("CampaignEnded", 409, "campaign_ended", "The campaign has ended",
                       remember=True)
CampaignHasNoWheel = _error("CampaignHasNoWheel", 409, "campaign_has_no_wheel",
                           "The campaign has no wheel to play")
GiftAlreadyRedeemed = _error("GiftAlreadyRedeemed", 409, "gift_already_redeemed",
                             "The gift has no balance left", remember=True)
GiftExpired = _error("GiftExpired", 409, "gift_expired", "The gift has expired", remember=True)
GiftVoided = _error("GiftVoided", 409, "gift_voided", "The gift has been voided", remember=True)
# holds and reversals (issue 12)
GiftHeld = _error("GiftHeld", 409, "gift_held",
                  "The gift has active holds; capture or release them first", remember=True)
HoldExpired = _error("HoldExpired", 409, "hold_expired",
                     "The hold has expired and holds nothing", remember=True)
HoldNotActive = _error("HoldNotActive", 409, "hold_not_active",
                       "The hold was already captured or released", remember=True)
TooManyHolds = _error("TooManyHolds", 409, "too_many_holds",
                      "The gift has as many active holds as it may have", remember=True)
RedemptionFullyReversed = _error("RedemptionFullyReversed", 409, "redemption_fully_reversed",
                                 "The redemption has been reversed in full", remember=True)
ReversalTooLarge = _error("ReversalTooLarge", 422, "reversal_too_large",
                          "The amount exceeds what is left to reverse", remember=True)
IdempotencyInProgress = _error("IdempotencyInProgress", 409, "idempotency_in_progress",
                               "A request with this Idempotency-Key is still in progress")
PayloadTooLarge = _error("PayloadTooLarge", 413, "payload_too_large",
                         "The request body is too large")
UnsupportedMediaType = _error("UnsupportedMediaType", 415, "unsupported_media_type",
                              "Unsupported media type")
InsufficientBalance = _error("InsufficientBalance", 422, "insufficient_balance",
                             "The amount exceeds the gift's balance", remember=True)
InvalidCodeError = _error("InvalidCodeError", 422, "invalid_code",
                          "The gift code is not valid")
IdempotencyKeyReused = _error("IdempotencyKeyReused", 422, "idempotency_key_reused",
                              "This Idempotency-Key was used with a different request")
SpinLimitReached = _error("SpinLimitReached", 429, "spin_limit_reached",
                          "No spins left", remember=True)
RateLimited = _error("RateLimited", 429, "rate_limited",
                     "Too many requests for this API key")
WebhookUrlNotAllowed = _error("WebhookUrlNotAllowed", 422, "webhook_url_not_allowed",
                              "This URL cannot receive webhooks")
TooManyWebhookEndpoints = _error("TooManyWebhookEndpoints", 409, "too_many_webhook_endpoints",
                                 "The partner has the most webhook endpoints allowed")
ServiceUnavailable = _error("ServiceUnavailable", 503, "service_unavailable",
                            "The service is busy; retry with the same Idempotency-Key")


class ValidationError(DomainError):
    status = 422
    code = "validation_error"
    title = "The request is not valid"

    def __init__(self, errors: list[dict[str, str]], detail: str | None = None) -> None:
        first = errors[0] if errors else {"field": "", "message": "invalid"}
        where = f"{first['field']}: " if first.get("field") else ""
        super().__init__(detail or f"{where}{first['message']}", extra={"errors": errors})
        self.errors = errors


def field_error(field: str, message: str) -> ValidationError:
    return ValidationError([{"field": field, "message": message}])


class InternalError(DomainError):
    status = 500
    code = "internal_error"
    title = "Internal error"


RETRY_AFTER_SECONDS = "1"
"""What every 5xx answer tells a client to wait before retrying with the same key."""


def aws_code(exc: BaseException) -> str | None:
    """The AWS error code behind a PynamoDB or botocore error, or None when the
    service never answered.

    Why not `exc.cause_response_code`: PynamoDB reads `cause.response["Error"]`,
    and botocore's connection errors (`ConnectionClosedError`, `ReadTimeoutError`)
    carry `response=None`, so the property raises AttributeError; a lost answer
    then became a 500 instead of a retryable 503. Duck-typed, so this module
    still imports nothing from AWS."""
    code = getattr(exc, "cause_response_code", None)  # getattr swallows the AttributeError
    if isinstance(code, str) and code:
        return code
    response = getattr(exc, "response", None)  # a bare botocore ClientError
    if isinstance(response, dict):
        found = (response.get("Error") or {}).get("Code")
        return found if isinstance(found, str) and found else None
    return None
