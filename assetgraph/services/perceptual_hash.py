"""The 64-bit perceptual hash of an image (pHash), computed with Pillow in a worker thread.

The picture is reduced to 32 x 32 grey levels (EXIF orientation applied, so that a rotated copy saved without its
EXIF tag still matches), its 8 x 8 lowest frequencies of the two-dimensional DCT-II are taken in row-major order
(the lowest first), and each sets its bit when above their median: the first coefficient is the most significant
bit. Resizing and re-encoding move few bits (a JPEG copy at half size typically differs by 0 to 4), an unrelated
picture about half of them (around 32). A flat picture sets at most one bit: degenerate, see domain/hashes.py.

Memory and time are bounded whatever the file: only the formats below are decoded (no plugin shelling out to
Ghostscript), a picture over `max_pixels` is not decoded at all, JPEGs are decoded at 1/2 to 1/8 scale (draft mode)
and only the first frame of an animation is read. The result is the unsigned form; store it with
`domain.hashes.to_stored_phash`.
"""

from __future__ import annotations

import asyncio
import io
import logging
import math
from pathlib import Path
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

DEFAULT_MAX_PIXELS = 50_000_000
"""Largest picture hashed (a 50-megapixel photo): decoding it takes at most ~200 MB (RGBA) for a moment."""

_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF", "MPO", "AVIF")
_SIDE = 32
_LOW = 8
_EXIF_ORIENTATION = 0x0112
# EXIF orientation -> the transposition that shows the picture upright (as PIL.ImageOps.exif_transpose does).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


async def perceptual_hash_of_file(path: Path, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> int | None:
    """The unsigned 64-bit perceptual hash of the image stored at `path` (a committed blob, say), computed off the
    event loop; None when the file is not an image of a supported format, cannot be decoded, or is over
    `max_pixels`. The upload pipeline calls this one: the file is read from disk, never held in memory whole."""
    return await asyncio.to_thread(_hash_or_none, path, max_pixels)


async def perceptual_hash_of_bytes(data: bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> int | None:
    """As `perceptual_hash_of_file`, for an image already in memory (a thumbnail, a small download)."""
    return await asyncio.to_thread(_hash_or_none, io.BytesIO(data), max_pixels)


def _hash_or_none(source: Path | BinaryIO, max_pixels: int) -> int | None:
    try:
        with Image.open(source, formats=_FORMATS) as image:
            return _hash(image, max_pixels)
    except UnidentifiedImageError:
        return None  # not a picture: a video, a sound, a text
    except Exception as exc:  # Pillow raises many kinds on damaged files; a missing hash never breaks an upload
        logger.info("perceptual_hash_failed", extra={"error_type": type(exc).__name__})
        return None


def _hash(image: Image.Image, max_pixels: int) -> int | None:
    width, height = image.size
    if width < 1 or height < 1 or width * height > max_pixels:
        return None
    orientation = image.getexif().get(_EXIF_ORIENTATION)
    image.draft("L", (_SIDE * 4, _SIDE * 4))  # JPEG only: decode at a reduced scale, still well above 32 x 32
    small = image.convert("L").resize((_SIDE, _SIDE), Image.Resampling.LANCZOS, reducing_gap=3.0)
    if orientation in _UPRIGHT:
        small = small.transpose(_UPRIGHT[orientation])
    return _dct_hash(small.tobytes())


def _dct_hash(pixels: bytes) -> int:
    """The hash of 32 x 32 grey levels (row-major): the separable DCT-II, lowest 8 x 8 frequencies only."""
    cosines = [[math.cos(math.pi * (2 * x + 1) * k / (2 * _SIDE)) for x in range(_SIDE)] for k in range(_LOW)]
    rows = [pixels[y * _SIDE : (y + 1) * _SIDE] for y in range(_SIDE)]
    by_row = [[math.fsum(p * c for p, c in zip(row, cosines[v], strict=True)) for v in range(_LOW)] for row in rows]
    # Rounded so that a flat picture's coefficients are exactly zero rather than floating-point dust, which would
    # otherwise set bits at random.
    coefficients = [
        round(math.fsum(cosines[u][y] * by_row[y][v] for y in range(_SIDE)), 3)
        for u in range(_LOW)
        for v in range(_LOW)
    ]
    ordered = sorted(coefficients)
    median = (ordered[31] + ordered[32]) / 2
    phash = 0
    for coefficient in coefficients:
        phash = (phash << 1) | (coefficient > median)
    return phash
