"""Keyset pages: each asset exactly once, in order, even while new assets arrive between pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assetgraph.persistence.database import Database
from tests.support import GraphQLClient, insert_assets

PAGE = """
query($after: String, $order: AssetOrder!) {
  assets(first: 97, after: $after, orderBy: $order) {
    totalCount
    edges { cursor node { databaseId createdAt } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""


@pytest.mark.parametrize("order", ["CREATED_AT_DESC", "CREATED_AT_ASC"])
async def test_pages_return_every_asset_once_in_order_with_inserts_between(
    db: Database, alice: tuple[int, GraphQLClient], order: str
) -> None:
    # given 1,000 assets, many sharing a timestamp so that ids must break ties
    user_id, client = alice
    base = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [{"created_at": base + timedelta(seconds=i // 3)} for i in range(1000)]
    original = set(await insert_assets(db, user_id, rows))

    # when paging through, inserting new assets (newest and oldest) after each page
    seen: list[int] = []
    keys: list[tuple[str, int]] = []
    after = None
    pages = 0
    while True:
        data = (await client.data(PAGE, {"after": after, "order": order}))["assets"]
        pages += 1
        assert data["pageInfo"]["hasPreviousPage"] is (after is not None)
        for edge in data["edges"]:
            seen.append(edge["node"]["databaseId"])
            keys.append((edge["node"]["createdAt"], edge["node"]["databaseId"]))
        await insert_assets(
            db, user_id, [{"created_at": datetime.now(UTC)}, {"created_at": base - timedelta(days=pages)}]
        )
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]

    # then every original asset came exactly once, and the order never went backwards
    assert len(seen) == len(set(seen))
    assert original <= set(seen)
    parsed = [(datetime.fromisoformat(at), row_id) for at, row_id in keys]
    assert parsed == sorted(parsed, reverse=order == "CREATED_AT_DESC")
    assert pages >= 1000 // 97


async def test_a_cursor_that_was_not_issued_is_a_clear_error(alice: tuple[int, GraphQLClient]) -> None:
    _, client = alice
    body = await client.query('{ assets(first: 5, after: "bm90IGEgY3Vyc29y") { totalCount } }')
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


async def test_filters_narrow_the_listing(db: Database, alice: tuple[int, GraphQLClient]) -> None:
    # given assets differing in every filtered column
    user_id, client = alice
    jan = datetime(2026, 1, 15, tzinfo=UTC)
    await insert_assets(
        db,
        user_id,
        [
            {"media_type": "video", "provider_id": "pixverse", "tags": ["cat", "night"], "created_at": jan},
            {"media_type": "image", "provider_id": "sora", "tags": ["cat"], "content_domain": "sports"},
            {"media_type": "image", "age_restricted": True, "content_rating": "adult"},
            {"media_type": "audio", "searchable": False, "upload_method": "local_folders"},
        ],
    )

    async def count(filter_: dict[str, object]) -> int:
        query = "query($f: AssetFilterInput) { assets(filter: $f) { totalCount nodes { id } } }"
        data = (await client.data(query, {"f": filter_}))["assets"]
        assert data["totalCount"] == len(data["nodes"])
        return int(data["totalCount"])

    # then each filter keeps what it says, and hidden assets appear only when asked for
    assert await count({}) == 2
    assert await count({"mediaType": ["VIDEO", "IMAGE"]}) == 2
    assert await count({"providerId": "pixverse"}) == 1
    assert await count({"tags": ["cat"]}) == 2
    assert await count({"tags": ["cat", "night"]}) == 1
    assert await count({"contentDomain": ["SPORTS"]}) == 1
    assert await count({"includeAgeRestricted": True}) == 3
    assert await count({"includeAgeRestricted": True, "contentRating": ["ADULT"]}) == 1
    assert await count({"includeUnsearchable": True, "uploadMethod": ["LOCAL_FOLDERS"]}) == 1
    assert await count({"createdBefore": "2026-02-01T00:00:00+00:00"}) == 1
    assert await count({"createdAfter": "2026-02-01T00:00:00+00:00"}) == 1
