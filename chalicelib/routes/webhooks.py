"""Webhook endpoints, their deliveries, and the event log."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import schemas
from chalicelib.access import auth
from chalicelib.core import errors
from chalicelib.delivery import endpoints, events, redelivery
from chalicelib.edge import contract
from chalicelib.edge.contract import CURSOR, LIMIT, Reply, Req, When
from chalicelib.edge.http import route

bp = Blueprint(__name__)


HOOKS = ("webhooks:manage",)
ENDPOINT_ERRORS = (When(errors.WebhookUrlNotAllowed,
                        "not https (deployed), or the host resolves to a private, loopback, "
                        "link-local or metadata address"),)


@route(bp, "/v1/webhook-endpoints", "POST",
       summary="Add a webhook endpoint; its signing secret is in this answer only",
       scopes=HOOKS, body=schemas.WebhookEndpointCreate, response=schemas.WebhookEndpoint,
       status=201, tag="webhooks",
       errors=(*ENDPOINT_ERRORS, errors.TooManyWebhookEndpoints))
def create_webhook_endpoint(req: Req) -> Reply:
    return Reply(endpoints.create_endpoint(req.principal.partner_id, req.body, req.now), 201)


@route(bp, "/v1/webhook-endpoints", summary="The partner's webhook endpoints (no secrets)",
       scopes=HOOKS, response=schemas.WebhookEndpointPage, tag="webhooks")
def list_webhook_endpoints(req: Req) -> Reply:
    return Reply(schemas.WebhookEndpointPage(
        data=endpoints.list_endpoints(req.principal.partner_id)))


@route(bp, "/v1/webhook-endpoints/{endpoint_id}", summary="A webhook endpoint (no secret)",
       scopes=HOOKS, response=schemas.WebhookEndpoint, tag="webhooks")
def get_webhook_endpoint(req: Req, endpoint_id: str) -> Reply:
    return Reply(endpoints.get_endpoint(req.principal.partner_id, endpoint_id))


@route(bp, "/v1/webhook-endpoints/{endpoint_id}", "PATCH",
       summary="Change an endpoint's url, events, description or status (enable it again "
               "after it was disabled)", scopes=HOOKS, body=schemas.WebhookEndpointPatch,
       response=schemas.WebhookEndpoint, tag="webhooks", errors=ENDPOINT_ERRORS)
def patch_webhook_endpoint(req: Req, endpoint_id: str) -> Reply:
    return Reply(endpoints.patch_endpoint(req.principal.partner_id, endpoint_id, req.body,
                                         req.now))


@route(bp, "/v1/webhook-endpoints/{endpoint_id}", "DELETE", summary="Delete a webhook endpoint",
       scopes=HOOKS, status=204, tag="webhooks")
def delete_webhook_endpoint(req: Req, endpoint_id: str) -> Reply:
    endpoints.delete_endpoint(req.principal.partner_id, endpoint_id)
    return Reply(None, 204)


@route(bp, "/v1/webhook-endpoints/{endpoint_id}/rotate-secret", "POST",
       summary="A new signing secret (shown once); the previous one keeps signing beside it "
               "for 24 hours", scopes=HOOKS, response=schemas.WebhookSecretRotated,
       tag="webhooks", errors=(When(errors.Conflict, "changed meanwhile; rotate again"),))
def rotate_webhook_secret(req: Req, endpoint_id: str) -> Reply:
    return Reply(endpoints.rotate_secret(req.principal.partner_id, endpoint_id, req.now))


@route(bp, "/v1/webhook-endpoints/{endpoint_id}/deliveries",
       summary="Delivery attempts to this endpoint, newest first (kept 30 days)",
       scopes=HOOKS, response=schemas.WebhookDeliveryPage, query=(LIMIT, CURSOR),
       tag="webhooks")
def list_webhook_deliveries(req: Req, endpoint_id: str) -> Reply:
    items, nxt = endpoints.list_deliveries(req.principal.partner_id, endpoint_id, req.limit,
                                          req.cursor)
    return Reply(schemas.WebhookDeliveryPage(data=items, next_cursor=contract.encode_cursor(nxt)))


@route(bp, "/v1/events", summary="Events of the last 30 days, newest first (poll instead of "
       "listening); a spin's player_id masked unless the key also holds players:read",
       scopes=HOOKS, response=schemas.EventPage, tag="webhooks",
       query=(LIMIT, CURSOR,
              contract.Param("type", "Only events of this type", {"type": "string",
                                                              "enum": list(events.TYPES)}),
              contract.Param("campaign_id", "Only events of this campaign", {"type": "string"})))
def list_events(req: Req) -> Reply:
    items, nxt = events.list_page(req.principal.partner_id, req.query("type"),
                                  req.query("campaign_id"), req.limit, req.cursor,
                                  reveal_players=auth.sees_players(req.principal))
    return Reply(schemas.EventPage(data=items, next_cursor=contract.encode_cursor(nxt)))


@route(bp, "/v1/events/{event_id}", summary="One event (kept 30 days); a spin's player_id "
       "masked unless the key also holds players:read", scopes=HOOKS,
       response=schemas.Event, tag="webhooks")
def get_event(req: Req, event_id: str) -> Reply:
    return Reply(events.get(req.principal.partner_id, event_id,
                            reveal_players=auth.sees_players(req.principal)))


@route(bp, "/v1/events/{event_id}/redeliver", "POST",
       summary="Send an event again to every enabled endpoint subscribed to its type (an "
               f"event at most {redelivery.EVENT_PER_HOUR} times an hour, an endpoint at most "
               f"{redelivery.ENDPOINT_PER_MINUTE} redelivered deliveries a minute)",
       scopes=HOOKS, response=schemas.Redelivery, status=202, tag="webhooks",
       errors=(When(errors.RateLimited, "beyond a redelivery budget, with Retry-After"),))
def redeliver_event(req: Req, event_id: str) -> Reply:
    return Reply(events.redeliver(req.principal.partner_id, event_id), 202)
