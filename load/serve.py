"""``python -m load.serve --app service|hello --port P``: the app under test in its own
process (its memory can be read, its GIL is its own), with the uvicorn settings that the
benchmark uses for both apps. The service reads its settings from the environment
(``DATABASE_URL``, ``SZCA_UNLOCK_MASTER_KEY``, ``SZCA_PROVIDER_*``)."""

from __future__ import annotations

import argparse

import uvicorn
from fastapi import FastAPI

from szca_unlock.config import Settings
from szca_unlock.keepalive import server_options
from szca_unlock.logsetup import configure_logging
from szca_unlock.service.app import create_app


def hello_app() -> FastAPI:
    """The baseline: the least a FastAPI JSON endpoint costs on this machine."""
    app = FastAPI()

    @app.get("/api/hello")
    def hello() -> dict[str, str]:  # sync like most service routes: runs in the thread pool
        return {"hello": "world"}

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m load.serve")
    parser.add_argument("--app", choices=("service", "hello"), default="service")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    configure_logging("WARNING")
    app = create_app(Settings.from_env()) if args.app == "service" else hello_app()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False,
                lifespan="off", **server_options())


if __name__ == "__main__":
    main()
