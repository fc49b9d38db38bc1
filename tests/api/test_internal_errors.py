"""An internal failure: the client reads a fixed message; the log gets the traceback, never SQL or parameters."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
from starlette.applications import Starlette

from assetgraph.app import create_app
from assetgraph.config import Settings
from assetgraph.logging_setup import JsonFormatter
from assetgraph.persistence import migrate
from assetgraph.persistence.database import Database, asyncpg_dsn
from tests.support import GraphQLClient, fresh_database_url, new_user

SECRET_TAG = "tag-only-the-caller-knows-7f3a"


async def _drop_a_column(url: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute("ALTER TABLE assets RENAME COLUMN description TO description_gone")
    finally:
        await conn.close()


@pytest.fixture(scope="module")
def broken_database_url() -> str:
    # A database whose assets table no longer matches the code: every asset read fails inside SQL.
    url = fresh_database_url("broken")
    migrate.upgrade(url)
    asyncio.run(_drop_a_column(url))
    return url


@pytest.fixture
async def broken_app(settings: Settings, broken_database_url: str) -> AsyncIterator[Starlette]:
    application = create_app(settings.model_copy(update={"database_url": broken_database_url}))
    async with application.router.lifespan_context(application):
        yield application


async def test_a_failure_inside_sql_is_masked_and_logged_without_sql(
    broken_app: Starlette, broken_database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # given a caller on a server whose database fails every asset read
    database = Database.connect(broken_database_url)
    try:
        issued = await new_user(database)
    finally:
        await database.dispose()
    caplog.set_level(logging.INFO)

    # when they list their assets, passing a tag that goes into the SQL as a parameter
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=broken_app), base_url="http://t") as http:
        body = await GraphQLClient(http, issued.token).query(
            "query($f: AssetFilterInput) { assets(filter: $f) { totalCount } }", {"f": {"tags": [SECRET_TAG]}}
        )

    # then they read only that something went wrong inside, where
    assert body == {
        "data": None,
        "errors": [{"message": "Internal server error.", "locations": [{"line": 1, "column": 31}], "path": ["assets"]}],
    }
    # and the log has one error entry with the exception's type and traceback, but no SQL and no parameter
    (logged,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    entry = json.loads(JsonFormatter().format(logged))
    assert (entry["level"], entry["event"], entry["path"]) == ("error", "graphql_internal_error", ["assets"])
    assert entry["exc_type"] == "sqlalchemy.exc.ProgrammingError"
    assert "asyncpg.exceptions.UndefinedColumnError" in entry["exc"]
    assert 'File "' in entry["exc"] and "assetgraph/persistence/repositories/assets.py" in entry["exc"]
    line = JsonFormatter().format(logged)
    for leaked in (SECRET_TAG, "[SQL:", "[parameters:", "description_gone", "SELECT "):
        assert leaked not in line
