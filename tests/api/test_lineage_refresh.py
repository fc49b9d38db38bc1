"""refreshAssetLineage over HTTP, on Pixverse assets imported from the sandbox's generated libraries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from assetgraph.persistence.database import Database
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from tests.pixverse_support import add_account, library_token, sync
from tests.support import GraphQLClient

REFRESH = """mutation($input: RefreshAssetLineageInput!) { refreshAssetLineage(input: $input) {
  count results { assetId providerId removedEdges newEdges status error } errors { code field message } } }"""


async def refresh(client: GraphQLClient, **fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = (await client.data(REFRESH, {"input": fields}))["refreshAssetLineage"]
    return payload


async def imported(client: GraphQLClient, size: int, seed: int = 7) -> str:
    """An account holding a generated library, its first page of videos and images imported; the account id."""
    account = (await add_account(client, library_token(size, seed)))[0]
    result = await sync(client, account, limit=500)
    assert result["errors"] == []
    return account


async def rows(db: Database, sql: str, **params: Any) -> list[Any]:
    async with db.engine.connect() as conn:
        return list(await conn.execute(text(sql), params))


async def edges_of(db: Database, user_id: int) -> set[tuple[int, int, str, int]]:
    found = await rows(
        db,
        "SELECT l.child_asset_id, l.parent_asset_id, l.relation_type, l.sequence_order FROM asset_lineage l "
        "JOIN assets a ON a.id = l.child_asset_id WHERE a.user_id = :u",
        u=user_id,
    )
    return {tuple(r) for r in found}  # type: ignore[misc]


async def children_by_mode(db: Database, user_id: int) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    found = await rows(
        db,
        "SELECT id, media_metadata FROM assets WHERE user_id = :u AND upload_method = 'sync' "
        "AND media_metadata ? 'create_mode' ORDER BY id",
        u=user_id,
    )
    modes: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for asset_id, payload in found:
        modes.setdefault(payload["create_mode"], []).append((asset_id, payload))
    return modes


def gid(asset_id: int) -> str:
    return to_global_id(NodeType.ASSET, asset_id)


async def test_refresh_by_provider_links_each_mode_to_its_library_parents(
    alice: tuple[int, GraphQLClient], db: Database
) -> None:
    # given a synced Pixverse library of 200 items
    user_id, client = alice
    await imported(client, 200)
    modes = await children_by_mode(db, user_id)
    before = (await rows(db, "SELECT count(*) FROM assets WHERE user_id = :u", u=user_id))[0][0]

    # when lineage is refreshed for every Pixverse asset
    payload = await refresh(client, providerId="pixverse")

    # then every asset has a result, and the generated parents are joined by their URLs and ids
    assert payload["errors"] == []
    assert payload["count"] == len(payload["results"]) == before
    statuses = {r["status"] for r in payload["results"]}
    assert statuses <= {"REBUILT", "UNCHANGED"}, statuses
    edges = await edges_of(db, user_id)
    everything = "SELECT id, remote_url, provider_asset_id, media_type FROM assets WHERE user_id = :u"
    assets = {r[0]: (r[1], r[2], r[3]) for r in await rows(db, everything, u=user_id)}
    for asset_id, payload_json in modes["transition"]:
        urls = payload_json["customer_paths"]["customer_img_urls"]
        mine = sorted((order, parent) for child, parent, rel, order in edges if child == asset_id)
        assert [assets[parent][0] for _, parent in mine] == list(dict.fromkeys(urls))
        assert {rel for child, _, rel, _ in edges if child == asset_id} == {"TRANSITION_INPUT"}
    for asset_id, payload_json in modes["extend"]:
        (parent,) = [p for child, p, rel, _ in edges if child == asset_id and rel == "SOURCE_VIDEO"]
        assert assets[parent][1] == str(payload_json["original_video_id"]) and assets[parent][2] == "video"
    for asset_id, _ in modes["text_to_video"]:
        assert not [e for e in edges if e[0] == asset_id]
    # and a parent outside the library (an upload) became an asset of the same user, found again next time
    created = (await rows(db, "SELECT count(*) FROM assets WHERE user_id = :u", u=user_id))[0][0] - before
    assert created > 0
    again = await refresh(client, providerId="pixverse")
    assert (await rows(db, "SELECT count(*) FROM assets WHERE user_id = :u", u=user_id))[0][0] - before == created
    assert await edges_of(db, user_id) == edges
    assert sum(r["removedEdges"] for r in again["results"]) == len(edges)


async def test_refresh_by_ids_reports_each_id_in_order_with_its_counts(
    alice: tuple[int, GraphQLClient], db: Database
) -> None:
    # given a synced library and one fusion and one text-to-video of it
    user_id, client = alice
    await imported(client, 100)
    modes = await children_by_mode(db, user_id)
    fusion_id, fusion = modes["fusion"][0]
    t2v_id = modes["text_to_video"][0][0]

    # when those two are refreshed, the fusion twice, and a malformed id twice
    given = [gid(fusion_id), "not-an-id", gid(t2v_id), gid(fusion_id), "not-an-id"]
    payload = await refresh(client, assetIds=given)

    # then each distinct id has its result, in order: the fusion rebuilt with one edge per image
    assert payload["errors"] == []
    results = payload["results"]
    assert [r["assetId"] for r in results] == [gid(fusion_id), "not-an-id", gid(t2v_id)]
    assert results[0]["status"] == "REBUILT" and results[0]["providerId"] == "pixverse"
    urls = fusion["customer_paths"]["customer_img_urls"]
    first_types = {url: kind for url, kind in reversed(list(zip(urls, fusion["fusion_type_list"], strict=True)))}
    assert results[0]["newEdges"] == len(first_types)  # one edge per distinct image
    assert results[1]["status"] == "NOT_FOUND"
    assert results[2]["status"] == "UNCHANGED" and results[2]["newEdges"] == 0
    relations = {rel for child, _, rel, _ in await edges_of(db, user_id) if child == fusion_id}
    assert relations == {f"FUSION_{t.upper()}" for t in first_types.values()}


async def test_clear_existing_false_keeps_old_edges_and_true_removes_them(
    alice: tuple[int, GraphQLClient], db: Database
) -> None:
    # given an extend whose lineage was built, and an extra edge added by hand to another asset of the caller
    user_id, client = alice
    await imported(client, 100)
    modes = await children_by_mode(db, user_id)
    child = modes["extend"][0][0]
    other = modes["text_to_video"][0][0]
    await refresh(client, assetIds=[gid(child)])
    async with db.engine.begin() as conn:
        await conn.execute(text("INSERT INTO asset_lineage (child_asset_id, parent_asset_id, relation_type) "
                                "VALUES (:c, :p, 'DERIVATION')"), {"c": child, "p": other})  # fmt: skip
    before = {e for e in await edges_of(db, user_id) if e[0] == child}
    assert len(before) == 2

    # when refreshed without clearing
    kept = await refresh(client, assetIds=[gid(child)], clearExisting=False)

    # then the hand-made edge is still there, and nothing was added twice
    assert kept["results"][0] | {"error": None} == kept["results"][0]
    assert (kept["results"][0]["status"], kept["results"][0]["removedEdges"]) == ("UNCHANGED", 0)
    assert {e for e in await edges_of(db, user_id) if e[0] == child} == before

    # when refreshed with clearing (the default)
    cleared = await refresh(client, assetIds=[gid(child)])

    # then only the payload's edge is left
    assert (cleared["results"][0]["removedEdges"], cleared["results"][0]["newEdges"]) == (2, 1)
    assert {e[2] for e in await edges_of(db, user_id) if e[0] == child} == {"SOURCE_VIDEO"}


async def test_a_failure_mid_rebuild_leaves_that_assets_old_edges_and_the_others_go_on(
    alice: tuple[int, GraphQLClient], db: Database
) -> None:
    # given two transitions with their lineage built, and a database that refuses any new edge of the first
    user_id, client = alice
    await imported(client, 200)
    (doomed, _), (fine, _) = (await children_by_mode(db, user_id))["transition"][:2]
    await refresh(client, assetIds=[gid(doomed), gid(fine)])
    old = await edges_of(db, user_id)
    assert [e for e in old if e[0] == doomed]
    async with db.engine.begin() as conn:
        await conn.execute(
            text(
                "CREATE FUNCTION test_refuse_edge() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"
            )
        )
        await conn.execute(
            text(
                "CREATE TRIGGER test_refuse_edge BEFORE INSERT ON asset_lineage FOR EACH ROW "
                f"WHEN (NEW.child_asset_id = {int(doomed)}) EXECUTE FUNCTION test_refuse_edge()"
            )
        )
    try:
        # when both are rebuilt: the first one's old edges are deleted, then its insert fails
        payload = await refresh(client, assetIds=[gid(doomed), gid(fine)])
    finally:
        async with db.engine.begin() as conn:
            await conn.execute(text("DROP TRIGGER test_refuse_edge ON asset_lineage"))
            await conn.execute(text("DROP FUNCTION test_refuse_edge()"))

    # then it is FAILED with its old edges all there, and the other one was rebuilt
    first, second = payload["results"]
    assert first["status"] == "FAILED" and "as they were" in first["error"]
    assert "refused by the test" not in first["error"]
    assert second["status"] == "REBUILT"
    assert await edges_of(db, user_id) == old


async def test_another_users_ids_are_not_found_and_nothing_is_touched(
    alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient], db: Database
) -> None:
    # given alice's synced library with its lineage built
    alice_id, alice_client = alice
    _, bob_client = bob
    await imported(alice_client, 100)
    await refresh(alice_client, scope="CURRENT_USER")
    ids = [asset_id for asset_id, _ in (await children_by_mode(db, alice_id))["extend"]]
    counts = "SELECT (SELECT count(*) FROM assets), (SELECT count(*) FROM asset_lineage)"
    before = await rows(db, counts)
    edges = await edges_of(db, alice_id)

    # when bob refreshes alice's ids
    payload = await refresh(bob_client, assetIds=[gid(i) for i in ids])

    # then each reads as missing, and no row anywhere changed
    assert payload["errors"] == []
    assert [(r["assetId"], r["status"], r["providerId"]) for r in payload["results"]] == [
        (gid(i), "NOT_FOUND", None) for i in ids
    ]
    assert await rows(db, counts) == before
    assert await edges_of(db, alice_id) == edges

    # and bob's own scope covers nothing of alice's
    assert (await refresh(bob_client, scope="CURRENT_USER"))["count"] == 0
    assert await rows(db, counts) == before


async def test_the_selector_must_be_exactly_one_and_bounded(alice: tuple[int, GraphQLClient], db: Database) -> None:
    _, client = alice
    counts = "SELECT (SELECT count(*) FROM assets), (SELECT count(*) FROM asset_lineage)"
    before = await rows(db, counts)
    none = await refresh(client)
    assert [(e["code"], e["field"]) for e in none["errors"]] == [("BAD_USER_INPUT", "assetIds")]
    two = await refresh(client, assetIds=[], scope="CURRENT_USER")
    assert [(e["code"], e["field"]) for e in two["errors"]] == [("BAD_USER_INPUT", "scope")]
    unknown = await refresh(client, providerId="nope\u2603")
    assert [(e["code"], e["field"]) for e in unknown["errors"]] == [("UNKNOWN_PROVIDER", "providerId")]
    huge = await client.query(REFRESH, {"input": {"assetIds": [gid(1)] * 1001}})
    assert huge["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    odd = await refresh(client, assetIds=[gid(2**63 - 1), gid(-5), "", "QXNzZXQ6OTk5OTk5OTk5OTk5OTk5OTk5OTk5"])
    assert odd["errors"] == [] and {r["status"] for r in odd["results"]} == {"NOT_FOUND"}
    assert all(payload["count"] == 0 for payload in (none, two, unknown))
    assert await rows(db, counts) == before
