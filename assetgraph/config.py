"""Settings, read from the environment with the ASSETGRAPH_ prefix."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from assetgraph.domain.hashes import MAX_SIMILARITY_DISTANCE


class Limits(BaseSettings):
    """Bounds on what one GraphQL request may ask for."""

    model_config = SettingsConfigDict(env_prefix="ASSETGRAPH_LIMIT_", extra="ignore")

    max_depth: int = Field(default=12, ge=1)
    max_aliases: int = Field(default=30, ge=1)
    max_tokens: int = Field(default=2000, ge=10)
    max_page_size: int = Field(default=500, ge=1, le=500)
    default_page_size: int = Field(default=50, ge=1, le=500)
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024, description="Largest GraphQL request body (413).")
    max_cost: int = Field(default=5000, ge=1)
    max_list_length: int = Field(default=1000, ge=1)


class Settings(BaseSettings):
    """Everything assetgraph can be configured with; see the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="ASSETGRAPH_", extra="ignore")

    database_url: str | None = None
    data_dir: Path = Path(".assetgraph")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    log_level: str = "INFO"
    allowed_origins: list[str] = Field(default_factory=lambda: ["http://127.0.0.1:8000", "http://localhost:8000"])
    limits: Limits = Field(default_factory=Limits)
    near_duplicate_max_distance: int = Field(
        default=10,
        ge=0,
        le=MAX_SIMILARITY_DISTANCE,
        description="Default `maxDistance` of `similarAssets` and the upload payload's near-duplicates (bits of 64).",
    )
    graphiql_dir: Path | None = Field(
        default=None, description="A node_modules directory holding GraphiQL's npm packages, if not found otherwise."
    )

    @property
    def resolved_data_dir(self) -> Path:
        return self.data_dir.expanduser().resolve()
