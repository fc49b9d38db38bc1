"""totalCount: counted only when the query asks for it, and then by the page statement itself."""

from __future__ import annotations

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

    # then only the pages asking for it count, once each, within the page statement: no statement more
    assert (_counts(without), _counts(skipped), _counts(counted), _counts(twice)) == (0, 0, 1, 1)
    assert len(_reads(counted)) == len(_reads(without)) == len(_reads(skipped)) == 1
    assert "totalCount" not in skipped_data["assets"] and len(bare["assets"]["edges"]) == 2
    assert counted_data["assets"]["totalCount"] == 5
    assert (twice_data["assets"]["totalCount"], twice_data["assets"]["again"]) == (5, 5)


AFTER = """
query($after: String, $status: [ProviderStatus!]) {
  assets(first: 2, after: $after, filter: {providerStatus: $status}) {
    edges { node { databaseId } } totalCount pageInfo { endCursor }
  }
}
"""


async def test_every_page_counts_the_whole_filtered_set(
    db: Database, app: Starlette, alice: tuple[int, GraphQLClient]
) -> None:
    # given five assets, three of them stored here only
    user_id, client = alice
    await insert_assets(db, user_id, [{"storage_key": f"k{i}"} for i in range(3)] + [{} for _ in range(2)])
    engine = app.state.resources.database.engine

    # when the library is walked page by page with totalCount, filtered and not
    totals, after = [], None
    while True:
        page = (await client.data(AFTER, {"after": after}))["assets"]
        totals.append(page["totalCount"])
        if not page["edges"]:
            break
        after = page["pageInfo"]["endCursor"]
    local = await client.data(AFTER, {"status": ["LOCAL_ONLY"]})
    none_flagged = await client.data(AFTER, {"status": ["FLAGGED"]})

    # then every page, the one past the end included (it has no row to carry the count), reports the whole set
    assert totals == [5, 5, 5, 5]
    assert local["assets"]["totalCount"] == 3 and len(local["assets"]["edges"]) == 2
    assert none_flagged["assets"] == {"edges": [], "totalCount": 0, "pageInfo": {"endCursor": None}}
    # and only a page past the end needs a statement of its own to count, after the page statement
    with count_statements(engine) as past_the_end:
        await client.data(AFTER, {"after": after})
    page_statement, count_statement = _reads(past_the_end)
    assert "ORDER BY" in page_statement and "ORDER BY" not in count_statement and _counts([count_statement]) == 1
