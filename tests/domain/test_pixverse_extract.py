"""The Pixverse lineage extractor: every parent and metadata field of each mode, and no payload makes it raise."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assetgraph.domain.enums import MediaType
from assetgraph.domain.pixverse_extract import EmbeddedParent, embedded_parents, normalise_url
from assetgraph.domain.relation_types import OperationType, RelationType
from assetgraph.providers.sandbox import generated_pixverse_library

HOST = "https://media.pixverse.example"
LIBRARY = generated_pixverse_library(400, 7)


def first_of(mode: str, **wanted: Any) -> dict[str, Any]:
    """The first generated video of `mode` whose fields satisfy `wanted` (name -> predicate)."""
    return next(
        item for item in LIBRARY.videos
        if item["create_mode"] == mode and all(test(item.get(name)) for name, test in wanted.items())
    )  # fmt: skip


def test_an_image_to_video_names_its_picture_once() -> None:
    # given a generated image-to-video payload: the same picture in three fields
    payload = first_of("image_to_video")
    picture = payload["customer_img_url"]
    assert payload["customer_paths"]["customer_img_urls"] == [picture]

    # when its parents are extracted
    parents = embedded_parents(payload)

    # then the picture is one SOURCE_IMAGE parent of an image_to_video
    assert parents == [
        EmbeddedParent(RelationType.SOURCE_IMAGE, OperationType.IMAGE_TO_VIDEO, MediaType.IMAGE, 0, picture)
    ]


def test_image_url_and_customer_img_urls_are_read_normalised_and_deduplicated_in_order() -> None:
    # given a video whose inputs are spelt in several fields, with case, blanks, ports and fragments
    payload = {
        "video_id": 42,
        "create_mode": "image_to_video",
        "customer_img_url": " HTTPS://Media.Pixverse.Example:443/a.jpg#x ",
        "image_url": f"{HOST}/b.jpg",
        "customer_paths": {"customer_img_urls": [f"{HOST}/a.jpg", "not a url", f"{HOST}/c.jpg?sig=1", 7, None]},
    }

    # when extracted
    parents = embedded_parents(payload)

    # then each distinct URL is one parent, in the order first met
    assert [(p.remote_url, p.sequence_order) for p in parents] == [
        (f"{HOST}/a.jpg", 0), (f"{HOST}/b.jpg", 1), (f"{HOST}/c.jpg?sig=1", 2),
    ]  # fmt: skip
    assert {p.relation_type for p in parents} == {RelationType.SOURCE_IMAGE}


def test_a_text_to_video_and_an_image_have_no_parents() -> None:
    assert embedded_parents(first_of("text_to_video")) == []
    # an image's image_url is its own picture, not an input
    assert embedded_parents(LIBRARY.images[0]) == []


def test_a_transition_names_every_image_with_the_transition_metadata() -> None:
    # given a generated transition of at least three images
    payload = first_of("transition", customer_paths=lambda p: len(p["customer_img_urls"]) >= 3)
    urls = payload["customer_paths"]["customer_img_urls"]

    # when extracted
    parents = embedded_parents(payload)

    # then each image is a TRANSITION_INPUT in order, first and last frame named, with the whole transition's data
    assert [p.remote_url for p in parents] == urls
    assert all(p.relation_type is RelationType.TRANSITION_INPUT for p in parents)
    assert all(p.operation_type is OperationType.VIDEO_TRANSITION for p in parents)
    assert [p.sequence_order for p in parents] == list(range(len(urls)))
    assert parents[0].parent_role == "first_frame" and parents[-1].parent_role == "last_frame"
    assert {p.parent_role for p in parents[1:-1]} == {"keyframe"}
    for index, parent in enumerate(parents):
        assert parent.metadata == {
            "pixverse_transition": {
                "prompts": payload["prompts"],
                "translate_prompts": payload["translate_prompts"],
                "durations": payload["durations"],
                "first_frame_url": payload["first_frame_url"],
                "last_frame_url": payload["last_frame_url"],
                "image_index": index,
                "source_video_id": str(payload["video_id"]),
            }
        }


def test_a_fusion_types_each_image_by_fusion_type_list() -> None:
    # given a generated fusion of three images (character, background, reference in the seed's order)
    payload = first_of("fusion", fusion_type_list=lambda types: len(types) == 3)
    relations = {"character": RelationType.FUSION_CHARACTER, "background": RelationType.FUSION_BACKGROUND,
                 "reference": RelationType.FUSION_REFERENCE}  # fmt: skip

    # when extracted
    parents = embedded_parents(payload)

    # then each image has the relation its type says, and its name, entry type and place
    assert [p.remote_url for p in parents] == payload["customer_paths"]["customer_img_urls"]
    assert [p.relation_type for p in parents] == [relations[t] for t in payload["fusion_type_list"]]
    assert [p.parent_role for p in parents] == payload["fusion_type_list"]
    assert all(p.operation_type is OperationType.FUSION and p.media_type is MediaType.IMAGE for p in parents)
    for index, parent in enumerate(parents):
        assert parent.metadata == {
            "pixverse_fusion": {
                "fusion_name": payload["fusion_name_list"][index],
                "fusion_entry_type": payload["fusion_entry_type_list"][index],
                "image_index": index,
                "source_video_id": str(payload["video_id"]),
            }
        }


def test_a_fusion_type_pixverse_does_not_name_reads_as_a_reference() -> None:
    payload = {"video_id": 1, "fusion_type_list": ["prop", 3],
               "customer_paths": {"customer_img_urls": [f"{HOST}/a.jpg", f"{HOST}/b.jpg"]}}  # fmt: skip
    assert [p.relation_type for p in embedded_parents(payload)] == [RelationType.FUSION_REFERENCE] * 2


def test_an_extend_names_its_source_video_by_id_and_url() -> None:
    # given a generated extend of a video of the library
    payload = first_of("extend")

    # when extracted
    (parent,) = embedded_parents(payload)

    # then the source video is its SOURCE_VIDEO, found by Pixverse id or URL, with the extend's data
    assert (parent.relation_type, parent.operation_type, parent.media_type) == (
        RelationType.SOURCE_VIDEO, OperationType.VIDEO_EXTEND, MediaType.VIDEO,
    )  # fmt: skip
    assert parent.provider_asset_id == str(payload["original_video_id"])
    assert parent.remote_url == payload["customer_video_url"]
    assert parent.parent_end_time == payload["customer_video_duration"]
    assert parent.metadata == {
        "pixverse_extend": {
            "customer_video_url": payload["customer_video_url"],
            "customer_video_path": payload["customer_video_path"],
            "customer_video_duration": payload["customer_video_duration"],
            "customer_video_last_frame_url": payload["customer_video_last_frame_url"],
            "original_video_id": str(payload["original_video_id"]),
        }
    }


def test_an_extend_spelt_only_in_customer_paths_is_read_there() -> None:
    payload = {"video_id": 9, "create_mode": "extend",
               "customer_paths": {"customer_video_url": f"{HOST}/v.mp4", "customer_video_duration": 8}}  # fmt: skip
    (parent,) = embedded_parents(payload)
    assert (parent.remote_url, parent.provider_asset_id, parent.parent_end_time) == (f"{HOST}/v.mp4", None, 8.0)


def test_urls_that_are_not_http_are_refused() -> None:
    for value in ("ftp://x/y", "javascript:alert(1)", "/relative/path.jpg", "https://", "https://u:p@host/x",
                  "https://host:99999/x", "https://h/\x00", "", 3, None):  # fmt: skip
        assert normalise_url(value) is None, value
    assert normalise_url("//Host.Example/a") == "https://host.example/a"
    assert normalise_url("http://host:8080") == "http://host:8080/"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=30), inner, max_size=6),
    max_leaves=30,
)
FIELDS = ("customer_img_url", "image_url", "customer_paths", "customer_img_urls", "fusion_type_list",
          "fusion_name_list", "fusion_entry_type_list", "prompts", "durations", "translate_prompts",
          "customer_video_url", "customer_video_duration", "original_video_id", "create_mode", "video_id",
          "image_id", "first_frame_url", "last_frame_url", "customer_video_path")  # fmt: skip
REAL = [first_of(mode) for mode in ("image_to_video", "transition", "fusion", "extend", "text_to_video")]


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(JSON)
def test_no_json_at_all_makes_it_raise(payload: object) -> None:
    assert isinstance(embedded_parents(payload), list)


@st.composite
def mutated_payloads(draw: st.DrawFn) -> dict[str, Any]:
    """A real payload with some of its fields (top level or in customer_paths) replaced by arbitrary JSON."""
    payload = copy.deepcopy(draw(st.sampled_from(REAL)))
    for _ in range(draw(st.integers(1, 4))):
        target = payload
        if draw(st.booleans()) and isinstance(payload.get("customer_paths"), dict):
            target = payload["customer_paths"]
        target[draw(st.sampled_from(FIELDS))] = draw(JSON)
    return payload


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_payloads())
def test_no_mutation_of_a_real_payload_makes_it_raise(payload: dict[str, Any]) -> None:
    # when the extractor reads it
    parents = embedded_parents(payload)

    # then every parent it names can be stored: an http(s) URL or a Pixverse id, orders distinct
    for parent in parents:
        assert parent.remote_url is not None or parent.provider_asset_id is not None
        assert parent.remote_url is None or normalise_url(parent.remote_url) == parent.remote_url
    assert len({p.sequence_order for p in parents}) == len(parents)
