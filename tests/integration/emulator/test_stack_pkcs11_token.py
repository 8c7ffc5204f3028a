"""The PKCS#11 persona of ``szca-emulator up``: a SoftHSM2 token the world provisions,
unlocked end to end (SMS login, PER-RT with the carrier method, 立即解锁 through the
PKCS#11 driver) and checked with OpenSC's pkcs11-tool, an implementation independent of
ours."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from emulator.cli import print_world
from emulator.demo import DemoUser
from emulator.mock_providers.client import ProviderControl
from emulator.mock_providers.server import free_port
from emulator.personas import TestCA, load_scenario
from emulator.personas.model import PersonaCertificate
from emulator.scenarios import DEFAULT_SCENARIO
from emulator.stack import KeyInfo, Stack, StackConfig
from emulator.virtual_ukey.pkcs11_tokens import MODULE, persona_tokens, pkcs11_tool
from szca_unlock.client import ServiceClient
from szca_unlock.client.flows import PersonAnswers, RealtimeChoices, run_key_unlock, run_realtime
from szca_unlock.store.database import Database
from szca_unlock.store.repo_pki import get_ukey
from szca_unlock.ukey import DriverKind, PinIncorrect
from szca_unlock.ukey.pkcs11_driver import Pkcs11Driver
from szca_unlock.unlock import open_secret

pytestmark = pytest.mark.softhsm

if shutil.which("softhsm2-util") is None or shutil.which("pkcs11-tool") is None \
        or not Path(MODULE).exists():
    pytest.skip("needs SoftHSM2 and OpenSC (scripts/install-system-deps.sh)",
                allow_module_level=True)

NEW_PIN = "Szca2026"


def _stored_so_pin(stack: Stack, key_serial: str) -> str:
    """The token's SO PIN as the service's database holds it (sealed under the master key)."""
    db = Database(stack.database_url)
    try:
        with db.session(readonly=True) as session:
            sealed = get_ukey(session, key_serial).so_pin_sealed
    finally:
        db.dispose()
    assert sealed is not None
    return open_secret(stack.master_key.value, sealed, context=key_serial)


def _so_login(key: KeyInfo, so_pin: str) -> tuple[bool, str]:
    assert key.softhsm2_conf is not None
    done = pkcs11_tool(Path(key.softhsm2_conf), key.serial, "--login", "--login-type", "so",
                       "--so-pin", so_pin, "--session-rw", "--list-objects")
    return done.returncode == 0, done.stdout + done.stderr


def _user_login(key: KeyInfo, pin: str) -> tuple[bool, str]:
    assert key.softhsm2_conf is not None
    done = pkcs11_tool(Path(key.softhsm2_conf), key.serial, "--login", "--pin", pin,
                       "--list-objects", "--type", "privkey")
    return done.returncode == 0, done.stdout + done.stderr


def _forget_pin(driver: Pkcs11Driver) -> None:
    """The user tries PINs they believe in; none works (SoftHSM counts nothing, locks never)."""
    (info,) = driver.list_keys()
    with driver.open(info) as key:
        for wrong in ("000000", "111111", "654321", "123123"):
            with pytest.raises(PinIncorrect):
                key.verify_pin(wrong)
        assert not key.pin_status().blocked


@pytest.fixture
def persona_and_ca(tmp_path: Path) -> tuple[PersonaCertificate, TestCA]:
    return load_scenario(DEFAULT_SCENARIO).certificate("natural_pkcs11"), \
        TestCA.load_or_create(tmp_path / "ca")


def _issued_by(der: bytes, ca: TestCA, persona: PersonaCertificate) -> x509.Certificate:
    cert = x509.load_der_x509_certificate(der)
    cert.verify_directly_issued_by(ca.issuing_cert)
    assert f"{cert.serial_number:X}" == persona.serial_hex
    return cert


def test_persona_token_holds_a_key_made_on_it_and_the_ca_issued_certificate(
        tmp_path: Path, persona_and_ca: tuple[PersonaCertificate, TestCA]) -> None:
    persona, ca = persona_and_ca
    before = os.environ.get("SOFTHSM2_CONF")
    ((_, token),) = persona_tokens(tmp_path / "ukey", [persona], ca)
    assert os.environ.get("SOFTHSM2_CONF") == before  # the caller's config is put back
    assert token.conf == tmp_path / "ukey" / "softhsm-pkcs11" / "softhsm2.conf"
    assert token.label == persona.key_serial and token.so_pin
    assert token.so_pin not in repr(token) and persona.pin not in repr(token)
    public = _issued_by(token.certificate, ca, persona).public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    # the private key is on the token: it signs under the persona's PIN, the CA's
    # certificate verifies it, and it cannot be read out
    digest = tmp_path / "digest.bin"  # SoftHSM has no CKM_ECDSA_SHA256: sign the digest
    digest.write_bytes(hashlib.sha256(b"signed on the token").digest())
    signature = tmp_path / "sig.der"
    signed = pkcs11_tool(token.conf, token.label, "--login", "--pin", persona.pin, "--sign",
                         "--mechanism", "ECDSA", "--signature-format", "openssl",
                         "--input-file", str(digest), "--output-file", str(signature))
    assert signed.returncode == 0, signed.stderr
    public.verify(signature.read_bytes(), digest.read_bytes(),
                  ec.ECDSA(Prehashed(hashes.SHA256())))
    listed = pkcs11_tool(token.conf, token.label, "--login", "--pin", persona.pin,
                         "--list-objects", "--type", "privkey")
    assert "Access:     sensitive, always sensitive, never extractable, local" in listed.stdout


def test_a_kept_token_keeps_its_key_and_one_with_a_lost_so_pin_is_made_again(
        tmp_path: Path, persona_and_ca: tuple[PersonaCertificate, TestCA]) -> None:
    persona, ca = persona_and_ca
    ((_, first),) = persona_tokens(tmp_path / "ukey", [persona], ca)
    ((_, kept),) = persona_tokens(tmp_path / "ukey", [persona], ca,
                                  so_pin_known={persona.key_serial})
    assert kept.so_pin is None and kept.certificate == first.certificate
    assert kept.serial == first.serial
    # the database lost the SO PIN: a token nobody could unlock is replaced
    ((_, remade),) = persona_tokens(tmp_path / "ukey", [persona], ca)
    assert remade.so_pin and remade.so_pin != first.so_pin
    assert remade.certificate != first.certificate
    _issued_by(remade.certificate, ca, persona)
    slots = subprocess.run(["softhsm2-util", "--show-slots"], capture_output=True, text=True,
                           env={**os.environ, "SOFTHSM2_CONF": str(remade.conf)}, check=True)
    assert slots.stdout.count(f"Label:            {persona.key_serial}") == 1


@pytest.mark.pcsc  # up starts pcscd
def test_up_provisions_the_pkcs11_token_and_the_agent_unlocks_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    if shutil.which("pcscd") is None:
        pytest.skip("pcscd is not installed (scripts/install-system-deps.sh)")
    config = StackConfig(home=tmp_path / "home", service_port=free_port(),
                         providers_port=free_port())
    stack = Stack(config)
    scenario = stack.scenario()
    persona, holder = scenario.certificate("natural_pkcs11"), scenario.people["citizen"]
    record = stack.up()
    try:
        key = next(k for k in record.keys if k.serial == persona.key_serial)
        assert (key.driver, key.reader) == ("pkcs11", None)
        assert key.softhsm2_conf == str(config.home / "ukey" / "softhsm-pkcs11" / "softhsm2.conf")
        print_world(record)
        listing = capsys.readouterr().out
        assert f"{persona.key_serial}  证书序列号 {persona.serial_hex}" in listing
        assert "PKCS#11 (SoftHSM2)" in listing
        assert f"export SOFTHSM2_CONF={key.softhsm2_conf}" in listing

        old_so_pin = _stored_so_pin(stack, persona.key_serial)
        assert _so_login(key, old_so_pin)[0]  # the sealed SO PIN is the token's
        monkeypatch.setenv("SOFTHSM2_CONF", key.softhsm2_conf or "")
        driver = Pkcs11Driver(MODULE, serial_from="label")
        driver.refresh()
        _forget_pin(driver)

        user = DemoUser(ProviderControl(record.providers_url))
        user.sms_mobile = holder.mobile
        with ServiceClient(record.service_url) as client:
            client.request_sms_code(holder.mobile)
            client.login(holder.mobile, user.ask("请输入短信验证码"))
            client.accept_agreements()
            order = run_realtime(client, user, persona.serial_hex, RealtimeChoices(
                identity_method="carrier",
                applicant=PersonAnswers(holder.name, holder.id_number, holder.mobile)))
            assert order.key_serial == persona.key_serial
            capsys.readouterr()
            result = run_key_unlock(client, user, order.order_no, driver, new_pin=NEW_PIN)
            final = client.get_order(order.order_no)
        shown = capsys.readouterr().out
        assert f"U-KEY {persona.key_serial} 解锁成功，新密码已生效" in shown
        assert "None" not in shown  # a token reports no retry count: none is shown
        assert (result.driver, result.key_serial) == (DriverKind.PKCS11, persona.key_serial)
        assert final.state_label == "已解锁"

        ok, out = _user_login(key, NEW_PIN)
        assert ok and "Private Key Object" in out, out
        ok, out = _user_login(key, persona.pin)
        assert not ok and "CKR_PIN_INCORRECT" in out
        ok, out = _so_login(key, old_so_pin)  # released to the agent, then rotated
        assert not ok and "CKR_PIN_INCORRECT" in out
        new_so_pin = _stored_so_pin(stack, persona.key_serial)
        assert new_so_pin != old_so_pin and _so_login(key, new_so_pin)[0]
    finally:
        assert stack.down() is True

    # The next `up` keeps the unlocked token and the rotated SO PIN the service stored.
    stack.prepare()
    assert _stored_so_pin(stack, persona.key_serial) == new_so_pin
    assert _user_login(key, NEW_PIN)[0]
