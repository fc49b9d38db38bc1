"""The number rules of inputs: a zero is kept without its sign, whichever rule reads it, and an embedding's numbers
must fit the 32-bit floats pgvector stores (a number beyond one was an internal error at the database)."""

from __future__ import annotations

import math

import pytest

from assetgraph.domain.field_rules import FLOAT32_MAX, FLOAT32_OVERFLOW, RuleBroken, finite, non_negative, vector


@pytest.mark.parametrize("rule", [non_negative(), finite()], ids=["non_negative", "finite"])
def test_a_negative_zero_is_kept_as_zero(rule: object) -> None:
    kept = rule(-0.0)  # type: ignore[operator]
    assert kept == 0.0 and math.copysign(1.0, kept) == 1.0


def test_an_embeddings_negative_zeros_are_kept_as_zeros() -> None:
    assert [math.copysign(1.0, n) for n in vector(3)([-0.0, 0.0, -0.0])] == [1.0, 1.0, 1.0]


def test_a_negative_number_is_still_refused_where_it_must_not_be() -> None:
    with pytest.raises(RuleBroken, match="must not be negative"):
        non_negative()(-1e-300)


@pytest.mark.parametrize(
    "number",
    [
        FLOAT32_MAX,
        -FLOAT32_MAX,
        3.4028235e38,  # the largest 32-bit float as pgvector writes it back: a round trip must be taken again
        math.nextafter(FLOAT32_OVERFLOW, 0.0),  # rounds down to the largest
        1e-60,
        -1e-45,
        0.0,
        1.0,
    ],
    ids=repr,
)
def test_an_embedding_takes_every_number_a_32_bit_float_holds(number: float) -> None:
    assert vector(2)([number, 0.5]) == [number, 0.5]  # a number too small for one is stored as 0 by pgvector


@pytest.mark.parametrize("number", [FLOAT32_OVERFLOW, -FLOAT32_OVERFLOW, 3.5e38, 1e39, 1e308, -1e308], ids=repr)
def test_an_embedding_refuses_a_number_beyond_a_32_bit_float_naming_its_place(number: float) -> None:
    with pytest.raises(RuleBroken, match=r"32-bit float .* at index 1\)"):
        vector(3)([0.0, number, 0.0])
