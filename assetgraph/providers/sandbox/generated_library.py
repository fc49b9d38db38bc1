"""A generated Pixverse library of any size (0 to 100,000 items), deterministic per seed, built per page on demand.

`generated_pixverse_library(size, seed)` lays `size` items out oldest first (global index 0 is the oldest) and
gives each a *slot* of a 100-slot table the seed shuffles. Every block of 100 consecutive items therefore holds
exactly the mix below; a size that is not a multiple of 100 ends with the first slots of the table, which
`summary()` counts exactly (no item is built to count it).

    kind   mode / status                                     per 100 items
    video  text_to_video                                      24
    video  image_to_video                                     28
    video  transition                                          8
    video  fusion                                              8
    video  extend                                             12
    image  text_to_image                                      20

    video DONE        video_status 1 (56), 10 with output_width/height set (8)                         64
    video PROCESSING  video_status 0 (1), 2 (1), 5 (2), 10 with output_width/height 0 (2)               6
    video FILTERED    video_status 3 (1), 7 (3), 17 (1); status 1 with a default.mp4 url (1)            6
    video FAILED      video_status -1, 4, 8, 9 (1 each)                                                 4
    image DONE        image_status 1                                                                   14
    image PROCESSING  image_status 0, 5, 10 (1 each)                                                    3
    image FILTERED    image_status 7 (1); status 1 with a default.jpg url (1)                            2
    image FAILED      image_status 8                                                                    1

Modes and statuses are shuffled independently, so which mode a filtered video has depends on the seed (the
summary counts it). Filtered items carry the `default.mp4` / `default.jpg` placeholders; processing and failed
ones an empty url. The states are the sync's reading of the codes (SPEC section 5 and 7).

Lineage (payload shapes in generated_payloads.py): an image_to_video's picture, a transition's and a fusion's
images are usually (4 in 5, when one exists) DONE images of the same library created earlier, otherwise uploads
(`upload/...` paths outside the library); an extend's original_video_id is usually (4 in 5) an earlier DONE video
of the library, otherwise the id of a video no longer listed. Urls of such parents equal the parent's own url.

Ids are above 2**32 and grow with time; newest first, as Pixverse lists them. An id maps back to its item in O(1).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from assetgraph.providers.sandbox.generated_payloads import build_item
from assetgraph.providers.sandbox.library import PixverseLibrary

MAX_SIZE = 100_000
DEFAULT_SEED = 7
PERIOD = 100
VIDEO_ID_BASE = 374_000_000_000_000
IMAGE_ID_BASE = 371_000_000_000_000
ID_STEP = 1_009
"""Ids are base + index * ID_STEP + (seed % 1000): distinct per seed in the last digits, invertible."""

VIDEO_MODES = {"text_to_video": 24, "image_to_video": 28, "transition": 8, "fusion": 8, "extend": 12}
IMAGE_MODES = {"text_to_image": 20}
# (status code, with a placeholder url, with output dimensions) -> how many per block of 100
VIDEO_CODES: dict[tuple[int, bool, bool], int] = {
    (1, False, True): 56, (10, False, True): 8,
    (0, False, False): 1, (2, False, False): 1, (5, False, False): 2, (10, False, False): 2,
    (3, True, True): 1, (7, True, True): 3, (17, True, True): 1, (1, True, True): 1,
    (-1, False, False): 1, (4, False, False): 1, (8, False, False): 1, (9, False, False): 1,
}  # fmt: skip
IMAGE_CODES: dict[tuple[int, bool, bool], int] = {
    (1, False, True): 14, (0, False, False): 1, (5, False, False): 1, (10, False, False): 1,
    (7, True, True): 1, (1, True, True): 1, (8, False, False): 1,
}  # fmt: skip
_VIDEO_STATES = {1: "DONE", 0: "PROCESSING", 2: "PROCESSING", 5: "PROCESSING", 3: "FILTERED", 7: "FILTERED",
                 17: "FILTERED", -1: "FAILED", 4: "FAILED", 8: "FAILED", 9: "FAILED"}  # fmt: skip
_IMAGE_STATES = {1: "DONE", 0: "PROCESSING", 2: "PROCESSING", 5: "PROCESSING", 10: "PROCESSING", 7: "FILTERED",
                 8: "FAILED", 9: "FAILED"}  # fmt: skip


@dataclass(frozen=True)
class Slot:
    """What an item is, decided by its place in the shuffled table: everything the summary counts."""

    kind: str  # "video" | "image"
    mode: str
    status: int
    placeholder: bool
    sized: bool

    @property
    def state(self) -> str:
        """DONE, PROCESSING, FILTERED or FAILED, as the sync reads the payload."""
        if self.kind == "video" and self.status == 10:
            base = "DONE" if self.sized else "PROCESSING"
        elif self.kind == "video":
            base = _VIDEO_STATES[self.status]
        else:
            base = _IMAGE_STATES[self.status]
        return "FILTERED" if self.placeholder and base != "FAILED" else base


@dataclass(frozen=True)
class LibrarySummary:
    """Exact counts of a generated library, for tests and the bench to compare a sync against."""

    videos: int
    images: int
    modes: dict[str, int]
    """Items by create_mode (text_to_image for every image)."""
    video_states: dict[str, int]
    image_states: dict[str, int]
    video_statuses: dict[int, int]
    image_statuses: dict[int, int]
    placeholders: int
    """Items whose url is a default.mp4 / default.jpg placeholder (all FILTERED)."""

    @property
    def total(self) -> int:
        return self.videos + self.images


def _table(seed: int) -> tuple[Slot, ...]:
    """The 100 slots in the seed's order: modes and statuses shuffled independently, kinds interleaved."""
    rng = random.Random(seed)
    tables: dict[str, list[Slot]] = {}
    for kind, modes, codes in (("video", VIDEO_MODES, VIDEO_CODES), ("image", IMAGE_MODES, IMAGE_CODES)):
        mode_list = [mode for mode, n in modes.items() for _ in range(n)]
        code_list = [code for code, n in codes.items() for _ in range(n)]
        rng.shuffle(mode_list)
        rng.shuffle(code_list)
        tables[kind] = [Slot(kind, m, *c) for m, c in zip(mode_list, code_list, strict=True)]
    kinds = ["video"] * len(tables["video"]) + ["image"] * len(tables["image"])
    rng.shuffle(kinds)
    iterators = {kind: iter(slots) for kind, slots in tables.items()}
    return tuple(next(iterators[kind]) for kind in kinds)


@dataclass(frozen=True)
class Layout:
    """Where each item sits: global index (oldest first) <-> per-kind ordinal <-> list position (newest first)."""

    size: int
    seed: int
    table: tuple[Slot, ...]
    positions: dict[str, tuple[int, ...]] = field(init=False)
    """Slot numbers holding each kind, in table order."""

    def __post_init__(self) -> None:
        positions = {k: tuple(i for i, s in enumerate(self.table) if s.kind == k) for k in ("video", "image")}
        object.__setattr__(self, "positions", positions)

    def slot(self, index: int) -> Slot:
        return self.table[index % PERIOD]

    def count_before(self, kind: str, index: int) -> int:
        """How many items of `kind` have a global index below `index`."""
        blocks, rest = divmod(max(0, min(index, self.size)), PERIOD)
        return blocks * len(self.positions[kind]) + sum(1 for p in self.positions[kind] if p < rest)

    def count(self, kind: str) -> int:
        return self.count_before(kind, self.size)

    def index_of(self, kind: str, ordinal: int) -> int:
        """The global index of the `ordinal`-th item of `kind` (0 = its oldest)."""
        per_block = self.positions[kind]
        blocks, rest = divmod(ordinal, len(per_block))
        return blocks * PERIOD + per_block[rest]

    def item_id(self, kind: str, index: int) -> int:
        base = VIDEO_ID_BASE if kind == "video" else IMAGE_ID_BASE
        return base + index * ID_STEP + self.seed % 1000

    def index_of_id(self, kind: str, item_id: int) -> int | None:
        """The global index the id names, None when it names no item of this library."""
        base = VIDEO_ID_BASE if kind == "video" else IMAGE_ID_BASE
        index, rest = divmod(item_id - base - self.seed % 1000, ID_STEP)
        if rest or not 0 <= index < self.size or self.slot(index).kind != kind:
            return None
        return index


class GeneratedItems(Sequence[dict[str, Any]]):
    """One kind's items, newest first, built when read: a page costs its own items, never the library."""

    def __init__(self, layout: Layout, kind: str) -> None:
        self._layout = layout
        self._kind = kind
        self._len = layout.count(kind)

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, position: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, position: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, position: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(position, slice):
            return [self._build(p) for p in range(*position.indices(self._len))]
        if position < 0:
            position += self._len
        if not 0 <= position < self._len:
            raise IndexError(position)
        return self._build(position)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self._build(p) for p in range(self._len))

    def _build(self, position: int) -> dict[str, Any]:
        index = self._layout.index_of(self._kind, self._len - 1 - position)
        return build_item(self._layout, index)


class GeneratedPixverseLibrary(PixverseLibrary):
    """A PixverseLibrary whose `videos` and `images` are built on demand (see the module docstring)."""

    def __init__(self, size: int, seed: int) -> None:
        if not 0 <= size <= MAX_SIZE:
            raise ValueError(f"a generated library holds 0 to {MAX_SIZE} items, not {size}")
        self.layout = Layout(size, seed, _table(seed))
        super().__init__(videos=GeneratedItems(self.layout, "video"), images=GeneratedItems(self.layout, "image"))

    def find(self, kind: str, item_id: str) -> dict[str, Any] | None:
        if not item_id.strip().isdigit():
            return None
        index = self.layout.index_of_id(kind, int(item_id))
        return None if index is None else build_item(self.layout, index)

    def summary(self) -> LibrarySummary:
        """Exact counts by kind, mode, state and status code, from the table alone."""
        layout = self.layout
        blocks, rest = divmod(layout.size, PERIOD)
        weights = Counter({slot_no: blocks + (1 if slot_no < rest else 0) for slot_no in range(PERIOD)})
        modes: Counter[str] = Counter()
        states: dict[str, Counter[str]] = {"video": Counter(), "image": Counter()}
        codes: dict[str, Counter[int]] = {"video": Counter(), "image": Counter()}
        placeholders = 0
        for slot_no, slot in enumerate(layout.table):
            n = weights[slot_no]
            modes[slot.mode] += n
            states[slot.kind][slot.state] += n
            codes[slot.kind][slot.status] += n
            placeholders += n if slot.placeholder else 0
        return LibrarySummary(
            videos=layout.count("video"),
            images=layout.count("image"),
            modes={k: v for k, v in modes.items() if v},
            video_states={k: v for k, v in states["video"].items() if v},
            image_states={k: v for k, v in states["image"].items() if v},
            video_statuses={k: v for k, v in codes["video"].items() if v},
            image_statuses={k: v for k, v in codes["image"].items() if v},
            placeholders=placeholders,
        )


LIBRARY_PREFIX = "library:"


class UnknownLibraryError(ValueError):
    """A `library:` credential the sandbox cannot read: a typo in a test should fail loudly."""


def library_of_credential(credential: str) -> GeneratedPixverseLibrary | None:
    """The library a credential asks for (`library:<size>[:<seed>][#anything]`), None for any other credential;
    UnknownLibraryError when it is misspelt or out of range."""
    if not credential.startswith(LIBRARY_PREFIX):
        return None
    size_text, _, seed_text = credential.removeprefix(LIBRARY_PREFIX).split("#", 1)[0].partition(":")
    try:
        return generated_pixverse_library(int(size_text), int(seed_text) if seed_text else DEFAULT_SEED)
    except ValueError as error:
        raise UnknownLibraryError(f"unknown sandbox library {credential!r}: {error}") from None


def generated_pixverse_library(size: int, seed: int = DEFAULT_SEED) -> GeneratedPixverseLibrary:
    """A library of `size` items (0..100,000), the same for the same seed; O(1) to build, pages built when read."""
    return GeneratedPixverseLibrary(size, seed)
