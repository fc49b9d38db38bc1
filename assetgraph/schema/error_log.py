"""How GraphQL errors are logged: a client's mistake at info, an internal failure at error with its traceback.

A client error is logged as the client reads it (errors.for_client): bounded message, code and field, and no
traceback, since nothing on the server went wrong.

An internal error is logged with the type of each exception in its chain and the traceback's frames (file, line,
function and source line), but never an exception message from the database stack (modules `sqlalchemy.*` and
`asyncpg.*`): those quote SQL statements and parameter values, which are the users' data. Other exceptions'
messages are logged bounded like a client's.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable

from graphql import GraphQLError

from assetgraph.schema.errors import bounded, for_client, is_client_error, root_cause

logger = logging.getLogger("assetgraph.graphql")

_DATABASE_STACK = ("sqlalchemy.", "asyncpg.")
_MAX_CHAINED = 10


def _type_name(exc: BaseException) -> str:
    kind = type(exc)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _from_database_stack(exc: BaseException) -> bool:
    return type(exc).__module__.startswith(_DATABASE_STACK)


def _chain(exc: BaseException) -> list[BaseException]:
    """`exc` and the exceptions that caused it, newest first."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < _MAX_CHAINED and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return chain


def traceback_without_messages(exc: BaseException) -> str:
    """The chain's tracebacks, oldest first, as Python prints them but with each exception named by type only."""
    blocks = [
        "Traceback (most recent call last):\n" + "".join(traceback.format_tb(link.__traceback__)) + _type_name(link)
        for link in reversed(_chain(exc))
    ]
    return "\n\nwhich led to:\n\n".join(blocks)


def _internal_message(error: GraphQLError, cause: BaseException | None) -> str:
    if cause is None:
        return bounded(error.message)
    if any(_from_database_stack(link) for link in _chain(cause)):
        return f"{_type_name(cause)} (message not logged: the database stack quotes SQL and parameters)"
    return bounded(f"{_type_name(cause)}: {cause}")


def log_errors(errors: Iterable[GraphQLError]) -> None:
    for error in errors:
        path = list(error.path) if error.path is not None else None
        if is_client_error(error):
            shown = for_client(error)
            logger.info("graphql_client_error", extra={"error": shown.message, **(shown.extensions or {})})
            continue
        cause = root_cause(error)
        extra: dict[str, object] = {"error": _internal_message(error, cause), "path": path}
        if cause is not None:
            extra["exc_type"] = _type_name(cause)
            extra["exc"] = traceback_without_messages(cause)
        logger.error("graphql_internal_error", extra=extra)
