"""An Enum's members by value, for values read by the thousand (a page's or a walk's rows).

`members[value]` is a dict subscript, done in C; `EnumClass(value)` runs a few Python frames per call, which across
the columns of a page or the edges of a walk cost more than the rest of reading them. A value outside the enum goes
to the call, which finds it (a member's alias, `_missing_`) or raises ValueError as it always did.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar

E = TypeVar("E", bound=Enum)


class MembersByValue(dict[Any, E]):
    def __init__(self, enum_class: type[E]) -> None:
        super().__init__((member.value, member) for member in enum_class)
        self._enum_class = enum_class

    def __missing__(self, value: Any) -> E:
        return self._enum_class(value)
