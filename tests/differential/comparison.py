"""Whether two HTTP answers to one request are the same, and where they differ.

Byte for byte first. What graphql-core itself leaves to chance is then set aside, and nothing else:

- The order of errors. An error is appended when its field fails, and fields waiting on I/O (the database, a
  provider) fail in the order their I/O ends; the stock executor against itself swaps them.
- Errors inside a region the response nulls. When a non-null field fails, its nearest nullable ancestor (or the
  whole `data`) becomes null, the sibling work still pending is cancelled, and any error later raised under that
  position is dropped (graphql-core's `CollectedErrors.add`). Which of two errors racing into one nulled region
  gets in is a race; so an error that only one side reports is accepted when its path runs through a null of the
  (identical) data. An error outside any nulled region must be on both sides.

The in-test schema (toy_schema) has no I/O: there the order and the set of errors are exact.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Answer:
    """An HTTP response as the client gets it: the status and the body's bytes."""

    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


_INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def _tree_divergence(stock: Any, compiled: Any, path: str, instants_may_differ: bool) -> str | None:
    """Where two JSON values differ (types, key order, lengths, leaves), or None."""
    if type(stock) is not type(compiled):
        return f"{path}: {stock!r} != {compiled!r}"
    if isinstance(stock, dict):
        if list(stock) != list(compiled):
            return f"{path}: keys {list(stock)} != {list(compiled)}"
        pairs: list[tuple[str, Any, Any]] = [(f"{path}.{k}", stock[k], compiled[k]) for k in stock]
    elif isinstance(stock, list):
        if len(stock) != len(compiled):
            return f"{path}: {len(stock)} items != {len(compiled)}"
        pairs = [(f"{path}[{i}]", left, right) for i, (left, right) in enumerate(zip(stock, compiled, strict=True))]
    else:
        clock = instants_may_differ and isinstance(stock, str) and _INSTANT.match(stock) and _INSTANT.match(compiled)
        return None if stock == compiled or clock else f"{path}: {stock!r} != {compiled!r}"
    for inner_path, left, right in pairs:
        found = _tree_divergence(left, right, inner_path, instants_may_differ)
        if found:
            return found
    return None


def _in_nulled_region(data: Any, error: Any) -> bool:
    """Whether the error's path runs through a null of `data` (or `data` is null)."""
    if data is None:
        return True
    value = data
    for key in error.get("path") or [] if isinstance(error, dict) else []:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            return False
        if value is None:
            return True
    return False


def _errors_divergence(stock: list[Any], compiled: list[Any], data: Any) -> str | None:
    shown, seen = Counter(json.dumps(error) for error in stock), Counter(json.dumps(error) for error in compiled)
    one_sided = (shown - seen) + (seen - shown)
    unexplained = sorted(e for e in one_sided if not _in_nulled_region(data, json.loads(e)))
    if unexplained:
        return f"$.errors: on one side only: {unexplained[:3]}\n  stock:    {stock}\n  compiled: {compiled}"
    return None


def divergence(stock: Answer, compiled: Answer, *, written_now: bool = False) -> str | None:
    """How the compiled executor's answer differs from the stock one's, or None when it is the same (see the
    module's docstring for what is left to chance).

    With `written_now` (mutations, run on two databases at two moments), two ISO-8601 instants at the same place
    may differ: `createdAt`, `updatedAt`, an attempt's `at` are the database clock's `now()` of each write.
    """
    if stock.status != compiled.status:
        return f"status {stock.status} != {compiled.status}"
    if stock.body == compiled.body:
        return None
    stock_body, compiled_body = stock.json(), compiled.json()
    if not (isinstance(stock_body, dict) and isinstance(compiled_body, dict)):
        return f"bodies differ:\n  stock:    {stock.body[:2000]!r}\n  compiled: {compiled.body[:2000]!r}"
    stock_errors, compiled_errors = stock_body.pop("errors", None), compiled_body.pop("errors", None)
    found = _tree_divergence(stock_body, compiled_body, "$", written_now)
    if found is None and (stock_errors is None) != (compiled_errors is None):
        found = f"$.errors: {stock_errors!r} != {compiled_errors!r}"
    if found is None and stock_errors is not None:
        found = _errors_divergence(stock_errors, compiled_errors, stock_body.get("data"))
    if found is None:
        return None
    return f"bodies differ at {found}\n  stock:    {stock.body[:2000]!r}\n  compiled: {compiled.body[:2000]!r}"
