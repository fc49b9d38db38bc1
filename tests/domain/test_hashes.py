"""SHA-256 validation and the perceptual-hash rules (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assetgraph.domain.errors import BadUserInput
from assetgraph.domain.hashes import (
    from_stored_phash,
    hamming_distance,
    is_degenerate_phash,
    normalize_sha256,
    parse_sha256,
    similarity_distance_error,
    to_stored_phash,
)

HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def test_a_sha256_in_any_case_reads_as_lower_case() -> None:
    assert normalize_sha256(HASH) == HASH
    assert normalize_sha256(HASH.upper()) == HASH
    assert normalize_sha256("9F86d081884C7D659A2FEAA0C55AD015a3bf4f1b2b0b822cd15d6c15b0f00A08") == HASH


@pytest.mark.parametrize(
    "value",
    [
        "",
        HASH[:-1],
        HASH + "0",
        " " + HASH[1:],
        HASH[:-1] + "\n",
        HASH[:-1] + "g",
        "\uff10" + HASH[1:],  # a full-width zero is a digit, but not a hexadecimal character
        "0x" + HASH[2:],
    ],
)
def test_anything_but_64_hexadecimal_characters_is_not_a_sha256(value: str) -> None:
    assert normalize_sha256(value) is None
    with pytest.raises(BadUserInput) as refused:
        parse_sha256(value, field="sha256s[2]")
    assert (refused.value.field, refused.value.message) == (
        "sha256s[2]",
        "'sha256s[2]' is not a SHA-256 hash: a SHA-256 hash is 64 hexadecimal characters.",
    )


@pytest.mark.parametrize(
    ("unsigned", "stored"),
    [
        (0, 0),
        (1, 1),
        (2**63 - 1, 2**63 - 1),
        (2**63, -(2**63)),
        (2**64 - 1, -1),
        (0xC07C1DE84A476D3E, -4576750237799453378),
    ],
)
def test_the_stored_form_is_the_same_64_bits_read_as_signed(unsigned: int, stored: int) -> None:
    assert to_stored_phash(unsigned) == stored
    assert from_stored_phash(stored) == unsigned


@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_storing_a_hash_loses_nothing(phash: int) -> None:
    stored = to_stored_phash(phash)
    assert -(2**63) <= stored < 2**63
    assert from_stored_phash(stored) == phash


@pytest.mark.parametrize("value", [-1, 2**64])
def test_a_value_outside_64_bits_is_not_a_perceptual_hash(value: int) -> None:
    with pytest.raises(ValueError):
        to_stored_phash(value)


@pytest.mark.parametrize("value", [-(2**63) - 1, 2**63])
def test_a_value_outside_bigint_is_not_a_stored_hash(value: int) -> None:
    with pytest.raises(ValueError):
        from_stored_phash(value)


def _bits(count: int) -> int:
    """A hash with its `count` highest bits set, so that the sign bit is among them."""
    return ((1 << count) - 1) << (64 - count) if count else 0


@pytest.mark.parametrize(
    ("bits", "degenerate"),
    [(0, True), (1, True), (7, True), (8, False), (32, False), (56, False), (57, True), (64, True)],
)
def test_a_hash_with_fewer_than_8_or_more_than_56_bits_set_is_degenerate(bits: int, degenerate: bool) -> None:
    assert is_degenerate_phash(_bits(bits)) is degenerate
    assert is_degenerate_phash(to_stored_phash(_bits(bits))) is degenerate


@given(st.integers(min_value=0, max_value=2**64 - 1), st.integers(min_value=0, max_value=2**64 - 1))
def test_the_distance_is_the_same_for_either_form(a: int, b: int) -> None:
    expected = bin(a ^ b).count("1")
    assert hamming_distance(a, b) == expected
    assert hamming_distance(to_stored_phash(a), to_stored_phash(b)) == expected
    assert hamming_distance(to_stored_phash(a), b) == expected


@pytest.mark.parametrize(("value", "refused"), [(-1, True), (0, False), (32, False), (33, True)])
def test_max_distance_is_between_0_and_32(value: int, refused: bool) -> None:
    error = similarity_distance_error(value)
    assert (error is not None) is refused
    if error is not None:
        assert (error.field, error.message) == ("maxDistance", f"'maxDistance' must be between 0 and 32 (got {value})")
