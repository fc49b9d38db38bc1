"""The Pixverse library the sandbox serves: a small sample by default, or whatever list a test or the demo sets.

Items are shaped like Pixverse's web payloads (numeric ids, statuses, url fields); a video_status of 7 or an
image_status of 7 with a `default.mp4` / `default.jpg` placeholder is how Pixverse shows a filtered item.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

MEDIA_HOST = "https://media.pixverse.example"


@dataclass
class PixverseLibrary:
    """One account's videos and images, newest first, as the list endpoints page through them."""

    videos: Sequence[dict[str, Any]] = field(default_factory=list)
    images: Sequence[dict[str, Any]] = field(default_factory=list)

    def find(self, kind: str, item_id: str) -> dict[str, Any] | None:
        items, key = (self.videos, "video_id") if kind == "video" else (self.images, "image_id")
        return next((item for item in items if str(item.get(key)) == item_id), None)


def _video(video_id: int, **fields: Any) -> dict[str, Any]:
    return {
        "video_id": video_id,
        "video_status": 1,
        "url": f"{MEDIA_HOST}/video/{video_id}.mp4",
        "first_frame": f"{MEDIA_HOST}/frame/{video_id}.jpg",
        "create_time": "2026-01-02T03:04:05Z",
        "model": "v4.5",
        **fields,
    }


def _image(image_id: int, **fields: Any) -> dict[str, Any]:
    return {
        "image_id": image_id,
        "image_status": 1,
        "image_url": f"{MEDIA_HOST}/image/{image_id}.jpg",
        "create_time": "2026-01-02T03:04:05Z",
        **fields,
    }


def sample_pixverse_library() -> PixverseLibrary:
    """A few items of each kind Pixverse makes: text and image to video, an extend, a filtered video, two images
    of which one is filtered. Ids are above 2**32, as Pixverse's are, to catch code that keeps them as int32."""
    base = 381_000_000_000
    image = _image(base + 101, prompt="a lighthouse at dusk")
    return PixverseLibrary(
        videos=[
            _video(base + 1, prompt="waves on a shore", create_mode="text_to_video"),
            _video(
                base + 2,
                prompt="the lighthouse turns on",
                customer_img_url=image["image_url"],
                create_mode="image_to_video",
            ),
            _video(
                base + 3,
                prompt="longer waves",
                customer_video_url=f"{MEDIA_HOST}/video/{base + 1}.mp4",
                original_video_id=base + 1,
                create_mode="extend",
            ),
            _video(base + 4, prompt="filtered", video_status=7, url=f"{MEDIA_HOST}/video/default.mp4"),
        ],
        images=[
            image,
            _image(base + 102, prompt="filtered", image_status=7, image_url=f"{MEDIA_HOST}/image/default.jpg"),
        ],
    )
