"""refreshAssetLineage: rebuild the caller's lineage edges from the Pixverse payloads stored on their assets.

Manual only (nothing schedules it). Assets are read in batches (one statement per batch); the parents every child
of a batch names are found or created together, in a transaction of their own; then the batch's edges are replaced
in one transaction (one DELETE and one INSERT for the whole batch). When anything in it fails, nothing of it stays,
and each child of the batch is rebuilt again in a transaction of its own, so that a failure leaves that child's old
edges exactly as they were and the others go on. Another user's asset reads as missing and is never touched.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Sequence
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


def check_selection(resources: Resources, selection: LineageSelection) -> None:
    """Exactly one selector, ids within bounds, a known provider: else BadUserInput / TooManyIds / UnknownProvider."""
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
    check_selection(resources, selection)
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
        rebuilt = await rebuild_batch(uow, user_id, sources, clear_existing)
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
        rebuilt = await rebuild_batch(uow, user_id, sources, clear_existing)
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


BatchRecorder = Callable[[UnitOfWork, dict[int, LineageRefreshResult]], Awaitable[None]]
"""Writes what a batch did (a job's progress) inside the transaction that commits the batch's edges."""


async def rebuild_batch(
    uow: UnitOfWork,
    user_id: int,
    sources: Sequence[LineageSource],
    clear_existing: bool,
    record: BatchRecorder | None = None,
) -> dict[int, LineageRefreshResult]:
    """Rebuild the edges of a batch of the user's assets; each asset's result. `record`, when given, is called with
    the results in the transaction that commits the batch's edges (or, when the batch had to be redone asset by
    asset, in one of its own after them)."""
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
        await _record_apart(uow, record, results)
        return results
    replacements = [(source, _edges(source, parents, parent_ids)) for source, parents in extracted.values()]
    async with uow:
        together = await _replace_batch(uow, replacements, clear_existing, record, results)
        if together is not None:
            return results | together
        # One child's failure undid the batch: each child again in a transaction of its own, so that only the
        # failing one keeps its old edges.
        for source, edges in replacements:
            results[source.id] = await _replace_edges(uow, source, edges, clear_existing)
    await _record_apart(uow, record, results)
    return results


async def _record_apart(
    uow: UnitOfWork, record: BatchRecorder | None, results: dict[int, LineageRefreshResult]
) -> None:
    if record is not None:
        async with uow:
            await record(uow, results)
            await uow.commit()


def _edges(
    source: LineageSource, parents: Sequence[EmbeddedParent], parent_ids: dict[ParentRequest, int]
) -> list[NewEdge]:
    return [
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


def _result(source: LineageSource, removed: int, added: int) -> LineageRefreshResult:
    status = _S.REBUILT if removed or added else _S.UNCHANGED
    return LineageRefreshResult(None, source.id, source.provider_id, status, removed, added)


async def _replace_batch(
    uow: UnitOfWork,
    replacements: Sequence[tuple[LineageSource, list[NewEdge]]],
    clear_existing: bool,
    record: BatchRecorder | None,
    others: dict[int, LineageRefreshResult],
) -> dict[int, LineageRefreshResult] | None:
    """Every child's edges replaced in one transaction (two statements for the batch), recorded with `others`
    (the batch's assets without edges to write); None, with nothing changed, when any of it failed."""
    try:
        children = [source.id for source, _ in replacements]
        removed = await uow.lineage_writes.delete_edges(children) if clear_existing else Counter[int]()
        added = await uow.lineage_writes.insert_edges([edge for _, edges in replacements for edge in edges])
        done = {source.id: _result(source, removed[source.id], added[source.id]) for source, _ in replacements}
        if record is not None:
            await record(uow, others | done)
        await uow.commit()
    except Exception:
        logger.warning("lineage_batch_failed", exc_info=True)
        await _roll_back(uow)
        return None
    return done


async def _roll_back(uow: UnitOfWork) -> None:
    try:
        await uow.rollback()
    except Exception:
        logger.warning("lineage_rollback_failed", exc_info=True)


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
        removed = await uow.lineage_writes.delete_edges([source.id]) if clear_existing else Counter[int]()
        added = await uow.lineage_writes.insert_edges(edges)
        await uow.commit()
    except Exception:
        logger.exception("lineage_rebuild_failed", extra={"asset_id": source.id})
        await _roll_back(uow)
        return LineageRefreshResult(None, source.id, source.provider_id, _S.FAILED, error=FAILED_MESSAGE)
    return _result(source, removed[source.id], added[source.id])
