"""Rules for the fields of an input: each rule turns a client's value into what is stored, or says what is wrong.

`clean_fields` applies a table of rules to the fields a client sent and reports every field at fault at once, by
its GraphQL name, so that nothing is written when any is wrong. Text with NUL characters and overlong lists are
refused earlier, at the edge (schema/input_values.py); these rules bound what is left: lengths, signs, ranges, the
size and depth of JSON, and numbers JSON can carry but PostgreSQL cannot (NaN, infinities).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any

from assetgraph.domain.errors import BadUserInput, ClientError, ClientErrors
from assetgraph.domain.storable import is_int64

MAX_NAME_CHARS = 200
MAX_TAG_CHARS = 100
MAX_SHORT_TEXT_CHARS = 100
MAX_DESCRIPTION_CHARS = 5000
MAX_URL_CHARS = 2048
MAX_JSON_BYTES = 16 * 1024
"""Largest JSON value of a free-form field (game metadata, conditions, `extra`...), as stored (stored_json_size)."""
JSON_SIZE = f"{MAX_JSON_BYTES} bytes as stored (numbers written out in full: 1e308 is 309 digits)"
"""The size limit of a free-form JSON field, in the words of the schema's descriptions."""
MAX_JSON_DEPTH = 10
FLOAT32_MAX = 3.4028234663852886e38
"""The largest 32-bit float: an embedding's numbers are stored as such (pgvector's `vector`)."""
FLOAT32_OVERFLOW = 2.0**128 - 2.0**103
"""The least size that rounds to infinity as a 32-bit float (FLOAT32_MAX and half a step): every number below it
is stored, rounded (3.4028235e+38, the largest as pgvector writes it back, among them)."""


class RuleBroken(ValueError):
    """What is wrong with a value; the field's name is added by `clean_fields`."""


Rule = Callable[[Any], Any]


def camel(name: str) -> str:
    """A snake_case field as GraphQL names it: `start_time` -> `startTime`."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def text(max_chars: int, *, strip: bool = True) -> Rule:
    """Text of at most `max_chars` characters; not blank (surrounding spaces dropped with `strip`)."""

    def rule(value: Any) -> str:
        if not isinstance(value, str):
            raise RuleBroken("must be text")
        cleaned = value.strip() if strip else value
        if not cleaned:
            raise RuleBroken("must not be empty")
        if len(cleaned) > max_chars:
            raise RuleBroken(f"must be at most {max_chars} characters (got {len(cleaned)})")
        return cleaned

    return rule


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RuleBroken("must be a number")
    if not math.isfinite(value):
        raise RuleBroken("must be a finite number")
    return float(value) + 0.0  # -0.0 + 0.0 is 0.0: a zero is stored and read back without a sign


def non_negative() -> Rule:
    """A finite number, 0 or more (seconds, weights, beats per minute)."""

    def rule(value: Any) -> float:
        number = _number(value)
        if number < 0:
            raise RuleBroken(f"must not be negative (got {number:g})")
        return number

    return rule


def finite() -> Rule:
    return _number


def whole(low: int = 0, high: int = 2**31 - 1) -> Rule:
    """An integer from `low` to `high` (the default: a non-negative PostgreSQL integer)."""

    def rule(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise RuleBroken("must be an integer")
        if not low <= value <= high or not is_int64(value):
            raise RuleBroken(f"must be from {low} to {high} (got {value})")
        return value

    return rule


def flag() -> Rule:
    def rule(value: Any) -> bool:
        if not isinstance(value, bool):
            raise RuleBroken("must be true or false")
        return value

    return rule


def member(vocabulary: type[StrEnum]) -> Rule:
    """One value of a closed vocabulary, stored as its value."""

    def rule(value: Any) -> str:
        try:
            return vocabulary(value).value
        except ValueError:
            allowed = ", ".join(v.value for v in vocabulary)
            raise RuleBroken(f"must be one of {allowed}") from None

    return rule


def _depth_and_finiteness(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            break
        if isinstance(item, float) and not math.isfinite(item):
            raise RuleBroken("must not hold NaN or infinite numbers")
        if isinstance(item, dict):
            stack.extend((element, depth + 1) for element in item.values())
        elif isinstance(item, list):
            stack.extend((element, depth + 1) for element in item)
    return deepest


def _written_out(number: float) -> str:
    """A float as PostgreSQL's jsonb keeps and returns it: a numeric, written without an exponent (1e308 is 309
    digits, 1e-300 is 302 characters), and a zero without a sign."""
    return format(Decimal(repr(abs(number) if number == 0 else number)), "f")


def stored_json_size(value: Any) -> int:
    """The size in UTF-8 bytes of `value` as compact JSON with every number written out in full: what PostgreSQL
    stores and the API returns (JSON's `1e308` takes 6 bytes to send and 309 to keep)."""
    compact = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    size, stack = len(compact), [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float):
            size += len(_written_out(item)) - len(repr(item))
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return size


def json_value(max_bytes: int = MAX_JSON_BYTES, *, object_only: bool = False) -> Rule:
    """A JSON value of at most `max_bytes` (as UTF-8) and MAX_JSON_DEPTH levels; an object with `object_only`."""

    def rule(value: Any) -> Any:
        if object_only and not isinstance(value, dict):
            raise RuleBroken("must be a JSON object")
        if _depth_and_finiteness(value) > MAX_JSON_DEPTH:
            raise RuleBroken(f"must nest at most {MAX_JSON_DEPTH} levels deep")
        size = stored_json_size(value)
        if size > max_bytes:
            raise RuleBroken(f"must be at most {max_bytes} bytes as JSON, numbers written out in full (got {size})")
        return value

    return rule


def vector(dimensions: int) -> Rule:
    """A list of exactly `dimensions` finite numbers (an embedding), each within a 32-bit float's range."""

    def rule(value: Any) -> list[float]:
        if not isinstance(value, list) or len(value) != dimensions:
            raise RuleBroken(f"must be a list of {dimensions} numbers")
        numbers = [_number(item) for item in value]
        for index, number in enumerate(numbers):
            if abs(number) >= FLOAT32_OVERFLOW:  # pgvector refuses it; a number too small for one is stored as 0
                raise RuleBroken(
                    f"must hold numbers a 32-bit float can store, at most {FLOAT32_MAX:.8g} in size once rounded to "
                    f"one (got {number!r} at index {index})"
                )
        return numbers

    return rule


def _checked(errors: list[ClientError], name: str, rule: Rule, value: Any) -> Any:
    try:
        return rule(value)
    except RuleBroken as broken:
        errors.append(BadUserInput(f"{camel(name)} {broken}.", field=camel(name)))
        return None


def clean_fields(
    given: Mapping[str, Any], rules: Mapping[str, Rule], not_null: Collection[str] = ()
) -> tuple[dict[str, Any], list[ClientError]]:
    """The stored values of the fields in `given` (snake_case names, nulls included), and an error per field at
    fault. A null clears a field, except one in `not_null`, which must be omitted to keep its value."""
    values: dict[str, Any] = {}
    errors: list[ClientError] = []
    for name, value in given.items():
        if value is None:
            if name in not_null:
                errors.append(BadUserInput(f"{camel(name)} cannot be null.", field=camel(name)))
            else:
                values[name] = None
            continue
        values[name] = _checked(errors, name, rules[name], value)
    return values, errors


def raise_if_any(errors: list[ClientError]) -> None:
    if errors:
        raise ClientErrors(errors)
