"""Who is calling: the user every read and write is scoped to."""

from __future__ import annotations

from dataclasses import dataclass

from assetgraph.domain.errors import ClientError, ErrorCode


@dataclass(frozen=True)
class Viewer:
    """A user as the API sees them; every read and write on their behalf is scoped to `user_id`."""

    user_id: int
    email: str


class Unauthenticated(ClientError):
    """The operation needs a caller, and the request named none (or a token that is unknown or revoked)."""

    code = ErrorCode.UNAUTHENTICATED

    def __init__(self) -> None:
        super().__init__(
            "Authentication required: send 'Authorization: Bearer <token>' "
            "(a missing, unknown or revoked token is refused)."
        )
