"""Settings read from the environment (prefix ``SZCA_``), with errors that name the key."""

from __future__ import annotations

import ipaddress
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A setting is missing or malformed; the message names the variable and the value."""


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def home_dir() -> Path:
    """Where runtime state lives (database, uploads, virtual cards): ``SZCA_HOME``."""
    return Path(_env("SZCA_HOME") or Path.cwd() / ".szca").resolve()


@dataclass(frozen=True)
class LocalWorld:
    """An emulated world started from a home (``szca-emulator up``): its service's URL and
    its readers' PC/SC socket, as ``up`` recorded them in ``<home>/run/stack.json``."""

    service_url: str
    pcsc_socket: str

    @classmethod
    def of(cls, home: Path) -> LocalWorld | None:
        try:
            raw = json.loads((home / "run" / "stack.json").read_text())
        except (OSError, ValueError):
            return None
        return cls(str(raw.get("service_url", "")), str(raw.get("pcsc_socket", "")))


def _int(name: str, default: int) -> int:
    raw = _env(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc


@dataclass(frozen=True)
class ProviderEndpoints:
    """Base URLs and credentials of the five identity providers."""

    tencent_endpoint: str = "127.0.0.1:8401"
    tencent_protocol: str = "http"
    tencent_secret_id: str = "AKIDszcaTestSecretId000000000000000"
    tencent_secret_key: str = "szcaTestSecretKey0000000000000000"
    sms_sdk_app_id: str = "1400000001"
    sms_sign_name: str = "深圳CA"
    deposit_base_url: str = "http://127.0.0.1:8401/deposit"
    deposit_key_id: str = "szca-test"
    deposit_secret: str = "szca-deposit-test-secret"
    timeout_s: float = 5.0

    @classmethod
    def from_env(cls) -> ProviderEndpoints:
        defaults = cls()
        values: dict[str, Any] = {}
        for name in cls.__dataclass_fields__:
            raw = _env(f"SZCA_PROVIDER_{name.upper()}")
            if raw is not None:
                current = getattr(defaults, name)
                values[name] = float(raw) if isinstance(current, float) else raw
        return cls(**values)


def _networks(name: str) -> tuple[str, ...]:
    """A comma-separated list of addresses or CIDR networks (validated here)."""
    raw = _env(name) or ""
    items = tuple(item.strip() for item in raw.split(",") if item.strip())
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError as exc:
            raise ConfigError(f"{name}: {item!r} is not an IP address or network") from exc
    return items


@dataclass(frozen=True)
class Settings:
    home: Path = field(default_factory=home_dir)
    database_url: str = ""
    unlock_master_key_hex: str = ""
    providers: ProviderEndpoints = field(default_factory=ProviderEndpoints)
    # Reverse proxies whose X-Forwarded-For is believed (none by default).
    trusted_proxies: tuple[str, ...] = ()
    # The portal's own address as the browser sees it (the face check sends the user back
    # to <public_url>/unlock/face-done); empty: the production address.
    public_url: str = ""
    # The certificate helper (szca-assistant) on the user's machine, called by the pages.
    assistant_url: str = "http://127.0.0.1:8410"
    instance_id: str = ""  # SZCA_INSTANCE_ID: echoed by /api/health (who answers)
    # SZCA_REDIS_URL: request limits shared by the worker processes of one service
    # (service/shared_limits.py); empty: in memory, for one process.
    redis_url: str = ""

    @property
    def master_key(self) -> bytes | None:
        """The CA master key, when configured (checked by ``from_env``)."""
        return bytes.fromhex(self.unlock_master_key_hex) if self.unlock_master_key_hex else None

    @classmethod
    def from_env(cls) -> Settings:
        home = home_dir()
        db = _env("DATABASE_URL") or f"sqlite:///{home / 'szca.db'}"
        mk = _env("SZCA_UNLOCK_MASTER_KEY", "")
        if mk:
            try:
                if len(bytes.fromhex(mk)) != 32:
                    raise ValueError
            except ValueError as exc:
                raise ConfigError(
                    f"SZCA_UNLOCK_MASTER_KEY must be 64 hex digits (32 bytes), got {len(mk)} chars"
                ) from exc
        return cls(home=home, database_url=db, unlock_master_key_hex=mk or "",
                   providers=ProviderEndpoints.from_env(),
                   trusted_proxies=_networks("SZCA_TRUSTED_PROXIES"),
                   public_url=(_env("SZCA_PUBLIC_URL") or "").rstrip("/"),
                   assistant_url=(_env("SZCA_ASSISTANT_URL") or cls.assistant_url).rstrip("/"),
                   instance_id=_env("SZCA_INSTANCE_ID", "") or "",
                   redis_url=_env("SZCA_REDIS_URL", "") or "")
