"""Pixverse library sync (SPEC section 7): a dry run that compares a page of the library with the caller's assets,
and an import of the missing items as assets (no lineage).

Both read one page per media kind (`limit` items from `offset`) through the adapter, which retries 429 / 5xx.
Input is checked before the account is read, and the account before Pixverse is called. An expired session marks
the account ERROR (with the provider's message as last_error) and is reported as ACCOUNT_UNUSABLE on accountId.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from assetgraph.domain.enums import MediaType, ProviderAccountStatus
from assetgraph.domain.errors import BadUserInput, ClientError, ClientErrors, ErrorCode, NotFound
from assetgraph.domain.pixverse_items import (
    DRY_RUN_MAX_LIMIT,
    PIXVERSE_PROVIDER_ID,
    SYNC_MAX_LIMIT,
    PixverseItem,
    PixverseItemStatus,
    SyncMode,
    SyncOutcome,
    read_item,
)
from assetgraph.domain.provider_accounts import ProviderAccountRecord
from assetgraph.domain.provider_status import new_moderation_entry
from assetgraph.domain.synced_asset import SyncedAsset
from assetgraph.persistence.credential_cipher import CredentialsUnreadableError
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.providers.base import Credentials, MediaKind, ProviderError, ProviderPage, SessionExpiredError
from assetgraph.services.delivery_targets import AccountUnusable
from assetgraph.services.provider_accounts import account_credentials, mark_account_error
from assetgraph.services.resources import Resources


class ProviderFailed(ClientError):
    """The provider refused or failed a call after the adapter's retries."""

    code = ErrorCode.PROVIDER_FAILED


@dataclass(frozen=True)
class PixverseAccount:
    """The caller's Pixverse account, ready to call Pixverse with. Never log or return `credentials`."""

    record: ProviderAccountRecord
    credentials: Credentials = field(repr=False)


def check_page(limit: int, offset: int, max_limit: int) -> None:
    """`limit` in 1..max_limit and `offset` >= 0; every bad one reported at once, naming its field."""
    errors: list[ClientError] = []
    if not 1 <= limit <= max_limit:
        errors.append(BadUserInput(f"'limit' must be between 1 and {max_limit} (got {limit})", field="limit"))
    if offset < 0:
        errors.append(BadUserInput(f"'offset' must be 0 or more (got {offset})", field="offset"))
    if errors:
        raise ClientErrors(errors)


async def pixverse_account(resources: Resources, user_id: int, account_id: int | None) -> PixverseAccount:
    """The caller's Pixverse account with its credentials. NOT_FOUND for a missing id or another user's;
    BAD_USER_INPUT for an account at another provider; ACCOUNT_UNUSABLE when disabled or without credentials."""
    if account_id is None:
        raise NotFound("provider account", field="accountId")
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
    record, credentials = found
    if record.provider_id != PIXVERSE_PROVIDER_ID:
        raise BadUserInput(f"This account is a {record.provider_id} account, not a Pixverse one.", field="accountId")
    if record.status is ProviderAccountStatus.DISABLED or not credentials:
        raise AccountUnusable("This account is disabled or has no credentials.", field="accountId")
    return PixverseAccount(record, credentials)


async def provider_trouble(resources: Resources, account: PixverseAccount, error: ProviderError) -> ClientError:
    """The client error a provider failure means; an expired session first marks the account ERROR."""
    if isinstance(error, SessionExpiredError):
        await mark_account_error(
            resources.unit_of_work(), account.record.id, ProviderAccountStatus.ERROR, error.message
        )
        return AccountUnusable(error.message, field="accountId")
    return ProviderFailed(error.message)


async def read_page(
    resources: Resources, account: PixverseAccount, kind: MediaType, limit: int, offset: int
) -> tuple[ProviderPage, list[PixverseItem]]:
    adapter = resources.providers.require(PIXVERSE_PROVIDER_ID)
    try:
        page = await adapter.list_page(account.credentials, MediaKind(kind.value), offset, limit)
    except ProviderError as error:
        raise await provider_trouble(resources, account, error) from error
    return page, [read_item(kind, raw) for raw in page.items]


def _total(page: ProviderPage, offset: int) -> int:
    """The library's size as Pixverse says it; when it does not, what this page shows of it."""
    return page.total if page.total is not None else offset + len(page.items)


# The dry run.


@dataclass(frozen=True)
class ScannedItem:
    item: PixverseItem
    asset_id: int | None
    """The caller's asset for this item, None when not imported."""

    @property
    def already_imported(self) -> bool:
        return self.asset_id is not None


@dataclass(frozen=True)
class LibraryScan:
    kind: MediaType
    total_remote: int
    items: list[ScannedItem]

    @property
    def existing_count(self) -> int:
        return sum(1 for scanned in self.items if scanned.already_imported)


@dataclass(frozen=True)
class DryRun:
    account_id: int
    limit: int
    offset: int
    videos: LibraryScan
    images: LibraryScan | None


async def dry_run(
    resources: Resources, user_id: int, account_id: int | None, limit: int, offset: int, include_images: bool
) -> DryRun:
    """One page of videos (and of images) against the caller's assets; writes nothing (but an expired session's
    mark on the account). Which items exist locally is one SQL statement for both kinds."""
    check_page(limit, offset, DRY_RUN_MAX_LIMIT)
    account = await pixverse_account(resources, user_id, account_id)
    kinds = (MediaType.VIDEO, MediaType.IMAGE) if include_images else (MediaType.VIDEO,)
    pages = [(kind, *await read_page(resources, account, kind, limit, offset)) for kind in kinds]
    ids = [item.provider_asset_id for _, _, items in pages for item in items if item.provider_asset_id is not None]
    uow = resources.unit_of_work()
    async with uow:
        existing = await uow.synced_assets.existing(user_id, PIXVERSE_PROVIDER_ID, ids)
    scans = [
        LibraryScan(
            kind,
            _total(page, offset),
            [ScannedItem(item, existing.get(item.provider_asset_id or "")) for item in items],
        )
        for kind, page, items in pages
    ]
    return DryRun(account.record.id, limit, offset, scans[0], scans[1] if len(scans) > 1 else None)


# The import.


@dataclass(frozen=True)
class SyncedItem:
    item: PixverseItem
    outcome: SyncOutcome
    asset_id: int | None


@dataclass
class SyncResult:
    """Exact counts over the items listed: created + skipped_existing + processing + failed = len(items)."""

    account_id: int
    created: int = 0
    skipped_existing: int = 0
    flagged: int = 0
    processing: int = 0
    failed: int = 0
    total_remote: int = 0
    items: list[SyncedItem] = field(default_factory=list)
    errors: list[ClientError] = field(default_factory=list)

    def add(self, synced: SyncedItem) -> None:
        self.items.append(synced)
        if synced.outcome is SyncOutcome.CREATED:
            self.created += 1
            self.flagged += synced.item.state.status is PixverseItemStatus.FILTERED
        elif synced.outcome is SyncOutcome.SKIPPED_EXISTING:
            self.skipped_existing += 1
        elif synced.outcome is SyncOutcome.PROCESSING:
            self.processing += 1
        else:
            self.failed += 1


def _synced_asset(user_id: int, account_id: int, item: PixverseItem) -> SyncedAsset:
    assert item.provider_asset_id is not None
    return SyncedAsset(
        user_id=user_id,
        media_type=item.kind,
        provider_id=PIXVERSE_PROVIDER_ID,
        provider_asset_id=item.provider_asset_id,
        provider_account_id=account_id,
        remote_url=item.remote_url,
        thumbnail_url=item.thumbnail_url,
        media_metadata=item.raw,
        created_at=item.created_at,
        moderation=(
            new_moderation_entry(True, item.state.reason, None)
            if item.state.status is PixverseItemStatus.FILTERED
            else None
        ),
    )


async def import_items(
    uow: UnitOfWork, user_id: int, account_id: int, items: Sequence[PixverseItem]
) -> list[SyncedItem]:
    """Insert the importable items the user does not have yet in one statement and flag the filtered ones it
    created, inside the caller's transaction (the caller commits); each item's outcome, in order."""
    unique = {item.provider_asset_id: item for item in items if item.importable}
    ids = [pid for pid in unique if pid is not None]
    # Which exist is read first: a re-sync finds them all and writes nothing, where an insert would have built
    # every row (generated columns included) only to drop it on the conflict.
    existing = await uow.synced_assets.existing(user_id, PIXVERSE_PROVIDER_ID, ids)
    rows = [_synced_asset(user_id, account_id, item) for pid, item in unique.items() if pid not in existing]
    # A filtered item's flag is written with its row: one statement, and one change notification (created).
    created = await uow.synced_assets.insert_missing(rows)
    # Inserted by a concurrent run between the read and the insert: theirs, so skipped here.
    raced = [pid for pid in ids if pid not in existing and pid not in created]
    if raced:
        existing |= await uow.synced_assets.existing(user_id, PIXVERSE_PROVIDER_ID, raced)
    return _outcomes(items, created, existing)


def _outcomes(items: Sequence[PixverseItem], created: dict[str, int], existing: dict[str, int]) -> list[SyncedItem]:
    """Each item's outcome: CREATED only for the first listing of an id this run inserted."""
    claimed: set[str] = set()
    outcomes = []
    for item in items:
        pid = item.provider_asset_id
        if not item.importable or pid is None:
            failed = item.state.status is not PixverseItemStatus.PROCESSING or pid is None
            outcomes.append(SyncedItem(item, SyncOutcome.FAILED if failed else SyncOutcome.PROCESSING, None))
        elif pid in created and pid not in claimed:
            claimed.add(pid)
            outcomes.append(SyncedItem(item, SyncOutcome.CREATED, created[pid]))
        else:
            outcomes.append(SyncedItem(item, SyncOutcome.SKIPPED_EXISTING, created.get(pid, existing.get(pid))))
    return outcomes


async def sync_assets(
    resources: Resources, user_id: int, account_id: int | None, mode: SyncMode, limit: int, offset: int
) -> SyncResult:
    """Import the missing DONE and FILTERED items of one page per kind as assets (FILTERED ones flagged), one
    batched insert per page: idempotent, and concurrent runs create each asset once. A provider failure on one kind
    is reported in `errors` with the counts of what was done; an expired session stops the run."""
    check_page(limit, offset, SYNC_MAX_LIMIT)
    account = await pixverse_account(resources, user_id, account_id)
    result = SyncResult(account_id=account.record.id)
    for kind in mode.kinds:
        try:
            page, items = await read_page(resources, account, kind, limit, offset)
        except ClientError as error:
            result.errors.append(error)
            if error.code is ErrorCode.ACCOUNT_UNUSABLE:
                break
            continue
        result.total_remote += _total(page, offset)
        uow = resources.unit_of_work()
        async with uow:
            outcomes = await import_items(uow, user_id, account.record.id, items)
            await uow.commit()
        for synced in outcomes:
            result.add(synced)
    return result
