"""Who may ask: missing, bad and revoked tokens, and other users' assets looking exactly like missing ones."""

from __future__ import annotations

import httpx
from sqlalchemy import text

from assetgraph.persistence.database import Database
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from assetgraph.services.auth import create_token, revoke_token
from tests.support import GraphQLClient, insert_assets

VIEWER = "{ viewer { id email } }"


def _unauthenticated(body: dict[str, object]) -> bool:
    errors = body.get("errors")
    return (
        body.get("data") is None
        and isinstance(errors, list)
        and [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]
    )


async def test_missing_token_is_unauthenticated(http: httpx.AsyncClient) -> None:
    body = await GraphQLClient(http, None).query(VIEWER)
    assert _unauthenticated(body)


async def test_unknown_token_is_unauthenticated(http: httpx.AsyncClient) -> None:
    body = await GraphQLClient(http, "agt_not-a-real-token").query(VIEWER)
    assert _unauthenticated(body)


async def test_non_bearer_scheme_is_unauthenticated(http: httpx.AsyncClient, alice: tuple[int, GraphQLClient]) -> None:
    _, client = alice
    response = await http.post("/graphql", json={"query": VIEWER}, headers={"Authorization": f"Basic {client.token}"})
    assert _unauthenticated(response.json())


async def test_revoked_token_stops_working(
    db: Database, http: httpx.AsyncClient, alice: tuple[int, GraphQLClient]
) -> None:
    # given a second token of alice's that works
    _, client = alice
    me = await client.data(VIEWER)
    second = await create_token(UnitOfWork(db), me["viewer"]["email"], name="laptop")
    assert (await GraphQLClient(http, second.token).data(VIEWER))["viewer"] == me["viewer"]

    # when it is revoked
    assert await revoke_token(UnitOfWork(db), second.token)

    # then it is refused, and alice's first token still works
    assert _unauthenticated(await GraphQLClient(http, second.token).query(VIEWER))
    assert (await client.data(VIEWER))["viewer"] == me["viewer"]


async def test_a_request_stamps_its_tokens_use(
    db: Database, http: httpx.AsyncClient, alice: tuple[int, GraphQLClient]
) -> None:
    # given a token never used
    _, client = alice
    me = await client.data(VIEWER)
    token = await create_token(UnitOfWork(db), me["viewer"]["email"], name="never used")

    # when a request carries it
    assert (await GraphQLClient(http, token.token).data(VIEWER))["viewer"] == me["viewer"]

    # then its use is stamped, and stays stamped (the lookup is sent in autocommit, with no COMMIT of its own)
    async with db.engine.connect() as conn:
        stamped = await conn.scalar(text("SELECT last_used_at IS NOT NULL FROM api_tokens WHERE name = 'never used'"))
    assert stamped is True


async def test_introspection_needs_no_token(http: httpx.AsyncClient) -> None:
    body = await GraphQLClient(http, None).query("{ __schema { queryType { name } } }")
    assert body == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


async def test_another_users_asset_answers_like_a_missing_one(
    db: Database, alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient]
) -> None:
    # given an asset of alice's, and an id that exists nowhere
    alice_id, alice_client = alice
    _, bob_client = bob
    (asset_id,) = await insert_assets(db, alice_id, [{"description": "alice's secret"}])
    theirs = to_global_id(NodeType.ASSET, asset_id)
    missing = to_global_id(NodeType.ASSET, 2**62)
    query = "query($id: ID!) { asset(id: $id) { id description } node(id: $id) { id } }"

    # then alice sees it
    mine = await alice_client.data(query, {"id": theirs})
    assert mine["asset"]["description"] == "alice's secret"
    assert mine["node"]["id"] == theirs

    # and bob gets exactly what a missing id gets, through asset, node and the assets listing
    for_bob = await bob_client.query(query, {"id": theirs})
    for_missing = await bob_client.query(query, {"id": missing})
    assert for_bob == for_missing == {"data": {"asset": None, "node": None}}
    listing = await bob_client.data("{ assets(first: 500) { totalCount nodes { id } } }")
    assert theirs not in [n["id"] for n in listing["assets"]["nodes"]]
    assert listing["assets"]["totalCount"] == 0


async def test_malformed_ids_answer_like_missing_ones(alice: tuple[int, GraphQLClient]) -> None:
    _, client = alice
    for bad in ["", "not base64!", to_global_id(NodeType.USER, 1), "QXNzZXQ6LTE=", "QXNzZXQ6eA=="]:
        data = await client.data("query($id: ID!) { asset(id: $id) { id } node(id: $id) { id } }", {"id": bad})
        assert data == {"asset": None, "node": None}, bad
