"""`stored_json_size` (the size a free-form JSON field is limited by) is the size PostgreSQL keeps: for any JSON
value, sent as the app sends it, it equals the length of the jsonb's own text less the one space jsonb writes after
each `:` and `,`. A number JSON writes short (1e308, 1e-320) counts written out in full, as it is stored."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assetgraph.domain import json_text
from assetgraph.domain.field_rules import MAX_JSON_BYTES, RuleBroken, json_value, stored_json_size
from tests.persistence.own_loop import connection_on_own_loop

# What a client can send: PostgreSQL's jsonb takes no NUL character and no lone surrogate (the API refuses both at
# the edge), nor NaN or infinities (JSON has none).
_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=8)
_NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e308, -1e308, 1e-320, 5e-324, 1e22, 1e-7, 100.0, -0.0, 0.0, 1.5e300]),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | _NUMBERS | _TEXT,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(_TEXT, inner, max_size=5),
    max_leaves=30,
)


def _separators(value: Any) -> int:
    """How many `:` and `,` a compact JSON text of `value` holds outside its strings."""
    if isinstance(value, dict):
        return len(value) + max(len(value) - 1, 0) + sum(map(_separators, value.values()))
    if isinstance(value, list):
        return max(len(value) - 1, 0) + sum(map(_separators, value))
    return 0


@pytest.fixture(scope="module")
def jsonb_size(database_url: str) -> Iterator[Any]:
    with connection_on_own_loop(database_url) as (runner, conn):

        def size(value: Any) -> int:
            stored: int = runner.run(conn.fetchval("SELECT octet_length($1::jsonb::text)", json_text.dumps(value)))
            return stored

        yield size


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
def test_the_size_counted_is_the_size_postgresql_keeps(jsonb_size: Any, value: Any) -> None:
    assert stored_json_size(value) == jsonb_size(value) - _separators(value)


def test_a_value_small_to_send_but_large_once_stored_is_refused(jsonb_size: Any) -> None:
    value = {"a": [1e308] * 100}  # 912 bytes as sent, 31,007 as stored
    assert len(json_text.dumps(value)) < 1000 < MAX_JSON_BYTES < jsonb_size(value)
    with pytest.raises(RuleBroken, match="at most 16384 bytes"):
        json_value()(value)


def test_a_jsonb_number_is_written_out_in_full(jsonb_size: Any) -> None:
    # the fact the rule rests on, shown on PostgreSQL itself
    assert jsonb_size([1e308]) == len("[1" + "0" * 308 + "]")
