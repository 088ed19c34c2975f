"""The headers every answer carries, whatever produced it."""

from __future__ import annotations

from chalice import Response

# Security headers every answer carries (see `secure`).
NO_STORE = "no-store"
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
PAGE_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def secure(response: Response) -> Response:
    """The headers every answer gets, in one place, whatever produced it.

    - `X-Content-Type-Options: nosniff`: a browser never runs a JSON or CSV body
      (which can echo partner text) as a script or a page.
    - `Cache-Control: no-store` unless the route chose its own (only public, static
      answers do): API keys, codes, player tokens and their idempotent replays must
      never sit in a proxy's or browser's cache.
    - `Content-Security-Policy`: an API answer may not load or frame anything; an
      HTML page without its own policy gets a page policy that runs nothing and
      cannot be framed. Pages with scripts (the widget demo) send their own.
    """
    headers = response.headers
    present = {k.lower() for k in headers}
    if "x-content-type-options" not in present:
        headers["X-Content-Type-Options"] = "nosniff"
    if "cache-control" not in present:
        headers["Cache-Control"] = NO_STORE
    if "content-security-policy" not in present:
        content_type = next((str(v) for k, v in headers.items()
                             if k.lower() == "content-type"), "")
        headers["Content-Security-Policy"] = (
            PAGE_POLICY if content_type.startswith("text/html") else API_POLICY)
    return response
