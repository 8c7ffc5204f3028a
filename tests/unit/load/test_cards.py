"""The in-process locked card of a load persona: blocked, unlocked only by the cryptogram
the service would derive from the master key, then the new PIN verifies."""

from __future__ import annotations

import os

import pytest
from cryptography import x509

from emulator.personas import TestCA
from emulator.personas.bulk import BulkSettings
from emulator.virtual_ukey.protocol import derive_unlock_key, unlock_cryptogram
from load.cards import INITIAL_PIN, NEW_PIN, in_process_driver, locked_card
from load.population import build_population
from szca_unlock.ukey import PinBlocked, UKeyError


@pytest.fixture(scope="module")
def card_parts(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    ca = TestCA.load_or_create(tmp_path_factory.mktemp("ca") / "ca")
    population = build_population(BulkSettings(count=20, seed=3, certs_per_key=10), ca)
    account = population.accounts()["personal"][0]
    assert account.certificate is not None
    return (account.certificate, population.ders[account.certificate.serial_hex],
            population.private_key(account.key_index))


def _driver(card_parts, master_key: bytes):  # type: ignore[no-untyped-def]
    return in_process_driver(locked_card(*card_parts, master_key), lambda f, a: f(*a))


def test_the_card_is_locked_and_shows_the_persona(card_parts) -> None:  # type: ignore[no-untyped-def]
    certificate, der, _ = card_parts
    driver = _driver(card_parts, os.urandom(32))
    with driver.open(driver.list_keys()[0]) as key:
        assert key.serial() == certificate.key_serial
        assert key.pin_status().blocked
        assert key.certificate() == der
        assert f"{x509.load_der_x509_certificate(der).serial_number:X}" == \
            certificate.serial_hex.lstrip("0")
        with pytest.raises(PinBlocked):
            key.verify_pin(INITIAL_PIN)


def test_only_the_master_keys_cryptogram_unlocks_it(card_parts) -> None:  # type: ignore[no-untyped-def]
    certificate = card_parts[0]
    master_key = os.urandom(32)
    driver = _driver(card_parts, master_key)
    with driver.open(driver.list_keys()[0]) as key:
        challenge = key.get_challenge()
        wrong = unlock_cryptogram(derive_unlock_key(os.urandom(32), certificate.key_serial),
                                  certificate.key_serial, challenge)
        with pytest.raises(UKeyError):
            key.reset_retry_counter(wrong, NEW_PIN)
        challenge = key.get_challenge()
        right = unlock_cryptogram(derive_unlock_key(master_key, certificate.key_serial),
                                  certificate.key_serial, challenge)
        key.reset_retry_counter(right, NEW_PIN)
        key.verify_pin(NEW_PIN)
        assert not key.pin_status().blocked
