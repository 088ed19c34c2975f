"""Ids the service derives look like the ids it draws."""

from __future__ import annotations

import types

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.bulk import batches
from chalicelib.core.ids import ID_ALPHABET, new_id


@given(pk=st.text(), fingerprint=st.text())
def test_batch_id_derived_from_a_request_looks_like_a_random_id(pk, fingerprint):
    """Both come from common.ID_ALPHABET: a derived id passes every check a random
    one does (prefix, length, characters)."""
    derived = batches.batch_id_for(types.SimpleNamespace(pk=pk, fingerprint=fingerprint))
    drawn = new_id("bat")

    assert len(derived) == len(drawn)
    assert derived[:4] == drawn[:4] == "bat_"
    assert set(derived[4:]) <= set(ID_ALPHABET) and set(drawn[4:]) <= set(ID_ALPHABET)
