"""Objects of the schema's types built without their dataclass __init__, for the types made by the thousand.

A Strawberry type's generated __init__ takes every field as a keyword and costs four to five times what setting the
same attributes on a bare instance does; a gallery page builds a badge object per provider of each asset, a lineage
walk an edge object per edge. Their builders take `bare(cls)` and set every field themselves, and declare the fields
they set with `builds_every_field`, which fails at import once the type gains a field its builder does not set.
"""

from __future__ import annotations

import dataclasses

bare = object.__new__
"""An instance of a schema type with no field set yet (its builder sets them all)."""


def builds_every_field(cls: type, *names: str) -> None:
    """Raise TypeError unless `names` are exactly the fields of `cls`, in order: what its builder sets."""
    declared = tuple(field.name for field in dataclasses.fields(cls))
    if declared != names:
        raise TypeError(f"{cls.__name__} declares {declared}; its builder sets {names}")
