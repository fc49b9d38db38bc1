"""Errors a client is meant to read. Anything else raised while resolving is masked."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError


class PublicError(GraphQLError):
    """A GraphQL error whose message is safe to show, with a machine-readable code."""

    code = "BAD_REQUEST"

    def __init__(self, message: str, *, field: str | None = None, **extensions: Any) -> None:
        ext: dict[str, Any] = {"code": self.code, **extensions}
        if field is not None:
            ext["field"] = field
        super().__init__(message, extensions=ext)


class Unauthenticated(PublicError):
    code = "UNAUTHENTICATED"

    def __init__(self) -> None:
        super().__init__(
            "Authentication required: send 'Authorization: Bearer <token>' "
            "(a missing, unknown or revoked token is refused)."
        )


class BadUserInput(PublicError):
    code = "BAD_USER_INPUT"


class LimitExceeded(PublicError):
    code = "LIMIT_EXCEEDED"
