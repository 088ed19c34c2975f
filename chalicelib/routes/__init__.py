"""The API's routes: one Chalice Blueprint per area. Each route parses, authorises,
calls one function below it and shapes the answer (`chalicelib.edge.http.route`
does the rest: auth, body, idempotency, problem+json, the OpenAPI entry).

The areas are imported in the order the OpenAPI document lists them: a route's
place in the document is the order it was declared in."""

from __future__ import annotations

# isort: off
from chalicelib.routes import (service, admin, campaigns, gifts, deliveries, till, insights,
                               play, bulk, webhooks, recipients, outreach, delivery_settings,
                               gift_page, assets)
# isort: on

BLUEPRINTS = (service.bp, admin.bp, campaigns.bp, gifts.bp, deliveries.bp, till.bp, insights.bp,
              play.bp, bulk.bp, webhooks.bp, recipients.bp, outreach.bp, delivery_settings.bp,
              gift_page.bp, assets.bp)
