"""The content-addressed blob store: a file's bytes, kept once per content, under a key derived from its SHA-256.

Bytes arrive through a staging area: hashed and counted as they are written to a temporary file on the same
filesystem, then either committed (an atomic rename to their content address) or dropped. A failed, refused or
cancelled upload therefore leaves nothing behind. `BlobStore` is the interface; `LocalBlobStore` keeps the files on
local disk, and another store (S3, say) needs only these few methods.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

HEAD_BYTES = 8192
"""How much of the start of a file is kept aside while staging, for sniffing its type."""
READ_CHUNK_BYTES = 1024 * 1024


class BlobTooLargeError(Exception):
    """More bytes arrived than the staging area was allowed to take."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


class BlobNotFoundError(LookupError):
    """No blob is stored under this key."""


@dataclass(frozen=True)
class StoredBlob:
    key: str
    sha256: str
    size_bytes: int


def blob_key(sha256: str) -> str:
    """The storage key of a content: 'sha256/ab/cd/abcd...', two levels of fan-out."""
    return f"sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


class StagedBlob(Protocol):
    """Bytes being received: hashed and counted as written, kept only if committed."""

    @property
    def size_bytes(self) -> int: ...

    @property
    def head(self) -> bytes: ...

    async def write(self, chunk: bytes) -> None: ...

    def sha256(self) -> str: ...

    async def commit(self) -> StoredBlob: ...


class BlobStore(Protocol):
    def stage(self, max_bytes: int) -> AbstractAsyncContextManager[StagedBlob]: ...

    def read(self, key: str) -> AsyncIterator[bytes]: ...

    async def exists(self, key: str) -> bool: ...

    def local_path(self, key: str) -> Path | None:
        """Where the blob is on this machine's disk, for libraries that read files; None for a remote store."""
        ...


class _LocalStagedBlob:
    def __init__(self, root: Path, file: IO[bytes], max_bytes: int) -> None:
        self._root = root
        self._file = file
        self._max_bytes = max_bytes
        self._hash = hashlib.sha256()
        self._size = 0
        self._head = b""
        self.committed: StoredBlob | None = None

    @property
    def size_bytes(self) -> int:
        return self._size

    @property
    def head(self) -> bytes:
        return self._head

    async def write(self, chunk: bytes) -> None:
        if self.committed is not None:
            raise RuntimeError("the blob was already committed")
        if self._size + len(chunk) > self._max_bytes:
            raise BlobTooLargeError(self._max_bytes)
        if len(self._head) < HEAD_BYTES:
            self._head += chunk[: HEAD_BYTES - len(self._head)]
        self._size += len(chunk)
        # hashlib and file writes release the GIL on large buffers: off the event loop, they run in parallel.
        await asyncio.to_thread(self._absorb, chunk)

    def _absorb(self, chunk: bytes) -> None:
        self._hash.update(chunk)
        self._file.write(chunk)

    def sha256(self) -> str:
        return self._hash.hexdigest()

    async def commit(self) -> StoredBlob:
        digest = self.sha256()
        key = blob_key(digest)
        await asyncio.to_thread(self._move_into_place, self._root / key)
        self.committed = StoredBlob(key=key, sha256=digest, size_bytes=self._size)
        return self.committed

    def _move_into_place(self, target: Path) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        target.parent.mkdir(parents=True, exist_ok=True)
        # Same content, same name: if another upload stored it first, replacing it changes nothing.
        os.replace(self._file.name, target)


class LocalBlobStore:
    """Blobs as files under `root` (data_dir/blobs), staged in `root/.incoming` on the same filesystem."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._incoming = root / ".incoming"

    def stage(self, max_bytes: int) -> AbstractAsyncContextManager[StagedBlob]:
        """A staging area for one upload; whatever is not committed when the block ends is deleted."""
        return self._stage(max_bytes)

    @asynccontextmanager
    async def _stage(self, max_bytes: int) -> AsyncIterator[StagedBlob]:
        file = await asyncio.to_thread(_new_incoming_file, self._incoming)
        staged = _LocalStagedBlob(self._root, file, max_bytes)
        try:
            yield staged
        finally:
            if staged.committed is None:
                await asyncio.to_thread(_discard, file)

    async def read(self, key: str) -> AsyncIterator[bytes]:
        """The blob's bytes in chunks; BlobNotFoundError when no blob has this key."""
        path = self._path(key)
        try:
            file = await asyncio.to_thread(path.open, "rb")
        except FileNotFoundError as exc:
            raise BlobNotFoundError(key) from exc
        try:
            while chunk := await asyncio.to_thread(file.read, READ_CHUNK_BYTES):
                yield chunk
        finally:
            file.close()

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).is_file)

    def local_path(self, key: str) -> Path | None:
        return self._path(key)

    def _path(self, key: str) -> Path:
        parts = key.split("/")
        if len(parts) != 4 or parts[0] != "sha256" or blob_key(parts[3]) != key or not _is_hex64(parts[3]):
            raise BlobNotFoundError(key)  # never a path outside the store, whatever the key says
        return self._root / key


def _is_hex64(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def _new_incoming_file(incoming: Path) -> IO[bytes]:
    incoming.mkdir(parents=True, exist_ok=True)
    return tempfile.NamedTemporaryFile(mode="wb", dir=incoming, prefix="upload-", delete=False)


def _discard(file: IO[bytes]) -> None:
    file.close()
    with suppress(FileNotFoundError):
        os.unlink(file.name)
