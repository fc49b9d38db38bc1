"""JSON text in and out: orjson where it gives the same values as the standard library, the library elsewhere.

Used for JSONB columns (the engine's codec in persistence/database.py, and AssetRecord's columns read on first use)
and GraphQL responses (graphql_view.py), where json.loads and json.dumps were a tenth of a gallery request. orjson
differs from the standard library in three ways that would change what a client sees, so those take the library's
path:

- it reads an integer beyond 64 bits as a float, losing digits: text with a run of 19 or more digits is read by the
  standard library (a long digit run inside a string takes that path too, which is only slower);
- it refuses a number beyond a double's range (PostgreSQL's jsonb can hold 1e400), which the library reads as inf;
- it refuses to write integers beyond 64 bits and non-string keys, which the library writes.

What orjson writes differs only in spelling: UTF-8 instead of \\u escapes, and null instead of the library's NaN and
Infinity (which are not JSON at all; the schema's Float refuses them before they get here).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import orjson

# Every digit becomes 0, so that a run of 19 digits is one substring search (a regex is ten times slower).
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_RUN_LENGTH = 19
_LONG_DIGIT_RUN = b"0" * _LONG_RUN_LENGTH
_COMPACT = (",", ":")


def _has_long_digit_run(text: str | bytes) -> bool:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return _LONG_DIGIT_RUN in data.translate(_DIGITS_AS_ZERO)


def loads(text: str | bytes) -> Any:
    """The value of JSON text, exactly as json.loads reads it; whatever it cannot read raises JSONDecodeError (a
    number too long for int() included, which json.loads reports as a plain ValueError)."""
    # Text shorter than a long run cannot hold one (a str's length counts characters, each at least one byte): most
    # provider_uploads columns are "{}", read with media_metadata for every asset of a gallery page.
    if len(text) < _LONG_RUN_LENGTH or not _has_long_digit_run(text):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass  # the library's own error, or its reading of what orjson refuses
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # an integer longer than int() reads: not a value we can hold
        # Python's own message names its internals (sys.set_int_max_str_digits); the reader needs only the limit.
        message = f"a number has more than {sys.get_int_max_str_digits()} digits"
        raise json.JSONDecodeError(message, text if isinstance(text, str) else "", 0) from exc


def dumps(value: object) -> str:
    """Compact JSON text of `value`, with the same content as json.dumps writes."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # orjson.JSONEncodeError is one
        return json.dumps(value, separators=_COMPACT)
