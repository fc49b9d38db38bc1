"""Pixverse library sync over HTTP, against the sandbox's Pixverse: the dry run, the import, moderation."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import text

from assetgraph.persistence.database import Database
from assetgraph.providers.sandbox import PixverseLibrary, RunningSandbox
from tests.pixverse_support import HOST, REFRESH, add_account, image, pixverse_account, sync, video
from tests.support import GraphQLClient, fault_account, insert_assets

DRY_RUN = """query($id: ID!, $limit: Int, $offset: Int, $images: Boolean) {
  pixverseSyncDryRun(accountId: $id, limit: $limit, offset: $offset, includeImages: $images) {
    totalRemote existingCount limit offset
    videos { totalRemote existingCount items { videoId imageId alreadyImported assetId status statusReason raw } }
    images { totalRemote existingCount items { imageId alreadyImported status raw } }
  } }"""
ASSETS = """query($filter: AssetFilterInput) {
  assets(filter: $filter, first: 100) { nodes { providerAssetId providerStatus providerFlagReason mediaType
    remoteUrl thumbnailUrl uploadMethod createdAt } }
  assetStatusOverview(filter: $filter) { ok flagged total } }"""
ACCOUNTS = "{ providerAccounts { id status lastError } }"


def mixed_library() -> PixverseLibrary:
    """2 done videos, 1 filtered, 1 processing, 1 failed; 1 done image, 1 filtered (placeholder), 1 processing."""
    return PixverseLibrary(
        videos=[video(1), video(2), video(3, video_status=7), video(4, video_status=5), video(5, video_status=8)],
        images=[image(1), image(2, image_url=f"{HOST}/i/default.jpg"), image(3, image_status=10)],
    )


async def row_counts(db: Database) -> dict[str, int]:
    async with db.engine.connect() as conn:
        tables = [r[0] for r in await conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname='public'"))]
        return {t: (await conn.execute(text(f'SELECT count(*) FROM "{t}"'))).scalar_one() for t in tables}


async def test_dry_run_compares_a_page_with_the_library_and_writes_nothing(
    alice: tuple[int, GraphQLClient], sandbox: RunningSandbox, db: Database
) -> None:
    # Given an account with the mixed library, of which alice already has video 2
    user_id, client = alice
    library = mixed_library()
    account = await pixverse_account(client, sandbox, library)
    [existing] = await insert_assets(db, user_id, [{"provider_id": "pixverse", "provider_asset_id": "500000000002",
                                                     "media_type": "video"}])  # fmt: skip
    before = await row_counts(db)
    assert {"assets", "sync_jobs", "procrastinate_jobs", "procrastinate_events"} <= before.keys()

    # When she scans the library
    run = (await client.data(DRY_RUN, {"id": account}))["pixverseSyncDryRun"]

    # Then every item is there, raw, with its status; only video 2 is already imported; nothing was written
    assert (run["totalRemote"], run["existingCount"], run["limit"], run["offset"]) == (8, 1, 50, 0)
    videos = run["videos"]["items"]
    assert [v["videoId"] for v in videos] == [str(v["video_id"]) for v in library.videos]
    assert [v["alreadyImported"] for v in videos] == [False, True, False, False, False]
    assert videos[1]["assetId"] is not None and videos[0]["assetId"] is None and existing
    assert [v["status"] for v in videos] == ["DONE", "DONE", "FILTERED", "PROCESSING", "FAILED"]
    assert [v["raw"] for v in videos] == library.videos and videos[0]["imageId"] is None
    images = run["images"]
    assert (images["totalRemote"], images["existingCount"]) == (3, 0)
    assert [i["status"] for i in images["items"]] == ["DONE", "FILTERED", "PROCESSING"]
    assert await row_counts(db) == before

    # And a page of it, without images, is that page
    page = await client.data(DRY_RUN, {"id": account, "limit": 2, "offset": 1, "images": False})
    page_run = page["pixverseSyncDryRun"]
    assert [v["videoId"] for v in page_run["videos"]["items"]] == ["500000000002", "500000000003"]
    assert page_run["images"] is None and page_run["videos"]["totalRemote"] == 5


async def test_sync_imports_missing_done_and_filtered_items_exactly_once(
    alice: tuple[int, GraphQLClient], sandbox: RunningSandbox, db: Database
) -> None:
    # Given the mixed library, video 2 already in alice's library
    user_id, client = alice
    library = mixed_library()
    account = await pixverse_account(client, sandbox, library)
    await insert_assets(db, user_id, [{"provider_id": "pixverse", "provider_asset_id": "500000000002",
                                       "media_type": "video"}])  # fmt: skip

    # When she imports it, twice
    first = await sync(client, account)
    second = await sync(client, account, mode="BOTH")

    # Then the first run creates the 2 missing videos (1 filtered) and 2 images (1 filtered), and counts the rest
    counts = ("created", "skippedExisting", "flagged", "processing", "failed", "totalRemote")
    assert [first[c] for c in counts] == [4, 1, 2, 2, 1, 8] and first["errors"] == []
    outcomes = {i["providerAssetId"]: i["outcome"] for i in first["items"]}
    assert outcomes["500000000002"] == "SKIPPED_EXISTING" and outcomes["500000000004"] == "PROCESSING"
    # And the second creates nothing
    assert [second[c] for c in counts] == [0, 5, 0, 2, 1, 8]

    # And each asset holds its payload whole, with the sync's columns
    async with db.engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT provider_asset_id, media_metadata, upload_method, provider_account_id FROM assets "
                    "WHERE user_id = :u AND provider_id = 'pixverse' ORDER BY provider_asset_id"
                ),
                {"u": user_id},
            )
        ).all()
    stored = {r[0]: r[1] for r in rows}
    assert stored["500000000001"] == library.videos[0] and stored["600000000001"] == library.images[0]
    assert {k: v for k, v in stored["500000000003"].items() if k != "provider_moderation"} == library.videos[2]
    synced = [r for r in rows if r[0] != "500000000002"]
    assert {r[2] for r in synced} == {"sync"} and len({r[3] for r in synced}) == 1 and synced[0][3] is not None

    # And the filtered ones are FLAGGED with their reason, in the gallery's filters and overview
    flagged = await client.data(ASSETS, {"filter": {"providerStatus": ["FLAGGED"]}})
    reasons = {a["providerAssetId"]: a["providerFlagReason"] for a in flagged["assets"]["nodes"]}
    assert reasons == {"500000000003": "video_status 7", "600000000002": "placeholder default.jpg"}
    assert flagged["assetStatusOverview"]["flagged"] == 2
    everything = await client.data(ASSETS, {"filter": {"providerId": "pixverse"}})
    one = next(a for a in everything["assets"]["nodes"] if a["providerAssetId"] == "500000000001")
    assert one == {"providerAssetId": "500000000001", "providerStatus": "OK", "providerFlagReason": None,
                   "mediaType": "VIDEO", "remoteUrl": f"{HOST}/v/1.mp4", "thumbnailUrl": f"{HOST}/f/1.jpg",
                   "uploadMethod": "SYNC", "createdAt": "2025-06-07T08:09:10+00:00"}  # fmt: skip
    assert everything["assetStatusOverview"] == {"ok": 3, "flagged": 2, "total": 5}


async def test_two_concurrent_runs_create_each_item_once(
    alice: tuple[int, GraphQLClient], sandbox: RunningSandbox, db: Database
) -> None:
    # Given a library of 60 videos and 40 images
    user_id, client = alice
    account = await pixverse_account(
        client, sandbox, PixverseLibrary(videos=[video(n) for n in range(60)], images=[image(n) for n in range(40)])
    )
    # When two imports run at once
    runs = await asyncio.gather(sync(client, account), sync(client, account))
    # Then each item was created by exactly one of them
    assert sum(r["created"] for r in runs) == 100
    assert all(r["created"] + r["skippedExisting"] == 100 for r in runs)
    async with db.engine.connect() as conn:
        count = (await conn.execute(text("SELECT count(*) FROM assets WHERE user_id = :u"), {"u": user_id})).scalar()
    assert count == 100


async def test_an_expired_session_is_reported_and_marks_the_account(
    alice: tuple[int, GraphQLClient], sandbox: RunningSandbox
) -> None:
    _, client = alice
    account, _ = await add_account(client, fault_account("session_expired"))
    result = await sync(client, account)
    assert [(e["code"], e["field"]) for e in result["errors"]] == [("ACCOUNT_UNUSABLE", "accountId")]
    assert result["created"] == 0 and sandbox.calls.count("pixverse", "video_list") == 1
    [listed] = [a for a in (await client.data(ACCOUNTS))["providerAccounts"] if a["id"] == account]
    assert listed["status"] == "ERROR" and "expired" in listed["lastError"]
    assert "fault:" not in listed["lastError"]


async def test_rate_limits_and_unavailable_pages_are_retried(
    alice: tuple[int, GraphQLClient], sandbox: RunningSandbox
) -> None:
    _, client = alice
    for n, spec in enumerate(("429-once", "503-once")):
        jwt = fault_account(spec)
        sandbox.sandbox.set_pixverse_library(jwt, PixverseLibrary(videos=[video(n)], images=[image(n)]))
        account, _ = await add_account(client, jwt)
        result = await sync(client, account)
        assert (result["created"], result["errors"]) == (2, [])
        assert sandbox.calls.count("pixverse", "video_list", jwt) == 2


async def test_refusals_name_their_field_before_pixverse_is_called(
    alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient], sandbox: RunningSandbox
) -> None:
    _, client = alice
    account = await pixverse_account(client, sandbox, mixed_library())
    sora, _ = await add_account(client, "sk-test", provider_id="sora")
    _, bob_client = bob

    def codes(result: dict[str, Any]) -> list[tuple[str, str]]:
        return [(e["code"], e["field"]) for e in result["errors"]]

    assert codes(await sync(bob_client, account)) == [("NOT_FOUND", "accountId")]
    assert codes(await sync(client, "bm9wZQ")) == [("NOT_FOUND", "accountId")]
    assert codes(await sync(client, sora)) == [("BAD_USER_INPUT", "accountId")]
    assert codes(await sync(client, account, limit=501, offset=-1)) == [
        ("BAD_USER_INPUT", "limit"), ("BAD_USER_INPUT", "offset")]  # fmt: skip
    assert codes(await sync(client, account, limit=0)) == [("BAD_USER_INPUT", "limit")]
    dry = await client.query(DRY_RUN, {"id": account, "limit": 201})
    assert [e["extensions"]["field"] for e in dry["errors"]] == ["limit"]
    foreign = await bob_client.query(DRY_RUN, {"id": account})
    assert [e["extensions"]["code"] for e in foreign["errors"]] == ["NOT_FOUND"]
    assert sandbox.calls.total == 0


async def test_refresh_moderation_follows_the_item_at_pixverse(
    alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient], sandbox: RunningSandbox
) -> None:
    # Given two imported videos, both fine
    _, client = alice
    library = PixverseLibrary(videos=[video(1), video(2)])
    account = await pixverse_account(client, sandbox, library)
    ids = [i["assetId"] for i in (await sync(client, account, mode="VIDEOS"))["items"]]

    # When Pixverse filters the first, and the flags are refreshed
    library.videos[0]["video_status"] = 7
    refreshed = (await client.data(REFRESH, {"ids": ids}))["refreshModeration"]

    # Then the first is flagged with the reason, the second is not
    assert refreshed["errors"] == []
    assert [(r["flagged"], r["reason"], r["status"]) for r in refreshed["results"]] == [
        (True, "video_status 7", "FILTERED"), (False, None, "DONE")]  # fmt: skip
    flagged = await client.data(ASSETS, {"filter": {"flagged": True}})
    assert [a["providerAssetId"] for a in flagged["assets"]["nodes"]] == ["500000000001"]

    # And when Pixverse lets it through again, the flag is cleared
    library.videos[0]["video_status"] = 1
    again = (await client.data(REFRESH, {"ids": ids[:1]}))["refreshModeration"]
    assert again["results"][0]["flagged"] is False
    assert (await client.data(ASSETS, {"filter": {"flagged": True}}))["assets"]["nodes"] == []

    # And bob cannot refresh alice's assets: they read as missing
    _, bob_client = bob
    foreign = (await bob_client.data(REFRESH, {"ids": ids}))["refreshModeration"]
    assert foreign["results"] == [] and [e["code"] for e in foreign["errors"]] == ["NOT_FOUND", "NOT_FOUND"]


async def test_many_aliased_dry_runs_are_refused_by_the_query_cost(
    alice: tuple[int, GraphQLClient], sandbox: RunningSandbox
) -> None:
    # 26 dry runs of 200 items each would ask Pixverse for 5,200 items in one request: over the cost of 5,000
    _, client = alice
    fields = " ".join(f'd{i}: pixverseSyncDryRun(accountId: "x", limit: 200) {{ totalRemote }}' for i in range(26))
    body = await client.query(f"{{ {fields} }}")
    assert body["errors"][0]["message"].startswith("The query's cost is 5200, over the limit of 5000")
    assert sandbox.calls.total == 0
