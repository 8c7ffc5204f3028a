"""What every ``szca`` subcommand shares: the console and the saved login.

The session token is kept in ``$SZCA_HOME/cli-session.json`` (mode 600), for one service
URL at a time.
"""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

from szca_unlock.client import ServiceClient
from szca_unlock.config import home_dir

DEFAULT_URL = "http://127.0.0.1:8400"


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
