"""Reading an upload as a provider would, without keeping it: every byte of the body is parsed as it streams in,
the file part's bytes are counted and dropped, short text fields are kept."""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart import MultipartParser
from python_multipart.multipart import parse_options_header
from starlette.requests import Request

MAX_FIELD_VALUE_BYTES = 4096


class MalformedBodyError(ValueError):
    """The body is not the multipart/form-data it claims to be."""


@dataclass
class ReceivedPart:
    name: str
    filename: str | None = None
    content_type: str | None = None
    size_bytes: int = 0
    value: bytearray = field(default_factory=bytearray)
    """The first MAX_FIELD_VALUE_BYTES of a text field; empty for a file."""

    def text(self) -> str:
        return self.value.decode(errors="replace")


@dataclass
class ReceivedForm:
    parts: list[ReceivedPart]
    body_bytes: int

    def file(self, name: str) -> ReceivedPart | None:
        return next((p for p in self.parts if p.name == name and p.filename is not None), None)

    def fields(self) -> dict[str, str]:
        return {p.name: p.text() for p in self.parts if p.filename is None}


class _PartCollector:
    """python-multipart's callbacks, collecting each part's headers and size."""

    def __init__(self) -> None:
        self.parts: list[ReceivedPart] = []
        self._current = ReceivedPart(name="")
        self._headers: dict[str, str] = {}
        self._field = bytearray()
        self._value = bytearray()

    def on_part_begin(self) -> None:
        self._current = ReceivedPart(name="")
        self._headers = {}

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._field.decode("latin-1").lower()] = self._value.decode("utf-8", errors="replace")
        self._field, self._value = bytearray(), bytearray()

    def on_headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get("content-disposition", ""))
        self._current.name = params.get(b"name", b"").decode("utf-8", errors="replace")
        filename = params.get(b"filename")
        self._current.filename = filename.decode("utf-8", errors="replace") if filename is not None else None
        self._current.content_type = self._headers.get("content-type")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self._current.size_bytes += end - start
        if self._current.filename is None and len(self._current.value) < MAX_FIELD_VALUE_BYTES:
            self._current.value += data[start : min(end, start + MAX_FIELD_VALUE_BYTES - len(self._current.value))]

    def on_part_end(self) -> None:
        self.parts.append(self._current)


async def read_form(request: Request) -> ReceivedForm:
    """The request's multipart body, read to its end; MalformedBodyError when it is not one."""
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        # Read it anyway, so that the client is not cut off mid-send and sees the answer.
        async for _ in request.stream():
            pass
        raise MalformedBodyError("expected a multipart/form-data body")
    collector = _PartCollector()
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": collector.on_part_begin,
            "on_header_field": collector.on_header_field,
            "on_header_value": collector.on_header_value,
            "on_header_end": collector.on_header_end,
            "on_headers_finished": collector.on_headers_finished,
            "on_part_data": collector.on_part_data,
            "on_part_end": collector.on_part_end,
        },
    )
    body_bytes = 0
    failed = False
    async for chunk in request.stream():
        body_bytes += len(chunk)
        if not failed:
            try:
                parser.write(chunk)
            except Exception:  # python-multipart raises several kinds; all mean the same here
                failed = True
    if failed:
        raise MalformedBodyError("the multipart body could not be parsed")
    parser.finalize()
    return ReceivedForm(collector.parts, body_bytes)
