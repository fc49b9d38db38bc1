"""Which provider and account an upload, transfer or retry goes to: checked before any byte is read or sent."""

from __future__ import annotations

from assetgraph.domain.enums import LOCAL_PROVIDER_ID, ProviderAccountStatus
from assetgraph.domain.errors import BadUserInput, ClientError, ErrorCode, NotFound
from assetgraph.domain.provider_accounts import ProviderAccountRecord
from assetgraph.persistence.credential_cipher import CredentialsUnreadableError
from assetgraph.providers.base import ProviderError, SessionExpiredError
from assetgraph.services.provider_accounts import account_credentials, mark_account_error, provider_accounts_of
from assetgraph.services.provider_delivery import DeliveryTarget
from assetgraph.services.resources import Resources

_USABLE = (ProviderAccountStatus.ACTIVE, ProviderAccountStatus.RATE_LIMITED, ProviderAccountStatus.EXHAUSTED)


class AccountUnusable(ClientError):
    code = ErrorCode.ACCOUNT_UNUSABLE


async def _default_account(resources: Resources, user_id: int, provider_id: str) -> ProviderAccountRecord:
    accounts = await provider_accounts_of(resources.unit_of_work(), user_id)
    usable = [a for a in accounts if a.provider_id == provider_id and a.status in _USABLE and a.has_credentials]
    if not usable:
        raise AccountUnusable(
            f"You have no active {provider_id} account with credentials: add one with addProviderAccount, or pass "
            "accountId.",
            field="accountId",
        )
    return usable[-1]  # the oldest: newest first, as listed


async def delivery_target(
    resources: Resources, user_id: int, provider_id: str, account_id: int | None, *, method: str | None, context: object
) -> DeliveryTarget | None:
    """The adapter and the caller's account credentials for `provider_id`; None for 'local' (library only)."""
    if provider_id == LOCAL_PROVIDER_ID:
        return None
    adapter = resources.providers.require(provider_id)
    if account_id is None:
        account_id = (await _default_account(resources, user_id, provider_id)).id
    try:
        found = await account_credentials(resources.unit_of_work(), resources.credentials, user_id, account_id)
    except CredentialsUnreadableError as exc:
        raise AccountUnusable(
            "This account's credentials can no longer be read by the server; set them again with "
            "updateProviderAccount.",
            field="accountId",
        ) from exc
    if found is None:
        raise NotFound("provider account", field="accountId")
    account, credentials = found
    if account.provider_id != provider_id:
        raise BadUserInput(
            f"This account is a {account.provider_id} account, not a {provider_id} one.", field="accountId"
        )
    if account.status is ProviderAccountStatus.DISABLED or not credentials:
        raise AccountUnusable("This account is disabled or has no credentials.", field="accountId")
    return DeliveryTarget(
        adapter=adapter,
        credentials=credentials,
        method=method,
        context=context if isinstance(context, dict) else None,
        account_id=account.id,
    )


async def note_account_trouble(resources: Resources, target: DeliveryTarget, error: ProviderError | None) -> None:
    """An expired session marks the account as in error, so that its owner sees why and updates it."""
    if isinstance(error, SessionExpiredError) and target.account_id is not None:
        await mark_account_error(
            resources.unit_of_work(), target.account_id, ProviderAccountStatus.ERROR, error.message
        )
