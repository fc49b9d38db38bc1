"""For tests of limits: the cost rule as clients read it, and a second app over the same database with other limits
(a list budget small enough to reach with a few rows)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette

from assetgraph.app import create_app
from assetgraph.config import Limits, Settings
from tests.support import GraphQLClient

COST_RULE = (
    "cost sums the size of each paged field (each alias) times the sizes of those it is in; an omitted size is the "
    "default (`assets` 50, `uploadAttempts` 50, `similarAssets` 20); `checkByHashes` counts only what it nests, each "
    "`asset` 1; `lineage` 100, what its nodes nest x10000, its edges x5000000; `__schema` 1000; lists without a size "
    "count nothing here but answer at most 100000 items in all"
)
"""The cost rule the default limits state in every cost error (query_cost.cost_rule)."""


@asynccontextmanager
async def app_with_limits(
    settings: Settings, limits: Limits, token: str
) -> AsyncIterator[tuple[Starlette, GraphQLClient]]:
    """The app started with `limits`, and a client of it signed in with `token`."""
    app = create_app(settings.model_copy(update={"limits": limits}))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            yield app, GraphQLClient(http, token)
