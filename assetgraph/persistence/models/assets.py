"""The asset: one media file of one user, local and on any number of providers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    BigInteger,
    Boolean,
    Computed,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from assetgraph.domain.enums import ContentDomain, ContentRating, MediaType, UploadMethod
from assetgraph.persistence.models.base import (
    EMBEDDING_DIMENSIONS,
    Base,
    created_at_column,
    id_column,
    one_of,
)
from assetgraph.persistence.phash_sql import INFORMATIVE_PHASH_SQL


class Asset(Base):
    __tablename__ = "assets"
    __table_args__ = (
        one_of("media_type", MediaType),
        one_of("content_domain", ContentDomain),
        one_of("content_rating", ContentRating),
        one_of("upload_method", UploadMethod),
        # A lookup on either unique key can never find two rows.
        Index(
            "uq_assets_user_sha256",
            "user_id",
            "sha256",
            unique=True,
            postgresql_where=text("sha256 IS NOT NULL"),
        ),
        Index(
            "uq_assets_user_provider_asset",
            "user_id",
            "provider_id",
            "provider_asset_id",
            unique=True,
            postgresql_where=text("provider_asset_id IS NOT NULL"),
        ),
        # Keyset pagination of a user's gallery, newest first or oldest first.
        Index("ix_assets_user_created", "user_id", "created_at", "id"),
        Index("ix_assets_tags", "tags", postgresql_using="gin"),
        # Provider and media-type tabs: keyset pages in order, and status counts answered from the index alone.
        Index(
            "ix_assets_user_provider_created",
            "user_id",
            "provider_id",
            "created_at",
            "id",
            postgresql_include=["provider_status", "age_restricted", "searchable"],
        ),
        Index(
            "ix_assets_user_media_type_created",
            "user_id",
            "media_type",
            "created_at",
            "id",
            postgresql_include=["provider_status", "age_restricted", "searchable"],
        ),
        # Gallery status filters and overviews: equality on everything before created_at keeps the index order
        # usable for keyset pages, and the booleans make counts over the default (visible) set index-only.
        Index(
            "ix_assets_user_status",
            "user_id",
            "provider_status",
            "age_restricted",
            "searchable",
            "created_at",
            "id",
        ),
        Index(
            "ix_assets_user_failed_upload",
            "user_id",
            "created_at",
            "id",
            postgresql_where=text("has_failed_upload"),
        ),
        Index(
            "ix_assets_user_flagged",
            "user_id",
            "created_at",
            "id",
            postgresql_where=text("flagged_anywhere"),
        ),
        # Near-duplicates: a user's informative perceptual hashes, scanned index-only for the Hamming distance.
        Index(
            "ix_assets_user_phash",
            "user_id",
            postgresql_include=["id", "phash64"],
            postgresql_where=text(INFORMATIVE_PHASH_SQL),
        ),
    )

    id: Mapped[int] = id_column()
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    media_type: Mapped[str] = mapped_column(Text, nullable=False)
    provider_id: Mapped[str] = mapped_column(Text, nullable=False)
    provider_asset_id: Mapped[str | None] = mapped_column(Text)
    provider_account_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("provider_accounts.id", ondelete="SET NULL")
    )
    remote_url: Mapped[str | None] = mapped_column(Text)
    thumbnail_url: Mapped[str | None] = mapped_column(Text)
    storage_key: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(Text)
    phash64: Mapped[int | None] = mapped_column(BigInteger)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    mime_type: Mapped[str | None] = mapped_column(Text)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    duration_sec: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False, server_default="{}")
    style_tags: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False, server_default="{}")
    embedding: Mapped[Any | None] = mapped_column(Vector(EMBEDDING_DIMENSIONS))
    content_domain: Mapped[str] = mapped_column(Text, nullable=False, server_default=ContentDomain.GENERAL.value)
    content_category: Mapped[str | None] = mapped_column(Text)
    content_taxonomy: Mapped[Any | None] = mapped_column(JSONB)
    content_rating: Mapped[str] = mapped_column(Text, nullable=False, server_default=ContentRating.GENERAL.value)
    age_restricted: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="false")
    searchable: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default="true")
    original_source_url: Mapped[str | None] = mapped_column(Text)
    upload_method: Mapped[str] = mapped_column(Text, nullable=False, server_default=UploadMethod.API.value)
    # Any JSON at all may sit here (providers' raw payloads); readers must tolerate every shape.
    media_metadata: Mapped[Any | None] = mapped_column(JSONB, nullable=False, server_default="{}")
    provider_uploads: Mapped[Any | None] = mapped_column(JSONB, nullable=False, server_default="{}")
    sync_status: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()
    )
    last_accessed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Derived by the SQL mirror of domain/provider_status.py (persistence/provider_status_sql.py) so that
    # status filters and counts are plain indexed column reads. PostgreSQL keeps them current on every write.
    provider_status: Mapped[str] = mapped_column(
        Text,
        Computed(
            "assetgraph_provider_status(media_metadata, provider_uploads, provider_id, provider_asset_id, "
            "storage_key, provider_id)",
            persisted=True,
        ),
    )
    has_failed_upload: Mapped[bool] = mapped_column(
        Boolean, Computed("assetgraph_has_failed_upload(media_metadata)", persisted=True)
    )
    flagged_anywhere: Mapped[bool] = mapped_column(
        Boolean, Computed("assetgraph_flagged_anywhere(media_metadata)", persisted=True)
    )
