"""Webhook endpoints a partner registers, and the record of deliveries to them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import msgspec
from pynamodb.exceptions import DoesNotExist, UpdateError
from pynamodb.expressions.update import Action

from chalicelib import schemas
from chalicelib.core import errors, ids
from chalicelib.core.clock import iso, timestamp
from chalicelib.core.ids import new_id
from chalicelib.delivery import attempts, fairness
from chalicelib.delivery.outbound import check_url
from chalicelib.delivery.signing import ROTATION_OVERLAP, new_secret, seal
from chalicelib.store.records import WebhookEndpointModel
from chalicelib.store.retry import condition_failed

MAX_ENDPOINTS = 16


# ------------------------------------------------------------------ endpoints


def _out(ep: WebhookEndpointModel, secret: str | None = None) -> schemas.WebhookEndpoint:
    return schemas.WebhookEndpoint(
        id=ep.id, url=ep.url, events=list(ep.events), description=ep.description,
        status=cast(schemas.EndpointStatus, ep.status), disabled_reason=ep.disabled_reason,
        created_at=ep.created_at,
        updated_at=ep.updated_at, health=health(ep, timestamp()), secret=secret)


def health(ep: WebhookEndpointModel, now: float) -> schemas.EndpointHealth:
    """The sender's view of the endpoint (`fairness`), from the endpoint's own item:
    no read beyond it. Instants only while they are ahead."""

    def ahead(at: Any) -> str | None:
        return iso(datetime.fromtimestamp(float(at), UTC)) if at is not None and \
            float(at) > now else None

    return schemas.EndpointHealth(
        state=cast(schemas.EndpointState, fairness.state(ep, now)),
        consecutive_failures=int(ep.failures or 0),
        degraded_until=ahead(ep.degraded_until), breaker_open_until=ahead(ep.open_until))


def get_model(partner_id: str, endpoint_id: str) -> WebhookEndpointModel:
    try:
        ep = WebhookEndpointModel.get(endpoint_id, consistent_read=True)
    except DoesNotExist:
        ep = None
    if ep is None or ep.partner_id != partner_id:
        raise errors.NotFound(f"No webhook endpoint {endpoint_id}")
    return ep


def endpoints_of(partner_id: str) -> list[WebhookEndpointModel]:
    return list(WebhookEndpointModel.by_partner.query(partner_id, scan_index_forward=False,
                                                      limit=MAX_ENDPOINTS * 2))


def create_endpoint(partner_id: str, body: schemas.WebhookEndpointCreate, now: datetime
                    ) -> schemas.WebhookEndpoint:
    check_url(body.url)
    if len(endpoints_of(partner_id)) >= MAX_ENDPOINTS:
        raise errors.TooManyWebhookEndpoints(
            f"A partner may have {MAX_ENDPOINTS} webhook endpoints; delete one first")
    secret = new_secret()
    at = iso(now)
    eid = new_id(ids.ENDPOINT)
    ep = WebhookEndpointModel(
        id=eid, partner_id=partner_id, created_key=f"{at}#{eid}", url=body.url,
        events=sorted(set(body.events)), description=body.description, status="enabled",
        secrets=[{"sealed": seal(secret, eid), "created_at": at, "expires_at": None}],
        created_at=at, updated_at=at)
    ep.save(condition=WebhookEndpointModel.id.does_not_exist())
    return _out(ep, secret)


def list_endpoints(partner_id: str) -> list[schemas.WebhookEndpoint]:
    return [_out(ep) for ep in endpoints_of(partner_id)]


def get_endpoint(partner_id: str, endpoint_id: str) -> schemas.WebhookEndpoint:
    return _out(get_model(partner_id, endpoint_id))


def patch_endpoint(partner_id: str, endpoint_id: str, body: schemas.WebhookEndpointPatch,
                   now: datetime) -> schemas.WebhookEndpoint:
    changes = {k: v for k, v in msgspec.structs.asdict(body).items() if v is not msgspec.UNSET}
    if not changes:
        raise errors.field_error("", "send at least one of url, events, status, description")
    get_model(partner_id, endpoint_id)
    m = WebhookEndpointModel
    actions: list[Action] = [m.updated_at.set(iso(now))]
    if "url" in changes:
        check_url(changes["url"])
        actions.append(m.url.set(changes["url"]))
    if "events" in changes:
        actions.append(m.events.set(sorted(set(changes["events"]))))
    if "description" in changes:
        actions.append(m.description.set(changes["description"]))
    if "status" in changes:
        actions.append(m.status.set(changes["status"]))
        if changes["status"] == "enabled":
            actions.append(m.disabled_reason.remove())
        else:
            actions.append(m.disabled_reason.set("disabled by the partner"))
    try:
        WebhookEndpointModel(id=endpoint_id).update(
            actions=actions, condition=m.partner_id == partner_id)
    except UpdateError as exc:
        if condition_failed(exc):
            raise errors.NotFound(f"No webhook endpoint {endpoint_id}") from None
        raise
    return get_endpoint(partner_id, endpoint_id)


def delete_endpoint(partner_id: str, endpoint_id: str) -> None:
    ep = get_model(partner_id, endpoint_id)
    ep.delete(condition=WebhookEndpointModel.partner_id == partner_id)


def rotate_secret(partner_id: str, endpoint_id: str, now: datetime
                  ) -> schemas.WebhookSecretRotated:
    """A new secret signs at once; the ones active until now keep signing (a second
    `v1=`) for 24 hours, so receivers can switch without losing an event."""
    ep = get_model(partner_id, endpoint_id)
    at, until = iso(now), iso(now + ROTATION_OVERLAP)
    secret = new_secret()
    kept = [dict(s, expires_at=s.get("expires_at") or until) for s in ep.secrets
            if s.get("expires_at") is None or s["expires_at"] > at]
    fresh = [{"sealed": seal(secret, ep.id), "created_at": at, "expires_at": None}, *kept]
    m = WebhookEndpointModel
    try:
        WebhookEndpointModel(id=endpoint_id).update(
            actions=[m.secrets.set(fresh), m.updated_at.set(at)],
            condition=(m.partner_id == partner_id) & (m.updated_at == ep.updated_at))
    except UpdateError as exc:
        if condition_failed(exc):
            raise errors.Conflict("The endpoint changed meanwhile; rotate again") from None
        raise
    return schemas.WebhookSecretRotated(id=endpoint_id, secret=secret,
                                        previous_secrets_expire_at=until if kept else None)


def list_deliveries(partner_id: str, endpoint_id: str, limit: int,
                    cursor: dict[str, Any] | None
                    ) -> tuple[list[schemas.WebhookDelivery], dict[str, Any] | None]:
    """Newest first (`attempts.page`), of the partner's own endpoint only."""
    get_model(partner_id, endpoint_id)
    return attempts.page(endpoint_id, limit, cursor)


# ------------------------------------------------------------------ fan-out


def subscribed(ep: WebhookEndpointModel, event_type: str) -> bool:
    return ep.status == "enabled" and ("*" in ep.events or event_type in ep.events)
