"""Alembic, driven from code: the service calls ``upgrade_to_head(url)`` when it starts."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, inspect

from szca_unlock.store.database import make_engine

# Alembic's package-resource form: found in any install of the package.
MIGRATIONS = "szca_unlock.store:migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    # ConfigParser interpolation: a literal % in a password must be doubled.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_to_head(url: str, *, master_key: bytes | None = None) -> None:
    """Create or upgrade the schema at ``url`` to the newest revision (idempotent).

    ``master_key``: needed when a migration encrypts personal data already stored
    (0005); a database without any migrates without it."""
    before = current_revision(url)
    engine = make_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as connection:
            if sqlite:  # a batch migration rebuilds tables that others' rows refer to
                _pragma(connection, "foreign_keys = OFF")  # (outside BEGIN, or a no-op)
            with connection.begin():
                config = alembic_config(url)
                config.attributes["connection"] = connection
                config.attributes["master_key"] = master_key
                command.upgrade(config, "head")
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("a migration left rows whose foreign keys dangle")
            if sqlite:
                _pragma(connection, "foreign_keys = ON")
        if sqlite and before != current_revision(url):
            _compact(engine)
    finally:
        engine.dispose()


def _pragma(connection: Connection, pragma: str) -> None:
    cursor = connection.connection.cursor()  # the DBAPI's: no SQLAlchemy autobegin
    cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _compact(engine: Engine) -> None:
    """Rewrite the SQLite file and empty its WAL after a migration: values a migration
    replaced (plaintext it encrypted) must not stay behind in free pages or old frames."""
    raw = engine.raw_connection()  # autocommit (database.py): VACUUM runs outside BEGIN
    try:
        cursor = raw.cursor()
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()


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
