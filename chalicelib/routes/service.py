"""Liveness, the operator's health (every secret the stage lacks), the OpenAPI
document, the reference page rendering it, and a page for every problem type."""

from __future__ import annotations

from chalice import Blueprint

from chalicelib import schemas
from chalicelib.core import errors, preflight
from chalicelib.edge import assets, openapi, problems
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


# The reference: Swagger UI (vendored, reference/vendor/) on the document above.


@route(bp, "/v1/docs", summary="The API reference: this document, rendered", auth=None,
       produces="text/html", tag="service")
def reference_page(req: Req) -> Reply:
    content_type, text, headers = assets.reference("index.html")
    return Reply(text, content_type=content_type, headers=headers)


@route(bp, "/v1/docs/docs.js", summary="The reference page's starter script", auth=None,
       produces="application/javascript", tag="service")
def reference_script(req: Req) -> Reply:
    content_type, text, headers = assets.reference("docs.js")
    return Reply(text, content_type=content_type, headers=headers)


@route(bp, "/v1/docs/docs.css", summary="The reference and problem pages' style sheet",
       auth=None, produces="text/css", tag="service")
def reference_style(req: Req) -> Reply:
    content_type, text, headers = assets.reference("docs.css")
    return Reply(text, content_type=content_type, headers=headers)


@route(bp, "/v1/docs/swagger-ui-bundle.js", summary="Swagger UI (vendored)", auth=None,
       produces="application/javascript", tag="service")
def reference_viewer(req: Req) -> Reply:
    content_type, text, headers = assets.reference("swagger-ui-bundle.js")
    return Reply(text, content_type=content_type, headers=headers)


@route(bp, "/v1/docs/swagger-ui.css", summary="Swagger UI's style sheet (vendored)",
       auth=None, produces="text/css", tag="service")
def reference_viewer_style(req: Req) -> Reply:
    content_type, text, headers = assets.reference("swagger-ui.css")
    return Reply(text, content_type=content_type, headers=headers)


@route(bp, "/v1/problems", summary="Every problem type", auth=None, produces="text/html",
       tag="service")
def problem_types(req: Req) -> Reply:
    return Reply(problems.index(), content_type="text/html; charset=utf-8",
                 headers={"Content-Security-Policy": assets.PROBLEM_CSP,
                          "Cache-Control": "public, max-age=300"})


@route(bp, "/v1/problems/{problem}", summary="What a problem type means and what to do",
       auth=None, produces="text/html", tag="service", errors=(errors.NotFound,))
def problem_type(req: Req, problem: str) -> Reply:
    return Reply(problems.page(problem), content_type="text/html; charset=utf-8",
                 headers={"Content-Security-Policy": assets.PROBLEM_CSP,
                          "Cache-Control": "public, max-age=300"})
