"""Builds the Strawberry schema: wiring only."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from assetgraph.config import Limits
from assetgraph.schema.asset import Asset
from assetgraph.schema.error_policy import ErrorPolicySchema
from assetgraph.schema.extensions import schema_extensions
from assetgraph.schema.mutation import Mutation
from assetgraph.schema.provider_account import ProviderAccount
from assetgraph.schema.query import Query
from assetgraph.schema.scalars import SCALAR_MAP
from assetgraph.schema.subscription import Subscription
from assetgraph.schema.user import User


def build_schema(limits: Limits | None = None) -> strawberry.Schema:
    return ErrorPolicySchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Asset, User, ProviderAccount],
        extensions=schema_extensions(limits or Limits()),
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
    )


def export_sdl() -> str:
    return build_schema().as_str() + "\n"
