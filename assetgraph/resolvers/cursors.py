"""Opaque keyset cursors: the (created_at, id) of the last row a client saw."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from assetgraph.domain.asset_query import Keyset
from assetgraph.domain.errors import BadUserInput


def encode_cursor(keyset: Keyset) -> str:
    payload = json.dumps([keyset.created_at.isoformat(), keyset.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode("ascii")


def decode_cursor(cursor: str, *, field: str = "after") -> Keyset:
    try:
        created_at, row_id = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
        keyset = Keyset(created_at=datetime.fromisoformat(created_at), id=int(row_id))
    except (binascii.Error, UnicodeError, ValueError, TypeError) as exc:
        raise BadUserInput(f"'{field}' is not a cursor this server issued", field=field) from exc
    if keyset.created_at.tzinfo is None:
        raise BadUserInput(f"'{field}' is not a cursor this server issued", field=field)
    return keyset
