"""The lineage enums and the arguments of a graph walk, shared by Query.lineage and Asset.lineage."""

from __future__ import annotations

from typing import Annotated

import strawberry

from assetgraph.domain.lineage_graph import DEFAULT_LINEAGE_DEPTH, MAX_LINEAGE_DEPTH, LineageDirection
from assetgraph.domain.relation_types import OperationType, RelationType

__all__ = ["DEFAULT_LINEAGE_DEPTH", "LineageDirection", "MaxDepth", "OperationType", "RelationType", "RelationTypes"]

strawberry.enum(RelationType, name="RelationType", description="How a parent asset fed its child.")
strawberry.enum(OperationType, name="LineageOperation", description="The operation that made a child from its parents.")
strawberry.enum(
    LineageDirection,
    name="LineageDirection",
    description="UP: ancestors (parents, their parents...); DOWN: descendants; BOTH: ancestors and descendants.",
)

MaxDepth = Annotated[
    int,
    strawberry.argument(description=f"Steps from the asset, 1 to {MAX_LINEAGE_DEPTH} (else BAD_USER_INPUT)."),
]
RelationTypes = Annotated[
    list[RelationType] | None,
    strawberry.argument(description="Follow only edges of these types; null: every type."),
]
