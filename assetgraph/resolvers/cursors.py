"""Opaque keyset cursors: the (created_at, id) of the last row a client saw."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from assetgraph.domain.asset_query import Keyset
from assetgraph.domain.errors import BadUserInput
from assetgraph.domain.storable import INT64_MAX, is_storable_instant

MAX_CURSOR_CHARS = 200
"""Issued cursors are about 60 characters; anything much longer is not one, and is refused before decoding."""


_URLSAFE = bytes.maketrans(b"+/", b"-_")


def encode_cursor(keyset: Keyset) -> str:
    """The cursor of `keyset` (see cursor_at)."""
    return cursor_at(keyset.created_at, keyset.id)


def cursor_at(created_at: datetime, row_id: int) -> str:
    """The cursor of the keyset (created_at, row_id), with no Keyset built (one per edge of every page): base64url
    of the compact JSON `["<created_at ISO-8601>",<id>]`, the format clients hold.

    Written out by hand for the ordinary keyset, a plain datetime and a plain int (one cursor per edge of every page,
    where json.dumps and base64's wrappers cost more than the rest): an ISO-8601 string holds only digits and
    `-:.+T`, which JSON writes as they are, and an int is written by its repr, as json.dumps writes it.
    """
    if type(created_at) is datetime and type(row_id) is int:
        payload = f'["{created_at.isoformat()}",{row_id!r}]'
    else:
        payload = json.dumps([created_at.isoformat(), row_id], separators=(",", ":"))
    return binascii.b2a_base64(payload.encode("ascii"), newline=False).translate(_URLSAFE).decode("ascii")


def _decoded(cursor: str) -> Keyset | None:
    """The keyset a cursor of ours carries, or None: whatever else it holds must never reach SQL."""
    if len(cursor) > MAX_CURSOR_CHARS:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
    except (binascii.Error, UnicodeError, ValueError):
        return None
    if not isinstance(payload, list) or len(payload) != 2:
        return None
    created_at, row_id = payload
    # Row ids are positive bigints; a bool is an int to Python but never one of our ids.
    if not isinstance(created_at, str) or type(row_id) is not int or not 0 < row_id <= INT64_MAX:
        return None
    try:
        instant = datetime.fromisoformat(created_at)
    except ValueError:
        return None
    return Keyset(created_at=instant, id=row_id) if is_storable_instant(instant) else None


def decode_cursor(cursor: str, *, field: str = "after") -> Keyset:
    keyset = _decoded(cursor)
    if keyset is None:
        raise BadUserInput(f"'{field}' is not a cursor this server issued", field=field)
    return keyset
