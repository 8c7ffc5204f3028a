"""立即解锁 for a PKCS#11 token (SoftHSM2): the SO PIN is released only inside an
authorised unlock, rotated, and the old one stops working. Checked with OpenSC's
pkcs11-tool (an implementation independent of ours)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from emulator.personas import Scenario, TestCA, issuer_for
from emulator.testing.api import Api, Flows
from emulator.testing.keys import NEW_PIN
from emulator.virtual_ukey.pkcs11_tokens import (
    MODULE,
    create_token,
    pkcs11_tool,
    softhsm_config,
)
from szca_unlock.client.unlock import HttpUnlockServiceClient
from szca_unlock.store.database import Database
from szca_unlock.store.enums import UKeyDriver
from szca_unlock.store.repo_pki import get_ukey, upsert_ukey
from szca_unlock.ukey import UnlockAgent
from szca_unlock.ukey.pkcs11_driver import Pkcs11Driver
from szca_unlock.unlock import UnlockAuthority, open_secret

pytestmark = pytest.mark.softhsm
USER_PIN = "forgotten1"


def so_login_works(conf: Path, label: str, so_pin: str) -> bool:
    """SO login (C_Login SO then C_SetPIN to the same value) by pkcs11-tool."""
    return pkcs11_tool(conf, label, "--login", "--login-type", "so", "--so-pin", so_pin,
                       "--change-pin", "--new-pin", so_pin).returncode == 0


def test_softhsm_token_unlocked_with_a_rotated_so_pin(
        api: Api, scenario: Scenario, test_ca: TestCA, ukey_master_key: bytes, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("softhsm2-util") is None or not Path(MODULE).exists():
        pytest.skip("SoftHSM2 is not installed")
    persona, holder = scenario.certificate("natural_pkcs11"), scenario.people["citizen"]
    token = create_token(softhsm_config(tmp_path / "hsm"), persona.key_serial, USER_PIN,
                         issuer_for(test_ca, persona))
    monkeypatch.setenv("SOFTHSM2_CONF", str(token.conf))
    assert token.so_pin is not None
    SO_PIN = token.so_pin
    database = Database(f"sqlite:///{tmp_path / 'service.db'}")  # the service's own file
    authority = UnlockAuthority(ukey_master_key, lambda: None)  # type: ignore[arg-type,return-value]
    with database.session() as session:
        upsert_ukey(session, persona.key_serial, UKeyDriver.PKCS11,
                    so_pin_sealed=authority.seal_so_pin(persona.key_serial, SO_PIN))

    api.login(holder.mobile)
    order_no = Flows(api).open(persona.serial_hex)
    Flows(api).verify(order_no, "identity", "carrier", holder)
    driver = Pkcs11Driver(MODULE, serial_from="label")
    client = HttpUnlockServiceClient(api.base_url, api.token)
    result = UnlockAgent(client, driver).unlock(order_no, new_pin=NEW_PIN, confirm_pin=NEW_PIN,
                                                expected_key_serial=persona.key_serial)
    client.close()
    assert result.order_state == "completed"

    with database.session(readonly=True) as session:
        row = get_ukey(session, persona.key_serial)
        stored = open_secret(ukey_master_key, row.so_pin_sealed or b"", context=persona.key_serial)
        assert row.pending_so_pin_sealed is None
    database.dispose()
    assert stored != SO_PIN
    assert not so_login_works(token.conf, persona.key_serial, SO_PIN)  # the released PIN is dead
    assert so_login_works(token.conf, persona.key_serial, stored)
    with driver.open(driver.list_keys()[0]) as key:
        key.verify_pin(NEW_PIN)
        signature = key.sign(b"token unlocked")
        cert = x509.load_der_x509_certificate(key.certificate())
    public = cert.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(signature, b"token unlocked", ec.ECDSA(hashes.SHA256()))
    assert f"{cert.serial_number:X}" == persona.serial_hex
