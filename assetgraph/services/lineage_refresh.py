"""refreshAssetLineage: rebuild the caller's lineage edges from the Pixverse payloads stored on their assets.

Manual only (nothing schedules it). Assets are read in batches (one statement per batch); the parents every child
of a batch names are found or created together, in a transaction of their own; then each child's edges are
replaced in its own transaction, so that a failure leaves that child's old edges exactly as they were and the
others go on. Another user's asset reads as missing and is never touched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assetgraph.domain.errors import BadUserInput, ClientError, ErrorCode
from assetgraph.domain.lineage_refresh import (
    MAX_REFRESH_IDS,
    REFRESH_BATCH_SIZE,
    LineageRefreshResult,
    LineageRefreshStatus,
    LineageScope,
)
from assetgraph.domain.pixverse_extract import EmbeddedParent, embedded_parents
from assetgraph.domain.pixverse_items import PIXVERSE_PROVIDER_ID
from assetgraph.persistence.repositories.lineage_writes import LineageSource, NewEdge, ParentRequest
from assetgraph.persistence.unit_of_work import UnitOfWork
from assetgraph.services.resources import Resources

logger = logging.getLogger(__name__)
_S = LineageRefreshStatus
FAILED_MESSAGE = "The rebuild failed and was undone: this asset's edges are as they were. Try again."
PARENTS_FAILED_MESSAGE = "Its parents could not be found or created: its edges are as they were. Try again."


class TooManyIds(ClientError):
    code = ErrorCode.TOO_MANY_ITEMS


@dataclass(frozen=True)
class LineageSelection:
    """Which assets to rebuild: exactly one of the three is given."""

    asset_ids: Sequence[int | None] | None = None
    """Database ids in the order given; None stands for an id that could not be read."""
    provider_id: str | None = None
    scope: LineageScope | None = None


def _check(resources: Resources, selection: LineageSelection) -> None:
    given = [name for name, value in (("assetIds", selection.asset_ids), ("providerId", selection.provider_id),
                                      ("scope", selection.scope)) if value is not None]  # fmt: skip
    if not given:
        raise BadUserInput("Give exactly one of assetIds, providerId or scope.", field="assetIds")
    if len(given) > 1:
        raise BadUserInput(f"Give exactly one of assetIds, providerId or scope, not {' and '.join(given)}.",
                           field=given[1])  # fmt: skip
    if selection.asset_ids is not None and len(selection.asset_ids) > MAX_REFRESH_IDS:
        raise TooManyIds(f"'assetIds' takes at most {MAX_REFRESH_IDS} ids (got {len(selection.asset_ids)})",
                         field="assetIds")  # fmt: skip
    if selection.provider_id is not None:
        resources.providers.require(selection.provider_id, field="providerId")


async def refresh_lineage(
    resources: Resources, user_id: int, selection: LineageSelection, clear_existing: bool = True
) -> list[LineageRefreshResult]:
    """A result per selected asset (ids: once each, in the order given; a scope: by id). With `clear_existing`,
    each asset's edges become exactly those its payload names; without, the payload's edges are added to them."""
    _check(resources, selection)
    uow = resources.unit_of_work()
    if selection.asset_ids is not None:
        return await _refresh_ids(uow, user_id, selection.asset_ids, clear_existing)
    results: list[LineageRefreshResult] = []
    after_id = 0
    async with uow:
        up_to_id = await uow.lineage_writes.last_id(user_id)
    while True:
        async with uow:
            sources = await uow.lineage_writes.sources_page(
                user_id, selection.provider_id, after_id, up_to_id, REFRESH_BATCH_SIZE
            )
        if not sources:
            return results
        rebuilt = await _rebuild_batch(uow, user_id, sources, clear_existing)
        results.extend(rebuilt[source.id] for source in sources)
        after_id = sources[-1].id


async def _refresh_ids(
    uow: UnitOfWork, user_id: int, asset_ids: Sequence[int | None], clear_existing: bool
) -> list[LineageRefreshResult]:
    first_positions: dict[int | None, int] = {}
    results: dict[int, LineageRefreshResult] = {}
    for position, asset_id in enumerate(asset_ids):
        if asset_id is None:
            results[position] = LineageRefreshResult(position, None, None, _S.NOT_FOUND)
        else:
            first_positions.setdefault(asset_id, position)
    unique = [asset_id for asset_id in first_positions if asset_id is not None]
    for start in range(0, len(unique), REFRESH_BATCH_SIZE):
        batch = unique[start : start + REFRESH_BATCH_SIZE]
        async with uow:
            sources = await uow.lineage_writes.sources_by_ids(user_id, batch)
        rebuilt = await _rebuild_batch(uow, user_id, sources, clear_existing)
        for asset_id in batch:
            position = first_positions[asset_id]
            result = rebuilt.get(asset_id) or LineageRefreshResult(None, asset_id, None, _S.NOT_FOUND)
            results[position] = LineageRefreshResult(position, asset_id, result.provider_id, result.status,
                                                     result.removed_edges, result.new_edges, result.error)  # fmt: skip
    return [results[position] for position in sorted(results)]


def _readable(source: LineageSource) -> bool:
    return source.provider_id == PIXVERSE_PROVIDER_ID and isinstance(source.payload, dict) and bool(source.payload)


def _request(parent: EmbeddedParent) -> ParentRequest:
    return ParentRequest(parent.media_type, parent.provider_asset_id, parent.remote_url)


async def _rebuild_batch(
    uow: UnitOfWork, user_id: int, sources: Sequence[LineageSource], clear_existing: bool
) -> dict[int, LineageRefreshResult]:
    results = {
        s.id: LineageRefreshResult(None, s.id, s.provider_id, _S.NO_METADATA) for s in sources if not _readable(s)
    }
    extracted = {s.id: (s, embedded_parents(s.payload)) for s in sources if _readable(s)}
    try:
        parent_ids = await _parents(uow, user_id, extracted.values())
    except Exception:
        logger.exception("lineage_parents_failed", extra={"user_id": user_id})
        for s, _ in extracted.values():
            results[s.id] = LineageRefreshResult(None, s.id, s.provider_id, _S.FAILED, error=PARENTS_FAILED_MESSAGE)
        return results
    async with uow:
        for source, parents in extracted.values():
            edges = [
                NewEdge(
                    source.id,
                    parent_ids[_request(p)],
                    p.relation_type.value,
                    p.operation_type.value,
                    p.sequence_order,
                    p.parent_role,
                    p.parent_end_time,
                    p.metadata,
                )
                for p in parents
                if parent_ids.get(_request(p), source.id) != source.id  # never an edge from an asset to itself
            ]
            results[source.id] = await _replace_edges(uow, source, edges, clear_existing)
    return results


async def _parents(
    uow: UnitOfWork, user_id: int, extracted: Iterable[tuple[LineageSource, list[EmbeddedParent]]]
) -> dict[ParentRequest, int]:
    """Every parent the batch names, found or created in one transaction (per Pixverse account of the children,
    whose account a created parent gets)."""
    by_account: dict[int | None, list[ParentRequest]] = {}
    for source, parents in extracted:
        by_account.setdefault(source.provider_account_id, []).extend(_request(p) for p in parents)
    found: dict[ParentRequest, int] = {}
    async with uow:
        for account_id, requests in by_account.items():
            wanted = [r for r in dict.fromkeys(requests) if r not in found]
            found.update(
                await uow.lineage_writes.find_or_create_parents(user_id, PIXVERSE_PROVIDER_ID, account_id, wanted)
            )
        await uow.commit()
    return found


async def _replace_edges(
    uow: UnitOfWork, source: LineageSource, edges: list[NewEdge], clear_existing: bool
) -> LineageRefreshResult:
    """The child's edges replaced (or added to) in a transaction of its own, committed or rolled back here."""
    try:
        removed = await uow.lineage_writes.delete_edges(source.id) if clear_existing else 0
        added = await uow.lineage_writes.insert_edges(edges)
        await uow.commit()
    except Exception:
        logger.exception("lineage_rebuild_failed", extra={"asset_id": source.id})
        try:
            await uow.rollback()
        except Exception:
            logger.warning("lineage_rollback_failed", exc_info=True)
        return LineageRefreshResult(None, source.id, source.provider_id, _S.FAILED, error=FAILED_MESSAGE)
    status = _S.REBUILT if removed or added else _S.UNCHANGED
    return LineageRefreshResult(None, source.id, source.provider_id, status, removed, added)
