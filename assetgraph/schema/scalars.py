"""Custom scalars: JSON for free-form columns, BigInt for 64-bit integers."""

from __future__ import annotations

from typing import NewType

import strawberry
from strawberry.scalars import JSON
from strawberry.types.scalar import ScalarDefinition

BigInt = NewType("BigInt", int)

SCALAR_MAP: dict[object, ScalarDefinition] = {
    BigInt: strawberry.scalar(
        name="BigInt",
        description="A 64-bit signed integer, serialized as a JSON number.",
        serialize=int,
        parse_value=int,
    ),
}

__all__ = ["JSON", "SCALAR_MAP", "BigInt"]
