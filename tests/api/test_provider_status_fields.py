"""The badge fields of Asset, the status filters and the overview, through GraphQL."""

from __future__ import annotations

from typing import Any

from assetgraph.persistence.database import Database
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from assetgraph.services.upload_history import record_upload_attempt, set_moderation
from tests.support import GraphQLClient, insert_assets

BADGES = """
query($id: ID!) {
  asset(id: $id) {
    providerId providerStatus providerFlagged providerFlagReason
    lastUploadStatusByProvider { providerId status }
    providerStates { providerId status providerAssetId url flagged flagReason lastAttempt { status errorCode at } }
    uploadAttempts { providerId status errorCode errorMessage at method context }
    newest: uploadAttempts(last: 1) { providerId status }
  }
}
"""

EVERY_FIELD = """
query($id: ID!) {
  asset(id: $id) {
    id databaseId mediaType providerId providerAssetId providerAccountId remoteUrl thumbnailUrl storageKey sha256
    phash64 sizeBytes mimeType width height durationSec description tags styleTags embedding contentDomain
    contentCategory contentTaxonomy contentRating ageRestricted searchable originalSourceUrl uploadMethod
    mediaMetadata providerUploads syncStatus createdAt updatedAt lastAccessedAt
    providerStatus providerFlagged providerFlagReason lastUploadStatusByProvider { providerId status }
    providerStates { providerId status providerAssetId url flagged flagReason lastAttempt { status at } }
    uploadAttempts(last: 5) { providerId status at }
  }
}
"""


async def test_a_failed_upload_then_a_flag_read_as_they_happened(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given a pixverse video also sent to sora, where sora refused it, and pixverse later flagged it
    user_id, client = alice
    (asset_id,) = await insert_assets(
        db, user_id, [{"provider_id": "pixverse", "provider_asset_id": "v-1", "storage_key": "ab/cd"}]
    )
    await record_upload_attempt(UnitOfWork(db), asset_id, "pixverse", "success", method="sync")
    await record_upload_attempt(UnitOfWork(db), asset_id, "sora", "error", "SAFETY_REJECTED", "nope", "api")
    await set_moderation(UnitOfWork(db), asset_id, "pixverse", True, "video_status 7")

    asset = (await client.data(BADGES, {"id": to_global_id(NodeType.ASSET, asset_id)}))["asset"]

    # then pixverse is FLAGGED with its reason, sora is LOCAL_ONLY, and neither is mistaken for the other
    assert asset["providerStatus"] == "FLAGGED"
    assert asset["providerFlagged"] is True and asset["providerFlagReason"] == "video_status 7"
    states = {s["providerId"]: s for s in asset["providerStates"]}
    assert [s["providerId"] for s in asset["providerStates"]] == ["pixverse", "sora"]
    assert states["pixverse"]["flagged"] and states["pixverse"]["providerAssetId"] == "v-1"
    assert states["sora"] == {
        "providerId": "sora",
        "status": "LOCAL_ONLY",
        "providerAssetId": None,
        "url": None,
        "flagged": False,
        "flagReason": None,
        "lastAttempt": {"status": "ERROR", "errorCode": "SAFETY_REJECTED", "at": states["sora"]["lastAttempt"]["at"]},
    }
    assert asset["lastUploadStatusByProvider"] == [
        {"providerId": "pixverse", "status": "SUCCESS"},
        {"providerId": "sora", "status": "ERROR"},
    ]
    assert [a["providerId"] for a in asset["uploadAttempts"]] == ["sora", "pixverse"]  # newest first
    assert asset["uploadAttempts"][0]["errorMessage"] == "nope" and asset["uploadAttempts"][0]["method"] == "api"
    assert asset["newest"] == [{"providerId": "sora", "status": "ERROR"}]


async def test_malformed_metadata_never_breaks_a_query(db: Database, alice: tuple[int, GraphQLClient]) -> None:
    user_id, client = alice
    shapes: list[Any] = [
        ["a", "list"],
        "a string",
        {"upload_history": "x"},
        {
            "upload_history": {
                "upload_attempts": [{"status": "error"}, 5, {"provider_id": "sora"}],
                "last_upload_status_by_provider": ["sora"],
            }
        },
        {"provider_moderation": {"pixverse": "flagged"}},
        None,
    ]
    ids = await insert_assets(db, user_id, [{"media_metadata": shape, "provider_uploads": [1]} for shape in shapes])
    for asset_id in ids:
        body = await client.query(EVERY_FIELD, {"id": to_global_id(NodeType.ASSET, asset_id)})
        assert "errors" not in body, body
        asset = body["data"]["asset"]
        assert asset["lastUploadStatusByProvider"] is None
        assert asset["uploadAttempts"] == []
        assert asset["providerStatus"] == "UNKNOWN" and asset["providerFlagged"] is False


async def test_status_filters_and_overview(db: Database, alice: tuple[int, GraphQLClient]) -> None:
    # given one asset in each state
    user_id, client = alice
    ok, local_only, flagged, unknown, failed_then_ok = await insert_assets(
        db,
        user_id,
        [
            {"provider_id": "pixverse", "provider_asset_id": "a"},
            {"provider_id": "sora", "storage_key": "k"},
            {"provider_id": "pixverse", "provider_asset_id": "c"},
            {"provider_id": "runway"},
            {"provider_id": "pixverse", "provider_asset_id": "e", "provider_uploads": {"sora": {"id": "s"}}},
        ],
    )
    await set_moderation(UnitOfWork(db), flagged, "pixverse", True, "filtered")
    await record_upload_attempt(UnitOfWork(db), failed_then_ok, "sora", "error", "TIMEOUT")

    async def ids(filter_: dict[str, Any]) -> set[int]:
        query = "query($f: AssetFilterInput) { assets(first: 50, filter: $f) { nodes { databaseId } } }"
        return {n["databaseId"] for n in (await client.data(query, {"f": filter_}))["assets"]["nodes"]}

    assert await ids({"providerStatus": ["OK"]}) == {ok, failed_then_ok}
    assert await ids({"providerStatus": ["LOCAL_ONLY", "UNKNOWN"]}) == {local_only, unknown}
    assert await ids({"providerStatus": ["FLAGGED"]}) == {flagged}
    assert await ids({"flagged": True}) == {flagged}
    assert await ids({"hasFailedUpload": True}) == {failed_then_ok}
    assert await ids({"hasFailedUpload": False, "providerId": "pixverse"}) == {ok, flagged}

    overview = await client.data("{ assetStatusOverview { ok localOnly flagged unknown total } }")
    assert overview["assetStatusOverview"] == {"ok": 2, "localOnly": 1, "flagged": 1, "unknown": 1, "total": 5}
    narrowed = await client.data('query { assetStatusOverview(filter: {providerId: "pixverse"}) { ok flagged total } }')
    assert narrowed["assetStatusOverview"] == {"ok": 2, "flagged": 1, "total": 3}
