"""How a partner presents itself to its recipients: on the gift page and in every
message. Stored on the partner's item, off every hot path."""

from __future__ import annotations

import msgspec
from pynamodb.exceptions import UpdateError

from chalicelib import schemas
from chalicelib.core import errors
from chalicelib.store.models import PartnerModel
from chalicelib.store.retry import condition_failed


def get(partner_id: str) -> schemas.Branding:
    """A partner that set no branding shows its own name."""
    try:
        p = PartnerModel.get(partner_id)
    except PartnerModel.DoesNotExist:
        raise errors.NotFound("No such partner") from None
    if p.branding:
        return msgspec.convert(p.branding, schemas.Branding)
    return schemas.Branding(display_name=p.name)


def display_name(partner_id: str) -> str:
    return get(partner_id).display_name


def put(partner_id: str, body: schemas.Branding) -> schemas.Branding:
    """One conditional write: a partner that does not exist is not created."""
    try:
        PartnerModel(id=partner_id).update(
            actions=[PartnerModel.branding.set(msgspec.to_builtins(body))],
            condition=PartnerModel.id.exists())
    except UpdateError as exc:
        if condition_failed(exc):
            raise errors.NotFound("No such partner") from None
        raise
    return body
