"""UserError: how a mutation reports an expected failure, in its payload's `errors` list."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry

from assetgraph.domain.errors import ClientError, ErrorCode

UserErrorCode = ErrorCode
strawberry.enum(
    UserErrorCode,
    name="UserErrorCode",
    description="What went wrong, for programs; the message says it for people.",
)


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
