"""Clips over HTTP: added, read back on the asset by start time, changed (only the fields sent, the span checked as
it will be stored), removed; every refusal a UserError naming the field with nothing written; another user's ids
read as missing."""

from __future__ import annotations

from typing import Any

import pytest

from assetgraph.persistence.database import Database
from assetgraph.persistence.models import AssetClip
from tests.api.asset_parts_support import ERRORS, asset_gid, fields_of, mutate, new_assets, part_counts, row_of
from tests.support import GraphQLClient

CLIP = "id databaseId sourceAssetId startTime endTime name tag playbackMetadata extractedAssetId extractedAsset { id }"
ADD = f"mutation($input: AddAssetClipInput!) {{ addAssetClip(input: $input) {{ clip {{ {CLIP} }} {ERRORS} }} }}"
UPDATE = (
    f"mutation($input: UpdateAssetClipInput!) {{ updateAssetClip(input: $input) {{ clip {{ {CLIP} }} {ERRORS} }} }}"
)
REMOVE = f"mutation($input: RemoveAssetClipInput!) {{ removeAssetClip(input: $input) {{ removedId {ERRORS} }} }}"
READ = f"query($id: ID!) {{ asset(id: $id) {{ clips {{ {CLIP} }} }} }}"


async def add_clip(client: GraphQLClient, asset_id: int, **fields: Any) -> dict[str, Any]:
    given = {"assetId": asset_gid(asset_id), "startTime": 1.0, "endTime": 2.0, **fields}
    payload = await mutate(client, ADD, "addAssetClip", given)
    assert payload["errors"] == [], payload
    clip: dict[str, Any] = payload["clip"]
    return clip


async def test_a_clip_is_added_read_changed_and_removed(db: Database, alice: tuple[int, GraphQLClient]) -> None:
    alice_id, client = alice
    source, extracted = await new_assets(db, alice_id, 2)

    # when alice adds two clips, the later one first, one extracted into an asset of its own
    late = await add_clip(client, source, startTime=30, endTime=45.5, name="Chorus", tag="music")
    early = await add_clip(
        client, source, startTime=0, endTime=5, extractedAssetId=asset_gid(extracted), playbackMetadata={"loop": True}
    )

    # then the asset lists them by start time, as given
    read = (await client.data(READ, {"id": asset_gid(source)}))["asset"]["clips"]
    assert [c["id"] for c in read] == [early["id"], late["id"]]
    assert read[0]["extractedAsset"] == {"id": asset_gid(extracted)}
    assert (read[1]["startTime"], read[1]["endTime"], read[1]["name"], read[1]["tag"]) == (
        30.0,
        45.5,
        "Chorus",
        "music",
    )

    # when she moves the late clip's end only, then unlinks the early one's extracted asset
    moved = await mutate(client, UPDATE, "updateAssetClip", {"clipId": late["id"], "endTime": 50})
    unlinked = await mutate(client, UPDATE, "updateAssetClip", {"clipId": early["id"], "extractedAssetId": None})

    # then only those fields changed
    assert moved == {"clip": {**late, "endTime": 50.0}, "errors": []}
    assert unlinked["clip"] == {**early, "extractedAssetId": None, "extractedAsset": None}

    # when she removes a clip, then it is gone and the other stays
    assert await mutate(client, REMOVE, "removeAssetClip", {"clipId": late["id"]}) == {
        "removedId": late["id"],
        "errors": [],
    }
    assert [c["id"] for c in (await client.data(READ, {"id": asset_gid(source)}))["asset"]["clips"]] == [early["id"]]


BAD_CLIPS = [
    pytest.param({"startTime": 5, "endTime": 5}, [("BAD_USER_INPUT", "startTime")], id="empty span"),
    pytest.param({"startTime": 9, "endTime": 3}, [("BAD_USER_INPUT", "startTime")], id="reversed span"),
    pytest.param({"startTime": -1, "endTime": 3}, [("BAD_USER_INPUT", "startTime")], id="negative start"),
    pytest.param({"startTime": 1, "endTime": 61}, [("BAD_USER_INPUT", "endTime")], id="past the end"),
    pytest.param({"name": "n" * 201}, [("BAD_USER_INPUT", "name")], id="long name"),
    pytest.param({"tag": ""}, [("BAD_USER_INPUT", "tag")], id="empty tag"),
    pytest.param({"playbackMetadata": {"x": "y" * 17000}}, [("BAD_USER_INPUT", "playbackMetadata")], id="huge json"),
    pytest.param(
        {"startTime": -1, "endTime": -2, "tag": ""},
        [("BAD_USER_INPUT", "startTime"), ("BAD_USER_INPUT", "endTime"), ("BAD_USER_INPUT", "tag")],
        id="every field at fault at once",
    ),
]


@pytest.mark.parametrize(("fields", "expected"), BAD_CLIPS)
async def test_a_bad_clip_is_refused_naming_the_field_and_nothing_is_written(
    db: Database, alice: tuple[int, GraphQLClient], fields: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    alice_id, client = alice
    (source,) = await new_assets(db, alice_id)
    clip = await add_clip(client, source)
    before = await part_counts(db, alice_id)

    # when alice adds a clip with the bad values, or changes hers to them
    added = await mutate(
        client, ADD, "addAssetClip", {"assetId": asset_gid(source), "startTime": 1, "endTime": 2, **fields}
    )
    changed = await mutate(client, UPDATE, "updateAssetClip", {"clipId": clip["id"], **fields})

    # then both are refused naming the fields, and nothing was written
    assert (added["clip"], fields_of(added["errors"])) == (None, expected)
    assert (changed["clip"], fields_of(changed["errors"])) == (None, expected)
    assert await part_counts(db, alice_id) == before
    stored = await row_of(db, AssetClip, id=clip["databaseId"])
    assert stored is not None and (stored["start_time"], stored["end_time"]) == (1.0, 2.0)


async def test_a_change_is_checked_against_the_stored_span(db: Database, alice: tuple[int, GraphQLClient]) -> None:
    alice_id, client = alice
    (source,) = await new_assets(db, alice_id)
    clip = await add_clip(client, source, startTime=10, endTime=20)

    # a new start after the stored end is refused, though the start alone is a fine number
    payload = await mutate(client, UPDATE, "updateAssetClip", {"clipId": clip["id"], "startTime": 25})
    assert fields_of(payload["errors"]) == [("BAD_USER_INPUT", "startTime")]
    # a new end before the stored start is blamed on the end, the field sent
    early_end = await mutate(client, UPDATE, "updateAssetClip", {"clipId": clip["id"], "endTime": 5})
    assert fields_of(early_end["errors"]) == [("BAD_USER_INPUT", "endTime")]
    assert early_end["errors"][0]["message"] == "endTime (5) must be after startTime (10)."
    # both sent and reversed: the start, as when a clip is added
    both = await mutate(client, UPDATE, "updateAssetClip", {"clipId": clip["id"], "startTime": 9, "endTime": 3})
    assert fields_of(both["errors"]) == [("BAD_USER_INPUT", "startTime")]
    # a null for a time that cannot be empty is refused
    nulls = await mutate(client, UPDATE, "updateAssetClip", {"clipId": clip["id"], "endTime": None})
    assert fields_of(nulls["errors"]) == [("BAD_USER_INPUT", "endTime")]
    stored = await row_of(db, AssetClip, id=clip["databaseId"])
    assert stored is not None and (stored["start_time"], stored["end_time"]) == (10.0, 20.0)


async def test_only_timed_assets_have_clips_and_a_clip_is_not_its_own_extraction(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    alice_id, client = alice
    (picture,) = await new_assets(db, alice_id, media_type="image", duration_sec=None)
    (video,) = await new_assets(db, alice_id)
    before = await part_counts(db, alice_id)

    on_picture = await mutate(
        client, ADD, "addAssetClip", {"assetId": asset_gid(picture), "startTime": 0, "endTime": 1}
    )
    itself = await mutate(
        client,
        ADD,
        "addAssetClip",
        {"assetId": asset_gid(video), "startTime": 0, "endTime": 1, "extractedAssetId": asset_gid(video)},
    )

    assert fields_of(on_picture["errors"]) == [("BAD_USER_INPUT", "assetId")]
    assert fields_of(itself["errors"]) == [("BAD_USER_INPUT", "extractedAssetId")]
    assert await part_counts(db, alice_id) == before


async def test_another_users_assets_and_clips_read_as_missing(
    db: Database, alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient]
) -> None:
    alice_id, alice_client = alice
    bob_id, bob_client = bob
    (source,) = await new_assets(db, alice_id)
    (bobs,) = await new_assets(db, bob_id)
    clip = await add_clip(alice_client, source)
    alice_before, bob_before = await part_counts(db, alice_id), await part_counts(db, bob_id)

    # when bob clips alice's asset, links her asset as his extraction, or changes or removes her clip
    for asset_id in (asset_gid(source), "bad id"):
        payload = await mutate(bob_client, ADD, "addAssetClip", {"assetId": asset_id, "startTime": 0, "endTime": 1})
        assert fields_of(payload["errors"]) == [("NOT_FOUND", "assetId")]
    linked = await mutate(
        bob_client,
        ADD,
        "addAssetClip",
        {"assetId": asset_gid(bobs), "startTime": 0, "endTime": 1, "extractedAssetId": asset_gid(source)},
    )
    assert fields_of(linked["errors"]) == [("NOT_FOUND", "extractedAssetId")]
    bobs_clip = await add_clip(bob_client, bobs)
    relinked = await mutate(
        bob_client, UPDATE, "updateAssetClip", {"clipId": bobs_clip["id"], "extractedAssetId": asset_gid(source)}
    )
    assert fields_of(relinked["errors"]) == [("NOT_FOUND", "extractedAssetId")]
    bob_before = await part_counts(db, bob_id)
    changed = await mutate(bob_client, UPDATE, "updateAssetClip", {"clipId": clip["id"], "name": "Mine"})
    removed = await mutate(bob_client, REMOVE, "removeAssetClip", {"clipId": clip["id"]})

    # then each reads as missing, and nothing of either user changed
    assert fields_of(changed["errors"]) == [("NOT_FOUND", "clipId")]
    assert fields_of(removed["errors"]) == [("NOT_FOUND", "clipId")]
    assert await part_counts(db, alice_id) == alice_before
    assert await part_counts(db, bob_id) == bob_before
    assert (await row_of(db, AssetClip, id=clip["databaseId"]))["name"] is None  # type: ignore[index]
