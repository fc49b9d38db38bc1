"""Relay global ids: base64 of "<TypeName>:<database id>"."""

from __future__ import annotations

import base64
import binascii


def to_global_id(type_name: str, database_id: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{database_id}".encode()).decode("ascii")


def from_global_id(global_id: str) -> tuple[str, int] | None:
    """(type name, database id), or None for anything malformed: a bad id reads like a missing object."""
    try:
        raw = base64.urlsafe_b64decode(global_id.encode("ascii") + b"=" * (-len(global_id) % 4)).decode()
    except (binascii.Error, UnicodeError, ValueError):
        return None
    type_name, sep, number = raw.partition(":")
    if not sep or not type_name or not number.isascii() or not number.isdigit():
        return None
    database_id = int(number)
    return (type_name, database_id) if 0 < database_id < 2**63 else None


def database_id_of(global_id: str, type_name: str) -> int | None:
    decoded = from_global_id(global_id)
    if decoded is None or decoded[0] != type_name:
        return None
    return decoded[1]
