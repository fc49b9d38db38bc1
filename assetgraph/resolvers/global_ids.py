"""Relay global ids: base64 of "<TypeName>:<database id>", for the type names registered in NodeType."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from enum import StrEnum


class NodeType(StrEnum):
    """Every type name a global id can carry: the one registry that `node(id)` and the schema types share."""

    ASSET = "Asset"
    USER = "User"
    PROVIDER_ACCOUNT = "ProviderAccount"
    SYNC_JOB = "SyncJob"
    LINEAGE_JOB = "LineageRefreshJob"
    ASSET_BRANCH = "AssetBranch"
    ASSET_BRANCH_VARIANT = "AssetBranchVariant"
    ASSET_CLIP = "AssetClip"
    TEMPORAL_SEGMENT = "TemporalSegment"


_NODE_TYPES: dict[str, NodeType] = {node_type.value: node_type for node_type in NodeType}


@dataclass(frozen=True)
class GlobalId:
    type: NodeType
    database_id: int


def to_global_id(node_type: NodeType, database_id: int) -> str:
    return base64.urlsafe_b64encode(f"{node_type.value}:{database_id}".encode()).decode("ascii")


def from_global_id(global_id: str) -> GlobalId | None:
    """The decoded id, or None for anything malformed or of an unknown type: a bad id reads like a missing object."""
    try:
        raw = base64.urlsafe_b64decode(global_id.encode("ascii") + b"=" * (-len(global_id) % 4)).decode()
    except (binascii.Error, UnicodeError, ValueError):
        return None
    type_name, sep, number = raw.partition(":")
    node_type = _NODE_TYPES.get(type_name)
    if not sep or node_type is None or not number.isascii() or not number.isdigit():
        return None
    database_id = int(number)
    return GlobalId(node_type, database_id) if 0 < database_id < 2**63 else None


def id_to_look_up(global_id: str, node_type: NodeType) -> int:
    """The database id to look up for a global id: 0, which no row has, for a malformed id or one of another type,
    so that it is reported exactly as a missing (or another user's) object is."""
    return database_id_of(global_id, node_type) or 0


def database_id_of(global_id: str, node_type: NodeType) -> int | None:
    decoded = from_global_id(global_id)
    if decoded is None or decoded.type is not node_type:
        return None
    return decoded.database_id
