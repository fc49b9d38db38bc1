"""What the database can hold: every value a client sends is checked against these bounds before it reaches SQL.

PostgreSQL's text and jsonb refuse the NUL character, and UTF-8 cannot encode an unpaired surrogate (which JSON's
\\ud800 escapes can carry). bigint is 64-bit. Timestamps travel through Python's datetime, converted to UTC: an
instant before 0001-01-01T00:00:00Z or after 9999-12-31T23:59:59.999999Z (year 1 at +14:00, year 9999 at -14:00)
cannot be sent, although PostgreSQL itself would hold it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
EARLIEST_INSTANT = datetime.min.replace(tzinfo=UTC)
LATEST_INSTANT = datetime.max.replace(tzinfo=UTC)

TEXT_RULE = "text must not contain NUL (U+0000) or unpaired surrogate characters"
INSTANT_RULE = "an ISO-8601 date and time with a UTC offset, from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z"

_UNSTORABLE_CHARACTER = re.compile("[\x00\ud800-\udfff]")


def is_storable_text(text: str) -> bool:
    return _UNSTORABLE_CHARACTER.search(text) is None


def is_int64(value: int) -> bool:
    return INT64_MIN <= value <= INT64_MAX


def is_storable_instant(value: datetime) -> bool:
    """An instant with a UTC offset whose UTC time Python (and so the driver) can represent."""
    if value.utcoffset() is None:
        return False
    try:
        value.astimezone(UTC)
    except OverflowError:
        return False
    return True
