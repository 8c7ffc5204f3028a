"""OpenSC's tools (and OpenSSL's, NSS's) on one card of the test process's reader world,
with the environment a PKCS#11 user sets up: OPENSC_CONF, and the world's pcscd
(PCSCLITE_CSOCK_NAME, inherited from the process like every PC/SC client of ours)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from emulator.virtual_ukey.opensc import OPENSC_CONF, middleware_env, opensc_module

TIMEOUT_S = 120


def require(*programs: str) -> None:
    """Skip (with the Debian package to install) where a tool is missing."""
    packages = {"opensc-tool": "opensc", "pkcs15-tool": "opensc", "pkcs11-tool": "opensc",
                "certutil": "libnss3-tools", "modutil": "libnss3-tools"}
    for program in programs:
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed: Debian package {packages[program]} "
                        "(scripts/install-system-deps.sh)")
    if opensc_module() is None:
        pytest.skip("OpenSC's opensc-pkcs11.so is not installed: Debian package "
                    "opensc-pkcs11 (scripts/install-system-deps.sh)")


def pkcs11_engine() -> Path:
    """libp11's OpenSSL engine (Debian libengine-pkcs11-openssl), or skip."""
    out = subprocess.run(["openssl", "version", "-e"], capture_output=True, text=True,
                         check=True).stdout
    match = re.search(r'ENGINESDIR: "([^"]+)"', out)
    engine = Path(match.group(1) if match else "/usr/lib/engines-3") / "pkcs11.so"
    if not engine.is_file():
        pytest.skip("the OpenSSL PKCS#11 engine is not installed: Debian package "
                    "libengine-pkcs11-openssl (scripts/install-system-deps.sh)")
    return engine


def own_reader_conf(path: Path, ignored: list[str]) -> Path:
    """The project's OpenSC configuration, blind to ``ignored`` readers, so the tools are
    aimed at the one card under test and never touch another in the same world."""
    names = ", ".join(f'"{name}"' for name in ignored)
    text = OPENSC_CONF.read_text().replace(
        "app default {", f"app default {{\n\tignored_readers = {names};", 1)
    path.write_text(text)
    return path


class OpenSC:
    """The tools aimed at the card in ``reader``; with ``conf`` they see only that reader."""

    def __init__(self, reader: str, conf: Path | None = None) -> None:
        require("opensc-tool", "pkcs15-tool", "pkcs11-tool")
        self.reader = reader
        self.env = middleware_env()
        if conf is not None:
            self.env["OPENSC_CONF"] = str(conf)
        module = opensc_module()
        assert module is not None
        self.module = str(module)

    def run(self, *argv: str, check: bool = True, input_text: str | None = None
            ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(list(argv), capture_output=True, text=True, env=self.env,
                              timeout=TIMEOUT_S, input=input_text)
        if check and done.returncode != 0:
            raise AssertionError(f"{' '.join(argv)} failed ({done.returncode}):\n"
                                 f"{done.stdout}\n{done.stderr}")
        return done

    def reader_number(self) -> str:
        for line in self.run("opensc-tool", "-l").stdout.splitlines():
            if line.rstrip().endswith(self.reader):
                return line.split()[0]
        raise AssertionError(f"opensc-tool -l does not list {self.reader!r}")

    def slots(self) -> str:
        return self.run("pkcs11-tool", "--module", self.module, "-L").stdout

    def slot_listing(self) -> str:
        """The ``pkcs11-tool -L`` paragraph of our reader's slot."""
        listing = self.slots()
        for block in re.split(r"\n(?=Slot \d+)", listing):
            if block.splitlines()[0].rstrip().endswith(self.reader):
                return block
        raise AssertionError(f"no PKCS#11 slot for {self.reader!r}:\n{listing}")

    def slot_id(self) -> str:
        match = re.match(r"Slot \d+ \((0x[0-9a-f]+)\)", self.slot_listing())
        assert match, self.slot_listing()
        return match.group(1)

    def pkcs11(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("pkcs11-tool", "--module", self.module, "--slot", self.slot_id(),
                        *args, check=check)
