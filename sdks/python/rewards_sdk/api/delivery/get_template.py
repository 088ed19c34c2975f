from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.template import Template
from ...types import Response


def _get_kwargs(
    channel: str,
    locale: str,
    kind: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/delivery/templates/{channel}/{locale}/{kind}".format(
            channel=quote(str(channel), safe=""),
            locale=quote(str(locale), safe=""),
            kind=quote(str(kind), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Template | None:
    if response.status_code == 200:
        response_200 = Template.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Template]:
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
) -> Response[Problem | Template]:
    """A message template: the partner's, or the default until it sets one

     Scope: `campaigns:write` or `campaigns:read`

    Args:
        channel (str):
        locale (str):
        kind (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Template]
    """

    kwargs = _get_kwargs(
        channel=channel,
        locale=locale,
        kind=kind,
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
) -> Problem | Template | None:
    """A message template: the partner's, or the default until it sets one

     Scope: `campaigns:write` or `campaigns:read`

    Args:
        channel (str):
        locale (str):
        kind (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Template
    """

    return sync_detailed(
        channel=channel,
        locale=locale,
        kind=kind,
        client=client,
    ).parsed


async def asyncio_detailed(
    channel: str,
    locale: str,
    kind: str,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | Template]:
    """A message template: the partner's, or the default until it sets one

     Scope: `campaigns:write` or `campaigns:read`

    Args:
        channel (str):
        locale (str):
        kind (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Template]
    """

    kwargs = _get_kwargs(
        channel=channel,
        locale=locale,
        kind=kind,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    channel: str,
    locale: str,
    kind: str,
    *,
    client: AuthenticatedClient,
) -> Problem | Template | None:
    """A message template: the partner's, or the default until it sets one

     Scope: `campaigns:write` or `campaigns:read`

    Args:
        channel (str):
        locale (str):
        kind (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Template
    """

    return (
        await asyncio_detailed(
            channel=channel,
            locale=locale,
            kind=kind,
            client=client,
        )
    ).parsed
