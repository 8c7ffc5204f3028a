"""`szca-ukey create --persona`: the persona's certificate, issued by the home's test CA."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography import x509

from emulator.personas import TestCA
from emulator.virtual_ukey.cli import main


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SZCA_HOME", str(tmp_path))
    monkeypatch.delenv("SZCA_UNLOCK_MASTER_KEY", raising=False)
    return tmp_path


def test_create_from_persona_issues_its_certificate_on_its_key(home: Path) -> None:
    assert main(["create", "--persona", "natural", "--key-store", "software"]) == 0
    state = json.loads((home / "ukey" / "cards" / "SZ2025000003" / "state.json").read_text())
    cert = x509.load_der_x509_certificate(bytes.fromhex(state["cert_der"]))
    assert cert.serial_number == 0x5A1C0E2B7D3F0003
    assert "CN=黄伟" in cert.subject.rfc4514_string()
    ca = TestCA.load(home / "ca")
    assert cert.issuer == ca.issuing_cert.subject


def test_unknown_persona_and_conflicting_serial_are_refused(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["create", "--persona", "nope"]) == 3
    assert "场景中没有证书 nope" in capsys.readouterr().err
    assert main(["create", "SZ2025000009", "--persona", "natural"]) == 3
    assert "签发在 U-KEY SZ2025000003 上" in capsys.readouterr().err
    assert not (home / "ukey" / "cards" / "SZ2025000009").exists()


def test_create_without_serial_or_persona_explains_what_is_missing(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["create", "--pin", "123456"]) == 2
    assert "--persona" in capsys.readouterr().err
