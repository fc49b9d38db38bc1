"""A multipart/form-data body streamed from an UploadSource: framing built here, the file's bytes never held whole.

httpx's own `files=` reads file objects synchronously and whole parts at a time; providers need a 1 GiB file sent
from an async stream with a known Content-Length (presigned upload URLs refuse chunked bodies), so the framing is
written out by hand: each text field, then the file part, then the closing boundary.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

from assetgraph.providers.base import UploadSource


class SourceSizeMismatchError(RuntimeError):
    """The source streamed a different number of bytes than its declared size (the file changed underneath)."""


@dataclass(frozen=True)
class StreamedBody:
    """A request body sent chunk by chunk, with the headers that describe it."""

    content: AsyncIterator[bytes]
    headers: dict[str, str]


def _quoted(value: str) -> str:
    # As browsers do (WHATWG form encoding): a quote or a line break cannot end the header early.
    return value.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def _part_header(boundary: str, name: str, filename: str | None = None, content_type: str | None = None) -> bytes:
    disposition = f'form-data; name="{_quoted(name)}"'
    if filename is not None:
        disposition += f'; filename="{_quoted(filename)}"'
    lines = [f"--{boundary}", f"Content-Disposition: {disposition}"]
    if content_type is not None:
        lines.append(f"Content-Type: {_quoted(content_type)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def multipart_body(
    source: UploadSource, *, file_field: str, fields: Mapping[str, str] | None = None, boundary: str | None = None
) -> StreamedBody:
    """A fresh multipart body: `fields` first, then the file as `file_field`. Call once per attempt: each call
    opens the source again."""
    boundary = boundary or f"assetgraph-{secrets.token_hex(16)}"
    head = b"".join(
        _part_header(boundary, name) + value.encode() + b"\r\n" for name, value in (fields or {}).items()
    ) + _part_header(boundary, file_field, source.filename, source.mime_type or "application/octet-stream")
    tail = f"\r\n--{boundary}--\r\n".encode()

    async def content() -> AsyncIterator[bytes]:
        yield head
        sent = 0
        chunks = source.open()
        try:
            async for chunk in chunks:
                sent += len(chunk)
                if sent > source.size_bytes:
                    raise SourceSizeMismatchError(f"the file holds more than its declared {source.size_bytes} bytes")
                yield chunk
        finally:
            # A failed attempt stops mid-file: close the stream now (its file handle), not at garbage collection.
            close = getattr(chunks, "aclose", None)
            if close is not None:
                await close()
        if sent != source.size_bytes:
            raise SourceSizeMismatchError(f"the file holds {sent} bytes, not its declared {source.size_bytes}")
        yield tail

    return StreamedBody(
        content=content(),
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(head) + source.size_bytes + len(tail)),
        },
    )
