"""Reading a user's assets: by id, by page, by count. Every query is scoped to its owner."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from itertools import starmap
from typing import Any

from sqlalchemy import BigInteger, Executable, Text, any_, bindparam, cast, func, select, true, type_coerce
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Result
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.sqltypes import NullType

from assetgraph.domain.asset_query import AssetFilter, PageRequest, PageRows, StatusOverview
from assetgraph.domain.asset_record import AssetRecord
from assetgraph.domain.provider_status import ProviderStatus
from assetgraph.persistence.asset_filters import (
    AFTER_CREATED_AT,
    AFTER_ID,
    OWNER,
    StatementsByShape,
    after_keyset,
    filter_conditions,
    order_by,
    owned_by,
)
from assetgraph.persistence.models import Asset

_AS_TEXT = "_text"
_LIMIT = "page_limit"
_TOTAL = "filtered_total"


def _record_column(name: str) -> ColumnElement[Any]:
    if name.endswith(_AS_TEXT):  # a JSON column read as its text, decoded by the record on first use
        column = Asset.__table__.c[name.removesuffix(_AS_TEXT)]
        return cast(column, Text).label(column.name)
    column = Asset.__table__.c[name]
    if isinstance(column.type, ARRAY):
        # asyncpg already decodes a text[] into a list; SQLAlchemy's ARRAY result processor would walk every item
        # of every row again (a tenth of a 100-asset page's Python cost, measured) to hand back the same list.
        return type_coerce(column, NullType()).label(column.name)
    return column


_BADGES_TEXT = "badges_text"
_DERIVED_IN_SQL = (_BADGES_TEXT,)
"""AssetRecord's fields that are no column: a statement adds them after RECORD_COLUMNS when it asks for them."""

RECORD_COLUMNS: tuple[ColumnElement[Any], ...] = tuple(
    _record_column(f.name) for f in fields(AssetRecord) if f.init and f.name not in _DERIVED_IN_SQL
)
"""The columns an AssetRecord is built from, in its field order (a missing column fails here, at import); each
named as in the table."""

_SELECT_RECORDS = select(*RECORD_COLUMNS)
"""Built once: each query below adds its clauses to a copy, instead of coercing ~40 columns per request."""

_DERIVED_BADGES = (
    func.assetgraph_provider_badges(
        Asset.media_metadata, Asset.provider_uploads, Asset.provider_id, Asset.provider_asset_id, Asset.storage_key
    )
    .table_valued("badges")
    .lateral("derived_badges")
)
"""Each asset's badges as PostgreSQL derives them (provider_status_sql.py): joined LATERAL, the table function is
inlined into the page statement and planned with it (in a select list, it would be set up again for every row)."""
_WITH_BADGES = _SELECT_RECORDS.add_columns(cast(_DERIVED_BADGES.c.badges, Text).label(_BADGES_TEXT)).select_from(
    Asset.__table__.join(_DERIVED_BADGES, true())
)
"""The records with AssetRecord.badges_text, placed right after RECORD_COLUMNS."""


def _records(result: Result[Any]) -> list[AssetRecord]:
    """Built positionally (RECORD_COLUMNS is in field order), from all rows fetched at once: iterating a result
    fetches row by row through three layers of SQLAlchemy calls."""
    return list(starmap(AssetRecord, result.all()))


_IDS = "ids"
_BY_IDS = _SELECT_RECORDS.where(owned_by(bindparam(OWNER)), Asset.id == any_(bindparam(_IDS, type_=ARRAY(BigInteger))))
"""One statement for any number of ids (an array parameter): an IN list of N parameters is another statement, to
render and for the server to prepare, for every N (a lineage walk reads a few hundred nodes by id)."""

_STATEMENTS = StatementsByShape()
"""The page, count and overview statements, one per filter shape, shared by every repository (they hold no values)."""


class AssetRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def by_ids(self, user_id: int, ids: Sequence[int]) -> dict[int, AssetRecord]:
        """The caller's assets among `ids`; another user's id is simply absent."""
        if not ids:
            return {}
        rows = await self._connection.execute(_BY_IDS, {OWNER: user_id, _IDS: list(ids)})
        return {record.id: record for record in _records(rows)}

    async def page(
        self, user_id: int, request: PageRequest, *, with_total: bool = False, with_badges: bool = False
    ) -> PageRows:
        """Up to `first` assets after the keyset, and whether more follow.

        With `with_badges`, PostgreSQL derives each asset's badges (AssetRecord.badges_text), so that Python does not
        decode media_metadata and run the rule for every row. With `with_total`, the same statement also counts the
        filtered set (PostgreSQL runs the count once, as an InitPlan, and it rides along on every row): one round
        trip and one connection instead of a second statement on a second one."""
        conditions = filter_conditions(user_id, request.filter)
        after, params = request.after, conditions.params
        if after is not None:
            params[AFTER_CREATED_AT], params[AFTER_ID] = after.created_at, after.id
        params[_LIMIT] = request.first + 1

        def build() -> Executable:
            query = _WITH_BADGES if with_badges else _SELECT_RECORDS
            if with_total:
                total = select(func.count()).select_from(Asset).where(*conditions.clauses()).scalar_subquery()
                query = query.add_columns(total.label(_TOTAL))
            clauses = conditions.clauses()
            if after is not None:
                clauses.append(after_keyset(request.order))
            return query.where(*clauses).order_by(*order_by(request.order)).limit(bindparam(_LIMIT))

        shape = ("page", request.order, after is not None, with_total, with_badges, *conditions.shape)
        rows = (await self._connection.execute(_STATEMENTS.get(shape, build), params)).all()
        total: int | None = None
        if with_total:
            # The count is the last column. A page without rows carries none: then the set is empty when the page
            # starts at its beginning, and otherwise (a keyset past the last asset) the caller counts on its own.
            total = rows[0][-1] if rows else (0 if after is None else None)
            records = [AssetRecord(*row[:-1]) for row in rows[: request.first]]
        else:
            records = list(starmap(AssetRecord, rows[: request.first]))
        return PageRows(records, len(rows) > request.first, total)

    async def status_overview(self, user_id: int, asset_filter: AssetFilter) -> StatusOverview:
        """Assets of the filtered set per primary provider status, in one statement."""
        conditions = filter_conditions(user_id, asset_filter)

        def build() -> Executable:
            return (
                select(Asset.provider_status, func.count()).where(*conditions.clauses()).group_by(Asset.provider_status)
            )

        query = _STATEMENTS.get(("overview", *conditions.shape), build)
        rows = await self._connection.execute(query, conditions.params)
        return StatusOverview.from_counts({ProviderStatus(status): count for status, count in rows})

    async def count(self, user_id: int, asset_filter: AssetFilter) -> int:
        conditions = filter_conditions(user_id, asset_filter)

        def build() -> Executable:
            return select(func.count()).select_from(Asset).where(*conditions.clauses())

        query = _STATEMENTS.get(("count", *conditions.shape), build)
        return int(await self._connection.scalar(query, conditions.params) or 0)
