"""Liveness, the operator's health (every secret the stage lacks), and the OpenAPI
document."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import schemas
from chalicelib.core import preflight
from chalicelib.edge import openapi
from chalicelib.edge.contract import Reply, Req
from chalicelib.edge.http import route

bp = Blueprint(__name__)


@route(bp, "/v1/health", summary="Liveness", auth=None, response=schemas.Health, tag="service",
       cors=True)
def health(req: Req) -> Reply:
    return Reply(schemas.Health(status="ok"))


@route(bp, "/v1/admin/health",
       summary="The operator's health: every secret this stage lacks or cannot use, named "
               "(never shown), before a request needs it",
       auth="admin", response=schemas.OperatorHealth, tag="admin")
def operator_health(req: Req) -> Reply:
    problems = [schemas.SecretProblem(setting=p.setting, problem=p.problem)
                for p in preflight.this_stage()]
    return Reply(schemas.OperatorHealth(status="misconfigured" if problems else "ok",
                                        problems=problems))


@route(bp, "/v1/openapi.json", summary="This API's OpenAPI 3.1 document", auth=None,
       tag="service", cors=True)
def openapi_document(req: Req) -> Reply:
    return Reply(openapi.document())
