"""立即解锁 for a PKCS#11 token (SoftHSM2): the SO PIN is released only inside an
authorised unlock, rotated, and the old one stops working. Checked with OpenSC's
pkcs11-tool (an implementation independent of ours)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pkcs11
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
from pkcs11.util.ec import encode_ec_public_key, encode_named_curve_parameters

from emulator.personas import Scenario, TestCA, issue_certificate
from emulator.testing.api import Api, Flows
from emulator.testing.keys import NEW_PIN
from szca_unlock.store.database import Database
from szca_unlock.store.enums import UKeyDriver
from szca_unlock.store.repo_pki import get_ukey, upsert_ukey
from szca_unlock.ukey import UnlockAgent
from szca_unlock.ukey.pkcs11_driver import Pkcs11Driver
from szca_unlock.ukey.service_client import HttpUnlockServiceClient
from szca_unlock.unlock import UnlockAuthority, open_secret

pytestmark = pytest.mark.softhsm
MODULE = "/usr/lib/softhsm/libsofthsm2.so"
SO_PIN, USER_PIN = "SoPin0riginal12", "forgotten1"


def personalise_token(workdir: Path, label: str, ca: TestCA, persona: object) -> None:
    """softhsm2-util token labelled with the key serial; key made on the token; the
    persona's certificate issued by the test CA over it."""
    tokens = workdir / "tokens"
    tokens.mkdir(parents=True)
    conf = workdir / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n"
                    "log.level = ERROR\nslots.removable = false\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label,
                    "--so-pin", SO_PIN, "--pin", USER_PIN],
                   check=True, capture_output=True, timeout=30)
    lib = pkcs11.lib(MODULE)
    lib.reinitialize()  # the module is loaded once per process: re-read SOFTHSM2_CONF
    with lib.get_token(token_label=label).open(rw=True, user_pin=USER_PIN) as session:
        params = session.create_domain_parameters(
            KeyType.EC, {Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1")},
            local=True)
        public, _ = params.generate_keypair(store=True, label="sign", id=b"\x01")
        key = serialization.load_der_public_key(encode_ec_public_key(public))
        assert isinstance(key, ec.EllipticCurvePublicKey)
        der = issue_certificate(ca, persona, key)  # type: ignore[arg-type]
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509, Attribute.TOKEN: True,
            Attribute.LABEL: "sign", Attribute.ID: b"\x01",
            Attribute.SUBJECT: x509.load_der_x509_certificate(der).subject.public_bytes(),
            Attribute.VALUE: der})


def so_login_works(label: str, so_pin: str) -> bool:
    """SO login (C_Login SO then C_SetPIN to the same value) by pkcs11-tool."""
    result = subprocess.run(
        ["pkcs11-tool", "--module", MODULE, "--token-label", label, "--login",
         "--login-type", "so", "--so-pin", so_pin, "--change-pin", "--new-pin", so_pin],
        capture_output=True, text=True, timeout=30, check=False)
    return result.returncode == 0


def test_softhsm_token_unlocked_with_a_rotated_so_pin(
        api: Api, scenario: Scenario, test_ca: TestCA, ukey_master_key: bytes, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("softhsm2-util") is None or not Path(MODULE).exists():
        pytest.skip("SoftHSM2 is not installed")
    monkeypatch.setenv("SOFTHSM2_CONF", os.environ.get("SOFTHSM2_CONF", ""))
    persona, holder = scenario.certificate("natural_pkcs11"), scenario.people["citizen"]
    personalise_token(tmp_path / "hsm", persona.key_serial, test_ca, persona)
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
    assert not so_login_works(persona.key_serial, SO_PIN)  # the released PIN is dead
    assert so_login_works(persona.key_serial, stored)
    with driver.open(driver.list_keys()[0]) as key:
        key.verify_pin(NEW_PIN)
        signature = key.sign(b"token unlocked")
        cert = x509.load_der_x509_certificate(key.certificate())
    public = cert.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(signature, b"token unlocked", ec.ECDSA(hashes.SHA256()))
    assert f"{cert.serial_number:X}" == persona.serial_hex
