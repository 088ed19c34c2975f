from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.blocklist_entry import BlocklistEntry
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    campaign_id: str,
    entry: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/campaigns/{campaign_id}/blocklist/{entry}".format(
            campaign_id=quote(str(campaign_id), safe=""),
            entry=quote(str(entry), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BlocklistEntry | Problem | None:
    if response.status_code == 200:
        response_200 = BlocklistEntry.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BlocklistEntry | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    campaign_id: str,
    entry: str,
    *,
    client: AuthenticatedClient,
) -> Response[BlocklistEntry | Problem]:
    """Deny a player (`{entry}` = the player id) or a device (`device:<id>`) the campaign's plays: 403
    `play_blocked` within 30 seconds everywhere

     Scope: `campaigns:write`

    Args:
        campaign_id (str):
        entry (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BlocklistEntry | Problem]
    """

    kwargs = _get_kwargs(
        campaign_id=campaign_id,
        entry=entry,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    campaign_id: str,
    entry: str,
    *,
    client: AuthenticatedClient,
) -> BlocklistEntry | Problem | None:
    """Deny a player (`{entry}` = the player id) or a device (`device:<id>`) the campaign's plays: 403
    `play_blocked` within 30 seconds everywhere

     Scope: `campaigns:write`

    Args:
        campaign_id (str):
        entry (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BlocklistEntry | Problem
    """

    return sync_detailed(
        campaign_id=campaign_id,
        entry=entry,
        client=client,
    ).parsed


async def asyncio_detailed(
    campaign_id: str,
    entry: str,
    *,
    client: AuthenticatedClient,
) -> Response[BlocklistEntry | Problem]:
    """Deny a player (`{entry}` = the player id) or a device (`device:<id>`) the campaign's plays: 403
    `play_blocked` within 30 seconds everywhere

     Scope: `campaigns:write`

    Args:
        campaign_id (str):
        entry (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BlocklistEntry | Problem]
    """

    kwargs = _get_kwargs(
        campaign_id=campaign_id,
        entry=entry,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    campaign_id: str,
    entry: str,
    *,
    client: AuthenticatedClient,
) -> BlocklistEntry | Problem | None:
    """Deny a player (`{entry}` = the player id) or a device (`device:<id>`) the campaign's plays: 403
    `play_blocked` within 30 seconds everywhere

     Scope: `campaigns:write`

    Args:
        campaign_id (str):
        entry (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BlocklistEntry | Problem
    """

    return (
        await asyncio_detailed(
            campaign_id=campaign_id,
            entry=entry,
            client=client,
        )
    ).parsed
