"""similarAssets, on Query and on Asset, through the real app over HTTP, over assets with known perceptual hashes:
exact distances, the threshold, degenerate hashes and other users' assets left out, batched on a page."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from assetgraph.domain.hashes import to_stored_phash
from assetgraph.persistence.database import Database
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from tests.support import GraphQLClient, count_statements, insert_assets, refused

SOURCE = (1 << 63) | 0x1FF
"""10 bits set, the sign bit among them: close enough to the degenerate boundary to have degenerate neighbours."""

SIMILAR = """
query($id: ID!, $d: Int, $n: Int) {
  similarAssets(assetId: $id, maxDistance: $d, first: $n) { distance asset { databaseId } }
}
"""


def _flip(phash: int, *bits: int) -> int:
    for bit in bits:
        phash ^= 1 << bit
    return phash


def _gid(asset_id: int) -> str:
    return to_global_id(NodeType.ASSET, asset_id)


async def _library(db: Database, user_id: int, hashes: list[int | None]) -> list[int]:
    return await insert_assets(db, user_id, [{"phash64": None if h is None else to_stored_phash(h)} for h in hashes])


def _found(data: Any) -> list[tuple[int, int]]:
    return [(s["asset"]["databaseId"], s["distance"]) for s in data]


async def test_near_duplicates_by_distance_then_id_within_the_threshold(
    db: Database, alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient]
) -> None:
    # given alice's image and her others at known distances from it
    user_id, client = alice
    ids = await _library(
        db,
        user_id,
        [
            SOURCE,
            _flip(SOURCE, 20, 21, 22),  # 3 away
            SOURCE,  # the same hash: 0 away
            _flip(SOURCE, 30),  # 1 away
            _flip(SOURCE, 40, 41, 42),  # 3 away, a later id
            _flip(SOURCE, *range(10, 20)),  # 10 away: at the default threshold
            _flip(SOURCE, *range(10, 21)),  # 11 away: beyond it
            _flip(SOURCE, 0, 1, 2),  # 3 away but only 7 bits set: degenerate, never matched
            None,  # no perceptual hash (a video)
        ],
    )
    source, three, same, one, three_later, ten, _, _, _ = ids
    # and bob's image 1 bit away
    await _library(db, bob[0], [_flip(SOURCE, 30)])
    # when alice asks for its near-duplicates with the defaults
    data = (await client.data(SIMILAR, {"id": _gid(source)}))["similarAssets"]
    # then hers within 10 bits come back, nearest first, ties by id, each with its exact distance
    assert _found(data) == [(same, 0), (one, 1), (three, 3), (three_later, 3), (ten, 10)]
    # and maxDistance and first narrow it
    assert _found((await client.data(SIMILAR, {"id": _gid(source), "d": 3}))["similarAssets"]) == [
        (same, 0), (one, 1), (three, 3), (three_later, 3)
    ]  # fmt: skip
    assert _found((await client.data(SIMILAR, {"id": _gid(source), "d": 0, "n": 5}))["similarAssets"]) == [(same, 0)]
    assert _found((await client.data(SIMILAR, {"id": _gid(source), "n": 2}))["similarAssets"]) == [(same, 0), (one, 1)]


async def test_degenerate_or_missing_hashes_match_nothing(db: Database, alice: tuple[int, GraphQLClient]) -> None:
    # given a blank image (degenerate hash), a video (no hash), and images identical to each
    user_id, client = alice
    blank, video, _, _ = await _library(db, user_id, [1 << 63, None, 1 << 63, None])
    # then neither has near-duplicates
    for asset_id in (blank, video):
        assert (await client.data(SIMILAR, {"id": _gid(asset_id), "d": 32}))["similarAssets"] == []


async def test_another_users_asset_reads_as_missing(
    db: Database, alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient]
) -> None:
    # given bob's image with a near-duplicate of his own
    bobs, _ = await _library(db, bob[0], [SOURCE, SOURCE])
    _, client = alice
    # then alice reads null for it, exactly as for an id that does not exist or is malformed
    answers = [
        await client.query(SIMILAR, {"id": global_id})
        for global_id in (_gid(bobs), _gid(bobs + 10_000_000), "not-an-id", to_global_id(NodeType.USER, bobs))
    ]
    assert answers == [{"data": {"similarAssets": None}}] * 4


async def test_out_of_range_arguments_are_refused(
    app: Starlette, db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    user_id, client = alice
    (source,) = await _library(db, user_id, [SOURCE])
    body = await client.query(SIMILAR, {"id": _gid(source), "d": 33})
    assert [(e["message"], e["extensions"]) for e in body["errors"]] == [
        ("'maxDistance' must be between 0 and 32 (got 33)", {"code": "BAD_USER_INPUT", "field": "maxDistance"})
    ]
    errors = await refused(app.state.resources.database.engine, client, SIMILAR, {"id": _gid(source), "n": 501})
    assert [e["message"] for e in errors] == ["'first' must be between 0 and 500 (got 501)"]


async def test_a_page_of_assets_gets_its_near_duplicates_in_one_statement(
    app: Starlette, db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given three images, two of them 2 bits apart, and a video
    user_id, client = alice
    far = _flip(SOURCE, *range(20, 40))
    a, b, c, video = await _library(db, user_id, [SOURCE, _flip(SOURCE, 50, 51), far, None])
    query = """{ assets(first: 10, orderBy: CREATED_AT_ASC) {
        nodes { databaseId similarAssets(maxDistance: 5) { distance asset { databaseId } } } } }"""
    # when the page asks each asset for its near-duplicates
    with count_statements(app.state.resources.database.engine) as statements:
        nodes = (await client.data(query))["assets"]["nodes"]
    # then each has its own, from one statement for the page and one for all the near-duplicates
    assert {n["databaseId"]: _found(n["similarAssets"]) for n in nodes} == {a: [(b, 2)], b: [(a, 2)], c: [], video: []}
    assert len([s for s in statements if "api_tokens" not in s]) == 2
