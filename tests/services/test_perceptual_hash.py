"""The perceptual hash of real images made here with Pillow: a resized, re-encoded copy is near, an unrelated
picture is far, a blank picture is degenerate, and what is not a picture has no hash."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PIL import Image

from assetgraph.domain.hashes import hamming_distance, is_degenerate_phash
from assetgraph.services.perceptual_hash import perceptual_hash_of_bytes, perceptual_hash_of_file
from tests.support import encoded, photo_like

NEAR = 4
"""At most this many bits differ between a picture and its resized, re-encoded copy (0 to 4 in practice)."""
FAR = 20
"""At least this many bits differ between unrelated pictures (about 32 on average)."""


async def _hash(picture: Image.Image, format: str = "PNG", **options: object) -> int:
    phash = await perceptual_hash_of_bytes(encoded(picture, format, **options))
    assert phash is not None
    return phash


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_a_resized_re_encoded_copy_is_near_and_an_unrelated_picture_is_far(seed: int) -> None:
    # given a picture, a copy at half size saved as a JPEG of middling quality, and an unrelated picture
    original = photo_like(seed)
    copy = original.resize((320, 240), Image.Resampling.BILINEAR)
    unrelated = photo_like(seed + 100)
    # when they are hashed
    original_hash = await _hash(original)
    copy_hash = await _hash(copy, "JPEG", quality=70)
    unrelated_hash = await _hash(unrelated, "WEBP")
    # then the copy is near, the unrelated picture far, and neither is degenerate
    assert hamming_distance(original_hash, copy_hash) <= NEAR
    assert hamming_distance(original_hash, unrelated_hash) >= FAR
    assert not any(map(is_degenerate_phash, (original_hash, copy_hash, unrelated_hash)))


@pytest.mark.parametrize(
    ("colour", "format"), [((255, 255, 255), "PNG"), ((0, 0, 0), "PNG"), ((128, 64, 200), "JPEG"), ((9, 9, 9), "GIF")]
)
async def test_a_blank_picture_has_a_degenerate_hash(colour: tuple[int, int, int], format: str) -> None:
    assert is_degenerate_phash(await _hash(Image.new("RGB", (300, 200), colour), format))


async def test_the_exif_orientation_is_applied() -> None:
    # given a picture stored turned a quarter left, with the EXIF tag that says to turn it right to view it
    original = photo_like(4)
    stored = original.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    # then it hashes like the picture as seen, unlike the same pixels without the tag
    original_hash = await _hash(original)
    assert hamming_distance(original_hash, await _hash(stored, "JPEG", exif=exif, quality=90)) <= NEAR
    assert hamming_distance(original_hash, await _hash(stored, "JPEG", quality=90)) >= FAR


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"hello, world\n" * 100, id="text"),
        pytest.param(b"\x00\x00\x00\x18ftypmp42" + bytes(4096), id="an mp4 header"),
        pytest.param(encoded(photo_like(5), "PNG")[:3000], id="a truncated PNG"),
        pytest.param(encoded(photo_like(5), "JPEG")[:200], id="a JPEG cut in its header"),
        pytest.param(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n", id="EPS, not decoded"),
    ],
)
async def test_what_is_not_a_decodable_picture_has_no_hash(data: bytes) -> None:
    assert await perceptual_hash_of_bytes(data) is None


async def test_a_picture_over_the_pixel_cap_is_not_decoded(tmp_path: Path) -> None:
    # given a 100 x 100 picture, and a cap of 9,999 pixels
    path = tmp_path / "p.png"
    photo_like(6, (100, 100)).save(path)
    # then it has no hash under the cap, and one at 10,000
    assert await perceptual_hash_of_file(path, max_pixels=9_999) is None
    assert await perceptual_hash_of_file(path, max_pixels=10_000) is not None


async def test_a_file_and_its_bytes_hash_alike(tmp_path: Path) -> None:
    path = tmp_path / "p.jpg"
    photo_like(7).save(path, "JPEG")
    assert await perceptual_hash_of_file(path) == await perceptual_hash_of_bytes(path.read_bytes())


async def test_hashing_runs_off_the_event_loop(tmp_path: Path) -> None:
    # given a picture that takes some milliseconds to decode
    path = tmp_path / "large.png"
    Image.effect_noise((2000, 1500), 60).save(path, compress_level=1)
    # when it is being hashed
    hashing = asyncio.create_task(perceptual_hash_of_file(path))
    await asyncio.sleep(0)  # the task starts, and hands the work over
    await asyncio.sleep(0)
    # then the event loop is free meanwhile (were the work done on the loop, the task would be finished already)
    assert not hashing.done()
    assert await hashing is not None
