"""UserError: how a mutation reports an expected failure, in its payload's `errors` list."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry

from assetgraph.domain.errors import CODE_MEANINGS, ClientError, ErrorCode

UserErrorCode = ErrorCode
strawberry.enum(
    UserErrorCode,
    name="UserErrorCode",
    description="What went wrong, for programs; the message says it for people.",
)
for _value in UserErrorCode.__strawberry_definition__.values:  # type: ignore[attr-defined]
    # A code without a meaning fails here, at import: every code the schema shows is documented.
    _value.description = CODE_MEANINGS[ErrorCode(_value.value)]


@strawberry.type(
    description=(
        "An expected failure of a mutation (bad input, not found, refused): nothing was changed by the part that "
        "failed. Every mutation payload has `errors`; it is empty on success."
    )
)
class UserError:
    code: UserErrorCode
    message: str
    field: str | None = strawberry.field(
        description="The input field at fault, by its GraphQL name (`providerId`, `sha256s[3]`), if one is."
    )

    @classmethod
    def from_client_error(cls, error: ClientError) -> UserError:
        return cls(code=error.code, message=error.message, field=error.field)


def user_errors(errors: Iterable[ClientError]) -> list[UserError]:
    return [UserError.from_client_error(error) for error in errors]
