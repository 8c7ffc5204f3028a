"""The world's HTTP servers as processes: the environment that wires the service to the
mock providers, start-up with a health check, and the same for every caller
(``szca-emulator up``, the load world)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx

from emulator.virtual_ukey import processes


class ServerStartError(RuntimeError):
    """A server exited or did not answer its health check; the message names its log."""


def service_env(*, home: Path, database_url: str, master_key_hex: str,
                providers_url: str, public_url: str) -> dict[str, str]:
    """Settings (``szca_unlock.config``) of a service that uses the mock providers;
    ``public_url`` is the service's own address (the face check returns the user there, never
    to the production site)."""
    return {
        "SZCA_PUBLIC_URL": public_url,
        "SZCA_HOME": str(home),
        "DATABASE_URL": database_url,
        "SZCA_UNLOCK_MASTER_KEY": master_key_hex,
        "SZCA_PROVIDER_TENCENT_ENDPOINT": urlparse(providers_url).netloc,
        "SZCA_PROVIDER_TENCENT_PROTOCOL": "http",
        "SZCA_PROVIDER_DEPOSIT_BASE_URL": f"{providers_url}/deposit",
    }


def start_server(args: list[str], ready_url: str, log_path: Path,
                 env: dict[str, str] | None = None, timeout_s: float = 30.0,
                 instance: str | None = None) -> int:
    """``python <args>`` in its own process group, output to ``log_path``; returns its PID
    once ``ready_url`` answers 200 (with ``instance``: and names that instance, which the
    server got as ``SZCA_INSTANCE_ID``). On failure the process is stopped."""
    extra = {"SZCA_INSTANCE_ID": instance} if instance else {}
    pid = processes.spawn([sys.executable, *args], log_path,
                          env={**os.environ, **(env or {}), **extra})
    try:
        _wait_healthy(ready_url, pid, log_path, timeout_s, instance)
    except BaseException:
        processes.stop(pid)
        raise
    return pid


def _wait_healthy(url: str, pid: int, log_path: Path, timeout_s: float,
                  instance: str | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not processes.alive(pid):
            raise ServerStartError(f"{url}：服务启动时退出，日志见 {log_path}")
        try:
            answer = httpx.get(url, timeout=1.0)
        except httpx.HTTPError:
            answer = None
        if (answer is not None and answer.status_code == 200
                and (instance is None or _instance_of(answer) == instance)):
            return
        # No answer yet, or someone else's (another world's server on our address): wait
        # until ours answers or dies; never take the other one for ours.
        time.sleep(0.1)
    raise ServerStartError(f"{url} 在 {timeout_s:.0f} 秒内没有以本环境的身份应答，"
                           f"日志见 {log_path}")


def _instance_of(answer: httpx.Response) -> str | None:
    try:
        body = answer.json()
    except ValueError:
        return None
    return body.get("instance") if isinstance(body, dict) else None
