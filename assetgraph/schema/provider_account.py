"""Provider accounts in the schema: the type, its root query field and its mutations, with their inputs and
payloads. Credentials go in, and never come out: the type tells only whether an account has any."""

from __future__ import annotations

from datetime import datetime

import strawberry

from assetgraph.domain.provider_accounts import (
    MAX_CREDENTIAL_BYTES,
    MAX_CREDENTIAL_ENTRIES,
    MAX_LABEL_CHARS,
    ProviderAccountRecord,
)
from assetgraph.resolvers import provider_accounts as resolvers
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.global_ids import NodeType, to_global_id
from assetgraph.schema.enums import ProviderAccountStatus
from assetgraph.schema.node import Node
from assetgraph.schema.scalars import JSON
from assetgraph.schema.user_errors import UserError, user_errors

Info = strawberry.Info[Context, None]

_LABEL = f"A name for the account, 1 to {MAX_LABEL_CHARS} characters (surrounding spaces are dropped)."
_CREDENTIALS = (
    f"Secret. A JSON object of 1 to {MAX_CREDENTIAL_ENTRIES} names to non-empty strings of at most "
    f"{MAX_CREDENTIAL_BYTES} bytes each, as the provider needs them: "
    '`{"jwt": "..."}`, `{"api_key": "..."}`. Stored encrypted, never returned, never logged.'
)


@strawberry.type(name="ProviderAccount", description="The caller's account at a provider, used to upload and sync.")
class ProviderAccount(Node):
    database_id: int = strawberry.field(description="The row id; prefer `id` in clients.")
    provider_id: str
    label: str
    status: ProviderAccountStatus
    last_error: str | None = strawberry.field(description="What the provider last said went wrong, if anything.")
    created_at: datetime
    has_credentials: bool = strawberry.field(description="Whether credentials are stored (they are never returned).")

    @classmethod
    def from_record(cls, record: ProviderAccountRecord) -> ProviderAccount:
        return cls(
            id=strawberry.ID(to_global_id(NodeType.PROVIDER_ACCOUNT, record.id)),
            database_id=record.id,
            provider_id=record.provider_id,
            label=record.label,
            status=record.status,
            last_error=record.last_error,
            created_at=record.created_at,
            has_credentials=record.has_credentials,
        )


def _account(record: ProviderAccountRecord | None) -> ProviderAccount | None:
    return ProviderAccount.from_record(record) if record is not None else None


@strawberry.input
class AddProviderAccountInput:
    provider_id: str = strawberry.field(description="A provider this server knows (`pixverse`, `sora`, ...).")
    label: str = strawberry.field(description=_LABEL)
    credentials: JSON = strawberry.field(description=_CREDENTIALS)


@strawberry.input(description="Only the fields given change.")
class UpdateProviderAccountInput:
    account_id: strawberry.ID
    label: str | None = strawberry.field(default=strawberry.UNSET, description=_LABEL + " Not null.")
    credentials: JSON | None = strawberry.field(
        default=strawberry.UNSET,
        description=_CREDENTIALS + " Replaces the stored ones (an account in `ERROR` becomes `ACTIVE`); null "
        "removes them.",
    )
    status: ProviderAccountStatus | None = strawberry.field(
        default=strawberry.UNSET, description="Not null; `ACTIVE` clears `lastError`."
    )

    def given(self) -> dict[str, object]:
        """The fields the client sent, nulls included."""
        sent = {"label": self.label, "credentials": self.credentials, "status": self.status}
        return {name: value for name, value in sent.items() if value is not strawberry.UNSET}


@strawberry.input
class RemoveProviderAccountInput:
    account_id: strawberry.ID


@strawberry.type
class AddProviderAccountPayload:
    account: ProviderAccount | None = strawberry.field(description="The new account; null when `errors` is not empty.")
    errors: list[UserError]


@strawberry.type
class UpdateProviderAccountPayload:
    account: ProviderAccount | None = strawberry.field(description="The account as changed; null on errors.")
    errors: list[UserError]


@strawberry.type
class RemoveProviderAccountPayload:
    removed_account_id: strawberry.ID | None = strawberry.field(description="Its id; null on errors.")
    errors: list[UserError]


@strawberry.type
class ProviderAccountQueries:
    @strawberry.field(description="The caller's provider accounts, newest first.")
    async def provider_accounts(self, info: Info) -> list[ProviderAccount]:
        return [ProviderAccount.from_record(record) for record in await resolvers.provider_accounts(info.context)]


@strawberry.type
class ProviderAccountMutations:
    @strawberry.mutation(
        description="Add an account at a provider. Errors: `providerId` (BAD_USER_INPUT, UNKNOWN_PROVIDER), "
        "`label`, `credentials` (BAD_USER_INPUT)."
    )
    async def add_provider_account(self, info: Info, input: AddProviderAccountInput) -> AddProviderAccountPayload:
        outcome = await resolvers.add_provider_account(info.context, input.provider_id, input.label, input.credentials)
        return AddProviderAccountPayload(account=_account(outcome.value), errors=user_errors(outcome.errors))

    @strawberry.mutation(
        description="Change an account's label, credentials or status. Errors: `accountId` (NOT_FOUND), `label`, "
        "`credentials`, `status` (BAD_USER_INPUT); on any, nothing changes."
    )
    async def update_provider_account(
        self, info: Info, input: UpdateProviderAccountInput
    ) -> UpdateProviderAccountPayload:
        outcome = await resolvers.update_provider_account(info.context, input.account_id, input.given())
        return UpdateProviderAccountPayload(account=_account(outcome.value), errors=user_errors(outcome.errors))

    @strawberry.mutation(
        description="Remove an account and its credentials; its assets stay. Errors: `accountId` (NOT_FOUND)."
    )
    async def remove_provider_account(
        self, info: Info, input: RemoveProviderAccountInput
    ) -> RemoveProviderAccountPayload:
        outcome = await resolvers.remove_provider_account(info.context, input.account_id)
        removed = (
            strawberry.ID(to_global_id(NodeType.PROVIDER_ACCOUNT, outcome.value)) if outcome.value is not None else None
        )
        return RemoveProviderAccountPayload(removed_account_id=removed, errors=user_errors(outcome.errors))
