"""The User type: the authenticated caller."""

from __future__ import annotations

import strawberry

from assetgraph.domain.identity import Viewer
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from assetgraph.schema.node import Node


@strawberry.type(name="User", description="The authenticated caller.")
class User(Node):
    database_id: int
    email: str

    @classmethod
    def from_viewer(cls, viewer: Viewer) -> User:
        return cls(
            id=strawberry.ID(to_global_id(NodeType.USER, viewer.user_id)),
            database_id=viewer.user_id,
            email=viewer.email,
        )
