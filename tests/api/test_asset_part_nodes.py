"""Branches, variants, clips and temporal segments are Nodes: node(id) finds the caller's, and another user's reads
as missing."""

from __future__ import annotations

from typing import Any

from assetgraph.persistence.database import Database
from tests.api.asset_parts_support import ERRORS, asset_gid, mutate, new_assets
from tests.support import GraphQLClient

ADDS: dict[str, tuple[str, str, str]] = {
    "branch": ("AddAssetBranchInput", "addAssetBranch", "branch"),
    "variant": ("AddBranchVariantInput", "addBranchVariant", "variant"),
    "clip": ("AddAssetClipInput", "addAssetClip", "clip"),
    "segment": ("AddTemporalSegmentInput", "addTemporalSegment", "segment"),
}
NODE = "query($id: ID!) { node(id: $id) { __typename id } }"


async def add(client: GraphQLClient, kind: str, input: dict[str, Any]) -> str:
    input_type, name, field = ADDS[kind]
    mutation = f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {field} {{ id }} {ERRORS} }} }}"
    payload = await mutate(client, mutation, name, input)
    assert payload["errors"] == [], payload
    part_id: str = payload[field]["id"]
    return part_id


async def test_every_part_is_found_by_node_for_its_owner_only(
    db: Database, alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient]
) -> None:
    # given alice's video with a branch (and a variant), a clip and a temporal segment
    user_id, client = alice
    video, other = await new_assets(db, user_id, 2, media_type="video", duration_sec=60.0)
    branch = await add(client, "branch", {"assetId": asset_gid(video), "name": "fork", "branchType": "MANUAL"})
    parts = {
        "AssetBranch": branch,
        "AssetBranchVariant": await add(
            client, "variant", {"branchId": branch, "variantAssetId": asset_gid(other), "name": "left"}
        ),
        "AssetClip": await add(client, "clip", {"assetId": asset_gid(video), "startTime": 1.0, "endTime": 2.0}),
        "TemporalSegment": await add(
            client, "segment", {"assetId": asset_gid(video), "segmentType": "scene", "timestampSec": 3.0}
        ),
    }
    _, bob_client = bob
    for typename, part_id in parts.items():
        # when alice, then bob, asks for it by its global id
        mine = (await client.data(NODE, {"id": part_id}))["node"]
        theirs = (await bob_client.data(NODE, {"id": part_id}))["node"]
        # then alice gets it, as its own type, and bob gets nothing, as for an id that names nothing
        assert mine == {"__typename": typename, "id": part_id}
        assert theirs is None
