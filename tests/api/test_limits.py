"""Oversized operations are refused with clear errors before anything executes."""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from assetgraph.app import create_app
from assetgraph.config import Limits, Settings
from assetgraph.persistence.database import Database
from tests.support import GraphQLClient, count_statements, new_user


async def _refused(
    app: Starlette, client: GraphQLClient, query: str, variables: dict[str, object] | None = None
) -> str:
    """Run `query`; assert nothing beyond authentication reached the database; return the error message."""
    with count_statements(app.state.resources.database.engine) as statements:
        body = await client.query(query, variables)
    assert body.get("data") is None, body
    assert len(body["errors"]) >= 1
    assert not any("FROM assets" in s for s in statements), statements
    message: str = body["errors"][0]["message"]
    return message


async def test_too_deep_query_is_refused(settings: Settings, db: Database) -> None:
    # given a server configured for depth 2 (the default is 12, deeper than anything the schema nests yet)
    strict = create_app(settings.model_copy(update={"limits": Limits(max_depth=2)}))
    issued = await new_user(db)
    async with strict.router.lifespan_context(strict):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=strict), base_url="http://t") as http:
            client = GraphQLClient(http, issued.token)
            # then two levels below the root field run and three are refused
            assert await client.data("{ assets { pageInfo { hasNextPage } } }")
            message = await _refused(strict, client, "{ assets { edges { node { id } } } }")
    assert "exceeds maximum operation depth of 2" in message


async def test_too_many_aliases_are_refused(app: Starlette, alice: tuple[int, GraphQLClient]) -> None:
    _, client = alice
    query = "{ " + " ".join(f"a{i}: assets(first: 1) {{ totalCount }}" for i in range(31)) + " }"
    message = await _refused(app, client, query)
    assert "alias" in message.lower()


async def test_too_many_tokens_are_refused(app: Starlette, alice: tuple[int, GraphQLClient]) -> None:
    _, client = alice
    query = "{ viewer { " + " ".join(["id"] * 2100) + " } }"
    message = await _refused(app, client, query)
    assert "token" in message.lower()


async def test_page_size_over_500_is_refused_literal_and_variable(
    app: Starlette, alice: tuple[int, GraphQLClient]
) -> None:
    _, client = alice
    message = await _refused(app, client, "{ viewer { id } assets(first: 501) { totalCount } }")
    assert message == "'first' must be between 0 and 500 (got 501)"
    message = await _refused(app, client, "query($n: Int) { assets(first: $n) { totalCount } }", {"n": -1})
    assert "'first'" in message


async def test_page_size_of_500_is_allowed(alice: tuple[int, GraphQLClient]) -> None:
    _, client = alice
    data = await client.data("{ assets(first: 500) { totalCount } }")
    assert data == {"assets": {"totalCount": 0}}
