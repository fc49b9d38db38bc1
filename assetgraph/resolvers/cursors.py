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


def encode_cursor(keyset: Keyset) -> str:
    payload = json.dumps([keyset.created_at.isoformat(), keyset.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode("ascii")


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
