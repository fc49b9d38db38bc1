"""Applying Alembic migrations from code (`assetgraph migrate`, `make run`, the test suite)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from pgvector.sqlalchemy import Vector
from sqlalchemy.dialects.postgresql.base import ischema_names

from assetgraph.config import Settings
from assetgraph.persistence.embedded import embedded_database_url

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def register_vector_reflection() -> None:
    """Teach reflection the pgvector type, so that autogenerate compares vector columns instead of skipping them."""
    ischema_names["vector"] = Vector


def resolve_database_url(settings: Settings) -> str:
    """The configured URL, or the embedded server's (started if needed)."""
    if settings.database_url:
        return settings.database_url
    return embedded_database_url(settings.resolved_data_dir)


def alembic_config(url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def owned_by_migrations(name: str | None, type_: str, parent_names: object) -> bool:
    """Whether autogenerate compares an object with the models: procrastinate's tables are created by a revision
    from procrastinate's own schema file and have no models here."""
    return not (type_ == "table" and name is not None and name.startswith("procrastinate_"))
