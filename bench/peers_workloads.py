"""The workloads `make bench-peers` races assetgraph against PostGraphile 5 with, and the check that both agree.

Each workload is one GraphQL request per server asking for the same thing in each server's own dialect: assetgraph's
`assets(first: 100, filter: ...)` against PostGraphile's `allAssets(first: 100, orderBy: [CREATED_AT_DESC,
ROW_ID_DESC], condition: ...)` over the `peer` schema of bench/peers/peer.sql. Before anything is timed,
`check_agreement` proves that both answers carry the same ids in the same order, the same totalCount and the same
statuses (every field asked for, in fact, after `_node` has put both dialects into one shape), on each workload and
on a page of each of the four provider statuses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assetgraph.domain.enums import MediaType

PROVIDER_STATUSES = ("OK", "LOCAL_ONLY", "FLAGGED", "UNKNOWN")

_STATES = """
      lastUploadStatusByProvider { providerId status }
      providerStates { providerId status providerAssetId url flagged flagReason
        lastAttempt { providerId status errorCode errorMessage at method } }"""
_COLUMNS = "id {row_id} mediaType providerId remoteUrl thumbnailUrl createdAt providerStatus"
_PAGE = """
    totalCount
    edges {{ cursor node {{ {fields} }} }}
    pageInfo {{ hasNextPage endCursor }}"""

_ASSETGRAPH_PAGE = """
query Gallery($status: [ProviderStatus!]) {{
  assets(first: 100, filter: {{providerStatus: $status}}) {{{page}
  }}
}}"""
_PEER_PAGE = """
query Gallery($condition: AssetCondition) {{
  allAssets(first: 100, orderBy: [CREATED_AT_DESC, ROW_ID_DESC], condition: $condition) {{{page}
  }}
}}"""


def _page_query(template: str, row_id: str, extra: str) -> str:
    fields = _COLUMNS.format(row_id=row_id) + extra
    return template.format(page=_PAGE.format(fields=fields))


def assetgraph_gallery_query(*, badges: bool = True) -> str:
    """assetgraph's gallery page of the workloads (variable `$status`), with or without the badge fields."""
    return _page_query(_ASSETGRAPH_PAGE, "databaseId", _STATES if badges else "")


@dataclass(frozen=True)
class Request:
    """One GraphQL request to one server, and how to put its `data` into the shape both servers' answers share."""

    query: str
    variables: Mapping[str, Any]
    normalize: Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class Workload:
    name: str
    assetgraph: Request
    peer: Request


def _at(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def _node(node: Mapping[str, Any], row_id: str) -> dict[str, Any]:
    """One asset, in one shape: ids as ints, media types by enum name, instants as datetimes (not their text).

    PostGraphile serves the stored media type ('3d_model'), assetgraph its enum's name (MODEL_3D). PostGraphile
    renders a NULL array of a composite type as [] (it unnests the array), so a missing or malformed upload-status
    map reads [] on both sides: assetgraph's null there is the only difference the check lets pass.
    """
    shaped = {key: value for key, value in node.items() if key not in ("id", row_id)}
    shaped["databaseId"] = int(node[row_id])
    media_type = node["mediaType"]
    shaped["mediaType"] = media_type if row_id == "databaseId" else MediaType(media_type).name
    shaped["createdAt"] = _at(node["createdAt"])
    if "lastUploadStatusByProvider" in node:
        shaped["lastUploadStatusByProvider"] = node["lastUploadStatusByProvider"] or []
    if "providerStates" in node:
        shaped["providerStates"] = [
            {**state, "lastAttempt": _attempt(state["lastAttempt"])} for state in node["providerStates"]
        ]
    return shaped


def _attempt(attempt: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return {**attempt, "at": _at(attempt["at"])} if attempt is not None else None


def _page_shape(root: str, row_id: str) -> Callable[[dict[str, Any]], Any]:
    def shape(data: dict[str, Any]) -> dict[str, Any]:
        connection = data[root]
        return {
            "totalCount": int(connection["totalCount"]),
            "hasNextPage": connection["pageInfo"]["hasNextPage"],
            "nodes": [_node(edge["node"], row_id) for edge in connection["edges"]],
        }

    return shape


def _gallery(name: str, status: str | None, extra: str) -> Workload:
    return Workload(
        name,
        Request(
            _page_query(_ASSETGRAPH_PAGE, "databaseId", extra),
            {"status": [status] if status else None},
            _page_shape("assets", "databaseId"),
        ),
        Request(
            _page_query(_PEER_PAGE, "rowId", extra),
            {"condition": {"providerStatus": status} if status else None},
            _page_shape("allAssets", "rowId"),
        ),
    )


_COUNTS = "{ ok localOnly flagged unknown total }"
STATUS_OVERVIEW = Workload(
    "status overview",
    Request(f"query Overview {{ assetStatusOverview {_COUNTS} }}", {}, lambda data: data["assetStatusOverview"]),
    Request(f"query Overview {{ statusOverview {_COUNTS} }}", {}, lambda data: data["statusOverview"]),
)

WORKLOADS = (
    _gallery("gallery page", None, _STATES),
    _gallery("gallery filtered to FLAGGED", "FLAGGED", _STATES),
    _gallery("same columns + raw mediaMetadata", None, _STATES + "\n      mediaMetadata"),
    STATUS_OVERVIEW,
)

_ASSETGRAPH_WALK = """
query Walk($after: String) {{
  assets(first: {size}, after: $after) {{{page}
  }}
}}"""
_PEER_WALK = """
query Walk($after: Cursor) {{
  allAssets(first: {size}, after: $after, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) {{{page}
  }}
}}"""
WALK_PAGE_SIZE = 500  # assetgraph's largest page


def walk_page(assetgraph_after: str | None, peer_after: str | None) -> Workload:
    """The page after the given cursors (each server's own) of the whole visible library, mediaMetadata included."""
    extra = _STATES + "\n      mediaMetadata"
    return Workload(
        "whole library",
        Request(
            _page_query(_ASSETGRAPH_WALK.replace("{size}", str(WALK_PAGE_SIZE)), "databaseId", extra),
            {"after": assetgraph_after},
            _page_shape("assets", "databaseId"),
        ),
        Request(
            _page_query(_PEER_WALK.replace("{size}", str(WALK_PAGE_SIZE)), "rowId", extra),
            {"after": peer_after},
            _page_shape("allAssets", "rowId"),
        ),
    )


CHECK_ONLY = tuple(_gallery(f"gallery filtered to {status}", status, _STATES) for status in PROVIDER_STATUSES)
"""A page of each status, compared but not timed: the four statuses are all compared whatever the first page holds."""

MAX_SHOWN = 5


def differences(name: str, assetgraph: Any, peer: Any) -> list[str]:
    """What differs between the two shaped answers of workload `name`, in words; empty when they agree."""
    if not isinstance(assetgraph, dict) or "nodes" not in assetgraph:
        return [] if assetgraph == peer else [f"{name}: assetgraph {assetgraph} != PostGraphile {peer}"]
    found = [
        f"{name}: {key}: assetgraph {assetgraph[key]} != PostGraphile {peer[key]}"
        for key in ("totalCount", "hasNextPage")
        if assetgraph[key] != peer[key]
    ]
    ids = [node["databaseId"] for node in assetgraph["nodes"]]
    peer_ids = [node["databaseId"] for node in peer["nodes"]]
    if ids != peer_ids:
        return [*found, f"{name}: ids or order differ: assetgraph {ids[:5]}..., PostGraphile {peer_ids[:5]}..."]
    for ours, theirs in zip(assetgraph["nodes"], peer["nodes"], strict=True):
        found += [
            f"{name}: asset {ours['databaseId']} {key}: assetgraph {ours[key]!r} != PostGraphile {theirs.get(key)!r}"
            for key in ours
            if ours[key] != theirs.get(key)
        ]
    return found if len(found) <= MAX_SHOWN else [*found[:MAX_SHOWN], f"... and {len(found) - MAX_SHOWN} more"]


def statuses_seen(shaped: Any) -> Counter[str]:
    """How often each provider status appears in a shaped page (primary statuses and every provider state)."""
    seen: Counter[str] = Counter()
    for node in shaped.get("nodes", ()) if isinstance(shaped, dict) else ():
        seen[node["providerStatus"]] += 1
        seen.update(state["status"] for state in node.get("providerStates", ()))
    return seen
