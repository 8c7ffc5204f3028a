"""What every ``szca`` subcommand shares: the console, the saved login, the service URL.

The session token is kept in ``$SZCA_HOME/cli-session.json`` (mode 600), for one service
URL at a time. Without ``SZCA_SERVICE_URL`` the service is the one of the emulated world
of ``$SZCA_HOME`` (``szca-emulator up`` records it), else ``DEFAULT_URL``.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path

from szca_unlock.client import ServiceClient
from szca_unlock.config import LocalWorld, home_dir

DEFAULT_URL = "http://127.0.0.1:8400"
PCSC_SOCKET_ENV = "PCSCLITE_CSOCK_NAME"  # libpcsclite: which pcscd to talk to


def default_url() -> str:
    """SZCA_SERVICE_URL, else the service of SZCA_HOME's emulated world, else DEFAULT_URL."""
    world = LocalWorld.of(home_dir())
    return os.environ.get("SZCA_SERVICE_URL") or (world and world.service_url) or DEFAULT_URL


def use_home_readers() -> None:
    """Without PCSCLITE_CSOCK_NAME: the readers of SZCA_HOME's emulated world if it has one
    (else the machine's pcscd). Call it before the first PC/SC call: libpcsclite reads the
    variable once per process."""
    world = LocalWorld.of(home_dir())
    if world and world.pcsc_socket:
        os.environ.setdefault(PCSC_SOCKET_ENV, world.pcsc_socket)


class ConsolePrompter:
    """Questions on stdout, answers from stdin (``getpass`` for PINs on a tty)."""

    def say(self, text: str) -> None:
        print(text, flush=True)

    def ask(self, label: str, *, secret: bool = False) -> str:
        if secret and sys.stdin.isatty():
            return getpass.getpass(f"{label}:")
        print(f"{label}:", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            raise SystemExit(f"未输入{label}")
        return line.strip()


def session_file() -> Path:
    return home_dir() / "cli-session.json"


def save_session(url: str, token: str) -> None:
    path = session_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"url": url, "token": token}))
    path.chmod(0o600)


def logged_in_client(url: str) -> ServiceClient:
    """A client for ``url`` carrying the saved login, if it was made against that URL."""
    token = None
    path = session_file()
    if path.exists():
        saved = json.loads(path.read_text())
        if saved.get("url") == url:
            token = saved.get("token")
    return ServiceClient(url, token)
