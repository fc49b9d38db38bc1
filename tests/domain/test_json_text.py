"""orjson behind JSONB columns and responses gives exactly the standard library's values, on the values where the
two libraries differ (json_text.py)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetgraph.domain import json_text

TRICKY_TEXTS = [
    "123456789012345678901234567890",  # orjson alone reads this as a float, losing digits
    "-9223372036854775809",
    "18446744073709551615",
    '{"id": 123456789012345678901, "name": "x"}',
    '{"hash": "12345678901234567890123", "n": 1.5}',  # a long digit run inside a string
    "1e400",  # beyond a double: orjson refuses, the library reads inf
    "1.5e-400",
    "-0",
    "0.1",
    "1E2",
    '"\\u00e9\\u2028\\ud83d\\ude00"',
    '{"a": 1, "a": 2}',
    "[]",
    "null",
]


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_reading_gives_the_standard_librarys_value(text: str) -> None:
    expected = json.loads(text)
    read = json_text.loads(text)
    assert read == expected and type(read) is type(expected)
    assert json_text.loads(text.encode()) == expected


@pytest.mark.parametrize("text", ["NaN", '{"a": Infinity}', "{", '"\\ud800"'])
def test_what_orjson_refuses_is_read_or_refused_as_the_standard_library_does(text: str) -> None:
    try:
        expected: Any = json.loads(text)
    except json.JSONDecodeError:
        with pytest.raises(json.JSONDecodeError):
            json_text.loads(text)
        return
    read = json_text.loads(text)
    assert repr(read) == repr(expected)  # NaN != NaN; its repr is stable


TRICKY_VALUES: list[Any] = [
    {"name": "é 日本 \u2028 \x00 \U0001f600", "quote": '"\\'},
    2**64,
    -(2**63) - 1,
    {"big": [2**70, -(2**70)], "small": 2**63},
    {1: "integer key", None: "null key", 2.5: "float key"},
    [0.1, 1e16, 1e-7, 5e-324, 1.7976931348623157e308, -0.0, 3.0],
    {"data": {"assets": {"edges": []}}, "errors": [{"message": "x", "path": ["a", 0]}]},
]


@pytest.mark.parametrize("value", TRICKY_VALUES)
def test_writing_gives_the_standard_librarys_content(value: Any) -> None:
    written = json_text.dumps(value)
    assert isinstance(written, str)
    assert json.loads(written) == json.loads(json.dumps(value))


def test_a_nan_is_never_written_as_invalid_json() -> None:
    # the standard library writes NaN, which no JSON parser reads; the schema's Float refuses NaN before encoding
    written = json_text.dumps({"x": math.nan, "y": math.inf})
    assert json.loads(written, parse_constant=lambda name: pytest.fail(f"wrote {name}")) == {"x": None, "y": None}


_json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text()),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@given(_json_values)
def test_any_json_value_round_trips_as_with_the_standard_library(value: Any) -> None:
    assert json.loads(json_text.dumps(value)) == json.loads(json.dumps(value))
    text = json.dumps(value)
    assert json_text.loads(text) == json.loads(text)
