"""Domain errors with stable codes, and the one place that turns them into problem+json.

Why one place: partners switch on `code`, so a code must mean the same thing on
every route, and no exception may ever leak out as a stack trace. Every error
class is declared here (none in the modules that raise them), so one file lists
every code a client can meet, and routes name the classes for their OpenAPI entry.
"""

from __future__ import annotations

from typing import Any

PROBLEM_TYPE = "/v1/problems/{code}"
"""A relative reference (RFC 9457 3.1.1: resolved against the answer's URI) to the
page this API serves for each code (edge/problems.py): it resolves on every host."""


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


class BadRequest(DomainError):
    status = 400
    code = "bad_request"
    title = "Bad request"


class InvalidJson(DomainError):
    status = 400
    code = "invalid_json"
    title = "The request body is not valid JSON"


class InvalidCursor(DomainError):
    status = 400
    code = "invalid_cursor"
    title = "The cursor is not valid"


class IdempotencyKeyRequired(DomainError):
    status = 400
    code = "idempotency_key_required"
    title = "An Idempotency-Key header is required"


class InvalidIdempotencyKey(DomainError):
    status = 400
    code = "invalid_idempotency_key"
    title = "The Idempotency-Key header is not valid"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"
    title = "Missing or invalid credentials"


class InsufficientScope(DomainError):
    status = 403
    code = "insufficient_scope"
    title = "The API key lacks the scope this operation needs"


class NotFound(DomainError):
    status = 404
    code = "not_found"
    title = "Not found"


class MethodNotAllowed(DomainError):
    status = 405
    code = "method_not_allowed"
    title = "Method not allowed"


class NotAcceptable(DomainError):
    status = 406
    code = "not_acceptable"
    title = "Not acceptable"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = "Conflict"


class BudgetExhausted(DomainError):
    status = 409
    code = "budget_exhausted"
    title = "The campaign budget cannot cover this"
    remember = True


class CampaignNotActive(DomainError):
    status = 409
    code = "campaign_not_active"
    title = "The campaign is not active"
    remember = True


class CampaignEnded(DomainError):
    status = 409
    code = "campaign_ended"
    title = "The campaign has ended"
    remember = True


class CampaignNotEnded(DomainError):
    status = 409
    code = "campaign_not_ended"
    title = "The campaign has not ended yet"


class CampaignHasNoWheel(DomainError):
    status = 409
    code = "campaign_has_no_wheel"
    title = "The campaign has no wheel to play"


class GiftAlreadyRedeemed(DomainError):
    status = 409
    code = "gift_already_redeemed"
    title = "The gift has no balance left"
    remember = True


class GiftExpired(DomainError):
    status = 409
    code = "gift_expired"
    title = "The gift has expired"
    remember = True


class GiftVoided(DomainError):
    status = 409
    code = "gift_voided"
    title = "The gift has been voided"
    remember = True


# holds and reversals
class GiftHeld(DomainError):
    status = 409
    code = "gift_held"
    title = "The gift has active holds; capture or release them first"
    remember = True


class HoldExpired(DomainError):
    status = 409
    code = "hold_expired"
    title = "The hold has expired and holds nothing"
    remember = True


class HoldNotActive(DomainError):
    status = 409
    code = "hold_not_active"
    title = "The hold was already captured or released"
    remember = True


class TooManyHolds(DomainError):
    status = 409
    code = "too_many_holds"
    title = "The gift has as many active holds as it may have"
    remember = True


class RedemptionFullyReversed(DomainError):
    status = 409
    code = "redemption_fully_reversed"
    title = "The redemption has been reversed in full"
    remember = True


class ReversalTooLarge(DomainError):
    status = 422
    code = "reversal_too_large"
    title = "The amount exceeds what is left to reverse"
    remember = True


class IdempotencyInProgress(DomainError):
    status = 409
    code = "idempotency_in_progress"
    title = "A request with this Idempotency-Key is still in progress"


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"
    title = "The request body is too large"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"
    title = "Unsupported media type"


class InsufficientBalance(DomainError):
    status = 422
    code = "insufficient_balance"
    title = "The amount exceeds the gift's balance"
    remember = True


class InvalidCodeError(DomainError):
    status = 422
    code = "invalid_code"
    title = "The gift code is not valid"


class IdempotencyKeyReused(DomainError):
    status = 422
    code = "idempotency_key_reused"
    title = "This Idempotency-Key was used with a different request"


class SpinLimitReached(DomainError):
    status = 429
    code = "spin_limit_reached"
    title = "No spins left"
    remember = True


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    title = "Too many requests"


class WebhookUrlNotAllowed(DomainError):
    status = 422
    code = "webhook_url_not_allowed"
    title = "This URL cannot receive webhooks"


class TooManyWebhookEndpoints(DomainError):
    status = 409
    code = "too_many_webhook_endpoints"
    title = "The partner has the most webhook endpoints allowed"


# exports and gift batches: the file is not there yet
class ExportNotReady(DomainError):
    status = 409
    code = "export_not_ready"
    title = "The export is not completed yet"


class BatchProcessing(DomainError):
    status = 409
    code = "batch_processing"
    title = "The batch is still being issued"


class ServiceUnavailable(DomainError):
    status = 503
    code = "service_unavailable"
    title = "The service is busy; retry with the same Idempotency-Key"


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
