"""Builds the Strawberry schema: wiring only."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from assetgraph.config import Limits
from assetgraph.schema.acyclic_execution import acyclic
from assetgraph.schema.asset import Asset
from assetgraph.schema.compiled import CompiledExecutionContext
from assetgraph.schema.error_policy import ErrorPolicySchema
from assetgraph.schema.extensions import operation_pipeline
from assetgraph.schema.mutation import Mutation
from assetgraph.schema.provider_account import ProviderAccount
from assetgraph.schema.query import Query
from assetgraph.schema.scalars import SCALAR_MAP
from assetgraph.schema.subscription import Subscription
from assetgraph.schema.user import User

# Strawberry's execution context is graphql-core's executor plus the operation's extensions on `info`.
EXECUTION_CONTEXTS: dict[str, type[StrawberryGraphQLCoreExecutionContext]] = {
    "compiled": CompiledExecutionContext,
    "stock": StrawberryGraphQLCoreExecutionContext,
}


def build_schema(limits: Limits | None = None, executor: str = "compiled") -> strawberry.Schema:
    """The schema; `executor` names the execution context ("compiled" or "stock", see schema/compiled/)."""
    return ErrorPolicySchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[Asset, User, ProviderAccount],
        extensions=[operation_pipeline(limits or Limits())],
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        execution_context_class=acyclic(EXECUTION_CONTEXTS[executor]),
    )


def export_sdl() -> str:
    return build_schema().as_str() + "\n"
