"""The perceptual-hash rules in SQL: which stored hashes are compared, and the Hamming distance between two.

The SQL mirror of ``domain/hashes.py`` (`is_degenerate_phash`, `hamming_distance`);
``tests/persistence/test_phash_sql.py`` proves they agree on both sides of every boundary and on negative stored
values. `phash64` is a signed BIGINT: ``::bit(64)`` reads its 64 bits as two's complement, which is exactly the
unsigned hash's bits, so no conversion is needed in SQL.

The near-duplicate index (``ix_assets_user_phash``) is partial on `INFORMATIVE_PHASH_SQL`. A query uses it only
when its own condition is that same expression with the same constants written out (a bound parameter would stop
PostgreSQL from proving the match once it switches to a generic plan), which `informative_phash` produces.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, cast, func, literal_column
from sqlalchemy.dialects.postgresql import BIT

from assetgraph.domain.hashes import MAX_INFORMATIVE_BITS, MIN_INFORMATIVE_BITS, PHASH_BITS

INFORMATIVE_PHASH_SQL = (
    f"phash64 IS NOT NULL AND bit_count(phash64::bit({PHASH_BITS})) "
    f"BETWEEN {MIN_INFORMATIVE_BITS} AND {MAX_INFORMATIVE_BITS}"
)
"""The predicate of the near-duplicate index, as the migration that created it wrote it."""


def phash_bit_count(phash: ColumnElement[int]) -> ColumnElement[int]:
    return func.bit_count(cast(phash, BIT(PHASH_BITS)))


def informative_phash(phash: ColumnElement[int]) -> ColumnElement[bool]:
    """True for a stored hash that is compared: not null and not degenerate (the index's own predicate)."""
    return and_(
        phash.is_not(None),
        phash_bit_count(phash).between(
            literal_column(str(MIN_INFORMATIVE_BITS)), literal_column(str(MAX_INFORMATIVE_BITS))
        ),
    )


def phash_distance(a: ColumnElement[int], b: ColumnElement[int]) -> ColumnElement[int]:
    """How many of the 64 bits differ between two stored hashes."""
    return phash_bit_count(a.op("#")(b))
