"""The Pixverse lineage extractor: which assets a Pixverse payload says it was made from (SPEC section 7).

`embedded_parents(payload)` reads one item's raw payload (whatever JSON was stored) and returns its parents in
order, each with the relation and operation that made the child, and the per-mode metadata kept on the edge:

    mode                 parents from                                  relation              operation
    image / text to vid  customer_img_url, image_url,                  SOURCE_IMAGE          image_to_video
                         customer_paths.customer_img_url(s)
    transition           customer_paths.customer_img_urls (2..n)       TRANSITION_INPUT      video_transition
    fusion               customer_paths.customer_img_urls, typed by    FUSION_CHARACTER |    fusion
                         fusion_type_list                              FUSION_BACKGROUND |
                                                                       FUSION_REFERENCE
    extend               customer_video_url (or customer_paths'),      SOURCE_VIDEO          video_extend
                         original_video_id

URLs are normalised (see `normalise_url`) and de-duplicated, first occurrence kept; `sequence_order` is a parent's
place among those kept. An image payload (an `image_id` and no `video_id`) names no parents: its `image_url` is its
own picture. The function never raises: a field of the wrong type is ignored, as if it were missing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from assetgraph.domain.enums import MediaType
from assetgraph.domain.relation_types import OperationType, RelationType
from assetgraph.domain.storable import is_int64, is_storable_text

MAX_PARENTS = 64
"""A payload naming more inputs than this is not a real generation; the rest are ignored."""
MAX_URL_LENGTH = 4096
MAX_LIST_ITEMS = 64
MAX_TEXT_LENGTH = 10_000

_FUSION_RELATIONS = {
    "character": RelationType.FUSION_CHARACTER,
    "background": RelationType.FUSION_BACKGROUND,
    "reference": RelationType.FUSION_REFERENCE,
}
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class EmbeddedParent:
    """One input of a generation, as the child's payload names it: by URL, by Pixverse id, or both."""

    relation_type: RelationType
    operation_type: OperationType
    media_type: MediaType
    sequence_order: int
    remote_url: str | None = None
    provider_asset_id: str | None = None
    parent_role: str | None = None
    parent_end_time: float | None = None
    metadata: dict[str, Any] | None = field(default=None)
    """The edge's `transformation`: {"pixverse_transition" | "pixverse_fusion" | "pixverse_extend": {...}}."""


def normalise_url(value: object) -> str | None:
    """An http(s) URL with its scheme and host lower-cased, default port and fragment dropped, surrounding blanks
    trimmed; `//host/path` reads as https. None for anything else (paths, other schemes, unstorable text)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > MAX_URL_LENGTH or not is_storable_text(text) or any(c.isspace() for c in text):
        return None
    if text.startswith("//"):
        text = "https:" + text
    try:
        parts = urlsplit(text)
        port = parts.port
        host = parts.hostname
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    if parts.username is not None or parts.password is not None:
        return None  # credentials in a URL are never kept
    if ":" in host:
        netloc = f"[{host}]" if port is None or port == _DEFAULT_PORTS[scheme] else f"[{host}]:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def _id_text(value: object) -> str | None:
    """A Pixverse id (a positive int64, as a number or digits) as text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 19:
        value = int(value.strip())
    if isinstance(value, int) and 0 < value and is_int64(value):
        return str(value)
    return None


def _text(value: object) -> str | None:
    if isinstance(value, str) and len(value) <= MAX_TEXT_LENGTH and is_storable_text(value):
        return value
    return None


def _number(value: object) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, int):
        return value if is_int64(value) else None
    return value if math.isfinite(value) else None


def _list(value: object) -> list[Any]:
    return value[:MAX_LIST_ITEMS] if isinstance(value, list) else []


def _texts(value: object) -> list[str | None]:
    return [_text(item) for item in _list(value)]


def _numbers(value: object) -> list[float | int | None]:
    return [_number(item) for item in _list(value)]


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _urls_in_order(*candidates: object) -> list[tuple[int, str]]:
    """(index among the candidates, normalised URL) for each distinct URL, first occurrence kept."""
    seen: dict[str, int] = {}
    for index, candidate in enumerate(candidates):
        url = normalise_url(candidate)
        if url is not None and url not in seen:
            seen[url] = index
    return [(index, url) for url, index in seen.items()]


def _image_urls(payload: Mapping[str, Any]) -> list[object]:
    return _list(_mapping(payload.get("customer_paths")).get("customer_img_urls"))


def _source_images(payload: Mapping[str, Any]) -> list[EmbeddedParent]:
    paths = _mapping(payload.get("customer_paths"))
    candidates = [payload.get("customer_img_url"), payload.get("image_url"), paths.get("customer_img_url"),
                  *_image_urls(payload)]  # fmt: skip
    return [
        EmbeddedParent(RelationType.SOURCE_IMAGE, OperationType.IMAGE_TO_VIDEO, MediaType.IMAGE, order, url)
        for order, (_, url) in enumerate(_urls_in_order(*candidates))
    ]


def _transition(payload: Mapping[str, Any], child_id: str | None) -> list[EmbeddedParent]:
    shared = {
        "prompts": _texts(payload.get("prompts")),
        "translate_prompts": _texts(payload.get("translate_prompts")),
        "durations": _numbers(payload.get("durations")),
        "first_frame_url": normalise_url(payload.get("first_frame_url")),
        "last_frame_url": normalise_url(payload.get("last_frame_url")),
    }
    found = _urls_in_order(*_image_urls(payload))
    last = len(_image_urls(payload)) - 1
    parents = []
    for order, (index, url) in enumerate(found):
        role = "first_frame" if index == 0 else "last_frame" if index == last else "keyframe"
        metadata = {**shared, "image_index": index, "source_video_id": child_id}
        parents.append(
            EmbeddedParent(
                RelationType.TRANSITION_INPUT,
                OperationType.VIDEO_TRANSITION,
                MediaType.IMAGE,
                order,
                url,
                parent_role=role,
                metadata={"pixverse_transition": metadata},
            )
        )
    return parents


def _fusion(payload: Mapping[str, Any], child_id: str | None) -> list[EmbeddedParent]:
    types = _list(payload.get("fusion_type_list"))
    names = _list(payload.get("fusion_name_list"))
    entries = _list(payload.get("fusion_entry_type_list"))
    parents = []
    for order, (index, url) in enumerate(_urls_in_order(*_image_urls(payload))):
        kind = types[index] if index < len(types) and isinstance(types[index], str) else None
        relation = _FUSION_RELATIONS.get(kind.strip().lower() if kind else "", RelationType.FUSION_REFERENCE)
        metadata = {
            "fusion_name": _text(names[index]) if index < len(names) else None,
            "fusion_entry_type": _text(entries[index]) if index < len(entries) else None,
            "image_index": index,
            "source_video_id": child_id,
        }
        parents.append(
            EmbeddedParent(
                relation,
                OperationType.FUSION,
                MediaType.IMAGE,
                order,
                url,
                parent_role=relation.value.removeprefix("FUSION_").lower(),
                metadata={"pixverse_fusion": metadata},
            )
        )
    return parents


def _extend(payload: Mapping[str, Any]) -> list[EmbeddedParent]:
    paths = _mapping(payload.get("customer_paths"))

    def read(name: str) -> object:
        return payload[name] if name in payload else paths.get(name)

    url = normalise_url(read("customer_video_url"))
    original_id = _id_text(payload.get("original_video_id"))
    if url is None and original_id is None:
        return []
    duration = _number(read("customer_video_duration"))
    metadata = {
        "customer_video_url": url,
        "customer_video_path": _text(read("customer_video_path")),
        "customer_video_duration": duration,
        "customer_video_last_frame_url": normalise_url(read("customer_video_last_frame_url")),
        "original_video_id": original_id,
    }
    end = float(duration) if duration is not None and 0 <= duration < 10**9 else None
    return [
        EmbeddedParent(
            RelationType.SOURCE_VIDEO,
            OperationType.VIDEO_EXTEND,
            MediaType.VIDEO,
            0,
            url,
            original_id,
            parent_role="source_video",
            parent_end_time=end,
            metadata={"pixverse_extend": metadata},
        )
    ]


def _mode(payload: Mapping[str, Any]) -> str:
    mode = payload.get("create_mode")
    mode = mode.strip().lower() if isinstance(mode, str) else ""
    if mode in ("transition", "fusion", "extend"):
        return mode
    if isinstance(payload.get("fusion_type_list"), list):
        return "fusion"
    if "original_video_id" in payload or "customer_video_url" in payload:
        return "extend"
    if isinstance(payload.get("durations"), list) and len(_image_urls(payload)) > 1:
        return "transition"
    return "image_to_video"


def embedded_parents(payload: object) -> list[EmbeddedParent]:
    """The parents a Pixverse payload names, in order (see the module docstring). Never raises."""
    if not isinstance(payload, dict):
        return []
    if "image_id" in payload and "video_id" not in payload:
        return []
    child_id = _id_text(payload.get("video_id"))
    mode = _mode(payload)
    if mode == "transition":
        parents = _transition(payload, child_id)
    elif mode == "fusion":
        parents = _fusion(payload, child_id)
    elif mode == "extend":
        parents = _extend(payload)
    else:
        parents = _source_images(payload)
    return parents[:MAX_PARENTS]
