"""Which errors are the client's, and what a client reads of each error.

`is_client_error` is the one rule. A client error keeps its own message, with any client-supplied text it quotes
cut short, and carries `extensions.code` (`BAD_USER_INPUT` unless it names another) and `extensions.field` where
an input is at fault: the innermost argument, input field or variable, written literally or not (found by
input_position.py, shown by `shown_field`). Anything else is an internal failure: the client reads "Internal
server error." and only the log (error_log.py) says more.
"""

from __future__ import annotations

import re

from graphql import GraphQLError, ValueNode
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

from assetgraph.domain.errors import BadUserInput, ClientError
from assetgraph.schema.input_position import InputPosition, input_position

INTERNAL_MESSAGE = "Internal server error."
MAX_QUOTED_CHARS = 100
"""Quoted client text (a field name, an enum value, a scalar) is cut to this many characters in messages."""
MAX_MESSAGE_CHARS = 500
"""A whole message is cut to this many characters, whatever it quotes."""
ELLIPSIS = "…"

# Raised by Strawberry for a request it cannot run (no query, unknown operation name, operation type not allowed):
# the client's mistake, though not GraphQL errors.
_REQUEST_ERRORS = (ClientError, MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError)
# Quoted passages, paired from the left; a long one is cut in place.
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
# graphql-core quotes back a whole input object (or a list of them) at the end of its coercion messages ("...
# required field 'providerId', found: {...}."). An input object may hold secrets, such as a provider account's
# credentials, so it is never quoted back, to the client or the log.
_QUOTED_OBJECT = re.compile(r": ((?:\[\s*)*)\{.*[\]}](\.?)\Z", re.DOTALL)


class MaskedError(GraphQLError):
    """What a client reads of an internal failure: a fixed message, the location, no extensions."""


def root_cause(error: GraphQLError) -> BaseException | None:
    """The first exception under `error` that is not itself a GraphQL error, if any."""
    cause: BaseException | None = error.original_error
    while isinstance(cause, GraphQLError):
        cause = cause.original_error
    return cause


def is_client_error(error: GraphQLError) -> bool:
    """True when the request is at fault: a parse, validation or coercion error, or a ClientError.

    graphql-core reports what it finds wrong with a request without an exception underneath (or with a scalar's
    GraphQL error): before execution without a path, and during it (an argument's value, such as a null variable
    where the argument is non-null) located at that value. A crash wrapped into a GraphQLError has some other
    exception underneath; an error located at a field with no exception underneath (a resolver returned the wrong
    type) is the server's own bug.
    """
    if isinstance(error, MaskedError):
        return False
    cause = root_cause(error)
    if cause is None:
        return error.path is None or any(isinstance(node, ValueNode) for node in error.nodes or ())
    return isinstance(cause, _REQUEST_ERRORS)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def bounded(message: str) -> str:
    """`message` with every quoted passage longer than MAX_QUOTED_CHARS cut short, and cut to MAX_MESSAGE_CHARS."""

    def cut(match: re.Match[str]) -> str:
        quoted = match.group(0)
        if len(quoted) <= MAX_QUOTED_CHARS + 2:
            return quoted
        return quoted[: MAX_QUOTED_CHARS + 1] + ELLIPSIS + quoted[-1]

    return clip(_QUOTED.sub(cut, message), MAX_MESSAGE_CHARS)


def _object_elided(found: re.Match[str]) -> str:
    in_list = bool(found.group(1))
    return f": {'[' if in_list else ''}{{{ELLIPSIS}}}{']' if in_list else ''}{found.group(2)}"


def without_quoted_objects(message: str) -> str:
    """`message` with a trailing quoted input object shown as `{…}`, a list of them as `[{…}]`."""
    return _QUOTED_OBJECT.sub(_object_elided, message)


def shown_field(position: InputPosition) -> str:
    """`extensions.field` (and UserError.field) of an input: the innermost argument, input field or variable by
    its GraphQL name, then the indices of the list items inside it (`branchFrame`, `relationTypes[0]`)."""
    names = (position.root, *position.keys)
    innermost = max(index for index, key in enumerate(names) if isinstance(key, str))
    return clip(str(names[innermost]), MAX_QUOTED_CHARS) + "".join(f"[{index}]" for index in names[innermost + 1 :])


def for_client(error: GraphQLError) -> GraphQLError:
    """The error as the client reads it: masked when internal; bounded, with code and field, when the client's."""
    if not is_client_error(error):
        return MaskedError(INTERNAL_MESSAGE, error.nodes, error.source, error.positions, error.path)
    extensions = dict(error.extensions or {})
    extensions.setdefault("code", BadUserInput.code.value)
    position = input_position(error)
    if position is not None:
        extensions.setdefault("field", shown_field(position))
    # Our own messages quote nothing secret; graphql-core's may quote a whole input object.
    message = error.message if isinstance(root_cause(error), ClientError) else without_quoted_objects(error.message)
    return GraphQLError(
        bounded(message),
        error.nodes,
        error.source,
        error.positions,
        error.path,
        error.original_error,
        extensions,
    )


def to_graphql_error(error: ClientError) -> GraphQLError:
    """A client error found before execution, in the shape a resolver's would have."""
    return GraphQLError(error.message, extensions=error.extensions, original_error=error)
