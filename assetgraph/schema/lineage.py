"""Lineage in the schema: edges of an asset, graph walks, their enums, and the `lineage` query field.

Wiring only: resolvers/lineage.py decides, these types convert. Asset's own `parents`, `children` and `lineage`
fields (schema/asset.py) call the functions at the end of this module.
"""

from __future__ import annotations

from collections.abc import Iterable

import strawberry

from assetgraph.domain.lineage_graph import MAX_LINEAGE_NODES, GraphEdge
from assetgraph.resolvers import lineage as resolvers
from assetgraph.schema.asset import Asset, Info
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

    @classmethod
    def from_linked(cls, linked: resolvers.LinkedAsset) -> LineageEdge:
        edge = linked.edge
        return cls(
            asset=Asset.from_row(linked.asset), relation_type=edge.relation_type,
            operation_type=edge.operation_type, parent_role=edge.parent_role, sequence_order=edge.sequence_order,
            parent_start_time=edge.parent_start_time, parent_end_time=edge.parent_end_time,
            parent_frame=edge.parent_frame, transformation=edge.transformation,
        )  # fmt: skip


@strawberry.type(description="An edge between two assets of a lineage graph.")
class LineageGraphEdge:
    parent: Asset
    child: Asset
    relation_type: RelationType
    operation_type: OperationType | None
    sequence_order: int
    depth: int = strawberry.field(description="Steps from the start asset to the edge's farther end.")

    @classmethod
    def between(cls, parent: Asset, child: Asset, edge: GraphEdge) -> LineageGraphEdge:
        return cls(
            parent=parent, child=child, relation_type=edge.relation_type, operation_type=edge.operation_type,
            sequence_order=edge.sequence_order, depth=edge.depth,
        )  # fmt: skip


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
        assets = {node.asset_id: Asset.from_row(answer.assets[node.asset_id])
                  for node in answer.graph.nodes if node.asset_id in answer.assets}  # fmt: skip
        edges = [
            LineageGraphEdge.between(assets[edge.parent_id], assets[edge.child_id], edge)
            for edge in answer.graph.edges
            if edge.parent_id in assets and edge.child_id in assets
        ]
        return cls(nodes=list(assets.values()), edges=edges, truncated=answer.graph.truncated)


def _edges(found: Iterable[resolvers.LinkedAsset]) -> list[LineageEdge]:
    return [LineageEdge.from_linked(linked) for linked in found]


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
    @strawberry.field(description=LINEAGE_DESCRIPTION + " Null when the asset is missing or not the caller's.")
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
