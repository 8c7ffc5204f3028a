"""``python -m szca_unlock.service --host 127.0.0.1 --port 8400 [--workers N]``: the
service, configured from the environment (``DATABASE_URL``, ``SZCA_UNLOCK_MASTER_KEY``,
``SZCA_PROVIDER_*``, ``SZCA_REDIS_URL``).

One process (the default) keeps its request limits in memory and may use SQLite. With
``--workers N`` (N > 1) uvicorn runs N processes on one socket; they must share their
state, so the database must be PostgreSQL and ``SZCA_REDIS_URL`` must name the Redis that
holds the limits (``docs/performance.md``, "Several worker processes")."""

from __future__ import annotations

import argparse
import sys

import uvicorn
from fastapi import FastAPI

from szca_unlock.config import ConfigError, Settings
from szca_unlock.keepalive import server_options
from szca_unlock.logsetup import configure_logging
from szca_unlock.service.app import create_app
from szca_unlock.store.migrate import upgrade_to_head


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn's factory): the parent migrated already."""
    return create_app(Settings.from_env(), migrate=False)


def check_workers(settings: Settings, workers: int) -> None:
    """Refuse a multi-process service whose state is not shared between its processes."""
    if workers < 1:
        raise ConfigError("--workers must be at least 1")
    if workers == 1:
        return
    if not settings.database_url.startswith("postgresql"):
        raise ConfigError(f"--workers {workers} needs PostgreSQL (DATABASE_URL=postgresql+"
                          "psycopg://…): SQLite serves one process; start one with "
                          "scripts/start-postgres.sh")
    if not settings.redis_url:
        raise ConfigError(f"--workers {workers} needs SZCA_REDIS_URL: the request limits "
                          "must be shared by every process; start Redis with "
                          "scripts/start-redis.sh")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m szca_unlock.service",
                                     description="深圳CA网上营业厅 U-KEY 解锁服务")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8400)
    parser.add_argument("--workers", type=int, default=1,
                        help="worker processes (more than 1 needs PostgreSQL and Redis)")
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    configure_logging(args.log_level.upper())
    settings = Settings.from_env()
    try:
        check_workers(settings, args.workers)
    except ConfigError as exc:
        parser.exit(2, f"{parser.prog}: {exc}\n")
    if args.workers == 1:
        uvicorn.run(create_app(settings), host=args.host, port=args.port,
                    log_level=args.log_level, **server_options())
        return
    upgrade_to_head(settings.database_url)  # once, before the workers race to do it
    uvicorn.run("szca_unlock.service.__main__:worker_app", factory=True,
                workers=args.workers, host=args.host, port=args.port,
                log_level=args.log_level, **server_options())


if __name__ == "__main__":
    main(sys.argv[1:])
