"""The server's pooled database sessions die (a restart, an idle timeout): the next request still answers on its
first try, and a mutation is written once. The engine no longer pings each connection it hands out; it replaces a
dead one on its first statement (persistence/database.py)."""

from __future__ import annotations

from sqlalchemy import text

from assetgraph.persistence.database import APPLICATION_NAME, Database
from tests.api.asset_parts_support import ERRORS, asset_gid, mutate, new_assets, part_counts
from tests.support import GraphQLClient

ADD_BRANCH = (
    f"mutation($input: AddAssetBranchInput!) {{ addAssetBranch(input: $input) {{ branch {{ name }} {ERRORS} }} }}"
)
PAGE = "{ assets(first: 10) { totalCount edges { node { databaseId providerStatus } } pageInfo { hasNextPage } } }"
# Every session of the engines of this process (the app's and the tests'), except the one sending this.
_KILL_SESSIONS = text(
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
    "WHERE application_name = :name AND pid <> pg_backend_pid()"
)


async def _kill_pooled_sessions(db: Database) -> int:
    async with db.engine.connect() as conn:
        killed = await conn.scalar(_KILL_SESSIONS, {"name": APPLICATION_NAME})
        await conn.commit()
    return int(killed or 0)


async def test_a_gallery_page_is_answered_on_the_first_try_after_the_sessions_died(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given a page read once, so that the server's pool holds sessions
    user_id, client = alice
    await new_assets(db, user_id, 3)
    before = await client.data(PAGE)

    # when every pooled session is killed
    assert await _kill_pooled_sessions(db) >= 1

    # then the same page reads the same on the first try
    assert await client.data(PAGE) == before


async def test_a_mutation_after_the_sessions_died_is_written_once(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given an asset, and the server's pooled sessions killed
    user_id, client = alice
    [asset] = await new_assets(db, user_id, 1)
    await client.data(PAGE)
    assert await _kill_pooled_sessions(db) >= 1

    # when a branch is added
    payload = await mutate(client, ADD_BRANCH, "addAssetBranch", {"assetId": asset_gid(asset), "name": "Fork"})

    # then it was added, once
    assert payload["errors"] == [] and payload["branch"]["name"] == "Fork"
    assert (await part_counts(db, user_id))["asset_branches"] == 1
