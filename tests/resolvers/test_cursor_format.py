"""Cursors are held by clients across releases: the hand-written encoder must issue exactly the bytes the original
one (compact JSON through json.dumps, then base64url) issued, and every cursor must decode to its keyset."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from assetgraph.domain.asset_query import Keyset
from assetgraph.domain.storable import INT64_MAX
from assetgraph.resolvers.cursors import decode_cursor, encode_cursor


def _reference(keyset: Keyset) -> str:
    """The encoder as first written: the format clients hold."""
    payload = json.dumps([keyset.created_at.isoformat(), keyset.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode("ascii")


_offsets = st.integers(min_value=-23 * 60, max_value=23 * 60).map(lambda m: timezone(timedelta(minutes=m)))
_instants = st.datetimes(
    min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=st.one_of(st.just(UTC), _offsets)
)
_ids = st.integers(min_value=1, max_value=INT64_MAX)


@given(_instants, _ids)
def test_issued_cursors_are_byte_for_byte_the_original_format_and_decode_back(created_at: datetime, row_id: int):
    keyset = Keyset(created_at=created_at, id=row_id)
    cursor = encode_cursor(keyset)
    assert cursor == _reference(keyset)
    assert decode_cursor(cursor) == keyset


def test_a_cursor_issued_before_the_fast_encoder_still_decodes():
    held = "WyIyMDI2LTAxLTAyVDAzOjA0OjA1LjEyMzQ1NiswMDowMCIsNDJd"  # as the original encoder issued it
    assert decode_cursor(held) == Keyset(created_at=datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC), id=42)
    assert encode_cursor(Keyset(created_at=datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC), id=42)) == held


def test_unusual_keyset_values_take_the_json_path_and_keep_the_format():
    class Instant(datetime):
        pass

    odd = Keyset(created_at=Instant(2026, 1, 2, tzinfo=UTC), id=7)
    assert encode_cursor(odd) == _reference(odd)
