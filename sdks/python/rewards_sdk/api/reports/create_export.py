from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_export_unmask import CreateExportUnmask
from ...models.export import Export
from ...models.export_create import ExportCreate
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    campaign_id: str,
    *,
    body: ExportCreate,
    unmask: CreateExportUnmask | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    json_unmask: str | Unset = UNSET
    if not isinstance(unmask, Unset):
        json_unmask = unmask.value

    params["unmask"] = json_unmask

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/campaigns/{campaign_id}/exports".format(
            campaign_id=quote(str(campaign_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Export | Problem | None:
    if response.status_code == 202:
        response_202 = Export.from_dict(response.json())

        return response_202

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Export | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    campaign_id: str,
    *,
    client: AuthenticatedClient,
    body: ExportCreate,
    unmask: CreateExportUnmask | Unset = UNSET,
) -> Response[Export | Problem]:
    """Export a campaign's draw log, gifts or results as CSV, in the background (any size): 202, then poll
    GET /v1/exports/{export_id}

     Scope: `reports:read`

    Args:
        campaign_id (str):
        unmask (CreateExportUnmask | Unset):
        body (ExportCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Export | Problem]
    """

    kwargs = _get_kwargs(
        campaign_id=campaign_id,
        body=body,
        unmask=unmask,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    campaign_id: str,
    *,
    client: AuthenticatedClient,
    body: ExportCreate,
    unmask: CreateExportUnmask | Unset = UNSET,
) -> Export | Problem | None:
    """Export a campaign's draw log, gifts or results as CSV, in the background (any size): 202, then poll
    GET /v1/exports/{export_id}

     Scope: `reports:read`

    Args:
        campaign_id (str):
        unmask (CreateExportUnmask | Unset):
        body (ExportCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Export | Problem
    """

    return sync_detailed(
        campaign_id=campaign_id,
        client=client,
        body=body,
        unmask=unmask,
    ).parsed


async def asyncio_detailed(
    campaign_id: str,
    *,
    client: AuthenticatedClient,
    body: ExportCreate,
    unmask: CreateExportUnmask | Unset = UNSET,
) -> Response[Export | Problem]:
    """Export a campaign's draw log, gifts or results as CSV, in the background (any size): 202, then poll
    GET /v1/exports/{export_id}

     Scope: `reports:read`

    Args:
        campaign_id (str):
        unmask (CreateExportUnmask | Unset):
        body (ExportCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Export | Problem]
    """

    kwargs = _get_kwargs(
        campaign_id=campaign_id,
        body=body,
        unmask=unmask,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    campaign_id: str,
    *,
    client: AuthenticatedClient,
    body: ExportCreate,
    unmask: CreateExportUnmask | Unset = UNSET,
) -> Export | Problem | None:
    """Export a campaign's draw log, gifts or results as CSV, in the background (any size): 202, then poll
    GET /v1/exports/{export_id}

     Scope: `reports:read`

    Args:
        campaign_id (str):
        unmask (CreateExportUnmask | Unset):
        body (ExportCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Export | Problem
    """

    return (
        await asyncio_detailed(
            campaign_id=campaign_id,
            client=client,
            body=body,
            unmask=unmask,
        )
    ).parsed
