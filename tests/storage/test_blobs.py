"""The local blob store: content-addressed, atomic, and leaving nothing behind that was not committed."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest

from assetgraph.storage.blobs import HEAD_BYTES, BlobNotFoundError, BlobTooLargeError, LocalBlobStore, blob_key


def _files(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


async def _read_all(store: LocalBlobStore, key: str) -> bytes:
    return b"".join([chunk async for chunk in store.read(key)])


async def test_committed_bytes_are_kept_under_their_sha256(tmp_path: Path) -> None:
    # given bytes written in chunks
    store = LocalBlobStore(tmp_path)
    data = bytes(range(256)) * 100
    async with store.stage(max_bytes=len(data)) as staged:
        for start in range(0, len(data), 1000):
            await staged.write(data[start : start + 1000])
        # then size, hash and head are known before committing
        assert staged.size_bytes == len(data)
        assert staged.sha256() == hashlib.sha256(data).hexdigest()
        assert staged.head == data[:HEAD_BYTES]
        stored = await staged.commit()

    # and the blob is the only file left, at its content address
    assert stored.key == blob_key(hashlib.sha256(data).hexdigest())
    assert _files(tmp_path) == [stored.key]
    assert await store.exists(stored.key)
    assert await _read_all(store, stored.key) == data


@pytest.mark.parametrize("how", ["not committed", "too large", "failed", "cancelled"])
async def test_nothing_is_left_behind_unless_committed(tmp_path: Path, how: str) -> None:
    store = LocalBlobStore(tmp_path)

    async def upload() -> None:
        async with store.stage(max_bytes=10) as staged:
            await staged.write(b"12345")
            if how == "too large":
                await staged.write(b"123456")
            if how == "failed":
                raise ValueError("the client went away")
            if how == "cancelled":
                await asyncio.sleep(10)

    if how == "cancelled":
        task = asyncio.create_task(upload())
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    elif how == "not committed":
        await upload()
    else:
        with pytest.raises((BlobTooLargeError, ValueError)):
            await upload()
    assert _files(tmp_path) == []


async def test_the_same_content_twice_at_once_is_stored_once(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)

    async def upload() -> str:
        async with store.stage(max_bytes=100) as staged:
            await staged.write(b"same bytes")
            return (await staged.commit()).key

    keys = await asyncio.gather(*(upload() for _ in range(20)))
    assert len(set(keys)) == 1
    assert _files(tmp_path) == [keys[0]]


@pytest.mark.parametrize("key", ["../../etc/passwd", "sha256/ab/cd/" + "0" * 64, "sha256/00/00/../../x", "x"])
async def test_a_key_outside_the_store_or_missing_is_not_found(tmp_path: Path, key: str) -> None:
    store = LocalBlobStore(tmp_path)
    with pytest.raises(BlobNotFoundError):
        await _read_all(store, key)
