"""Reading the lineage graph: edges as stored, walks up or down from one asset, and their limits (SPEC section 9)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.errors import BadUserInput
from assetgraph.domain.relation_types import OperationType, RelationType

DEFAULT_LINEAGE_DEPTH = 5
MAX_LINEAGE_DEPTH = 25
MAX_LINEAGE_NODES = 10_000
"""A walk returns at most this many assets (the start included), nearest first, and says it was truncated."""


class LineageDirection(StrEnum):
    UP = "UP"
    """Towards the parents: what the asset was made from, and what those were made from."""
    DOWN = "DOWN"
    """Towards the children: what was made from the asset, and so on."""
    BOTH = "BOTH"
    """Ancestors and descendants (not the other children of an ancestor)."""


class LineageEdgeRecord(NamedTuple):
    """One stored edge: `parent_id` fed `child_id` in the role `relation_type`. A tuple, as GraphEdge below: a page
    of assets lists thousands."""

    child_id: int
    parent_id: int
    relation_type: RelationType
    operation_type: OperationType | None
    parent_role: str | None
    sequence_order: int
    parent_start_time: float | None
    parent_end_time: float | None
    parent_frame: int | None
    transformation: Any


class LinkedAsset(NamedTuple):
    """An edge seen from one of its ends: the edge, and the caller's asset at its other end (read in the same
    statement as the edge)."""

    edge: LineageEdgeRecord
    asset: AssetRecord


@dataclass(frozen=True, slots=True)
class LineageQuery:
    start_id: int
    direction: LineageDirection = LineageDirection.BOTH
    max_depth: int = DEFAULT_LINEAGE_DEPTH
    relation_types: tuple[RelationType, ...] | None = None
    """None: every relation type; an empty tuple follows no edge at all."""


# A walk has thousands of nodes and edges: they are named tuples, built in C from the statement's row values, not
# frozen dataclasses, whose __init__ pays a Python-level object.__setattr__ per field.
class GraphNode(NamedTuple):
    asset_id: int
    depth: int
    """Steps from the start asset along the walk (0 for the start)."""


class GraphEdge(NamedTuple):
    parent_id: int
    child_id: int
    relation_type: RelationType
    operation_type: OperationType | None
    sequence_order: int
    depth: int
    """The depth of its farther end: the step of the walk that reaches it."""


@dataclass(frozen=True, slots=True)
class LineageGraph:
    nodes: list[GraphNode]
    """Nearest first (by depth, then id); the start asset first."""
    edges: list[GraphEdge]
    """Every edge of the asked relation types between two of the nodes."""
    truncated: bool
    """More lies beyond: the node cap was reached, or maxDepth stopped the walk where it could have gone on."""


def lineage_depth_error(max_depth: int, *, field: str = "maxDepth") -> BadUserInput | None:
    """Why `max_depth` cannot bound a walk, if it cannot."""
    if not 1 <= max_depth <= MAX_LINEAGE_DEPTH:
        return BadUserInput(f"'{field}' must be between 1 and {MAX_LINEAGE_DEPTH} (got {max_depth})", field=field)
    return None


def lineage_query(
    start_id: int,
    direction: LineageDirection,
    max_depth: int,
    relation_types: Sequence[RelationType] | None,
) -> LineageQuery:
    """A checked walk request; raises BadUserInput naming maxDepth when it is out of range."""
    error = lineage_depth_error(max_depth)
    if error is not None:
        raise error
    relations = tuple(dict.fromkeys(relation_types)) if relation_types is not None else None
    return LineageQuery(start_id, direction, max_depth, relations)


MAX_EDGES_PER_ASSET = 500
"""`Asset.parents` / `Asset.children` list at most this many edges of one asset, in sequence order: an image a
thousand videos were made from costs 500 rows, not a thousand."""
