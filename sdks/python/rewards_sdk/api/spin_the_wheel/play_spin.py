from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.spin import Spin
from ...models.spin_request import SpinRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: SpinRequest,
    idempotency_key: str,
    rewards_device_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    if not isinstance(rewards_device_id, Unset):
        headers["Rewards-Device-Id"] = rewards_device_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/play/spins",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Spin | None:
    if response.status_code == 201:
        response_201 = Spin.from_dict(response.json())

        return response_201

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Spin]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SpinRequest,
    idempotency_key: str,
    rewards_device_id: str | Unset = UNSET,
) -> Response[Problem | Spin]:
    """Play: spin the wheel, scratch a card or open an envelope (`pick`); send `Rewards-Device-Id` (a
    random id the widget keeps) for the campaign's fraud controls

    Args:
        idempotency_key (str):
        rewards_device_id (str | Unset):
        body (SpinRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Spin]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        rewards_device_id=rewards_device_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: SpinRequest,
    idempotency_key: str,
    rewards_device_id: str | Unset = UNSET,
) -> Problem | Spin | None:
    """Play: spin the wheel, scratch a card or open an envelope (`pick`); send `Rewards-Device-Id` (a
    random id the widget keeps) for the campaign's fraud controls

    Args:
        idempotency_key (str):
        rewards_device_id (str | Unset):
        body (SpinRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Spin
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        rewards_device_id=rewards_device_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SpinRequest,
    idempotency_key: str,
    rewards_device_id: str | Unset = UNSET,
) -> Response[Problem | Spin]:
    """Play: spin the wheel, scratch a card or open an envelope (`pick`); send `Rewards-Device-Id` (a
    random id the widget keeps) for the campaign's fraud controls

    Args:
        idempotency_key (str):
        rewards_device_id (str | Unset):
        body (SpinRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Spin]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        rewards_device_id=rewards_device_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SpinRequest,
    idempotency_key: str,
    rewards_device_id: str | Unset = UNSET,
) -> Problem | Spin | None:
    """Play: spin the wheel, scratch a card or open an envelope (`pick`); send `Rewards-Device-Id` (a
    random id the widget keeps) for the campaign's fraud controls

    Args:
        idempotency_key (str):
        rewards_device_id (str | Unset):
        body (SpinRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Spin
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            rewards_device_id=rewards_device_id,
        )
    ).parsed
