"""The perceptual-hash rules in SQL (persistence/phash_sql.py) agree with domain/hashes.py, and the near-duplicate
query can be answered from the partial index the migration created."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select, text

from assetgraph.domain.hashes import hamming_distance, is_degenerate_phash, to_stored_phash
from assetgraph.persistence.database import Database
from assetgraph.persistence.models import Asset
from assetgraph.persistence.phash_sql import informative_phash, phash_distance
from assetgraph.persistence.unit_of_work import UnitOfWork
from tests.support import insert_assets, new_user


def _with_bits(count: int, shift: int = 0) -> int:
    """An unsigned hash with `count` bits set, rotated by `shift` (so that some of them hold the sign bit)."""
    bits = (1 << count) - 1
    return ((bits << shift) | (bits >> (64 - shift))) & (2**64 - 1) if shift else bits


# Both sides of each boundary, each with and without the sign bit set.
HASHES = [_with_bits(count, shift) for count in (0, 1, 7, 8, 9, 32, 55, 56, 57, 63, 64) for shift in (0, 60)]


async def test_degenerate_hashes_and_distances_agree_with_the_domain(db: Database) -> None:
    # given assets holding hashes on both sides of the degenerate boundaries, in their stored (signed) form
    issued = await new_user(db)
    stored = [to_stored_phash(h) for h in HASHES]
    ids = await insert_assets(db, issued.user_id, [{"phash64": value} for value in stored])
    reference = to_stored_phash(0xC07C1DE84A476D3E)
    # when SQL says which are informative and how far each is from a reference hash
    query = select(Asset.id, informative_phash(Asset.phash64), phash_distance(Asset.phash64, text(str(reference))))
    async with db.engine.connect() as conn:
        rows = {row[0]: (row[1], row[2]) for row in await conn.execute(query.where(Asset.id.in_(ids)))}
    # then it says what the domain says
    assert [rows[i] for i in ids] == [
        (not is_degenerate_phash(value), hamming_distance(value, reference)) for value in stored
    ]


async def test_the_near_duplicate_query_can_use_the_partial_index(db: Database) -> None:
    # given the statement the repository sends for near-duplicates
    issued = await new_user(db)
    (asset_id,) = await insert_assets(db, issued.user_id, [{"phash64": to_stored_phash(_with_bits(32, 7))}])
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        sent.append((statement, parameters))

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        async with UnitOfWork(db) as uow:
            await uow.asset_hashes.similar_to(issued.user_id, [asset_id], 10, 20)
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)
    (statement, parameters) = next((s, p) for s, p in sent if "candidate" in s)
    # when PostgreSQL plans it without sequential scans (on a table this small, it would rather scan), and with a
    # generic plan, as it does for a statement prepared and run many times (its parameters' values unknown)
    values = ", ".join(f"ARRAY{p}::bigint[]" if isinstance(p, list) else str(int(p)) for p in parameters)
    async with db.engine.connect() as conn:
        await conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        await conn.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
        await conn.exec_driver_sql(f"PREPARE near_duplicates AS {statement}")
        plan = "\n".join(row[0] for row in await conn.exec_driver_sql(f"EXPLAIN EXECUTE near_duplicates({values})"))
    # then the candidates come from the partial index, proving the query's condition implies its predicate
    assert "using ix_assets_user_phash on assets candidate" in plan, plan
