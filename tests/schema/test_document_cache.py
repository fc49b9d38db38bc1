"""The per-document cache: worked out once per parsed document, by identity, and bounded."""

from __future__ import annotations

from graphql import parse

from assetgraph.schema.document_cache import PerDocument


def test_a_document_is_worked_out_once_and_an_equal_new_one_again() -> None:
    cache: PerDocument[int] = PerDocument(maxsize=4)
    calls: list[str] = []
    first = parse("{ viewer { id } }")

    def work() -> int:
        calls.append("work")
        return len(calls)

    assert cache.get(first, work) == 1
    assert cache.get(first, work) == 1
    # An equal document parsed again is another object: its own entry (the parser cache makes repeats identical).
    assert cache.get(parse("{ viewer { id } }"), work) == 2
    assert calls == ["work", "work"]


def test_the_least_recently_used_document_is_forgotten_beyond_the_bound() -> None:
    cache: PerDocument[str] = PerDocument(maxsize=2)
    a, b, c = parse("{ a }"), parse("{ b }"), parse("{ c }")
    cache.get(a, lambda: "a")
    cache.get(b, lambda: "b")
    cache.get(a, lambda: "a again")  # a is now the most recently used
    cache.get(c, lambda: "c")
    assert cache.get(a, lambda: "a again") == "a"
    assert cache.get(b, lambda: "b again") == "b again"
