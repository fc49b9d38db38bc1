"""Resolvers of lineage reads: an asset's parents and children (batched per request), and graph walks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.errors import BadUserInput
from assetgraph.domain.lineage_graph import (
    LineageDirection,
    LineageGraph,
    LinkedAsset,
    lineage_depth_error,
    lineage_query,
)
from assetgraph.domain.relation_types import RelationType
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.global_ids import NodeType, database_id_of
from assetgraph.services.lineage_graph import lineage_graph


@dataclass(frozen=True, slots=True)
class LineageAnswer:
    """A walk, with the asset row of each of its nodes."""

    graph: LineageGraph
    assets: dict[int, AssetRecord]


async def parents(context: Context, asset_id: int) -> list[LinkedAsset]:
    """The asset's parents (at most MAX_EDGES_PER_ASSET), one per edge, in sequence order; batched with every other
    asset's of the request, each edge read with its parent's row."""
    return await context.loaders.parent_edges.load_list(asset_id)


async def children(context: Context, asset_id: int) -> list[LinkedAsset]:
    """The asset's children (the first MAX_EDGES_PER_ASSET), one per edge; batched with every other asset's of the
    request, each edge read with its child's row."""
    return await context.loaders.child_edges.load_list(asset_id)


async def lineage_of(
    context: Context,
    asset_id: int,
    direction: LineageDirection,
    max_depth: int,
    relation_types: Sequence[RelationType] | None,
) -> LineageAnswer | None:
    """The graph around the viewer's asset, or None when it is missing or another user's. Raises BadUserInput
    (field maxDepth) before any SQL when maxDepth is out of range."""
    viewer = context.require_viewer()
    query = lineage_query(asset_id, direction, max_depth, relation_types)
    graph = await lineage_graph(context.resources.unit_of_work(), viewer.user_id, query)
    if graph is None:
        return None
    rows = await context.loaders.asset_by_id.load_many([node.asset_id for node in graph.nodes])
    return LineageAnswer(graph, {row.id: row for row in rows if row is not None})


async def lineage_by_global_id(
    context: Context,
    global_id: str,
    direction: LineageDirection,
    max_depth: int,
    relation_types: Sequence[RelationType] | None,
) -> LineageAnswer | None:
    """As `lineage_of`; an id that is not an asset's global id at all is refused (field assetId), while an unknown
    id and another user's read the same: null."""
    context.require_viewer()
    depth_error = lineage_depth_error(max_depth)  # the same answer whatever the id
    if depth_error is not None:
        raise depth_error
    database_id = database_id_of(global_id, NodeType.ASSET)
    if database_id is None:
        raise BadUserInput("'assetId' is not an asset id", field="assetId")
    return await lineage_of(context, database_id, direction, max_depth, relation_types)
