from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.template import Template
from ...models.template_body import TemplateBody
from ...types import Response


def _get_kwargs(
    channel: str,
    locale: str,
    kind: str,
    *,
    body: TemplateBody,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/delivery/templates/{channel}/{locale}/{kind}".format(
            channel=quote(str(channel), safe=""),
            locale=quote(str(locale), safe=""),
            kind=quote(str(kind), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
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
    body: TemplateBody,
) -> Response[Problem | Template]:
    """Set a message template. Placeholders: {{recipient_name}}, {{amount}}, {{expires_on}}, {{gift_url}},
    {{partner_name}}; any other is refused (422), and so is a gift code: messages carry the link

     Scope: `campaigns:write`

    Args:
        channel (str):
        locale (str):
        kind (str):
        body (TemplateBody): One template; which fields apply depends on the channel (email:
            subject, html,
                text?; sms: text, transliterate?; zalo: zalo_params, zalo_template_id?).

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
    body: TemplateBody,
) -> Problem | Template | None:
    """Set a message template. Placeholders: {{recipient_name}}, {{amount}}, {{expires_on}}, {{gift_url}},
    {{partner_name}}; any other is refused (422), and so is a gift code: messages carry the link

     Scope: `campaigns:write`

    Args:
        channel (str):
        locale (str):
        kind (str):
        body (TemplateBody): One template; which fields apply depends on the channel (email:
            subject, html,
                text?; sms: text, transliterate?; zalo: zalo_params, zalo_template_id?).

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
        body=body,
    ).parsed


async def asyncio_detailed(
    channel: str,
    locale: str,
    kind: str,
    *,
    client: AuthenticatedClient,
    body: TemplateBody,
) -> Response[Problem | Template]:
    """Set a message template. Placeholders: {{recipient_name}}, {{amount}}, {{expires_on}}, {{gift_url}},
    {{partner_name}}; any other is refused (422), and so is a gift code: messages carry the link

     Scope: `campaigns:write`

    Args:
        channel (str):
        locale (str):
        kind (str):
        body (TemplateBody): One template; which fields apply depends on the channel (email:
            subject, html,
                text?; sms: text, transliterate?; zalo: zalo_params, zalo_template_id?).

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
    body: TemplateBody,
) -> Problem | Template | None:
    """Set a message template. Placeholders: {{recipient_name}}, {{amount}}, {{expires_on}}, {{gift_url}},
    {{partner_name}}; any other is refused (422), and so is a gift code: messages carry the link

     Scope: `campaigns:write`

    Args:
        channel (str):
        locale (str):
        kind (str):
        body (TemplateBody): One template; which fields apply depends on the channel (email:
            subject, html,
                text?; sms: text, transliterate?; zalo: zalo_params, zalo_template_id?).

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
            body=body,
        )
    ).parsed
