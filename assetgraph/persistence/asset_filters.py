"""SQL conditions for an AssetFilter, shared by listing, counting and overviews."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, UnaryExpression, and_, false, or_, true

from assetgraph.domain.asset_query import AssetFilter, AssetOrder, Keyset
from assetgraph.persistence.models import Asset


def owned_by(user_id: int) -> ColumnElement[bool]:
    return Asset.user_id == user_id


def filter_conditions(user_id: int, asset_filter: AssetFilter) -> list[ColumnElement[bool]]:
    """Every condition is sargable on the assets table; the owner condition always comes first."""
    f = asset_filter
    conditions: list[ColumnElement[bool]] = [owned_by(user_id)]
    if f.media_types:
        conditions.append(Asset.media_type.in_([m.value for m in f.media_types]))
    if f.provider_id is not None:
        conditions.append(Asset.provider_id == f.provider_id)
    if f.tags:
        conditions.append(Asset.tags.contains(list(f.tags)))
    if f.content_domains:
        conditions.append(Asset.content_domain.in_([d.value for d in f.content_domains]))
    if f.content_ratings:
        conditions.append(Asset.content_rating.in_([r.value for r in f.content_ratings]))
    if f.upload_methods:
        conditions.append(Asset.upload_method.in_([m.value for m in f.upload_methods]))
    if not f.include_age_restricted:
        conditions.append(Asset.age_restricted.is_(false()))
    if not f.include_unsearchable:
        conditions.append(Asset.searchable.is_(true()))
    if f.created_after is not None:
        conditions.append(Asset.created_at > f.created_after)
    if f.created_before is not None:
        conditions.append(Asset.created_at < f.created_before)
    return conditions


def after_keyset(order: AssetOrder, keyset: Keyset) -> ColumnElement[bool]:
    """Rows strictly after `keyset` in `order`; ties on created_at are broken by id."""
    if order.descending:
        return or_(
            Asset.created_at < keyset.created_at,
            and_(Asset.created_at == keyset.created_at, Asset.id < keyset.id),
        )
    return or_(
        Asset.created_at > keyset.created_at,
        and_(Asset.created_at == keyset.created_at, Asset.id > keyset.id),
    )


def order_by(order: AssetOrder) -> tuple[UnaryExpression[Any], ...]:
    if order.descending:
        return (Asset.created_at.desc(), Asset.id.desc())
    return (Asset.created_at.asc(), Asset.id.asc())
