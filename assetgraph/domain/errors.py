"""Errors the caller caused and may read: each has a machine-readable code and names the input at fault.

The same errors reach a client two ways: raised while resolving a query, as a GraphQL error whose `extensions`
carry `code` and `field`; raised inside a mutation, as a `UserError {code, message, field}` of its payload
(resolvers/mutations.py). Services raise them; they never decide how they are shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType
from typing import Any, ClassVar


class ErrorCode(StrEnum):
    """Every code a client may read; each one's meaning is in CODE_MEANINGS (the schema documents it from there)."""

    BAD_REQUEST = "BAD_REQUEST"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    NOT_FOUND = "NOT_FOUND"
    UNKNOWN_PROVIDER = "UNKNOWN_PROVIDER"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    EMPTY_FILE = "EMPTY_FILE"
    URL_REFUSED = "URL_REFUSED"
    DOWNLOAD_FAILED = "DOWNLOAD_FAILED"
    TOO_MANY_ITEMS = "TOO_MANY_ITEMS"
    ACCOUNT_UNUSABLE = "ACCOUNT_UNUSABLE"
    PROVIDER_FAILED = "PROVIDER_FAILED"
    SYNC_ALREADY_RUNNING = "SYNC_ALREADY_RUNNING"
    SYNC_JOB_FINISHED = "SYNC_JOB_FINISHED"
    JOBS_UNAVAILABLE = "JOBS_UNAVAILABLE"
    LINEAGE_REFRESH_RUNNING = "LINEAGE_REFRESH_RUNNING"


CODE_MEANINGS: Mapping[ErrorCode, str] = MappingProxyType(
    {
        ErrorCode.BAD_REQUEST: "The HTTP request is not a GraphQL request this server takes.",
        ErrorCode.BAD_USER_INPUT: (
            "An argument, variable or input field has a value the server cannot use; `field` names it."
        ),
        ErrorCode.UNAUTHENTICATED: "No valid bearer token.",
        ErrorCode.NOT_FOUND: "No such object among the caller's own (another user's object reads the same).",
        ErrorCode.UNKNOWN_PROVIDER: "The provider id names no provider this server knows.",
        ErrorCode.UNSUPPORTED_MEDIA_TYPE: (
            "The bytes are not a media type the library keeps (whatever the declared type said)."
        ),
        ErrorCode.FILE_TOO_LARGE: "The file is over the configured size cap.",
        ErrorCode.EMPTY_FILE: "The file has no bytes.",
        ErrorCode.URL_REFUSED: (
            "The URL points where this server does not fetch from (a private, loopback or link-local address)."
        ),
        ErrorCode.DOWNLOAD_FAILED: "The URL could not be fetched.",
        ErrorCode.TOO_MANY_ITEMS: (
            "A list input holds more items than the operation takes, an object would hold more parts (branches, "
            "variants, clips, segments) than it may, or the lists without a size argument would answer more items "
            "than one operation may (`field` names the list)."
        ),
        ErrorCode.ACCOUNT_UNUSABLE: (
            "The provider account cannot be used: none is active for that provider, it is disabled, it has no "
            "credentials, or its credentials can no longer be read; `field` is accountId."
        ),
        ErrorCode.PROVIDER_FAILED: (
            "The provider refused or failed the call, after the retries that could help; the message says what it "
            "said (never a credential)."
        ),
        ErrorCode.SYNC_ALREADY_RUNNING: (
            "The account already has a library sync queued or running (one at a time per account); the payload "
            "carries that job."
        ),
        ErrorCode.SYNC_JOB_FINISHED: "The sync job has already ended; the payload carries it as it ended.",
        ErrorCode.JOBS_UNAVAILABLE: "This server cannot queue background jobs right now; nothing was started.",
        ErrorCode.LINEAGE_REFRESH_RUNNING: (
            "A lineage refresh job of the caller's is already queued or running (one at a time); "
            "the payload carries it."
        ),
    }
)
"""What each code means, for people reading the schema; every code has one."""


class ClientError(Exception):
    """A refusal safe to show the caller as is; anything else that goes wrong is an internal failure.

    `extensions` is the shape GraphQL errors carry (``{"code": ..., "field": ...}``); graphql-core copies it from
    the exception it wraps.
    """

    code: ClassVar[ErrorCode] = ErrorCode.BAD_REQUEST

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def extensions(self) -> dict[str, Any]:
        extensions: dict[str, Any] = {"code": self.code.value}
        if self.field is not None:
            extensions["field"] = self.field
        return extensions


class BadUserInput(ClientError):
    """An argument or variable the server cannot use; `field` names it."""

    code = ErrorCode.BAD_USER_INPUT


class NotFound(ClientError):
    """The caller has no such object; another user's object is reported exactly the same way."""

    code = ErrorCode.NOT_FOUND

    def __init__(self, what: str, *, field: str) -> None:
        super().__init__(f"No {what} with this id.", field=field)


class UnknownProvider(ClientError):
    """The provider id names no provider this server knows."""

    code = ErrorCode.UNKNOWN_PROVIDER

    def __init__(self, provider_id: str, *, field: str = "providerId") -> None:
        shown = provider_id if len(provider_id) <= 100 else provider_id[:99] + "…"
        super().__init__(f"No provider '{shown}' is known to this server.", field=field)


class ClientErrors(Exception):
    """Several client errors found at once (every invalid field of an input, say), reported together."""

    def __init__(self, errors: Sequence[ClientError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = tuple(errors)
