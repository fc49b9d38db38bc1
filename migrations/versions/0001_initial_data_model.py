"""initial data model

Revision ID: 0001
Revises:
Create Date: 2026-11-23 15:05:28.235052
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from pgvector.sqlalchemy import Vector
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # pgvector ships with the embedded server and the compose image; embeddings need it.
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
    )
    op.create_index("uq_users_email_lower", "users", [sa.literal_column("lower(email)")], unique=True)
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    op.create_index(op.f("ix_api_tokens_user_id"), "api_tokens", ["user_id"], unique=False)
    op.create_table(
        "provider_accounts",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("provider_id", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("encrypted_credentials", sa.LargeBinary(), nullable=True),
        sa.Column("status", sa.Text(), server_default="active", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'exhausted', 'error', 'disabled', 'rate_limited')",
            name=op.f("ck_provider_accounts_status_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_provider_accounts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_accounts")),
    )
    op.create_index(op.f("ix_provider_accounts_user_id"), "provider_accounts", ["user_id"], unique=False)
    op.create_table(
        "assets",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.Text(), nullable=False),
        sa.Column("provider_id", sa.Text(), nullable=False),
        sa.Column("provider_asset_id", sa.Text(), nullable=True),
        sa.Column("provider_account_id", sa.BigInteger(), nullable=True),
        sa.Column("remote_url", sa.Text(), nullable=True),
        sa.Column("thumbnail_url", sa.Text(), nullable=True),
        sa.Column("storage_key", sa.Text(), nullable=True),
        sa.Column("sha256", sa.Text(), nullable=True),
        sa.Column("phash64", sa.BigInteger(), nullable=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("mime_type", sa.Text(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("duration_sec", sa.Float(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("tags", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("style_tags", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("embedding", Vector(768), nullable=True),
        sa.Column("content_domain", sa.Text(), server_default="general", nullable=False),
        sa.Column("content_category", sa.Text(), nullable=True),
        sa.Column("content_taxonomy", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("content_rating", sa.Text(), server_default="general", nullable=False),
        sa.Column("age_restricted", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("searchable", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("original_source_url", sa.Text(), nullable=True),
        sa.Column("upload_method", sa.Text(), server_default="api", nullable=False),
        sa.Column("media_metadata", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
        sa.Column("provider_uploads", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
        sa.Column("sync_status", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("last_accessed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "content_domain IN ('general', 'adult', 'medical', 'sports', 'fashion', 'education')",
            name=op.f("ck_assets_content_domain_allowed"),
        ),
        sa.CheckConstraint(
            "content_rating IN ('general', 'mature', 'adult', 'explicit')",
            name=op.f("ck_assets_content_rating_allowed"),
        ),
        sa.CheckConstraint(
            "media_type IN ('video', 'image', 'audio', '3d_model')", name=op.f("ck_assets_media_type_allowed")
        ),
        sa.CheckConstraint(
            "upload_method IN ('extension', 'local_folders', 'api', 'web', 'mobile', 'sync')",
            name=op.f("ck_assets_upload_method_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_account_id"],
            ["provider_accounts.id"],
            name=op.f("fk_assets_provider_account_id_provider_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_assets_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assets")),
    )
    op.create_index("ix_assets_tags", "assets", ["tags"], unique=False, postgresql_using="gin")
    op.create_index("ix_assets_user_created", "assets", ["user_id", "created_at", "id"], unique=False)
    op.create_index(
        "uq_assets_user_provider_asset",
        "assets",
        ["user_id", "provider_id", "provider_asset_id"],
        unique=True,
        postgresql_where=sa.text("provider_asset_id IS NOT NULL"),
    )
    op.create_index(
        "uq_assets_user_sha256",
        "assets",
        ["user_id", "sha256"],
        unique=True,
        postgresql_where=sa.text("sha256 IS NOT NULL"),
    )
    op.create_table(
        "adult_metadata",
        sa.Column("asset_id", sa.BigInteger(), nullable=False),
        sa.Column("intensity_level", sa.Integer(), nullable=True),
        sa.Column("tempo", sa.Text(), nullable=True),
        sa.Column("scene_type", sa.Text(), nullable=True),
        sa.Column("intimacy_level", sa.Integer(), nullable=True),
        sa.Column("body_parts_visible", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("clothing_state", sa.Text(), nullable=True),
        sa.Column("positions", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("mood", sa.Text(), nullable=True),
        sa.Column("lighting", sa.Text(), nullable=True),
        sa.Column("extra", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_adult_metadata_asset_id_assets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("asset_id", name=op.f("pk_adult_metadata")),
    )
    op.create_table(
        "asset_branches",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("source_asset_id", sa.BigInteger(), nullable=False),
        sa.Column("branch_time", sa.Float(), nullable=True),
        sa.Column("branch_frame", sa.Integer(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("tag", sa.Text(), nullable=True),
        sa.Column("branch_type", sa.Text(), server_default="manual", nullable=False),
        sa.Column("game_metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "branch_type IN ('manual', 'automatic', 'conditional', 'random')",
            name=op.f("ck_asset_branches_branch_type_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["source_asset_id"],
            ["assets.id"],
            name=op.f("fk_asset_branches_source_asset_id_assets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_branches")),
    )
    op.create_index(op.f("ix_asset_branches_source_asset_id"), "asset_branches", ["source_asset_id"], unique=False)
    op.create_table(
        "asset_clips",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("source_asset_id", sa.BigInteger(), nullable=False),
        sa.Column("start_time", sa.Float(), nullable=False),
        sa.Column("end_time", sa.Float(), nullable=False),
        sa.Column("tag", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("extracted_asset_id", sa.BigInteger(), nullable=True),
        sa.Column("playback_metadata", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["extracted_asset_id"],
            ["assets.id"],
            name=op.f("fk_asset_clips_extracted_asset_id_assets"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_asset_id"],
            ["assets.id"],
            name=op.f("fk_asset_clips_source_asset_id_assets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_clips")),
    )
    op.create_index(op.f("ix_asset_clips_extracted_asset_id"), "asset_clips", ["extracted_asset_id"], unique=False)
    op.create_index(op.f("ix_asset_clips_source_asset_id"), "asset_clips", ["source_asset_id"], unique=False)
    op.create_table(
        "asset_lineage",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("child_asset_id", sa.BigInteger(), nullable=False),
        sa.Column("parent_asset_id", sa.BigInteger(), nullable=False),
        sa.Column("relation_type", sa.Text(), nullable=False),
        sa.Column("operation_type", sa.Text(), nullable=True),
        sa.Column("parent_role", sa.Text(), nullable=True),
        sa.Column("operation_job_id", sa.Text(), nullable=True),
        sa.Column("parent_start_time", sa.Float(), nullable=True),
        sa.Column("parent_end_time", sa.Float(), nullable=True),
        sa.Column("parent_frame", sa.Integer(), nullable=True),
        sa.Column("transformation", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("sequence_order", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "operation_type IN ('text_to_image', 'image_to_image', 'text_to_video', 'image_to_video', 'video_extend', 'video_transition', 'fusion', 'frame_extraction', 'image_edit')",
            name=op.f("ck_asset_lineage_operation_type_allowed"),
        ),
        sa.CheckConstraint(
            "relation_type IN ('SOURCE_IMAGE', 'SOURCE_VIDEO', 'TRANSITION_INPUT', 'FUSION_CHARACTER', 'FUSION_BACKGROUND', 'FUSION_REFERENCE', 'KEYFRAME', 'PAUSED_FRAME', 'REFERENCE_IMAGE', 'DERIVATION')",
            name=op.f("ck_asset_lineage_relation_type_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["child_asset_id"],
            ["assets.id"],
            name=op.f("fk_asset_lineage_child_asset_id_assets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_asset_id"],
            ["assets.id"],
            name=op.f("fk_asset_lineage_parent_asset_id_assets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_lineage")),
        sa.UniqueConstraint(
            "child_asset_id",
            "parent_asset_id",
            "relation_type",
            "sequence_order",
            name=op.f("uq_asset_lineage_child_asset_id_parent_asset_id_relation_type_sequence_order"),
        ),
    )
    op.create_index(op.f("ix_asset_lineage_parent_asset_id"), "asset_lineage", ["parent_asset_id"], unique=False)
    op.create_table(
        "audio_metadata",
        sa.Column("asset_id", sa.BigInteger(), nullable=False),
        sa.Column("sample_rate", sa.Integer(), nullable=True),
        sa.Column("channels", sa.Integer(), nullable=True),
        sa.Column("bitrate", sa.Integer(), nullable=True),
        sa.Column("codec", sa.Text(), nullable=True),
        sa.Column("bpm", sa.Float(), nullable=True),
        sa.Column("key", sa.Text(), nullable=True),
        sa.Column("has_lyrics", sa.Boolean(), nullable=True),
        sa.Column("is_speech", sa.Boolean(), nullable=True),
        sa.Column("language", sa.Text(), nullable=True),
        sa.Column("voice_id", sa.Text(), nullable=True),
        sa.Column("extra", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_audio_metadata_asset_id_assets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("asset_id", name=op.f("pk_audio_metadata")),
    )
    op.create_table(
        "model3d_metadata",
        sa.Column("asset_id", sa.BigInteger(), nullable=False),
        sa.Column("polygon_count", sa.BigInteger(), nullable=True),
        sa.Column("vertex_count", sa.BigInteger(), nullable=True),
        sa.Column("file_format", sa.Text(), nullable=True),
        sa.Column("has_textures", sa.Boolean(), nullable=True),
        sa.Column("has_animations", sa.Boolean(), nullable=True),
        sa.Column("has_rigging", sa.Boolean(), nullable=True),
        sa.Column("has_materials", sa.Boolean(), nullable=True),
        sa.Column("material_count", sa.Integer(), nullable=True),
        sa.Column("texture_resolution", sa.Text(), nullable=True),
        sa.Column("bounding_box_size", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("extra", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_model3d_metadata_asset_id_assets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("asset_id", name=op.f("pk_model3d_metadata")),
    )
    op.create_table(
        "temporal_segments",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("asset_id", sa.BigInteger(), nullable=False),
        sa.Column("segment_type", sa.Text(), nullable=False),
        sa.Column("timestamp_sec", sa.Float(), nullable=False),
        sa.Column("frame_number", sa.Integer(), nullable=True),
        sa.Column("thumbnail_url", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("objects", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("actions", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("embedding", Vector(768), nullable=True),
        sa.Column("brightness", sa.Float(), nullable=True),
        sa.Column("dominant_colors", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("camera_motion", sa.Text(), nullable=True),
        sa.Column("extra", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_temporal_segments_asset_id_assets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_temporal_segments")),
    )
    op.create_index(op.f("ix_temporal_segments_asset_id"), "temporal_segments", ["asset_id"], unique=False)
    op.create_table(
        "asset_branch_variants",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("branch_id", sa.BigInteger(), nullable=False),
        sa.Column("variant_asset_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("tag", sa.Text(), nullable=True),
        sa.Column("weight", sa.Float(), server_default="1.0", nullable=False),
        sa.Column("conditions", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_id"],
            ["asset_branches.id"],
            name=op.f("fk_asset_branch_variants_branch_id_asset_branches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["variant_asset_id"],
            ["assets.id"],
            name=op.f("fk_asset_branch_variants_variant_asset_id_assets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_branch_variants")),
    )
    op.create_index(op.f("ix_asset_branch_variants_branch_id"), "asset_branch_variants", ["branch_id"], unique=False)
    op.create_index(
        op.f("ix_asset_branch_variants_variant_asset_id"),
        "asset_branch_variants",
        ["variant_asset_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_asset_branch_variants_variant_asset_id"), table_name="asset_branch_variants")
    op.drop_index(op.f("ix_asset_branch_variants_branch_id"), table_name="asset_branch_variants")
    op.drop_table("asset_branch_variants")
    op.drop_index(op.f("ix_temporal_segments_asset_id"), table_name="temporal_segments")
    op.drop_table("temporal_segments")
    op.drop_table("model3d_metadata")
    op.drop_table("audio_metadata")
    op.drop_index(op.f("ix_asset_lineage_parent_asset_id"), table_name="asset_lineage")
    op.drop_table("asset_lineage")
    op.drop_index(op.f("ix_asset_clips_source_asset_id"), table_name="asset_clips")
    op.drop_index(op.f("ix_asset_clips_extracted_asset_id"), table_name="asset_clips")
    op.drop_table("asset_clips")
    op.drop_index(op.f("ix_asset_branches_source_asset_id"), table_name="asset_branches")
    op.drop_table("asset_branches")
    op.drop_table("adult_metadata")
    op.drop_index("uq_assets_user_sha256", table_name="assets", postgresql_where=sa.text("sha256 IS NOT NULL"))
    op.drop_index(
        "uq_assets_user_provider_asset",
        table_name="assets",
        postgresql_where=sa.text("provider_asset_id IS NOT NULL"),
    )
    op.drop_index("ix_assets_user_created", table_name="assets")
    op.drop_index("ix_assets_tags", table_name="assets", postgresql_using="gin")
    op.drop_table("assets")
    op.drop_index(op.f("ix_provider_accounts_user_id"), table_name="provider_accounts")
    op.drop_table("provider_accounts")
    op.drop_index(op.f("ix_api_tokens_user_id"), table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_index("uq_users_email_lower", table_name="users")
    op.drop_table("users")
