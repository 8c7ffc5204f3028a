"""Alembic, driven from code: the service calls ``upgrade_to_head(url)`` when it starts."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from szca_unlock.store.database import make_engine

# Alembic's package-resource form: found in any install of the package.
MIGRATIONS = "szca_unlock.store:migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    # ConfigParser interpolation: a literal % in a password must be doubled.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_to_head(url: str) -> None:
    """Create or upgrade the schema at ``url`` to the newest revision (idempotent)."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()


def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at, or None for an empty database."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
            return None if row is None else str(row[0])
    finally:
        engine.dispose()
