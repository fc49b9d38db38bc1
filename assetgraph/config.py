"""Settings, read from the environment with the ASSETGRAPH_ prefix."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
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
    max_upload_bytes: int = Field(default=2 * 1024**3, ge=1, description="Largest file an upload or import may bring.")
    max_cost: int = Field(default=5000, ge=1)
    max_list_length: int = Field(default=1000, ge=1)
    max_list_items: int = Field(
        default=100_000,
        ge=1,
        description="Most items the lists without a size argument (an asset's parents, children, branches, clips and "
        "temporal segments, a branch's variants) may answer in one operation, all of them together.",
    )


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
    executor: Literal["compiled", "stock"] = Field(
        default="compiled",
        description="How operations are executed: the compiled plan per document (default) or graphql-core's stock "
        "executor, one switch away.",
    )
    near_duplicate_max_distance: int = Field(
        default=10,
        ge=0,
        le=MAX_SIMILARITY_DISTANCE,
        description="Default `maxDistance` of `similarAssets` and the upload payload's near-duplicates (bits of 64).",
    )
    graphiql_dir: Path | None = Field(
        default=None, description="A node_modules directory holding GraphiQL's npm packages, if not found otherwise."
    )
    # Providers: where each one's API lives (the sandbox's URLs in tests and `assetgraph demo`), and how patiently
    # the one shared HTTP client talks to them. Times are in seconds.
    pixverse_base_url: str = "https://app-api.pixverse.ai"
    sora_base_url: str = "https://api.openai.com"
    runway_base_url: str = "https://api.dev.runwayml.com"
    provider_connect_timeout: float = Field(default=10.0, gt=0)
    provider_read_timeout: float = Field(default=60.0, gt=0, description="Longest wait for a provider's next byte.")
    provider_write_timeout: float = Field(default=60.0, gt=0, description="Longest wait to send the next chunk.")
    provider_pool_timeout: float = Field(default=10.0, gt=0, description="Longest wait for a free connection.")
    provider_max_connections: int = Field(default=100, ge=1)
    provider_max_retries: int = Field(default=3, ge=0, le=10, description="Retries after the first attempt.")
    provider_backoff_base: float = Field(default=0.5, ge=0)
    provider_backoff_max: float = Field(default=8.0, ge=0)
    provider_retry_after_max: float = Field(
        default=30.0, ge=0, description="Longest Retry-After honoured; a longer one ends the retries at once."
    )
    credentials_key: SecretStr | None = Field(
        default=None,
        description=(
            "The key provider account credentials are encrypted with (32 bytes, url-safe base64); when unset, "
            "the one in data_dir/credentials.key, generated on first start."
        ),
    )
    fetch_allow_list: list[str] = Field(
        default_factory=list,
        description='Addresses importAssetFromUrl may fetch from although they are private or loopback: "10.0.0.5:80",'
        ' "[::1]:8123", "192.168.0.0/16" (any port), "10.1.0.0/16:8080".',
    )
    fetch_timeout_seconds: float = Field(
        default=30.0, gt=0, description="Longest wait for one step of a URL download: lookup, connect, next bytes."
    )
    fetch_deadline_seconds: float = Field(default=600.0, gt=0, description="Longest a whole URL download may take.")
    fetch_max_redirects: int = Field(default=5, ge=0, le=20)
    workers: int | None = Field(
        default=None,
        ge=1,
        le=256,
        description="Processes `serve` answers requests with, on one port (`serve --workers N`); unset, one per core.",
    )
    database_pool_size: int = Field(
        default=10,
        ge=1,
        le=100,
        description="Database connections each serving process keeps (as many again are opened under load); `serve` "
        "lowers it so that all its processes fit under the database's max_connections.",
    )
    # Jobs (library sync). Times are in seconds.
    serve_worker: bool = Field(
        default=True, description="Whether `serve` runs a job worker in its own process (`assetgraph worker` runs one)."
    )
    worker_concurrency: int = Field(default=4, ge=1, le=64, description="Jobs one worker runs at once.")
    worker_heartbeat_seconds: float = Field(default=10.0, gt=0)
    worker_stalled_after_seconds: float = Field(
        default=30.0, gt=0, description="A worker silent for that long is taken for dead and its jobs run again."
    )
    worker_maintenance_seconds: float = Field(default=10.0, gt=0, description="How often stalled jobs are looked for.")
    worker_poll_seconds: float = Field(
        default=1.0,
        gt=0,
        description="How often a worker looks for due jobs besides being notified: a job queued again after a "
        "failure or a stalled worker is found only this way.",
    )
    sync_page_attempts: int = Field(
        default=5, ge=1, le=20, description="Tries of one library page (each with the client's own retries)."
    )
    sync_retry_backoff_seconds: float = Field(default=2.0, ge=0, description="First wait between page tries.")

    @property
    def resolved_data_dir(self) -> Path:
        return self.data_dir.expanduser().resolve()
