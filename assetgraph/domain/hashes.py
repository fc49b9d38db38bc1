"""Content hashes: the SHA-256 that identifies a file, and the 64-bit perceptual hash that finds its near-duplicates.

SHA-256: 64 hexadecimal characters, either case, stored and compared in lower case.

Perceptual hash: an unsigned 64-bit integer (services/perceptual_hash.py computes it). Two images look alike when
few of their bits differ (the Hamming distance). A hash with fewer than 8 or more than 56 bits set is degenerate
(a blank, flat or almost flat picture): it would "match" every other such picture, so it is never compared.
`assets.phash64` is a signed BIGINT; `to_stored_phash` / `from_stored_phash` are the one mapping between the two
forms (the same 64 bits, read as two's complement). The SQL mirror of `is_degenerate_phash` is
`persistence/phash_sql.py`; tests/persistence/test_phash_sql.py proves they agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.errors import BadUserInput

SHA256_RULE = "a SHA-256 hash is 64 hexadecimal characters"
MAX_HASHES_PER_CHECK = 10_000
"""Most hashes one `checkByHashes` call takes (a whole folder of a Local Folders client)."""

PHASH_BITS = 64
MIN_INFORMATIVE_BITS = 8
MAX_INFORMATIVE_BITS = 56
MAX_SIMILARITY_DISTANCE = 32
"""Largest `maxDistance` accepted: at half the bits, two unrelated pictures already tend to match."""
DEFAULT_SIMILAR_LIMIT = 20
"""How many near-duplicates are listed when the caller does not say."""

_UNSIGNED_MASK = (1 << PHASH_BITS) - 1
_SIGN_BIT = 1 << (PHASH_BITS - 1)
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def normalize_sha256(value: str) -> str | None:
    """The hash in lower case, or None when `value` is not 64 hexadecimal characters (no trimming)."""
    return value.lower() if _SHA256.fullmatch(value) else None


def sha256_error(field: str) -> BadUserInput:
    """The error for a value of `field` that is not a SHA-256 hash."""
    return BadUserInput(f"'{field}' is not a SHA-256 hash: {SHA256_RULE}.", field=field)


def parse_sha256(value: str, *, field: str) -> str:
    """The hash in lower case; BadUserInput naming `field` when `value` is not one."""
    normalized = normalize_sha256(value)
    if normalized is None:
        raise sha256_error(field)
    return normalized


def to_stored_phash(phash: int) -> int:
    """The signed 64-bit value `assets.phash64` holds for the unsigned hash `phash`."""
    if not 0 <= phash <= _UNSIGNED_MASK:
        raise ValueError(f"a perceptual hash is an unsigned 64-bit integer (got {phash})")
    return phash - (1 << PHASH_BITS) if phash & _SIGN_BIT else phash


def from_stored_phash(stored: int) -> int:
    """The unsigned hash behind the signed `assets.phash64` value `stored`."""
    if not -_SIGN_BIT <= stored < _SIGN_BIT:
        raise ValueError(f"assets.phash64 is a signed 64-bit integer (got {stored})")
    return stored & _UNSIGNED_MASK


def phash_bit_count(phash: int) -> int:
    """Bits set among the 64, for the unsigned or the stored form alike."""
    return (phash & _UNSIGNED_MASK).bit_count()


def is_degenerate_phash(phash: int) -> bool:
    """Whether the hash says too little to compare (outside 8..56 bits set); either form."""
    return not MIN_INFORMATIVE_BITS <= phash_bit_count(phash) <= MAX_INFORMATIVE_BITS


def hamming_distance(a: int, b: int) -> int:
    """How many of the 64 bits differ; both hashes in the same form, or mixed, alike."""
    return ((a ^ b) & _UNSIGNED_MASK).bit_count()


def similarity_distance_error(max_distance: int, *, field: str = "maxDistance") -> BadUserInput | None:
    """Why `max_distance` cannot be used as a near-duplicate threshold, if it cannot."""
    if not 0 <= max_distance <= MAX_SIMILARITY_DISTANCE:
        return BadUserInput(
            f"'{field}' must be between 0 and {MAX_SIMILARITY_DISTANCE} (got {max_distance})", field=field
        )
    return None


@dataclass(frozen=True, slots=True)
class SimilarAsset:
    """A near-duplicate of some asset: the other asset and how many perceptual-hash bits differ."""

    asset: AssetRecord
    distance: int
