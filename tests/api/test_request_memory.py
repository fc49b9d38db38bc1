"""A finished request leaves nothing behind: its objects are freed when it ends, not at some later garbage
collection (under load, what waited for the collector piled up to hundreds of MB of RSS that never came back)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from assetgraph.domain.asset_record import AssetRecord
from assetgraph.persistence.database import Database
from assetgraph.resolvers.context import Context
from tests.support import GraphQLClient, insert_assets

GALLERY = """
query { assets(first: 20) { totalCount edges { cursor node { id providerStatus providerStates { providerId status }
  lastUploadStatusByProvider { providerId status } } } pageInfo { hasNextPage } } }
"""


def alive(kind: type) -> int:
    """Instances of `kind` the collector tracks, garbage not yet collected included."""
    return sum(1 for obj in gc.get_objects() if type(obj) is kind)


@contextmanager
def no_cyclic_collection() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def test_a_finished_request_frees_its_context_and_rows_without_the_garbage_collector(
    alice: tuple[int, GraphQLClient], db: Database
) -> None:
    # given a user with a page of assets
    user_id, client = alice
    await insert_assets(db, user_id, [{"description": f"asset {n}"} for n in range(20)])
    await client.data(GALLERY)  # first use: whatever is built once is built now

    with no_cyclic_collection():
        contexts, records = alive(Context), alive(AssetRecord)

        # when the gallery is read several times, with the cyclic garbage collector off
        for _ in range(5):
            page = await client.data(GALLERY)
            assert len(page["assets"]["edges"]) == 20

        # then no request's context, nor any of the rows it read, is still in memory
        assert (alive(Context), alive(AssetRecord)) == (contexts, records)
