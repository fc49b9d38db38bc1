"""totalCount: counted only when the query asks for it, and then beside the page query rather than after it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from starlette.applications import Starlette

from assetgraph.persistence.database import Database
from tests.support import GraphQLClient, count_statements, insert_assets

PAGE = """
query($skip: Boolean = false) {
  assets(first: 2) { edges { node { databaseId } } totalCount @skip(if: $skip) }
}
"""
BY_FRAGMENT = """
query { assets(first: 2) { ...Counted edges { node { databaseId } } again: totalCount } }
fragment Counted on AssetConnection { totalCount }
"""
WITHOUT = "{ assets(first: 2) { edges { node { databaseId } } pageInfo { hasNextPage } } }"


def _counts(statements: list[str]) -> int:
    return sum(1 for s in statements if "count(*)" in s)


def _reads(statements: list[str]) -> list[str]:
    return [s for s in statements if "api_tokens" not in s]  # the request's authentication aside


async def test_the_count_runs_only_when_total_count_is_selected(
    db: Database, app: Starlette, alice: tuple[int, GraphQLClient]
) -> None:
    # given five assets
    user_id, client = alice
    await insert_assets(db, user_id, [{} for _ in range(5)])
    engine = app.state.resources.database.engine

    # when pages are read without totalCount, with it skipped, with it, and with it twice (by a fragment, an alias)
    with count_statements(engine) as without:
        bare = await client.data(WITHOUT)
    with count_statements(engine) as skipped:
        skipped_data = await client.data(PAGE, {"skip": True})
    with count_statements(engine) as counted:
        counted_data = await client.data(PAGE)
    with count_statements(engine) as twice:
        twice_data = await client.data(BY_FRAGMENT)

    # then only the pages asking for it send a COUNT, one each, and one statement more than a page without it
    assert (_counts(without), _counts(skipped), _counts(counted), _counts(twice)) == (0, 0, 1, 1)
    assert len(_reads(counted)) == len(_reads(without)) + 1 == len(_reads(skipped)) + 1
    assert "totalCount" not in skipped_data["assets"] and len(bare["assets"]["edges"]) == 2
    assert counted_data["assets"]["totalCount"] == 5
    assert (twice_data["assets"]["totalCount"], twice_data["assets"]["again"]) == (5, 5)


@contextmanager
def _statement_events(engine: Any) -> Iterator[list[tuple[str, str]]]:
    """(event, statement) for every statement start and end, in the order they happen."""
    events: list[tuple[str, str]] = []

    def started(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        events.append(("start", statement))

    def ended(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        events.append(("end", statement))

    event.listen(engine.sync_engine, "before_cursor_execute", started)
    event.listen(engine.sync_engine, "after_cursor_execute", ended)
    try:
        yield events
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", started)
        event.remove(engine.sync_engine, "after_cursor_execute", ended)


async def test_the_count_is_sent_before_the_page_query_has_answered(
    db: Database, app: Starlette, alice: tuple[int, GraphQLClient]
) -> None:
    # given a library, and a pool already holding connections for both queries
    user_id, client = alice
    await insert_assets(db, user_id, [{} for _ in range(3)])
    for _ in range(2):
        await client.data(PAGE)

    # when a page with totalCount is read
    with _statement_events(app.state.resources.database.engine) as events:
        data = await client.data(PAGE)

    # then the COUNT went out while the page query was still running: the request waits for the slower of the two,
    # not for both in turn
    assert data["assets"]["totalCount"] == 3
    page_end = next(i for i, (kind, s) in enumerate(events) if kind == "end" and "ORDER BY" in s)
    count_start = next(i for i, (kind, s) in enumerate(events) if kind == "start" and "count(*)" in s)
    assert count_start < page_end, events
