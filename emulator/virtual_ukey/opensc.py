"""OpenSC as a user of the virtual U-KEY sets it up: its PKCS#11 module, and the
configuration that gives each of the world's readers a PKCS#11 slot."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from emulator.package_files import package_file

OPENSC_CONF = package_file("emulator.virtual_ukey", "opensc.conf")
_MODULE_NAME = "opensc-pkcs11.so"
_MODULE_DIRS = ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64",
                "/usr/lib", "/usr/local/lib")


def opensc_module() -> Path | None:
    """OpenSC's PKCS#11 module (``$SZCA_OPENSC_MODULE`` first), or None if not installed."""
    configured = os.environ.get("SZCA_OPENSC_MODULE")
    candidates = [Path(configured)] if configured else [Path(d) / _MODULE_NAME
                                                         for d in _MODULE_DIRS]
    return next((path for path in candidates if path.is_file()), None)


def middleware_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a PKCS#11 application: the caller's (so it reaches the same
    pcscd as the project's own clients) plus ``OPENSC_CONF``."""
    env = dict(os.environ if base is None else base)
    env["OPENSC_CONF"] = str(OPENSC_CONF)
    return env
