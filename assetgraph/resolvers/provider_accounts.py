"""Resolvers of provider accounts: decode ids, call the service, hand records (never credentials) back."""

from __future__ import annotations

from collections.abc import Mapping

from assetgraph.domain.provider_accounts import ProviderAccountRecord
from assetgraph.resolvers.context import Context
from assetgraph.resolvers.global_ids import NodeType, database_id_of
from assetgraph.resolvers.mutations import Outcome, outcome_of
from assetgraph.services import provider_accounts as accounts


async def provider_accounts(context: Context) -> list[ProviderAccountRecord]:
    viewer = context.require_viewer()
    return await accounts.provider_accounts_of(context.resources.unit_of_work(), viewer.user_id)


async def provider_account_by_id(context: Context, database_id: int) -> ProviderAccountRecord | None:
    """The caller's account, or None when it is missing or another user's."""
    viewer = context.require_viewer()
    found = await accounts.provider_accounts_by_ids(context.resources.unit_of_work(), viewer.user_id, [database_id])
    return found.get(database_id)


async def add_provider_account(
    context: Context, provider_id: str, label: str, credentials: object
) -> Outcome[ProviderAccountRecord]:
    viewer = context.require_viewer()
    resources = context.resources
    return await outcome_of(
        accounts.add_provider_account(
            resources.unit_of_work(),
            resources.credentials,
            viewer.user_id,
            provider_id,
            label,
            credentials,
            resources.providers.ids(),
        )
    )


async def update_provider_account(
    context: Context, account_id: str, given: Mapping[str, object]
) -> Outcome[ProviderAccountRecord]:
    """`given` holds the fields the client sent, by name (`label`, `credentials`, `status`), nulls included."""
    viewer = context.require_viewer()
    resources = context.resources
    return await outcome_of(
        accounts.update_provider_account(
            resources.unit_of_work(),
            resources.credentials,
            viewer.user_id,
            database_id_of(account_id, NodeType.PROVIDER_ACCOUNT),
            given,
        )
    )


async def remove_provider_account(context: Context, account_id: str) -> Outcome[int]:
    viewer = context.require_viewer()
    return await outcome_of(
        accounts.remove_provider_account(
            context.resources.unit_of_work(), viewer.user_id, database_id_of(account_id, NodeType.PROVIDER_ACCOUNT)
        )
    )
