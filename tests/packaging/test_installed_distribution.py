"""The distribution as a user installs it, not the checkout: the sdist and the wheel built
from it (``python -m build``, as tox and a package index do), installed into fresh virtual
environments outside the source tree, without the project's ``.venv`` or ``PYTHONPATH``.

* the product alone (no extras) serves its pages, static files and migrations from the
  installed package, does not bring the emulator's dependencies, and leaves pytest usable
  (the plugin it registers names the missing extra);
* with ``[emulator]``, ``szca-emulator demo`` unlocks a key end to end (its scenario,
  opensc.conf, templates all read from the install) and the pytest plugin's ``scenario``
  fixture loads the shipped cast.

Slow (a build and two installs from the package index), so not part of ``make test``:
``make packaging`` / ``tox -e packaging`` set ``SZCA_PACKAGING_TESTS=1``; CI (.ci/run) runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Sequence
from email.parser import Parser
from pathlib import Path

import httpx
import pytest

from emulator.ports import free_port

pytestmark = [pytest.mark.packaging, pytest.mark.pcsc]
if not os.environ.get("SZCA_PACKAGING_TESTS"):
    pytest.skip("builds and installs the distribution from the package index: run with "
                "make packaging or tox -e packaging", allow_module_level=True)
ROOT = Path(__file__).resolve().parents[2]
# Files the commands read at run time, each from the installed package.
SHIPPED = ("emulator/scenarios/default.yaml", "emulator/scenarios/load.yaml",
           "emulator/virtual_ukey/opensc.conf", "emulator/mock_providers/templates/sms.html",
           "emulator/mock_providers/templates/pages.css",
           "szca_unlock/service/web/templates/base.html",
           "szca_unlock/service/web/static/portal.css", "szca_unlock/store/migrations/env.py",
           "szca_unlock/documents/data/regions.json", "load/locustfile.py")
EMULATOR_ONLY = ("faker", "pyyaml", "locust", "playwright")  # never pulled by the product


def _run(args: Sequence[str | Path], *, cwd: Path, timeout: float,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _outside_env(home: Path) -> dict[str, str]:
    """A user's shell: nothing of this checkout or of this test session's world on it."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PCSCLITE_CSOCK_NAME")
           and not k.startswith("SZCA_")}
    home.mkdir(parents=True, exist_ok=True)
    return {**env, "SZCA_HOME": str(home), "TMPDIR": str(home)}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, and the wheel ``build`` makes from that sdist (so both must be complete)."""
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", out, ROOT], cwd=out, timeout=900)
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    (found,) = dist.glob("szca_unlock-*.whl")
    return found


def _venv(where: Path, requirement: str) -> Path:
    """A fresh virtual environment (no system site-packages) with ``requirement``."""
    _run([sys.executable, "-m", "venv", where], cwd=where.parent, timeout=300)
    _run([where / "bin" / "python", "-m", "pip", "install", "--quiet", requirement],
         cwd=where.parent, timeout=1800)
    return where


def test_the_wheel_ships_the_data_files_and_no_test_identities(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (info,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(info).decode())
    assert set(SHIPPED) <= names, set(SHIPPED) - names
    assert not [n for n in names if "identities" in n and n.startswith("szca_unlock/")]
    assert "emulator/personas/identities.py" in names
    assert {"emulator", "load", "test"} <= set(metadata.get_all("Provides-Extra") or [])
    unconditional = [r for r in metadata.get_all("Requires-Dist") or [] if "extra ==" not in r]
    assert not [r for r in unconditional if r.lower().startswith(EMULATOR_ONLY)]


def test_the_product_alone_serves_its_pages_from_the_installed_package(
        wheel: Path, tmp_path: Path) -> None:
    venv = _venv(tmp_path / "venv", str(wheel))
    env = _outside_env(tmp_path / "home")
    # Its own dependencies only: the emulator's are not there.
    missing = subprocess.run([venv / "bin" / "python", "-c", "import emulator.cli"],
                             cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert "ModuleNotFoundError" in missing.stderr
    # pytest in such an environment still runs; the plugin names the extra it lacks.
    _run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "pytest"],
         cwd=tmp_path, timeout=600)
    suite = tmp_path / "unrelated"
    suite.mkdir()
    (suite / "test_other.py").write_text("def test_other():\n    assert True\n")
    ran = _run([venv / "bin" / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", suite],
               cwd=suite, env=env, timeout=300)
    assert "1 passed" in ran.stdout and "szca-unlock[emulator]" in ran.stdout
    port = free_port()
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'home' / 'szca.db'}",
                "SZCA_UNLOCK_MASTER_KEY": os.urandom(32).hex()})
    with (tmp_path / "service.log").open("w") as log:
        service = subprocess.Popen([venv / "bin" / "python", "-m", "szca_unlock.service",
                                    "--port", str(port)], cwd=tmp_path, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert service.poll() is None, (tmp_path / "service.log").read_text()
            try:
                if httpx.get(f"{base}/api/health").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "service.log").read_text()
            time.sleep(0.2)
        login = httpx.get(f"{base}/login")  # a template; the schema migrated at start
        assert login.status_code == 200 and "深圳CA网上营业厅" in login.text
        css = httpx.get(f"{base}/static/portal.css")
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    finally:
        service.terminate()
        service.wait(timeout=30)


def test_the_emulator_extra_runs_the_demo_and_the_pytest_plugin(
        wheel: Path, tmp_path: Path) -> None:
    if shutil.which("pcscd") is None:
        pytest.skip("pcscd is not installed (scripts/install-system-deps.sh)")
    venv = _venv(tmp_path / "venv", f"{wheel}[emulator]")
    env = _outside_env(tmp_path / "home")
    out = _run([venv / "bin" / "szca-emulator", "demo"], cwd=tmp_path, env=env,
               timeout=600).stdout
    assert "SW 6983" in out  # the key was locked first
    assert "状态：已解锁" in out
    assert "新PIN校验 → SW 9000" in out
    # A QA suite of its own gets the plugin's fixtures from the install.
    _run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "pytest"],
         cwd=tmp_path, timeout=600)
    suite = tmp_path / "qa"
    suite.mkdir()
    (suite / "test_cast.py").write_text(
        "def test_the_shipped_cast(scenario):\n"
        "    assert scenario.certificate('org').key_serial == 'SZ2025000001'\n")
    _run([venv / "bin" / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", suite],
         cwd=suite, env=env, timeout=300)
