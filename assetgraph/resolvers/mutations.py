"""The mutation convention: expected failures are returned in the payload, never raised.

A mutation resolver runs its service call through `outcome_of`: the value on success, or the ClientErrors the
service raised (not found, bad input, refused), which the schema turns into the payload's `errors: [UserError!]!`.
Anything else is an internal failure and is raised, to be masked like any other.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Generic, TypeVar

from assetgraph.domain.errors import ClientError, ClientErrors

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T | None = None
    errors: tuple[ClientError, ...] = ()


async def outcome_of(call: Awaitable[T]) -> Outcome[T]:
    """The call's value, or the client errors it raised."""
    try:
        return Outcome(value=await call)
    except ClientErrors as exc:
        return Outcome(errors=exc.errors)
    except ClientError as exc:
        return Outcome(errors=(exc,))
