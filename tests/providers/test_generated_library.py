"""The generated Pixverse library itself: deterministic, any size, the documented mix, lineage inside the library."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest

from assetgraph.providers.sandbox import GeneratedPixverseLibrary, generated_pixverse_library

MEDIA_HOST = "https://media.pixverse.example"

# The status table of SPEC section 5/7 and the sync, written out again here so that the generator is checked
# against it rather than against itself.
VIDEO_STATES = {1: "DONE", 0: "PROCESSING", 2: "PROCESSING", 5: "PROCESSING", 3: "FILTERED", 7: "FILTERED",
                17: "FILTERED", -1: "FAILED", 4: "FAILED", 8: "FAILED", 9: "FAILED"}  # fmt: skip
IMAGE_STATES = {1: "DONE", 0: "PROCESSING", 2: "PROCESSING", 5: "PROCESSING", 10: "PROCESSING", 7: "FILTERED",
                8: "FAILED", 9: "FAILED"}  # fmt: skip


def state_of(item: dict[str, Any]) -> str:
    """How the sync reads an item: its code, 10 by its output size, a placeholder url as FILTERED unless FAILED."""
    if "video_id" in item:
        code, url = item["video_status"], item["url"]
        if code == 10:
            state = "DONE" if item["output_width"] and item["output_height"] else "PROCESSING"
        else:
            state = VIDEO_STATES[code]
    else:
        code, url = item["image_status"], item["image_url"]
        state = IMAGE_STATES[code]
    placeholder = url.endswith(("default.mp4", "default.jpg"))
    return "FILTERED" if placeholder and state != "FAILED" else state


def everything(library: GeneratedPixverseLibrary) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return list(library.videos), list(library.images)


def test_the_same_seed_gives_the_same_pages_and_another_seed_others() -> None:
    # Given two libraries of the same seed, built separately, and one of another seed
    first, again, other = (generated_pixverse_library(5_000, 11), generated_pixverse_library(5_000, 11),
                           generated_pixverse_library(5_000, 12))  # fmt: skip

    # Then every page reads the same, item for item, and the other seed's ids differ
    for offset in (0, 100, 3_900):
        assert first.videos[offset : offset + 100] == again.videos[offset : offset + 100]
        assert first.images[offset // 4 : offset // 4 + 50] == again.images[offset // 4 : offset // 4 + 50]
    assert {v["video_id"] for v in first.videos[:100]}.isdisjoint(v["video_id"] for v in other.videos[:100])


@pytest.mark.parametrize("size", [0, 1, 99, 1_234])
def test_small_sizes_hold_exactly_their_items(size: int) -> None:
    # Given a library of `size` items
    library = generated_pixverse_library(size)

    # When all of it is read
    videos, images = everything(library)

    # Then it holds exactly `size` items, ids unique, newest first
    assert len(videos) + len(images) == size == library.summary().total
    assert len({v["video_id"] for v in videos}) == len(videos)
    assert len({i["image_id"] for i in images}) == len(images)
    for items in (videos, images):
        times = [item["create_time"] for item in items]
        assert times == sorted(times, reverse=True)
    assert library.videos[len(videos) : len(videos) + 10] == []


def test_out_of_range_sizes_are_refused() -> None:
    for size in (-1, 100_001):
        with pytest.raises(ValueError, match="0 to 100000"):
            generated_pixverse_library(size)


def test_a_hundred_thousand_items_are_counted_exactly_and_paged_fast() -> None:
    # Given the largest library, timed from nothing
    started = time.perf_counter()
    library = generated_pixverse_library(100_000, 3)
    built = time.perf_counter() - started

    # When a page of 100 videos far into it is read, and one of images
    started = time.perf_counter()
    videos = library.videos[79_800:79_900]
    images = library.images[19_950:20_050]
    paged = time.perf_counter() - started

    # Then building costs nothing, a page a few milliseconds, and the mix is exactly the documented one
    assert built < 0.05 and paged < 0.05, (built, paged)
    assert (len(videos), len(images)) == (100, 50)
    summary = library.summary()
    assert (summary.videos, summary.images) == (80_000, 20_000)
    assert summary.modes == {"text_to_video": 24_000, "image_to_video": 28_000, "transition": 8_000,
                             "fusion": 8_000, "extend": 12_000, "text_to_image": 20_000}  # fmt: skip
    assert summary.video_states == {"DONE": 64_000, "PROCESSING": 6_000, "FILTERED": 6_000, "FAILED": 4_000}
    assert summary.image_states == {"DONE": 14_000, "PROCESSING": 3_000, "FILTERED": 2_000, "FAILED": 1_000}
    assert summary.video_statuses == {1: 57_000, 10: 10_000, 0: 1_000, 2: 1_000, 5: 2_000, 3: 1_000, 7: 3_000,
                                      17: 1_000, -1: 1_000, 4: 1_000, 8: 1_000, 9: 1_000}  # fmt: skip
    assert summary.image_statuses == {1: 15_000, 0: 1_000, 5: 1_000, 10: 1_000, 7: 1_000, 8: 1_000}
    assert summary.placeholders == 8_000  # every FILTERED item shows a placeholder, by its code or not
    # And the oldest video is the last of the list, found again by its id
    oldest = library.videos[-1]
    assert library.find("video", str(oldest["video_id"])) == oldest
    assert library.find("image", str(oldest["video_id"])) is None


@pytest.mark.parametrize(("size", "seed"), [(1_234, 1), (777, 42)])
def test_the_summary_counts_what_the_items_say(size: int, seed: int) -> None:
    # Given a library whose size is no multiple of the 100-item block
    library = generated_pixverse_library(size, seed)

    # When every item is read and counted as the sync would read it
    videos, images = everything(library)
    modes = Counter(item["create_mode"] for item in videos + images)
    video_states, image_states = Counter(map(state_of, videos)), Counter(map(state_of, images))
    placeholders = sum(1 for v in videos if v["url"].endswith("default.mp4")) + sum(
        1 for i in images if i["image_url"].endswith("default.jpg")
    )

    # Then the summary says exactly that
    summary = library.summary()
    assert (summary.videos, summary.images) == (len(videos), len(images))
    assert summary.modes == dict(modes)
    assert summary.video_states == dict(video_states) and summary.image_states == dict(image_states)
    assert summary.video_statuses == dict(Counter(v["video_status"] for v in videos))
    assert summary.image_statuses == dict(Counter(i["image_status"] for i in images))
    assert summary.placeholders == placeholders
    # And every item DONE has its media, every item processing or failed has none
    for item in videos:
        assert bool(item["url"]) == (state_of(item) in ("DONE", "FILTERED"))


def test_lineage_points_at_earlier_items_of_the_library_most_of_the_time() -> None:
    # Given a library of 2,000 items
    library = generated_pixverse_library(2_000, 5)
    videos, images = everything(library)
    image_times = {i["image_url"]: i["create_time"] for i in images if state_of(i) == "DONE"}
    done_videos = {v["video_id"]: v for v in videos if state_of(v) == "DONE"}

    # When the inputs of every generation are looked up
    inside = outside = 0
    for video in videos:
        urls = video.get("customer_paths", {}).get("customer_img_urls", [])
        for url in urls:
            if url in image_times:
                inside += 1
                assert image_times[url] < video["create_time"]
            else:
                outside += 1
                assert url.startswith(f"{MEDIA_HOST}/upload/")
        if video["create_mode"] == "image_to_video":
            assert video["customer_img_url"] == urls[0] == video["customer_paths"]["customer_img_url"]
        if video["create_mode"] == "extend":
            parent = done_videos.get(video["original_video_id"])
            if parent is not None:
                inside += 1
                assert parent["create_time"] < video["create_time"]
                assert video["customer_video_url"] == parent["url"] == video["customer_paths"]["customer_video_url"]
                assert video["customer_video_duration"] == parent["video_duration"]
                assert video["customer_video_last_frame_url"] == parent["last_frame"]
            else:
                outside += 1
                assert library.find("video", str(video["original_video_id"])) is None

    # Then parents are mostly items of the same library (4 in 5 by design), some uploads or deleted videos
    assert inside > 0 and outside > 0
    assert 0.7 < inside / (inside + outside) < 0.9


def test_every_mode_carries_the_fields_the_extractor_reads() -> None:
    library = generated_pixverse_library(500, 9)
    by_mode = {v["create_mode"]: v for v in library.videos}

    transition = by_mode["transition"]
    steps = len(transition["customer_paths"]["customer_img_urls"]) - 1
    assert steps >= 1 and len(transition["prompts"]) == len(transition["durations"]) == steps
    assert transition["translate_prompts"] == transition["prompts"]
    assert transition["first_frame_url"] == transition["customer_paths"]["customer_img_urls"][0]
    assert transition["last_frame_url"] == transition["customer_paths"]["customer_img_urls"][-1]

    fusion = by_mode["fusion"]
    assert len(fusion["fusion_type_list"]) == len(fusion["customer_paths"]["customer_img_urls"])
    assert set(fusion["fusion_type_list"]) <= {"character", "background", "reference"}
    assert all(name in fusion["original_prompt"] for name in fusion["fusion_name_list"])

    extend = by_mode["extend"]
    assert {"customer_video_path", "customer_video_last_frame_url"} <= extend["customer_paths"].keys()
    assert isinstance(extend["original_video_id"], int) and extend["original_video_id"] > 2**32
    assert "customer_paths" not in by_mode["text_to_video"]
