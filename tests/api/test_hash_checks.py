"""checkByHash and checkByHashes through the real app over HTTP: exact answers and notes, the caller's assets
only, malformed hashes answered one by one, 10,000 hashes in one statement, 10,001 refused, and no write."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from starlette.applications import Starlette

from assetgraph.persistence.database import Database
from assetgraph.persistence.models import Asset
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from tests.support import GraphQLClient, count_statements, insert_assets, refused

CHECK_MANY = """
query($sha256s: [String!]!, $providerId: String) {
  checkByHashes(sha256s: $sha256s, providerId: $providerId) {
    sha256 valid exists uploadedToProviders note error { code field message } assetId asset { id sha256 }
  }
}
"""
CHECK_ONE = """
query($sha256: String!, $providerId: String) {
  checkByHash(sha256: $sha256, providerId: $providerId) {
    sha256 valid exists uploadedToProviders note error { code field message } assetId asset { id }
  }
}
"""


def new_sha256() -> str:
    return hashlib.sha256(uuid.uuid4().bytes).hexdigest()


def _answer(sha256: str, note: str, asset_id: int | None = None, on: list[str] | None = None) -> dict[str, Any]:
    global_id = to_global_id(NodeType.ASSET, asset_id) if asset_id else None
    return {
        "sha256": sha256,
        "valid": True,
        "exists": asset_id is not None,
        "uploadedToProviders": on or [],
        "note": note,
        "error": None,
        "assetId": global_id,
        "asset": {"id": global_id, "sha256": sha256.lower()} if asset_id else None,
    }


async def test_each_hash_is_answered_from_the_callers_library_only(
    app: Starlette, db: Database, alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient]
) -> None:
    # given alice's file on pixverse, her file also copied to sora, her local-only file, and bob's file
    alice_id, client = alice
    on_pixverse, on_both, local, bobs = (new_sha256() for _ in range(4))
    sora_copy = {"sora": {"id": "s_2"}}
    pixverse_id, both_id, local_id = await insert_assets(
        db,
        alice_id,
        [
            {"sha256": on_pixverse, "provider_id": "pixverse", "provider_asset_id": "v_1", "provider_uploads": {}},
            {"sha256": on_both, "provider_id": "pixverse", "provider_asset_id": "v_2", "provider_uploads": sora_copy},
            {"sha256": local, "provider_id": "local", "provider_asset_id": None, "provider_uploads": {}},
        ],
    )
    await insert_assets(db, bob[0], [{"sha256": bobs, "provider_id": "pixverse", "provider_asset_id": "v_9"}])
    missing = new_sha256()
    # when alice checks them (one in upper case) against sora
    given = [on_pixverse.upper(), on_both, local, bobs, missing]
    with count_statements(app.state.resources.database.engine) as statements:
        answers = (await client.data(CHECK_MANY, {"sha256s": given, "providerId": "sora"}))["checkByHashes"]
    # then each answer is exact, in the given order; bob's identical file reads as not in alice's library
    assert answers == [
        _answer(on_pixverse.upper(), "In your library; not uploaded to sora", pixverse_id, ["pixverse"]),
        _answer(on_both, "Already on sora", both_id, ["pixverse", "sora"]),
        _answer(local, "In your library; not uploaded to sora", local_id),
        _answer(bobs, "Not in your library"),
        _answer(missing, "Not in your library"),
    ]
    # from one statement for the checks and one for the assets asked for, besides authentication
    assert len([s for s in statements if "api_tokens" not in s]) == 2
    # and against pixverse, and against no provider at all
    notes = [
        [a["note"] for a in (await client.data(CHECK_MANY, {"sha256s": given, "providerId": p}))["checkByHashes"]]
        for p in ("pixverse", None)
    ]
    assert notes == [
        ["Already on pixverse", "Already on pixverse", "In your library; not uploaded to pixverse"]
        + ["Not in your library"] * 2,
        ["In your library; on pixverse", "In your library; on pixverse, sora", "In your library; not on any provider"]
        + ["Not in your library"] * 2,
    ]
    # and checkByHash answers one hash the same way
    one = (await client.data(CHECK_ONE, {"sha256": on_both.upper(), "providerId": "sora"}))["checkByHash"]
    assert one == _answer(on_both.upper(), "Already on sora", both_id, ["pixverse", "sora"]) | {
        "asset": {"id": to_global_id(NodeType.ASSET, both_id)}
    }


async def test_malformed_hashes_are_answered_one_by_one_and_the_others_looked_up(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given one of alice's files, and a list mixing its hash with malformed ones
    user_id, client = alice
    present = new_sha256()
    (asset_id,) = await insert_assets(db, user_id, [{"sha256": present}])
    given = ["not-a-hash", present, present[:-1], "", present + "0", present[:-1] + "g"]
    # when she checks them
    answers = (await client.data(CHECK_MANY, {"sha256s": given}))["checkByHashes"]
    # then every malformed hash has its own error naming its position, and the good one is answered
    rule = "is not a SHA-256 hash: a SHA-256 hash is 64 hexadecimal characters."
    for index, answer in enumerate(answers):
        if index == 1:
            assert answer == _answer(present, "In your library; not on any provider", asset_id)
            continue
        assert answer == {
            "sha256": given[index],
            "valid": False,
            "exists": False,
            "uploadedToProviders": [],
            "note": "Not a SHA-256 hash",
            "error": {"code": "BAD_USER_INPUT", "field": f"sha256s[{index}]", "message": f"'sha256s[{index}]' {rule}"},
            "assetId": None,
            "asset": None,
        }
    # and checkByHash names `sha256`
    one = (await client.data(CHECK_ONE, {"sha256": "xyz"}))["checkByHash"]
    assert (one["valid"], one["error"]) == (
        False,
        {"code": "BAD_USER_INPUT", "field": "sha256", "message": f"'sha256' {rule}"},
    )


async def test_10000_hashes_are_checked_in_one_statement(
    app: Starlette, db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given 3 of alice's files among 10,000 hashes
    user_id, client = alice
    present = [new_sha256() for _ in range(3)]
    await insert_assets(db, user_id, [{"sha256": h} for h in present])
    given = [new_sha256() for _ in range(9_997)] + present
    query = "query($h: [String!]!) { checkByHashes(sha256s: $h) { exists } }"
    # when she checks them all at once
    with count_statements(app.state.resources.database.engine) as statements:
        answers = (await client.data(query, {"h": given}))["checkByHashes"]
    # then all are answered, from one SQL statement besides authentication
    assert [a["exists"] for a in answers] == [False] * 9_997 + [True] * 3
    assert len([s for s in statements if "api_tokens" not in s]) == 1


async def test_10001_hashes_are_refused_naming_sha256s(app: Starlette, alice: tuple[int, GraphQLClient]) -> None:
    _, client = alice
    query = "query($sha256s: [String!]!) { checkByHashes(sha256s: $sha256s) { exists } }"
    errors = await refused(app.state.resources.database.engine, client, query, {"sha256s": ["ab" * 32] * 10_001})
    assert [(e["message"], e["extensions"]) for e in errors] == [
        (
            "Variable '$sha256s' has invalid value: 'sha256s' takes at most 10000 items (got 10001).",
            {"code": "BAD_USER_INPUT", "field": "sha256s"},
        )
    ]


async def test_checking_never_writes(db: Database, alice: tuple[int, GraphQLClient]) -> None:
    # given two of alice's files, one opened yesterday and one never opened
    user_id, client = alice
    hashes = [new_sha256(), new_sha256()]
    yesterday = datetime(2026, 1, 1, 12, tzinfo=UTC)
    ids = await insert_assets(
        db,
        user_id,
        [{"sha256": hashes[0], "last_accessed_at": yesterday}, {"sha256": hashes[1], "last_accessed_at": None}],
    )
    before = await _access_columns(db, ids)
    # when she checks them, one at a time and together, asking for the assets too
    await client.data(CHECK_MANY, {"sha256s": hashes, "providerId": "pixverse"})
    for sha256 in hashes:
        await client.data(CHECK_ONE, {"sha256": sha256})
    # then neither row changed: not last_accessed_at, not updated_at
    assert await _access_columns(db, ids) == before
    assert [row[0] for row in before] == [yesterday, None]


async def _access_columns(db: Database, ids: list[int]) -> list[tuple[Any, ...]]:
    query = select(Asset.last_accessed_at, Asset.updated_at, Asset.media_metadata).where(Asset.id.in_(ids))
    async with db.engine.connect() as conn:
        return [tuple(row) for row in await conn.execute(query.order_by(Asset.id))]
