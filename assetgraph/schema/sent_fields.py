"""The fields of a mutation input the client sent: the convention behind "only the fields given change"."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from typing import Any

import strawberry


def sent_fields(given: object, exclude: Collection[str] = ()) -> dict[str, Any]:
    """The fields of a Strawberry input the client sent (nulls included), by Python name, except `exclude`: a
    field left out of the request keeps its UNSET default and is absent here."""
    return {
        field.name: getattr(given, field.name)
        for field in dataclasses.fields(given)  # type: ignore[arg-type]
        if field.name not in exclude and getattr(given, field.name) is not strawberry.UNSET
    }
