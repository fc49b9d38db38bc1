"""The page, count and overview statements are built once per filter shape and shared by every request: each request
must still get the answer to its own values (owner, filter values, keyset, page size), never an earlier one's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assetgraph.domain.asset_query import AssetFilter, AssetOrder, Keyset, PageRequest
from assetgraph.domain.enums import MediaType
from assetgraph.persistence.database import Database
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services.assets import asset_page, assets_by_ids, count_assets, status_overview
from tests.support import count_statements, insert_assets, new_user

_START = datetime(2026, 3, 1, tzinfo=UTC)


def _at(minutes: int) -> datetime:
    return _START + timedelta(minutes=minutes)


async def test_requests_of_one_shape_each_get_their_own_values(db: Database) -> None:
    # given two users whose libraries differ in size, providers and media types
    alice, bob = await new_user(db), await new_user(db)
    alice_ids = await insert_assets(
        db,
        alice.user_id,
        [{"provider_id": "pixverse", "media_type": "video", "created_at": _at(i)} for i in range(5)]
        + [{"provider_id": "sora", "media_type": "image", "created_at": _at(10 + i)} for i in range(2)],
    )
    bob_ids = await insert_assets(
        db, bob.user_id, [{"provider_id": "pixverse", "media_type": "audio", "created_at": _at(i)} for i in range(3)]
    )

    async def page(user_id: int, request: PageRequest) -> list[int]:
        return [row.id for row in (await asset_page(UnitOfWork(db), user_id, request)).records]

    async def counted(user_id: int, request: PageRequest) -> tuple[list[int], int | None]:
        rows = await asset_page(UnitOfWork(db), user_id, request, with_total=True)
        return [row.id for row in rows.records], rows.total

    pixverse, sora = AssetFilter(provider_id="pixverse"), AssetFilter(provider_id="sora")
    video_or_image = AssetFilter(media_types=(MediaType.VIDEO, MediaType.IMAGE))
    audio = AssetFilter(media_types=(MediaType.AUDIO,))

    # when requests of one shape follow each other with other owners, values, keysets and sizes
    # then each answers for its own values
    assert await page(alice.user_id, PageRequest(first=10, filter=pixverse)) == alice_ids[4::-1]
    assert await page(bob.user_id, PageRequest(first=10, filter=pixverse)) == bob_ids[::-1]
    assert await page(alice.user_id, PageRequest(first=10, filter=sora)) == alice_ids[:4:-1]
    assert await page(alice.user_id, PageRequest(first=2, filter=pixverse)) == alice_ids[4:2:-1]
    after = Keyset(created_at=_at(3), id=alice_ids[3])
    assert await page(alice.user_id, PageRequest(first=10, after=after, filter=pixverse)) == alice_ids[2::-1]
    after = Keyset(created_at=_at(1), id=alice_ids[1])
    assert await page(alice.user_id, PageRequest(first=10, after=after, filter=pixverse)) == alice_ids[0:1]
    ascending = PageRequest(first=10, after=after, order=AssetOrder.CREATED_AT_ASC, filter=pixverse)
    assert await page(alice.user_id, ascending) == alice_ids[2:5]
    # an IN list of another length, then of the same length with other members
    assert len(await page(alice.user_id, PageRequest(first=10, filter=video_or_image))) == 7
    assert await page(alice.user_id, PageRequest(first=10, filter=audio)) == []
    assert await page(bob.user_id, PageRequest(first=10, filter=audio)) == bob_ids[::-1]

    # and a page that counts its filtered set counts the whole set, whatever its keyset and size
    assert await counted(alice.user_id, PageRequest(first=2, filter=pixverse)) == (alice_ids[4:2:-1], 5)
    assert await counted(bob.user_id, PageRequest(first=2, filter=pixverse)) == (bob_ids[:0:-1], 3)
    after = Keyset(created_at=_at(3), id=alice_ids[3])
    assert await counted(alice.user_id, PageRequest(first=1, after=after, filter=pixverse)) == ([alice_ids[2]], 5)
    assert await counted(alice.user_id, PageRequest(first=10, filter=sora)) == (alice_ids[:4:-1], 2)
    # an empty set counts 0; a keyset past the last asset leaves nothing to carry the count (the caller counts)
    assert await counted(bob.user_id, PageRequest(first=10, filter=sora)) == ([], 0)
    past_the_end = Keyset(created_at=_at(0), id=alice_ids[0])
    assert await counted(alice.user_id, PageRequest(first=10, after=past_the_end, filter=pixverse)) == ([], None)

    assert await count_assets(UnitOfWork(db), alice.user_id, pixverse) == 5
    assert await count_assets(UnitOfWork(db), bob.user_id, pixverse) == 3
    assert await count_assets(UnitOfWork(db), alice.user_id, sora) == 2
    assert (await status_overview(UnitOfWork(db), alice.user_id, pixverse)).total == 5
    assert (await status_overview(UnitOfWork(db), bob.user_id, sora)).total == 0


async def test_assets_by_ids_is_one_statement_whatever_the_number_of_ids(db: Database) -> None:
    # given two users' assets
    alice, bob = await new_user(db), await new_user(db)
    mine = await insert_assets(db, alice.user_id, [{} for _ in range(3)])
    theirs = await insert_assets(db, bob.user_id, [{}])

    # when they are looked up by one id, then by several (another user's among them)
    with count_statements(db.engine) as statements:
        one = await assets_by_ids(UnitOfWork(db), alice.user_id, mine[:1])
        several = await assets_by_ids(UnitOfWork(db), alice.user_id, [*mine, *theirs, 10**12])

    # then each lookup finds the caller's assets only, through the same SQL text (prepared once per connection)
    assert sorted(one) == mine[:1] and sorted(several) == mine
    assert len(statements) == 2 and statements[0] == statements[1]
