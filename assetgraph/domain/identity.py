"""Who is calling: the user every read and write is scoped to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Viewer:
    """A user as the API sees them; every read and write on their behalf is scoped to `user_id`."""

    user_id: int
    email: str
