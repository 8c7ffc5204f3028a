"""``python -m szca_unlock.service --host 127.0.0.1 --port 8400``: the service, configured
from the environment (``DATABASE_URL``, ``SZCA_UNLOCK_MASTER_KEY``, ``SZCA_PROVIDER_*``)."""

from __future__ import annotations

import argparse

import uvicorn

from szca_unlock.config import Settings
from szca_unlock.keepalive import server_options
from szca_unlock.logsetup import configure_logging
from szca_unlock.service.app import create_app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m szca_unlock.service",
                                     description="深圳CA网上营业厅 U-KEY 解锁服务")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8400)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    configure_logging(args.log_level.upper())
    uvicorn.run(create_app(Settings.from_env()), host=args.host, port=args.port,
                log_level=args.log_level, **server_options())


if __name__ == "__main__":
    main()
