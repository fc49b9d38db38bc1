"""A second app over the same database with other limits, for tests that need a request the default limits refuse
(a statement count over pages of 100 assets with every capped list, which costs more than the default cap)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette

from assetgraph.app import create_app
from assetgraph.config import Limits, Settings
from tests.support import GraphQLClient


@asynccontextmanager
async def app_with_limits(
    settings: Settings, limits: Limits, token: str
) -> AsyncIterator[tuple[Starlette, GraphQLClient]]:
    """The app started with `limits`, and a client of it signed in with `token`."""
    app = create_app(settings.model_copy(update={"limits": limits}))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            yield app, GraphQLClient(http, token)
