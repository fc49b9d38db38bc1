"""The seeded library the differential test runs against: two users, and for the viewer every kind of thing an
operation can return (assets of each media type with provider copies, failed uploads, flags and malformed JSON,
near-duplicate images, lineage edges, provider accounts, branches and variants, clips, temporal segments, typed
metadata, a queued sync job). The other user's objects give the "another user's data reads as missing" ids.
"""

from __future__ import annotations

import hashlib
from typing import Any

from assetgraph.persistence.database import Database
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from assetgraph.services.upload_history import record_upload_attempt, set_moderation
from tests.differential.values import ValuePool
from tests.lineage_support import Edge, chain, insert_edges
from tests.support import GraphQLClient, insert_assets

_PHASH = 0x0F0F_F0F0_3C3C_C3C3


def _sha(n: int) -> str:
    return hashlib.sha256(f"differential-{n}".encode()).hexdigest()


def _viewer_assets() -> list[dict[str, Any]]:
    image = {"media_type": "image", "mime_type": "image/png", "width": 640, "height": 480, "size_bytes": 1234}
    video = {"media_type": "video", "mime_type": "video/mp4", "duration_sec": 60.0, "size_bytes": 10**10}
    return [
        {**image, "provider_id": "pixverse", "provider_asset_id": "p1", "phash64": _PHASH, "tags": ["cat", "red"]},
        {**image, "provider_id": "pixverse", "provider_asset_id": "p2", "phash64": _PHASH ^ 0b111},
        {**image, "provider_id": "local", "storage_key": "sha256/aa/bb", "phash64": _PHASH ^ 0xFF, "tags": ["cat"]},
        {**image, "provider_id": "sora", "provider_uploads": {"sora": {"id": "s1", "url": "https://s.test/1"}}},
        {**video, "provider_id": "pixverse", "provider_asset_id": "v1", "description": "a walk", "remote_url": "u"},
        {**video, "provider_id": "runway", "content_domain": "adult", "content_rating": "mature", "searchable": False},
        {**video, "provider_id": "sora", "age_restricted": True, "style_tags": ["noir"], "sync_status": "done"},
        {"media_type": "audio", "provider_id": "local", "duration_sec": 30.0, "mime_type": "audio/mpeg"},
        {"media_type": "3d_model", "provider_id": "local", "content_taxonomy": {"kind": ["chair"]}},
        {**image, "provider_id": "pixverse", "provider_uploads": [1], "media_metadata": {"upload_history": "bad"}},
        {**image, "provider_id": "sora", "media_metadata": {"provider_moderation": {"sora": 3}, "width": "wide"}},
        {**video, "provider_id": "pixverse", "provider_asset_id": "v2", "upload_method": "sync"},
    ]


async def _insert_library(db: Database, viewer: int, other: int) -> tuple[list[int], list[int]]:
    rows = [{**row, "sha256": _sha(i)} for i, row in enumerate(_viewer_assets())]
    mine = await insert_assets(db, viewer, rows)
    theirs = await insert_assets(
        db, other, [{"media_type": "image", "phash64": _PHASH, "sha256": _sha(0)}, {"media_type": "video"}]
    )
    uow = UnitOfWork(db)
    await record_upload_attempt(uow, mine[0], "sora", "error", "TIMEOUT", "no answer", "API", {"try": 1})
    await record_upload_attempt(uow, mine[0], "sora", "success", method="API")
    await record_upload_attempt(uow, mine[4], "runway", "error", "REJECTED", "too long")
    await set_moderation(uow, mine[1], "pixverse", True, "filtered")
    await set_moderation(uow, mine[4], "pixverse", True, None)
    await set_moderation(uow, mine[4], "pixverse", False, None)
    await chain(db, [mine[0], mine[4], mine[5]])
    await insert_edges(
        db,
        [
            Edge(mine[1], mine[4], "FUSION_CHARACTER", "fusion", "character", 1, 1.5, 3.0, 12, '{"zoom": 2}'),
            Edge(mine[2], mine[11], "KEYFRAME", None, sequence_order=2),
            Edge(mine[11], mine[6], "DERIVATION", "video_extend"),
            Edge(theirs[0], mine[6], "SOURCE_IMAGE"),  # another user's parent: never followed
        ],
    )
    return mine, theirs


_SEED_MUTATIONS = """
mutation Account($input: AddProviderAccountInput!) {
  addProviderAccount(input: $input) { account { id } errors { code } }
}
mutation Branch($input: AddAssetBranchInput!) { addAssetBranch(input: $input) { branch { id } errors { code } } }
mutation Variant($input: AddBranchVariantInput!) { addBranchVariant(input: $input) { variant { id } errors { code } } }
mutation Clip($input: AddAssetClipInput!) { addAssetClip(input: $input) { clip { id } errors { code } } }
mutation Segment($input: AddTemporalSegmentInput!) {
  addTemporalSegment(input: $input) { segment { id } errors { code } }
}
mutation Audio($input: SetAudioMetadataInput!) { setAudioMetadata(input: $input) { errors { code } } }
mutation Model($input: SetModel3DMetadataInput!) { setModel3dMetadata(input: $input) { errors { code } } }
mutation Adult($input: SetAdultMetadataInput!) { setAdultMetadata(input: $input) { errors { code } } }
mutation Sync($input: StartLibrarySyncInput!) { startLibrarySync(input: $input) { job { id } errors { code } } }
"""


async def _seed(client: GraphQLClient, operation: str, input: dict[str, Any]) -> str | None:
    """Run one of _SEED_MUTATIONS; return the id of what it made (None for a metadata record)."""
    response = await client.post(_SEED_MUTATIONS, {"input": input}, operation)
    body = response.json()
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    assert payload["errors"] == [], (operation, payload)
    made = [value["id"] for value in payload.values() if isinstance(value, dict) and "id" in value]
    return made[0] if made else None


async def _seed_parts(client: GraphQLClient, asset: dict[int, str], pool: ValuePool) -> None:
    ids = pool.ids
    ids["account"] = [
        account
        for account in [
            await _seed(client, "Account", {"providerId": "pixverse", "label": "main", "credentials": {"jwt": "j"}}),
            await _seed(client, "Account", {"providerId": "sora", "label": "s", "credentials": {"api_key": "k"}}),
        ]
        if account
    ]
    video, audio, model = asset[4], asset[7], asset[8]
    branch = await _seed(client, "Branch", {"assetId": video, "name": "left", "branchTime": 3.5, "tag": "t"})
    other_branch = await _seed(
        client, "Branch", {"assetId": video, "name": "right", "branchType": "RANDOM", "gameMetadata": {"hp": 3}}
    )
    ids["branch"] = [b for b in (branch, other_branch) if b]
    variant = await _seed(client, "Variant", {"branchId": branch, "variantAssetId": asset[5], "name": "v", "weight": 2})
    ids["variant"] = [variant] if variant else []
    ids["clip"] = [
        c
        for c in [
            await _seed(client, "Clip", {"assetId": video, "startTime": 1.0, "endTime": 2.5, "name": "intro"}),
            await _seed(client, "Clip", {"assetId": audio, "startTime": 0, "endTime": 9, "extractedAssetId": asset[0]}),
        ]
        if c
    ]
    segment = await _seed(
        client, "Segment", {"assetId": video, "segmentType": "scene", "timestampSec": 4.0, "extra": {"k": 1}}
    )
    ids["segment"] = [segment] if segment else []
    await _seed(client, "Audio", {"assetId": audio, "bpm": 120.5, "codec": "mp3", "extra": {}})
    await _seed(client, "Model", {"assetId": model, "polygonCount": 2**40, "hasTextures": True})
    await _seed(client, "Adult", {"assetId": asset[5], "intensityLevel": 3, "positions": ["a"]})
    job = await _seed(client, "Sync", {"accountId": ids["account"][0], "mode": "VIDEOS", "pageSize": 5})
    ids["job"] = [job] if job else []


async def seed_library(db: Database, viewer: int, other: int, viewer_client: GraphQLClient) -> ValuePool:
    """Fill the database (through SQL and the API of an app over it); the ids and hashes made, as a ValuePool."""
    mine, theirs = await _insert_library(db, viewer, other)
    asset = {i: to_global_id(NodeType.ASSET, database_id) for i, database_id in enumerate(mine)}
    pool = ValuePool(
        ids={"asset": list(asset.values()), "user": [to_global_id(NodeType.USER, viewer)]},
        foreign_ids=[to_global_id(NodeType.ASSET, t) for t in theirs] + [to_global_id(NodeType.USER, other)],
        sha256s=[_sha(0), _sha(5), _sha(99)],
    )
    await _seed_parts(viewer_client, asset, pool)
    return pool
