"""Session fixtures: one real PostgreSQL database migrated to head, the app, and an HTTP client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from assetgraph.app import create_app
from assetgraph.config import Settings
from assetgraph.persistence import migrate
from assetgraph.persistence.database import Database
from assetgraph.providers.sandbox import RunningSandbox, Sandbox, serve_sandbox
from tests.support import FAST_PROVIDER_SETTINGS, GraphQLClient, new_user, recreate_database, server_url


@pytest.fixture(scope="session")
def database_url() -> str:
    url = server_url("assetgraph_test")
    asyncio.run(recreate_database(url))
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database.connect(database_url)
    yield database
    await database.dispose()


@pytest.fixture(scope="session")
async def sandbox_server() -> AsyncIterator[RunningSandbox]:
    """The sandbox providers over real HTTP on loopback, for the whole session; use `sandbox` in tests."""
    async with serve_sandbox(Sandbox(hang_seconds=10)) as running:
        yield running


@pytest.fixture
def sandbox(sandbox_server: RunningSandbox) -> RunningSandbox:
    """The session's sandbox with its counters, received files and pending faults cleared for this test."""
    sandbox_server.sandbox.reset()
    return sandbox_server


@pytest.fixture(scope="session")
def settings(database_url: str, sandbox_server: RunningSandbox, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # Providers are the sandbox's, with quick retries; the data dir (blobs, the credentials key) is the run's own,
    # never the checkout's.
    return Settings(
        database_url=database_url,
        data_dir=tmp_path_factory.mktemp("data"),
        **sandbox_server.settings_overrides(),
        **FAST_PROVIDER_SETTINGS,
    )


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture(scope="session")
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def alice(db: Database, http: httpx.AsyncClient) -> tuple[int, GraphQLClient]:
    issued = await new_user(db)
    return issued.user_id, GraphQLClient(http, issued.token)


@pytest.fixture
async def bob(db: Database, http: httpx.AsyncClient) -> tuple[int, GraphQLClient]:
    issued = await new_user(db)
    return issued.user_id, GraphQLClient(http, issued.token)
