"""A bounded cache of what was worked out for a parsed document, keyed by the document's identity.

The parser cache (extensions.py) hands back the same DocumentNode for the same query text, so a repeated operation
finds its entry by `id()`: hashing a DocumentNode (a frozen dataclass) walks the whole tree, 10-20 microseconds for a
gallery page on every request. Each entry holds its document, which keeps that identity from being reused while the
entry lives.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

from graphql import DocumentNode

T = TypeVar("T")


class PerDocument(Generic[T]):
    """What `work()` found for a document, worked out once while the document stays among the `maxsize` most
    recently used."""

    def __init__(self, maxsize: int = 256) -> None:
        self._maxsize = maxsize
        self._entries: OrderedDict[int, tuple[DocumentNode, T]] = OrderedDict()

    def get(self, document: DocumentNode, work: Callable[[], T]) -> T:
        entry = self._entries.get(id(document))
        if entry is not None and entry[0] is document:
            self._entries.move_to_end(id(document))
            return entry[1]
        found = work()
        self._entries[id(document)] = (document, found)
        if len(self._entries) > self._maxsize:
            self._entries.popitem(last=False)
        return found
