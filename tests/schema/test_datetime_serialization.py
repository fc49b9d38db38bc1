"""DateTime values are written exactly as datetime.isoformat() writes them, whichever path writes them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from assetgraph.schema.scalars import serialize_datetime

# Offsets down to the microsecond (isoformat writes seconds and microseconds of an offset; orjson would not).
_OFFSETS = st.timedeltas(min_value=timedelta(hours=-23, minutes=-59), max_value=timedelta(hours=23, minutes=59))


class _Instant(datetime):
    """A datetime subclass, as some libraries hand out."""


@given(st.datetimes(timezones=st.just(UTC)))
def test_an_instant_in_utc_reads_as_isoformat_writes_it(value: datetime) -> None:
    assert serialize_datetime(value) == value.isoformat()
    assert datetime.fromisoformat(serialize_datetime(value)) == value


@given(st.datetimes(), _OFFSETS)
def test_any_other_offset_reads_as_isoformat_writes_it(value: datetime, offset: timedelta) -> None:
    shifted = value.replace(tzinfo=timezone(offset))
    assert serialize_datetime(shifted) == shifted.isoformat()
    assert serialize_datetime(value) == value.isoformat()  # naive, as the schema never holds it


def test_an_offset_with_seconds_and_a_subclass_keep_their_whole_text() -> None:
    odd = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=5, minutes=30, seconds=15)))
    assert serialize_datetime(odd) == "2026-01-02T03:04:05+05:30:15"
    sub = _Instant(2026, 1, 2, 3, 4, 5, 600, tzinfo=UTC)
    assert serialize_datetime(sub) == "2026-01-02T03:04:05.000600+00:00"
    # the stamps of upload attempts, parsed from their stored text, take the fast path and read back unchanged
    stamp = "2025-07-20T12:00:47.028232+00:00"
    assert serialize_datetime(datetime.fromisoformat(stamp)) == stamp
