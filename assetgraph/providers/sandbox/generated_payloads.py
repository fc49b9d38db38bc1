"""The payload of one generated Pixverse item, shaped like Pixverse's web API (see generated_library.py for the mix).

Every field derives from (seed, global index) alone, so an item is built in microseconds without its neighbours;
a parent's urls are recomputed from the parent's index, never by building the parent (no recursion).

Fields by mode (all videos: video_id, video_status, create_mode, prompt, negative_prompt, model, quality,
aspect_ratio, seed, video_duration, output_width, output_height, url, first_frame, last_frame, create_time):

    image_to_video  customer_img_url, customer_img_path, customer_paths {customer_img_url,
                    customer_img_path, customer_img_urls [url]}
    transition      customer_paths {customer_img_urls [2..4], customer_img_paths}, prompts, translate_prompts,
                    durations (one per step), first_frame_url, last_frame_url
    fusion          customer_paths {customer_img_urls, customer_img_paths}, fusion_type_list (character,
                    background, reference), fusion_name_list, fusion_entry_type_list
                    (asset | upload, one per image), original_prompt
    extend          customer_video_url, customer_video_path, customer_video_duration, customer_video_last_frame_url
                    (top level and in customer_paths), original_video_id
Images: image_id, image_status, create_mode text_to_image, prompt, model, width, height, aspect_ratio, image_url,
thumbnail_url, create_time. `image_index` and `source_video_id` of the extractor's metadata are derived by the
extractor (an image's place in customer_img_urls, the child's video_id), not sent by Pixverse.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from assetgraph.providers.sandbox.library import MEDIA_HOST

if TYPE_CHECKING:
    from assetgraph.providers.sandbox.generated_library import Layout

EPOCH = datetime(2024, 3, 1, tzinfo=UTC)
SECONDS_PER_ITEM = 300
PARENT_IN_LIBRARY = 0.8
PARENT_WINDOW = 60
"""How far back (in items of the parent's kind) a parent is looked for: people reuse recent work."""
VIDEO_MODELS = ("v3.5", "v4", "v4.5", "v5")
QUALITIES = {"360p": (640, 360), "540p": (960, 540), "720p": (1280, 720), "1080p": (1920, 1080)}
SUBJECTS = ("a lighthouse", "a red fox", "two astronauts", "a paper boat", "an old tram", "a koi pond",
            "a neon street", "a snow leopard", "a jazz trio", "a desert caravan")  # fmt: skip
ACTIONS = ("at dusk", "in the rain", "turning slowly", "under northern lights", "in slow motion",
           "seen from above", "at golden hour", "in a storm")  # fmt: skip
FUSION_TYPES = ("character", "background", "reference")
PLACEHOLDER_VIDEO = f"{MEDIA_HOST}/pixverse/mp4/media/default.mp4"
PLACEHOLDER_IMAGE = f"{MEDIA_HOST}/pixverse/jpg/media/default.jpg"


def _name(layout: Layout, kind: str, index: int) -> str:
    digest = hashlib.blake2b(f"{layout.seed}:{kind}:{index}".encode(), digest_size=16).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:]}"


def video_path(layout: Layout, index: int) -> str:
    return f"pixverse/mp4/media/web/ori/{_name(layout, 'video', index)}_seed{index % 9973}.mp4"


def video_url(layout: Layout, index: int) -> str:
    """The url a DONE video is served at (its own `url`, and an extend's `customer_video_url`)."""
    return f"{MEDIA_HOST}/{video_path(layout, index)}"


def last_frame_url(layout: Layout, index: int) -> str:
    return f"{MEDIA_HOST}/pixverse/jpg/media/web/last_frame/{_name(layout, 'video', index)}.jpg"


def video_duration(index: int) -> int:
    return 8 if index % 3 == 0 else 5


def image_path(layout: Layout, index: int) -> str:
    return f"pixverse/jpg/media/web/ori/{_name(layout, 'image', index)}.jpg"


def image_url(layout: Layout, index: int) -> str:
    """The url a DONE image is served at (its own `image_url`, and a child's customer_img_url)."""
    return f"{MEDIA_HOST}/{image_path(layout, index)}"


def _created(index: int, rng: random.Random) -> str:
    moment = EPOCH + timedelta(seconds=index * SECONDS_PER_ITEM + rng.randrange(SECONDS_PER_ITEM))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _prompt(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(ACTIONS)}"


def _earlier_done(layout: Layout, kind: str, index: int, rng: random.Random) -> int | None:
    """A DONE item of `kind` created before `index` (among the recent ones), None when the draw says upload or
    there is none."""
    before = layout.count_before(kind, index)
    if before == 0 or rng.random() >= PARENT_IN_LIBRARY:
        return None
    ordinal = before - 1 - rng.randrange(min(before, PARENT_WINDOW))
    for candidate in range(ordinal, max(-1, ordinal - PARENT_WINDOW), -1):
        parent = layout.index_of(kind, candidate)
        if layout.slot(parent).state == "DONE":
            return parent
    return None


def _source_images(layout: Layout, index: int, rng: random.Random, count: int) -> tuple[list[str], list[str]]:
    """Urls and paths of `count` input images: library images when drawn so, uploads otherwise."""
    urls, paths = [], []
    for n in range(count):
        parent = _earlier_done(layout, "image", index, rng)
        if parent is None:
            path = f"upload/{_name(layout, f'upload{n}', index)}.jpg"
            urls.append(f"{MEDIA_HOST}/{path}")
        else:
            path = image_path(layout, parent)
            urls.append(image_url(layout, parent))
        paths.append(path)
    return urls, paths


def _i2v(layout: Layout, index: int, rng: random.Random) -> dict[str, Any]:
    urls, paths = _source_images(layout, index, rng, 1)
    return {
        "customer_img_url": urls[0],
        "customer_img_path": paths[0],
        "customer_paths": {"customer_img_url": urls[0], "customer_img_path": paths[0], "customer_img_urls": urls},
    }


def _transition(layout: Layout, index: int, rng: random.Random) -> dict[str, Any]:
    urls, paths = _source_images(layout, index, rng, rng.randint(2, 4))
    prompts = [_prompt(rng) for _ in urls[1:]]
    return {
        "customer_paths": {"customer_img_urls": urls, "customer_img_paths": paths},
        "prompts": prompts,
        "translate_prompts": list(prompts),
        "durations": [rng.choice((3, 5)) for _ in urls[1:]],
        "first_frame_url": urls[0],
        "last_frame_url": urls[-1],
    }


def _fusion(layout: Layout, index: int, rng: random.Random) -> dict[str, Any]:
    count = rng.randint(2, 3)
    urls, paths = _source_images(layout, index, rng, count)
    types = ["character", "background", "reference"][:count]
    rng.shuffle(types)
    names = [f"@{kind}{n + 1}" for n, kind in enumerate(types)]
    return {
        "customer_paths": {"customer_img_urls": urls, "customer_img_paths": paths},
        "fusion_type_list": types,
        "fusion_name_list": names,
        # How each picture was put in: picked from the library, or uploaded for this fusion.
        "fusion_entry_type_list": ["upload" if path.startswith("upload/") else "asset" for path in paths],
        "original_prompt": " with ".join(names) + f" {rng.choice(ACTIONS)}",
    }


def _extend(layout: Layout, index: int, rng: random.Random) -> dict[str, Any]:
    parent = _earlier_done(layout, "video", index, rng)
    if parent is None:  # a source video deleted since: its id and urls name nothing listed
        original_id = layout.item_id("video", index) - 1
        path = f"pixverse/mp4/media/web/ori/{_name(layout, 'deleted', index)}.mp4"
        url, last_frame, duration = f"{MEDIA_HOST}/{path}", f"{MEDIA_HOST}/{path}.last.jpg", 5
    else:
        original_id = layout.item_id("video", parent)
        path, url = video_path(layout, parent), video_url(layout, parent)
        last_frame, duration = last_frame_url(layout, parent), video_duration(parent)
    source = {
        "customer_video_url": url,
        "customer_video_path": path,
        "customer_video_duration": duration,
        "customer_video_last_frame_url": last_frame,
    }
    return {**source, "customer_paths": dict(source), "original_video_id": original_id}


_INPUTS = {"image_to_video": _i2v, "transition": _transition, "fusion": _fusion, "extend": _extend}


def _video(layout: Layout, index: int, rng: random.Random) -> dict[str, Any]:
    slot = layout.slot(index)
    quality = rng.choice(tuple(QUALITIES))
    width, height = QUALITIES[quality] if slot.sized else (0, 0)
    state = slot.state
    url = PLACEHOLDER_VIDEO if slot.placeholder else video_url(layout, index) if state == "DONE" else ""
    frame = f"{MEDIA_HOST}/pixverse/jpg/media/web/first_frame/{_name(layout, 'video', index)}.jpg"
    item: dict[str, Any] = {
        "video_id": layout.item_id("video", index),
        "video_status": slot.status,
        "create_mode": slot.mode,
        "prompt": _prompt(rng),
        "negative_prompt": "",
        "model": rng.choice(VIDEO_MODELS),
        "quality": quality,
        "aspect_ratio": "16:9",
        "seed": rng.randrange(2**31),
        "video_duration": video_duration(index),
        "output_width": width,
        "output_height": height,
        "url": url,
        "first_frame": PLACEHOLDER_IMAGE if slot.placeholder else frame if state == "DONE" else "",
        "last_frame": last_frame_url(layout, index) if state == "DONE" else "",
        "create_time": _created(index, rng),
    }
    if slot.mode in _INPUTS:
        item.update(_INPUTS[slot.mode](layout, index, rng))
    return item


def _image(layout: Layout, index: int, rng: random.Random) -> dict[str, Any]:
    slot = layout.slot(index)
    state = slot.state
    url = PLACEHOLDER_IMAGE if slot.placeholder else image_url(layout, index) if state == "DONE" else ""
    return {
        "image_id": layout.item_id("image", index),
        "image_status": slot.status,
        "create_mode": slot.mode,
        "prompt": _prompt(rng),
        "model": "pixverse-image-v1",
        "width": 1024 if slot.sized else 0,
        "height": 1024 if slot.sized else 0,
        "aspect_ratio": "1:1",
        "image_url": url,
        "thumbnail_url": url,
        "create_time": _created(index, rng),
    }


def build_item(layout: Layout, index: int) -> dict[str, Any]:
    """The payload of the item at global `index` (0 = oldest) of the layout's library."""
    rng = random.Random(layout.seed * 1_000_003 + index)
    return _video(layout, index, rng) if layout.slot(index).kind == "video" else _image(layout, index, rng)
