"""Typed metadata over HTTP: the audio, 3D and adult records set (created, then only the fields sent changed)
and removed; temporal segments added, read by timestamp, changed and removed; every refusal a UserError naming the
field with nothing written; another user's ids read as missing. And a page of assets with all its parts costs the
same number of SQL statements whatever its size."""

from __future__ import annotations

import math
from typing import Any

import pytest
from sqlalchemy import insert
from starlette.applications import Starlette

from assetgraph.domain.field_rules import FLOAT32_MAX, FLOAT32_OVERFLOW
from assetgraph.persistence.database import Database
from assetgraph.persistence.models import (
    AdultMetadata,
    AssetBranch,
    AssetBranchVariant,
    AssetClip,
    AudioMetadata,
    TemporalSegment,
)
from tests.api.asset_parts_support import ERRORS, asset_gid, fields_of, mutate, new_assets, part_counts, row_of
from tests.support import GraphQLClient, count_statements

AUDIO = "assetId sampleRate channels bitrate codec bpm key hasLyrics isSpeech language voiceId extra"
MODEL = "assetId polygonCount vertexCount fileFormat hasTextures materialCount boundingBoxSize extra"
ADULT = "assetId intensityLevel tempo sceneType intimacyLevel bodyPartsVisible mood extra"
SEGMENT = "id databaseId assetId segmentType timestampSec frameNumber description objects embedding brightness extra"
SET_AUDIO = (
    f"mutation($input: SetAudioMetadataInput!) {{ setAudioMetadata(input: $input) {{ audioMetadata {{ {AUDIO} }} "
    f"{ERRORS} }} }}"
)
SET_MODEL = (
    f"mutation($input: SetModel3DMetadataInput!) {{ setModel3dMetadata(input: $input) {{ model3dMetadata {{ {MODEL} }} "
    f"{ERRORS} }} }}"
)
SET_ADULT = (
    f"mutation($input: SetAdultMetadataInput!) {{ setAdultMetadata(input: $input) {{ adultMetadata {{ {ADULT} }} "
    f"{ERRORS} }} }}"
)
REMOVE_AUDIO = (
    f"mutation($input: RemoveAssetMetadataInput!) {{ removeAudioMetadata(input: $input) {{ removedId {ERRORS} }} }}"
)
ADD_SEGMENT = (
    f"mutation($input: AddTemporalSegmentInput!) {{ addTemporalSegment(input: $input) {{ segment {{ {SEGMENT} }} "
    f"{ERRORS} }} }}"
)
UPDATE_SEGMENT = (
    f"mutation($input: UpdateTemporalSegmentInput!) {{ updateTemporalSegment(input: $input) {{ "
    f"segment {{ {SEGMENT} }} {ERRORS} }} }}"
)
REMOVE_SEGMENT = (
    f"mutation($input: RemoveTemporalSegmentInput!) {{ removeTemporalSegment(input: $input) {{ removedId {ERRORS} }} }}"
)
READ = f"""query($id: ID!) {{ asset(id: $id) {{
  audioMetadata {{ {AUDIO} }} model3dMetadata {{ {MODEL} }} adultMetadata {{ {ADULT} }}
  temporalSegments {{ {SEGMENT} }} }} }}"""


async def read(client: GraphQLClient, asset_id: int) -> dict[str, Any]:
    asset: dict[str, Any] = (await client.data(READ, {"id": asset_gid(asset_id)}))["asset"]
    return asset


async def test_audio_metadata_is_set_changed_field_by_field_and_removed(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    alice_id, client = alice
    (song,) = await new_assets(db, alice_id, media_type="audio", duration_sec=180.0)

    # when alice sets an audio record, then sets it again with two fields only
    first = await mutate(
        client,
        SET_AUDIO,
        "setAudioMetadata",
        {
            "assetId": asset_gid(song),
            "sampleRate": 48000,
            "channels": 2,
            "codec": "opus",
            "bpm": 120.5,
            "hasLyrics": True,
            "extra": {"mastered": True},
        },
    )
    second = await mutate(client, SET_AUDIO, "setAudioMetadata", {"assetId": asset_gid(song), "bpm": 90, "codec": None})

    # then the first created it (unsent fields empty) and the second changed only those two
    assert first["errors"] == []
    assert first["audioMetadata"] == {
        "assetId": asset_gid(song),
        "sampleRate": 48000,
        "channels": 2,
        "bitrate": None,
        "codec": "opus",
        "bpm": 120.5,
        "key": None,
        "hasLyrics": True,
        "isSpeech": None,
        "language": None,
        "voiceId": None,
        "extra": {"mastered": True},
    }
    assert second == {"audioMetadata": {**first["audioMetadata"], "bpm": 90.0, "codec": None}, "errors": []}
    assert (await read(client, song))["audioMetadata"] == second["audioMetadata"]

    # when she removes it, it is gone; removing it again finds nothing
    removed = await mutate(client, REMOVE_AUDIO, "removeAudioMetadata", {"assetId": asset_gid(song)})
    assert removed == {"removedId": asset_gid(song), "errors": []}
    assert (await read(client, song))["audioMetadata"] is None
    again = await mutate(client, REMOVE_AUDIO, "removeAudioMetadata", {"assetId": asset_gid(song)})
    assert fields_of(again["errors"]) == [("NOT_FOUND", "assetId")]


async def test_model_and_adult_records_are_set(db: Database, alice: tuple[int, GraphQLClient]) -> None:
    alice_id, client = alice
    (model,) = await new_assets(db, alice_id, media_type="3d_model", duration_sec=None)

    shape = await mutate(
        client,
        SET_MODEL,
        "setModel3dMetadata",
        {
            "assetId": asset_gid(model),
            "polygonCount": 2**40,
            "fileFormat": "glb",
            "hasTextures": False,
            "boundingBoxSize": [1, 2.5, 3],
        },
    )
    adult = await mutate(
        client,
        SET_ADULT,
        "setAdultMetadata",
        {"assetId": asset_gid(model), "intensityLevel": 10, "intimacyLevel": 0, "bodyPartsVisible": ["hands"]},
    )

    assert shape["errors"] == [] and adult["errors"] == []
    stored = await read(client, model)
    assert stored["model3dMetadata"] == {
        "assetId": asset_gid(model),
        "polygonCount": 2**40,
        "vertexCount": None,
        "fileFormat": "glb",
        "hasTextures": False,
        "materialCount": None,
        "boundingBoxSize": [1, 2.5, 3],
        "extra": {},
    }
    assert (stored["adultMetadata"]["intensityLevel"], stored["adultMetadata"]["bodyPartsVisible"]) == (10, ["hands"])


BAD_RECORDS = [
    pytest.param(SET_AUDIO, "setAudioMetadata", {"sampleRate": -1}, "sampleRate", id="negative sample rate"),
    pytest.param(SET_AUDIO, "setAudioMetadata", {"bpm": -0.1}, "bpm", id="negative bpm"),
    pytest.param(SET_AUDIO, "setAudioMetadata", {"codec": "c" * 101}, "codec", id="long codec"),
    pytest.param(SET_AUDIO, "setAudioMetadata", {"extra": [1, 2]}, "extra", id="extra not an object"),
    pytest.param(SET_AUDIO, "setAudioMetadata", {"extra": None}, "extra", id="extra null"),
    pytest.param(SET_AUDIO, "setAudioMetadata", {"extra": {"x": "y" * 17000}}, "extra", id="extra huge"),
    # 420 bytes as sent, 18,600 as PostgreSQL keeps it (each 1e308 written out in 309 digits)
    pytest.param(SET_AUDIO, "setAudioMetadata", {"extra": {"x": [1e308] * 60}}, "extra", id="extra huge once stored"),
    pytest.param(SET_ADULT, "setAdultMetadata", {"intensityLevel": 11}, "intensityLevel", id="level over 10"),
    pytest.param(SET_ADULT, "setAdultMetadata", {"intimacyLevel": -1}, "intimacyLevel", id="negative level"),
    pytest.param(SET_ADULT, "setAdultMetadata", {"mood": "  "}, "mood", id="blank mood"),
]


@pytest.mark.parametrize(("mutation", "name", "fields", "field"), BAD_RECORDS)
async def test_a_bad_record_is_refused_naming_the_field_and_nothing_is_written(
    db: Database, alice: tuple[int, GraphQLClient], mutation: str, name: str, fields: dict[str, Any], field: str
) -> None:
    alice_id, client = alice
    (video,) = await new_assets(db, alice_id)
    before = await part_counts(db, alice_id)

    payload = await mutate(client, mutation, name, {"assetId": asset_gid(video), **fields})

    assert fields_of(payload["errors"]) == [("BAD_USER_INPUT", field)]
    assert await part_counts(db, alice_id) == before


async def test_records_of_another_media_type_and_unstorable_counts_are_refused(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    alice_id, client = alice
    (picture,) = await new_assets(db, alice_id, media_type="image", duration_sec=None)
    (model,) = await new_assets(db, alice_id, media_type="3d_model", duration_sec=None)
    before = await part_counts(db, alice_id)

    # a 3D record on a picture, audio on a picture: refused naming the asset
    shape = await mutate(client, SET_MODEL, "setModel3dMetadata", {"assetId": asset_gid(picture), "vertexCount": 3})
    sound = await mutate(client, SET_AUDIO, "setAudioMetadata", {"assetId": asset_gid(picture), "channels": 1})
    assert fields_of(shape["errors"]) == [("BAD_USER_INPUT", "assetId")]
    assert fields_of(sound["errors"]) == [("BAD_USER_INPUT", "assetId")]
    # in the API's own words: its MediaType names
    assert shape["errors"][0]["message"] == "Only an asset of mediaType MODEL_3D has 3D model metadata."
    assert sound["errors"][0]["message"] == "Only an asset of mediaType AUDIO or VIDEO has audio metadata."
    # adult metadata takes any asset, as its description says
    adult = await mutate(client, SET_ADULT, "setAdultMetadata", {"assetId": asset_gid(picture), "intensityLevel": 2})
    assert adult["errors"] == [] and adult["adultMetadata"]["intensityLevel"] == 2
    # a count over 64 bits never reaches the database, nor does a negative one
    body = await client.query(SET_MODEL, {"input": {"assetId": asset_gid(model), "polygonCount": 2**63}})
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    negative = await mutate(client, SET_MODEL, "setModel3dMetadata", {"assetId": asset_gid(model), "vertexCount": -5})
    assert fields_of(negative["errors"]) == [("BAD_USER_INPUT", "vertexCount")]
    assert await part_counts(db, alice_id) == {**before, "adult_metadata": before["adult_metadata"] + 1}


async def test_a_negative_zero_is_stored_and_read_back_as_zero(db: Database, alice: tuple[int, GraphQLClient]) -> None:
    alice_id, client = alice
    (video,) = await new_assets(db, alice_id)

    sound = await mutate(client, SET_AUDIO, "setAudioMetadata", {"assetId": asset_gid(video), "bpm": -0.0})
    segment = await mutate(
        client, ADD_SEGMENT, "addTemporalSegment",
        {"assetId": asset_gid(video), "segmentType": "scene", "timestampSec": -0.0, "embedding": [-0.0] * 768},
    )  # fmt: skip

    assert sound["errors"] == [] and segment["errors"] == []
    stored = await read(client, video)
    signs = [stored["audioMetadata"]["bpm"], stored["temporalSegments"][0]["timestampSec"],
             *stored["temporalSegments"][0]["embedding"]]  # fmt: skip
    assert {math.copysign(1.0, number) for number in signs} == {1.0}


async def test_the_largest_embedding_numbers_are_stored_and_taken_back_as_read(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    alice_id, client = alice
    (video,) = await new_assets(db, alice_id)
    # the largest 32-bit float, and the largest double that rounds to it rather than to infinity
    largest = [math.nextafter(FLOAT32_OVERFLOW, 0.0), -FLOAT32_MAX] + [0.0] * 766
    added = await mutate(
        client, ADD_SEGMENT, "addTemporalSegment",
        {"assetId": asset_gid(video), "segmentType": "scene", "timestampSec": 1, "embedding": largest},
    )  # fmt: skip
    assert added["errors"] == []
    read_back = added["segment"]["embedding"]
    assert read_back[:2] == [3.4028235e38, -3.4028235e38]  # as pgvector writes a 32-bit float
    # and what was read back is taken back as it is
    again = await mutate(
        client, UPDATE_SEGMENT, "updateTemporalSegment", {"segmentId": added["segment"]["id"], "embedding": read_back}
    )
    assert again["errors"] == [] and again["segment"]["embedding"] == read_back


async def test_segments_are_added_read_by_time_changed_and_removed(
    db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    alice_id, client = alice
    (video,) = await new_assets(db, alice_id)
    embedding = [0.25] * 768

    later = await mutate(
        client,
        ADD_SEGMENT,
        "addTemporalSegment",
        {"assetId": asset_gid(video), "segmentType": "scene", "timestampSec": 30, "objects": ["cat"]},
    )
    earlier = await mutate(
        client,
        ADD_SEGMENT,
        "addTemporalSegment",
        {"assetId": asset_gid(video), "segmentType": "keyframe", "timestampSec": 2.5, "embedding": embedding},
    )
    assert later["errors"] == [] and earlier["errors"] == []

    # then the asset lists them by timestamp
    segments = (await read(client, video))["temporalSegments"]
    assert [(s["segmentType"], s["timestampSec"]) for s in segments] == [("keyframe", 2.5), ("scene", 30.0)]
    assert segments[0]["embedding"] == embedding and segments[1]["extra"] == {}

    # when the later one moves before the other, only its time changes, and the order follows
    moved = await mutate(
        client, UPDATE_SEGMENT, "updateTemporalSegment", {"segmentId": later["segment"]["id"], "timestampSec": 1}
    )
    assert moved == {"segment": {**later["segment"], "timestampSec": 1.0}, "errors": []}
    assert [s["segmentType"] for s in (await read(client, video))["temporalSegments"]] == ["scene", "keyframe"]

    removed = await mutate(client, REMOVE_SEGMENT, "removeTemporalSegment", {"segmentId": later["segment"]["id"]})
    assert removed == {"removedId": later["segment"]["id"], "errors": []}
    assert [s["segmentType"] for s in (await read(client, video))["temporalSegments"]] == ["keyframe"]


BAD_SEGMENTS = [
    pytest.param({"timestampSec": -1}, "timestampSec", id="negative time"),
    pytest.param({"timestampSec": 60.5}, "timestampSec", id="past the end"),
    pytest.param({"segmentType": ""}, "segmentType", id="empty type"),
    pytest.param({"frameNumber": -3}, "frameNumber", id="negative frame"),
    pytest.param({"embedding": [0.0] * 3}, "embedding", id="short embedding"),
    # numbers pgvector cannot store as 32-bit floats: these were an internal error from the database
    pytest.param({"embedding": [0.0] * 767 + [3.5e38]}, "embedding", id="embedding beyond a 32-bit float"),
    pytest.param({"embedding": [-1e308] * 768}, "embedding", id="embedding of -1e308"),
    pytest.param({"thumbnailUrl": "https://x/" + "a" * 2048}, "thumbnailUrl", id="long url"),
    pytest.param({"objects": {"deep": [[[[[[[[[[1]]]]]]]]]]}}, "objects", id="deep json"),
    pytest.param({"extra": "text"}, "extra", id="extra not an object"),
]


@pytest.mark.parametrize(("fields", "field"), BAD_SEGMENTS)
async def test_a_bad_segment_is_refused_naming_the_field_and_nothing_is_written(
    db: Database, alice: tuple[int, GraphQLClient], fields: dict[str, Any], field: str
) -> None:
    alice_id, client = alice
    (video,) = await new_assets(db, alice_id)
    base = {"segmentType": "scene", "timestampSec": 1}
    segment = (await mutate(client, ADD_SEGMENT, "addTemporalSegment", {"assetId": asset_gid(video), **base}))[
        "segment"
    ]
    before = await part_counts(db, alice_id)

    added = await mutate(client, ADD_SEGMENT, "addTemporalSegment", {"assetId": asset_gid(video), **base, **fields})
    changed = await mutate(client, UPDATE_SEGMENT, "updateTemporalSegment", {"segmentId": segment["id"], **fields})

    assert fields_of(added["errors"]) == [("BAD_USER_INPUT", field)]
    assert fields_of(changed["errors"]) == [("BAD_USER_INPUT", field)]
    assert await part_counts(db, alice_id) == before
    assert (await row_of(db, TemporalSegment, id=segment["databaseId"]))["timestamp_sec"] == 1.0  # type: ignore[index]


async def test_another_users_assets_and_segments_read_as_missing(
    db: Database, alice: tuple[int, GraphQLClient], bob: tuple[int, GraphQLClient]
) -> None:
    alice_id, alice_client = alice
    bob_id, bob_client = bob
    (video,) = await new_assets(db, alice_id)
    await mutate(alice_client, SET_AUDIO, "setAudioMetadata", {"assetId": asset_gid(video), "channels": 2})
    segment = (
        await mutate(
            alice_client,
            ADD_SEGMENT,
            "addTemporalSegment",
            {"assetId": asset_gid(video), "segmentType": "scene", "timestampSec": 1},
        )
    )["segment"]
    alice_before, bob_before = await part_counts(db, alice_id), await part_counts(db, bob_id)

    for mutation, name, given, field in [
        (SET_AUDIO, "setAudioMetadata", {"assetId": asset_gid(video), "channels": 8}, "assetId"),
        (SET_AUDIO, "setAudioMetadata", {"assetId": "garbage", "channels": 8}, "assetId"),
        (REMOVE_AUDIO, "removeAudioMetadata", {"assetId": asset_gid(video)}, "assetId"),
        (
            ADD_SEGMENT,
            "addTemporalSegment",
            {"assetId": asset_gid(video), "segmentType": "x", "timestampSec": 0},
            "assetId",
        ),
        (UPDATE_SEGMENT, "updateTemporalSegment", {"segmentId": segment["id"], "segmentType": "mine"}, "segmentId"),
        (REMOVE_SEGMENT, "removeTemporalSegment", {"segmentId": segment["id"]}, "segmentId"),
    ]:
        payload = await mutate(bob_client, mutation, name, given)
        assert fields_of(payload["errors"]) == [("NOT_FOUND", field)], name

    assert await part_counts(db, alice_id) == alice_before
    assert await part_counts(db, bob_id) == bob_before
    assert (await row_of(db, AudioMetadata, asset_id=video))["channels"] == 2  # type: ignore[index]


PAGE = """query($first: Int!) { assets(first: $first) { nodes {
  branches { id variants { id variantAsset { id } } }
  clips { id extractedAsset { id } }
  audioMetadata { bpm } model3dMetadata { polygonCount } adultMetadata { mood }
  temporalSegments { timestampSec }
} } }"""


async def _with_every_part(db: Database, asset_ids: list[int], targets: list[int]) -> None:
    """Each asset gets a branch with two variants, two clips, audio and adult records and a segment; its variants
    and extracted assets are its target (an asset outside the page, so that the page cannot have loaded it)."""
    nexts = targets
    async with db.engine.begin() as conn:
        branches = await conn.execute(
            insert(AssetBranch).returning(AssetBranch.id, sort_by_parameter_order=True),
            [{"source_asset_id": a, "name": "b"} for a in asset_ids],
        )
        variants = [
            {"branch_id": branch_id, "variant_asset_id": n, "name": f"v{i}"}
            for (branch_id,), n in zip(branches, nexts, strict=True)
            for i in range(2)
        ]
        await conn.execute(insert(AssetBranchVariant), variants)
        await conn.execute(
            insert(AssetClip),
            [
                {"source_asset_id": a, "start_time": s, "end_time": s + 1, "extracted_asset_id": n}
                for a, n in zip(asset_ids, nexts, strict=True)
                for s in (0.0, 5.0)
            ],
        )
        await conn.execute(insert(AudioMetadata), [{"asset_id": a, "bpm": 100.0} for a in asset_ids])
        await conn.execute(insert(AdultMetadata), [{"asset_id": a, "mood": "calm"} for a in asset_ids])
        await conn.execute(
            insert(TemporalSegment), [{"asset_id": a, "segment_type": "scene", "timestamp_sec": 1.0} for a in asset_ids]
        )


async def test_a_page_of_assets_with_all_its_parts_costs_the_same_statements_for_10_or_100(
    app: Starlette, db: Database, alice: tuple[int, GraphQLClient]
) -> None:
    # given 100 videos, each with branches and variants, clips, typed metadata and a segment
    alice_id, client = alice
    asset_ids = await new_assets(db, alice_id, 100)
    # and as many assets they lead to, age-restricted: hidden from the gallery, yet shown where a part names them
    targets = await new_assets(db, alice_id, 100, age_restricted=True)
    await _with_every_part(db, asset_ids, targets)
    engine = app.state.resources.database.engine

    # when the gallery asks a page of 10, then of 100, for every part
    counts = {}
    for first in (10, 100):
        with count_statements(engine) as statements:
            nodes = (await client.data(PAGE, {"first": first}))["assets"]["nodes"]
        assert len(nodes) == first
        assert all(len(n["branches"][0]["variants"]) == 2 and len(n["clips"]) == 2 for n in nodes)
        assert all(n["audioMetadata"] == {"bpm": 100.0} and n["model3dMetadata"] is None for n in nodes)
        assert {n["clips"][0]["extractedAsset"]["id"] for n in nodes} <= {asset_gid(t) for t in targets}
        counts[first] = len([s for s in statements if "api_tokens" not in s])

    # then both cost the same: one statement for the page, one per kind of part, one for the assets they lead to
    assert counts == {10: 9, 100: 9}
