"""Records read by the asset repository carry their text[] columns as plain lists, exactly as stored (the
repository lets asyncpg's decoding through instead of SQLAlchemy's ARRAY processing)."""

from __future__ import annotations

from assetgraph.domain.asset_query import AssetFilter, AssetOrder, PageRequest
from assetgraph.persistence.database import Database
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services.assets import asset_page, assets_by_ids
from tests.support import insert_assets, new_user


async def test_tags_and_style_tags_read_back_as_stored_lists(db: Database) -> None:
    # given assets with tags (in a chosen order, with odd characters), style tags, and none at all
    user = await new_user(db)
    tagged, bare = await insert_assets(
        db,
        user.user_id,
        [
            {"tags": ["night", "cat", 'a "quoted", {braced} tag'], "style_tags": ["noir"]},
            {},
        ],
    )
    expected = {tagged: (["night", "cat", 'a "quoted", {braced} tag'], ["noir"]), bare: ([], [])}

    # when they are read by id and by page
    by_id = await assets_by_ids(UnitOfWork(db), user.user_id, [tagged, bare])
    request = PageRequest(first=10, after=None, order=AssetOrder.CREATED_AT_DESC, filter=AssetFilter())
    page = (await asset_page(UnitOfWork(db), user.user_id, request)).records

    # then both read them as the stored lists
    for records in (list(by_id.values()), page):
        assert {r.id: (r.tags, r.style_tags) for r in records} == expected
        assert all(type(r.tags) is list and type(r.style_tags) is list for r in records)
