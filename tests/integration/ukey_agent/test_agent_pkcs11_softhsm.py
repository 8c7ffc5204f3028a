"""PKCS#11 driver and the SO-PIN unlock path on a real SoftHSM2 token, checked with
OpenSC's pkcs11-tool (independent of our code)."""

from __future__ import annotations

import pytest
from agent_fake_service import AuthorityBackedService
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from softhsm_token import MODULE, SoftToken, pkcs11_tool

from szca_unlock.ukey import (
    DriverKind,
    PinIncorrect,
    Pkcs11Error,
    SecurityStatusNotSatisfied,
    UnlockAgent,
)
from szca_unlock.ukey.pkcs11_driver import Pkcs11Driver, Pkcs11Key
from szca_unlock.unlock import open_secret, seal_secret

pytestmark = pytest.mark.softhsm
MK = bytes(range(32))
NEW_PIN = "Sz2025ab"


def _driver() -> Pkcs11Driver:
    driver = Pkcs11Driver(MODULE)
    driver.refresh()
    return driver


def _open(token: SoftToken) -> Pkcs11Key:
    driver = _driver()
    (info,) = driver.list_keys()
    return driver.open(info)


def test_lists_the_token_and_reads_its_certificate(soft_token: SoftToken) -> None:
    (info,) = _driver().list_keys()
    assert (info.serial, info.driver) == (soft_token.serial, DriverKind.PKCS11)
    assert soft_token.label in info.reader
    with _open(soft_token) as key:
        assert key.certificate() == soft_token.certificate
        cert = x509.load_der_x509_certificate(soft_token.certificate)
        assert key.certificate_serial() == format(cert.serial_number, "X")


def test_signing_needs_the_pin_and_verifies_against_the_certificate(
        soft_token: SoftToken) -> None:
    with _open(soft_token) as key:
        with pytest.raises(SecurityStatusNotSatisfied):
            key.sign(b"data")
        with pytest.raises(PinIncorrect) as err:
            key.verify_pin("999999")
        assert isinstance(err.value, Pkcs11Error) and err.value.rv == 0xA0
        key.verify_pin(soft_token.user_pin)
        signature = key.sign(b"contract to sign")
    public = x509.load_der_x509_certificate(soft_token.certificate).public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(signature, b"contract to sign", ec.ECDSA(hashes.SHA256()))


def test_softhsm_never_blocks_so_status_is_flags_only(soft_token: SoftToken) -> None:
    """Documented limitation: a user who forgot the PIN is 'locked' only in the sense
    that no PIN they know works; PKCS#11 status shows no counter and SoftHSM no lock."""
    with _open(soft_token) as key:
        for _ in range(8):
            with pytest.raises(PinIncorrect):
                key.verify_pin("000000")
        status = key.pin_status()
        assert (status.max_tries, status.blocked) == (None, False)
        key.verify_pin(soft_token.user_pin)


def test_so_pin_unlock_sets_the_new_pin_and_rotates_the_so_pin(soft_token: SoftToken) -> None:
    sealed = seal_secret(MK, soft_token.so_pin, context=soft_token.serial)
    service = AuthorityBackedService(MK, soft_token.serial, sealed_so_pin=sealed)
    with _open(soft_token) as key, pytest.raises(PinIncorrect):  # the user forgot the PIN
        key.verify_pin("135790")

    result = UnlockAgent(service, _driver()).unlock(
        "ORD-9", new_pin=NEW_PIN, confirm_pin=NEW_PIN, expected_key_serial=soft_token.serial)

    assert result.order_state == "completed" and result.driver is DriverKind.PKCS11
    assert [name for name, _ in service.calls] == ["authorise_so_pin", "confirm_so_pin"]
    new_so_pin = open_secret(MK, service.sealed_so_pin, context=soft_token.serial)
    assert new_so_pin != soft_token.so_pin

    # independent tool: the new user PIN logs in and sees the private key; the old does not
    ok = pkcs11_tool(soft_token.conf, soft_token.label, "--login", "--pin", NEW_PIN,
                     "--list-objects", "--type", "privkey")
    assert ok.returncode == 0, ok.stderr
    assert "Private Key Object" in ok.stdout
    old = pkcs11_tool(soft_token.conf, soft_token.label, "--login", "--pin",
                      soft_token.user_pin, "--list-objects")
    assert old.returncode != 0 and "CKR_PIN_INCORRECT" in old.stderr + old.stdout
    # the disclosed SO PIN is no longer valid; the rotated one is
    old_so = pkcs11_tool(soft_token.conf, soft_token.label, "--login", "--login-type", "so",
                         "--so-pin", soft_token.so_pin, "--session-rw", "--list-objects")
    assert old_so.returncode != 0 and "CKR_PIN_INCORRECT" in old_so.stderr + old_so.stdout
    new_so = pkcs11_tool(soft_token.conf, soft_token.label, "--login", "--login-type", "so",
                         "--so-pin", new_so_pin, "--session-rw", "--list-objects")
    assert new_so.returncode == 0, new_so.stderr

    with _open(soft_token) as key:  # and our own driver signs with the new PIN
        key.verify_pin(NEW_PIN)
        assert key.sign(b"after unlock")


def test_a_second_unlock_uses_the_rotated_so_pin(soft_token: SoftToken) -> None:
    sealed = seal_secret(MK, soft_token.so_pin, context=soft_token.serial)
    service = AuthorityBackedService(MK, soft_token.serial, sealed_so_pin=sealed)
    agent = UnlockAgent(service, _driver())
    agent.unlock("ORD-1", new_pin=NEW_PIN, confirm_pin=NEW_PIN)
    agent.unlock("ORD-2", new_pin="Second99", confirm_pin="Second99")
    with _open(soft_token) as key:
        key.verify_pin("Second99")


def test_a_stale_so_pin_is_refused_and_changes_nothing(soft_token: SoftToken) -> None:
    stale = seal_secret(MK, "NotTheSoPin123", context=soft_token.serial)
    service = AuthorityBackedService(MK, soft_token.serial, sealed_so_pin=stale)
    with pytest.raises(PinIncorrect):
        UnlockAgent(service, _driver()).unlock("ORD-1", new_pin=NEW_PIN, confirm_pin=NEW_PIN)
    assert [name for name, _ in service.calls] == ["authorise_so_pin"]
    with _open(soft_token) as key:
        key.verify_pin(soft_token.user_pin)
