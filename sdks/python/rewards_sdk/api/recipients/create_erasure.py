from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.erasure import Erasure
from ...models.erasure_create import ErasureCreate
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: ErasureCreate,
    idempotency_key: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/recipients/erasures",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Erasure | Problem | None:
    if response.status_code == 200:
        response_200 = Erasure.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Erasure | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ErasureCreate,
    idempotency_key: str,
) -> Response[Erasure | Problem]:
    """Erase a recipient's phone or email, or a player's id, from every gift, spin, delivery and event of
    yours, at once; amounts, balances and history stay. Makes the event recipient.erased (which names no
    contact)

     Scope: `gifts:issue`

    Args:
        idempotency_key (str):
        body (ErasureCreate): Exactly one of `phone`, `email`, `player_id`. A phone matches
            however it was
                written on the gifts (`+84 901 234 567`, `0901234567`, `84901234567`); an email
                without regard to case.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Erasure | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ErasureCreate,
    idempotency_key: str,
) -> Erasure | Problem | None:
    """Erase a recipient's phone or email, or a player's id, from every gift, spin, delivery and event of
    yours, at once; amounts, balances and history stay. Makes the event recipient.erased (which names no
    contact)

     Scope: `gifts:issue`

    Args:
        idempotency_key (str):
        body (ErasureCreate): Exactly one of `phone`, `email`, `player_id`. A phone matches
            however it was
                written on the gifts (`+84 901 234 567`, `0901234567`, `84901234567`); an email
                without regard to case.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Erasure | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ErasureCreate,
    idempotency_key: str,
) -> Response[Erasure | Problem]:
    """Erase a recipient's phone or email, or a player's id, from every gift, spin, delivery and event of
    yours, at once; amounts, balances and history stay. Makes the event recipient.erased (which names no
    contact)

     Scope: `gifts:issue`

    Args:
        idempotency_key (str):
        body (ErasureCreate): Exactly one of `phone`, `email`, `player_id`. A phone matches
            however it was
                written on the gifts (`+84 901 234 567`, `0901234567`, `84901234567`); an email
                without regard to case.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Erasure | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ErasureCreate,
    idempotency_key: str,
) -> Erasure | Problem | None:
    """Erase a recipient's phone or email, or a player's id, from every gift, spin, delivery and event of
    yours, at once; amounts, balances and history stay. Makes the event recipient.erased (which names no
    contact)

     Scope: `gifts:issue`

    Args:
        idempotency_key (str):
        body (ErasureCreate): Exactly one of `phone`, `email`, `player_id`. A phone matches
            however it was
                written on the gifts (`+84 901 234 567`, `0901234567`, `84901234567`); an email
                without regard to case.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Erasure | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
