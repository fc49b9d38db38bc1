"""The app in-process (as the test suite runs it) and a GraphQL client that can record the app's SQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn

import httpx
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from assetgraph.app import create_app, tune_garbage_collector
from assetgraph.config import Settings

Statement = tuple[str, tuple[Any, ...]]
"""SQL and its positional parameters, as the asyncpg dialect sends them ($1, $2, ...)."""


class GraphQLRequestError(RuntimeError):
    """The response carried errors (or was not a 200): the case cannot be measured."""


@dataclass(frozen=True)
class GraphQLSession:
    http: httpx.AsyncClient
    token: str
    engine: AsyncEngine

    async def execute(self, query: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        """The `data` of the response, decoded to Python objects (part of what is timed)."""
        response = await self._post(query, variables)
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise GraphQLRequestError(f"HTTP {response.status_code}: {body.get('errors') or body}")
        data: dict[str, Any] = body["data"]
        return data

    async def execute_undecoded(self, query: str, variables: Mapping[str, Any]) -> bytes:
        """The response's body as received, not decoded: for a case whose baseline decodes no JSON either. A body
        with errors (which follow `data` in the encoded response) raises as in `execute`."""
        response = await self._post(query, variables)
        if response.status_code != 200 or b'"errors":' in response.content:
            return self._raise(response)
        return response.content

    async def _post(self, query: str, variables: Mapping[str, Any]) -> httpx.Response:
        return await self.http.post(
            "/graphql",
            json={"query": query, "variables": dict(variables)},
            headers={"Authorization": f"Bearer {self.token}"},
        )

    @staticmethod
    def _raise(response: httpx.Response) -> NoReturn:
        body = response.json()
        raise GraphQLRequestError(f"HTTP {response.status_code}: {body.get('errors') or body}")

    @contextmanager
    def recording(self) -> Iterator[list[Statement]]:
        """Every statement the app's engine sends while the block runs."""
        statements: list[Statement] = []

        def record(conn: Any, cursor: Any, sql: str, parameters: Any, *args: Any) -> None:
            statements.append((sql, tuple(parameters or ())))

        event.listen(self.engine.sync_engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(self.engine.sync_engine, "before_cursor_execute", record)


@asynccontextmanager
async def in_process_app(url: str, token: str) -> AsyncIterator[GraphQLSession]:
    """The real app with its lifespan, behind an ASGI transport: no sockets, no server process."""
    app = create_app(Settings(database_url=url))
    tune_garbage_collector()  # as `assetgraph serve` does
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            yield GraphQLSession(http=http, token=token, engine=app.state.resources.database.engine)
