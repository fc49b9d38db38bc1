"""Lineage in the schema: edges of an asset, graph walks, their enums, and the `lineage` query field.

Wiring only: resolvers/lineage.py decides, these types convert. Asset's own `parents`, `children` and `lineage`
fields (schema/asset.py) call the functions at the end of this module.
"""

from __future__ import annotations

from collections.abc import Iterable

import strawberry

from assetgraph.domain.lineage_graph import MAX_LINEAGE_NODES, GraphEdge, LinkedAsset
from assetgraph.resolvers import lineage as resolvers
from assetgraph.schema.asset import Asset, Info
from assetgraph.schema.bare_objects import bare, builds_every_field
from assetgraph.schema.lineage_arguments import (
    DEFAULT_LINEAGE_DEPTH,
    LineageDirection,
    MaxDepth,
    OperationType,
    RelationType,
    RelationTypes,
)
from assetgraph.schema.scalars import JSON

LINEAGE_DESCRIPTION = (
    f"The caller's assets around this one, nearest first, and the edges between them: one walk of at most "
    f"{MAX_LINEAGE_NODES:,} assets. Another user's asset is never followed, nor anything beyond it."
)


@strawberry.type(description="An edge of the lineage graph, seen from one of its ends.")
class LineageEdge:
    asset: Asset = strawberry.field(description="The other end: the parent in `parents`, the child in `children`.")
    relation_type: RelationType
    operation_type: OperationType | None
    parent_role: str | None
    sequence_order: int = strawberry.field(description="The parent's place among the child's inputs.")
    parent_start_time: float | None = strawberry.field(description="Where in the parent the child starts (s).")
    parent_end_time: float | None
    parent_frame: int | None
    transformation: JSON | None


@strawberry.type(description="An edge between two assets of a lineage graph.")
class LineageGraphEdge:
    parent: Asset
    child: Asset
    relation_type: RelationType
    operation_type: OperationType | None
    sequence_order: int
    depth: int = strawberry.field(description="Steps from the start asset to the edge's farther end.")


@strawberry.type(description="A walk of the lineage graph from one asset.")
class LineageGraph:
    nodes: list[Asset] = strawberry.field(description="The start asset first, then by distance from it, then by id.")
    edges: list[LineageGraphEdge] = strawberry.field(
        description="Every edge of the followed relation types between two of the nodes."
    )
    truncated: bool = strawberry.field(
        description=f"More lies beyond: the walk stopped at {MAX_LINEAGE_NODES:,} assets, or at maxDepth where "
        "edges went on."
    )

    @classmethod
    def from_answer(cls, answer: resolvers.LineageAnswer) -> LineageGraph:
        # One Asset object per node, shared by the edges that touch it.
        from_row, rows = Asset.from_row, answer.assets
        assets = {node.asset_id: from_row(rows[node.asset_id]) for node in answer.graph.nodes if node.asset_id in rows}
        return cls(nodes=list(assets.values()), edges=_graph_edges(answer.graph.edges, assets),
                   truncated=answer.graph.truncated)  # fmt: skip


# A walk has thousands of edges and a page of assets as many: their objects are built bare (bare_objects.py).


def _graph_edges(edges: Iterable[GraphEdge], assets: dict[int, Asset]) -> list[LineageGraphEdge]:
    """The walk's edges between two of `assets` (an asset deleted between the walk and its read drops out)."""
    built: list[LineageGraphEdge] = []
    append, asset_of = built.append, assets.get
    for edge in edges:
        parent, child = asset_of(edge.parent_id), asset_of(edge.child_id)
        if parent is None or child is None:
            continue
        item = bare(LineageGraphEdge)
        item.parent = parent
        item.child = child
        item.relation_type = edge.relation_type
        item.operation_type = edge.operation_type
        item.sequence_order = edge.sequence_order
        item.depth = edge.depth
        append(item)
    return built


def _edges(found: Iterable[LinkedAsset]) -> list[LineageEdge]:
    """Edges seen from one end, each with a new Asset for its other end."""
    built: list[LineageEdge] = []
    append, from_row = built.append, Asset.from_row
    for edge, asset in found:
        item = bare(LineageEdge)
        item.asset = from_row(asset)
        item.relation_type = edge.relation_type
        item.operation_type = edge.operation_type
        item.parent_role = edge.parent_role
        item.sequence_order = edge.sequence_order
        item.parent_start_time = edge.parent_start_time
        item.parent_end_time = edge.parent_end_time
        item.parent_frame = edge.parent_frame
        item.transformation = edge.transformation
        append(item)
    return built


builds_every_field(LineageGraphEdge, "parent", "child", "relation_type", "operation_type", "sequence_order", "depth")
builds_every_field(
    LineageEdge, "asset", "relation_type", "operation_type", "parent_role", "sequence_order", "parent_start_time",
    "parent_end_time", "parent_frame", "transformation",
)  # fmt: skip


async def parents_of(info: Info, asset_id: int) -> list[LineageEdge]:
    return _edges(await resolvers.parents(info.context, asset_id))


async def children_of(info: Info, asset_id: int) -> list[LineageEdge]:
    return _edges(await resolvers.children(info.context, asset_id))


async def lineage_of(
    info: Info, asset_id: int, direction: LineageDirection, max_depth: int, relation_types: list[RelationType] | None
) -> LineageGraph | None:
    answer = await resolvers.lineage_of(info.context, asset_id, direction, max_depth, relation_types)
    return LineageGraph.from_answer(answer) if answer is not None else None


@strawberry.type
class LineageQueries:
    @strawberry.field(
        description=LINEAGE_DESCRIPTION + " Null when the asset is missing or not the caller's; an `assetId` that is "
        "no asset id at all (another type's, or not an id) is refused: BAD_USER_INPUT, field `assetId`."
    )
    async def lineage(
        self,
        info: Info,
        asset_id: strawberry.ID,
        direction: LineageDirection = LineageDirection.BOTH,
        max_depth: MaxDepth = DEFAULT_LINEAGE_DEPTH,
        relation_types: RelationTypes = None,
    ) -> LineageGraph | None:
        answer = await resolvers.lineage_by_global_id(info.context, asset_id, direction, max_depth, relation_types)
        return LineageGraph.from_answer(answer) if answer is not None else None
