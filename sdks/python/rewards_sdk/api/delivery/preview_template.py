from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.preview import Preview
from ...models.preview_request import PreviewRequest
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    channel: str,
    locale: str,
    kind: str,
    *,
    body: PreviewRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/delivery/templates/{channel}/{locale}/{kind}/preview".format(
            channel=quote(str(channel), safe=""),
            locale=quote(str(locale), safe=""),
            kind=quote(str(kind), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Preview | Problem | None:
    if response.status_code == 200:
        response_200 = Preview.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Preview | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    channel: str,
    locale: str,
    kind: str,
    *,
    client: AuthenticatedClient,
    body: PreviewRequest,
) -> Response[Preview | Problem]:
    """Render a template with sample values (or those given), as the recipient would get it: nothing is
    sent. An SMS says its encoding and segments

     Scope: `campaigns:write`

    Args:
        channel (str):
        locale (str):
        kind (str):
        body (PreviewRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Preview | Problem]
    """

    kwargs = _get_kwargs(
        channel=channel,
        locale=locale,
        kind=kind,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    channel: str,
    locale: str,
    kind: str,
    *,
    client: AuthenticatedClient,
    body: PreviewRequest,
) -> Preview | Problem | None:
    """Render a template with sample values (or those given), as the recipient would get it: nothing is
    sent. An SMS says its encoding and segments

     Scope: `campaigns:write`

    Args:
        channel (str):
        locale (str):
        kind (str):
        body (PreviewRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Preview | Problem
    """

    return sync_detailed(
        channel=channel,
        locale=locale,
        kind=kind,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    channel: str,
    locale: str,
    kind: str,
    *,
    client: AuthenticatedClient,
    body: PreviewRequest,
) -> Response[Preview | Problem]:
    """Render a template with sample values (or those given), as the recipient would get it: nothing is
    sent. An SMS says its encoding and segments

     Scope: `campaigns:write`

    Args:
        channel (str):
        locale (str):
        kind (str):
        body (PreviewRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Preview | Problem]
    """

    kwargs = _get_kwargs(
        channel=channel,
        locale=locale,
        kind=kind,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    channel: str,
    locale: str,
    kind: str,
    *,
    client: AuthenticatedClient,
    body: PreviewRequest,
) -> Preview | Problem | None:
    """Render a template with sample values (or those given), as the recipient would get it: nothing is
    sent. An SMS says its encoding and segments

     Scope: `campaigns:write`

    Args:
        channel (str):
        locale (str):
        kind (str):
        body (PreviewRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Preview | Problem
    """

    return (
        await asyncio_detailed(
            channel=channel,
            locale=locale,
            kind=kind,
            client=client,
            body=body,
        )
    ).parsed
