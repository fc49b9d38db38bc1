"""Two assetgraph apps, one per executor, answering the same requests: the stock graphql-core execution context and
the compiled one, each through the real HTTP app (its error policy included), compared response by response.

Queries run on one database shared by both apps: a read leaves it as it was, so both executors see the same state.
Mutations write, so they run in lockstep on two databases cloned from one seeded template (`CREATE DATABASE ...
TEMPLATE`), one app and one sandbox provider each: the same writes land in the same state and draw the same
sequence numbers. Only the clock moves on between the two: see comparison.divergence for how that is read.
"""

from __future__ import annotations

import json
import uuid
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from graphql import GraphQLLeafType
from sqlalchemy.engine import make_url
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from assetgraph.app import create_app
from assetgraph.config import Settings
from assetgraph.persistence.database import asyncpg_dsn
from assetgraph.providers.sandbox import Sandbox, serve_sandbox
from tests.differential.comparison import Answer
from tests.differential.values import file_paths, without_files
from tests.support import FAST_PROVIDER_SETTINGS, png_bytes

CREDENTIALS_KEY = "ZGlmZmVyZW50aWFsLXRlc3QtY3JlZGVudGlhbGtleSE="  # 32 bytes, url-safe base64: every app reads it


async def clone_database(template_url: str, prefix: str) -> str:
    """A new database copied from `template_url`'s (which nobody may be connected to); its URL."""
    template = make_url(template_url).database
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(asyncpg_dsn(template_url, "postgres"))
    try:
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await conn.close()
    return make_url(template_url).set(database=name).render_as_string(hide_password=False)


async def drop_database(url: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(url, "postgres"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    finally:
        await conn.close()


async def open_app(stack: AsyncExitStack, database_url: str, executor: str, data_dir: Path) -> httpx.AsyncClient:
    """The app over `database_url` with `executor`, its own sandbox providers and no job worker, kept open by
    `stack`; an httpx client of it."""
    running = await stack.enter_async_context(serve_sandbox(Sandbox(hang_seconds=2)))
    settings = Settings(
        database_url=database_url,
        data_dir=data_dir,
        executor=executor,
        serve_worker=False,  # a queued job stays queued: nothing changes the database behind the requests
        credentials_key=CREDENTIALS_KEY,
        **running.settings_overrides(),  # type: ignore[arg-type]
        **FAST_PROVIDER_SETTINGS,
    )
    app = create_app(settings)
    await stack.enter_async_context(app.router.lifespan_context(app))
    transport = httpx.ASGITransport(app=app)
    return await stack.enter_async_context(httpx.AsyncClient(transport=transport, base_url="http://testserver"))


async def send(
    client: httpx.AsyncClient, token: str, query: str, variables: dict[str, Any], operation_name: str | None
) -> Answer:
    """POST the operation as a client would: JSON, or a multipart request when a variable holds a file."""
    headers = {"Authorization": f"Bearer {token}"}
    body: dict[str, Any] = {"query": query, "variables": without_files(variables)}
    if operation_name is not None:
        body["operationName"] = operation_name
    paths = file_paths(variables)
    if paths:
        files = {str(i): (f"f{i}.png", png_bytes(seed=i), "image/png") for i in range(len(paths))}
        mapping = {str(i): [path] for i, path in enumerate(paths)}
        data = {"operations": json.dumps(body), "map": json.dumps(mapping)}
        response = await client.post("/graphql", data=data, files=files, headers=headers | {"GraphQL-Preflight": "1"})
    else:
        response = await client.post(
            "/graphql", content=json.dumps(body), headers=headers | {"Content-Type": "application/json"}
        )
    return Answer(response.status_code, response.content)


@dataclass
class ExecutorPair:
    """The same viewer's requests sent to the stock app, then to the compiled one."""

    stock: httpx.AsyncClient
    compiled: httpx.AsyncClient
    token: str

    async def answers(
        self, query: str, variables: dict[str, Any] | None = None, operation_name: str | None = None
    ) -> tuple[Answer, Answer]:
        variables = variables or {}
        first = await send(self.stock, self.token, query, variables, operation_name)
        second = await send(self.compiled, self.token, query, variables, operation_name)
        return first, second


class SabotagedExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """The stock executor with one deliberate bug: a Boolean `false` completes as 0, as a fast path that skipped
    the serializer might. The differential test must report it."""

    @staticmethod
    def complete_leaf_value(return_type: GraphQLLeafType, result: Any) -> Any:
        completed = StrawberryGraphQLCoreExecutionContext.complete_leaf_value(return_type, result)
        return 0 if return_type.name == "Boolean" and completed is False else completed
