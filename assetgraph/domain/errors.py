"""Errors the caller caused and may read: each has a machine-readable code and names the input at fault."""

from __future__ import annotations

from typing import Any, ClassVar


class ClientError(Exception):
    """A refusal safe to show the caller as is; anything else that goes wrong is an internal failure.

    `extensions` is the shape GraphQL errors carry (``{"code": ..., "field": ...}``); graphql-core copies it from
    the exception it wraps.
    """

    code: ClassVar[str] = "BAD_REQUEST"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def extensions(self) -> dict[str, Any]:
        extensions: dict[str, Any] = {"code": self.code}
        if self.field is not None:
            extensions["field"] = self.field
        return extensions


class BadUserInput(ClientError):
    """An argument or variable the server cannot use; `field` names it."""

    code = "BAD_USER_INPUT"
