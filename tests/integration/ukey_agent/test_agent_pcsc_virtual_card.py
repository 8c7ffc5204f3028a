"""The whole remote-unlock exchange through the real reader path: pyscard → pcscd → vpcd
→ the virtual card process, with the real UnlockAuthority in-process (no HTTP)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from agent_fake_service import AuthorityBackedService
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from emulator.virtual_ukey.fixtures import InsertedCard
from emulator.virtual_ukey.world import VirtualUKeyWorld
from szca_unlock.api.errors import ApiDataConflict
from szca_unlock.ukey import (
    PinBlocked,
    PinIncorrect,
    PinStatus,
    SecurityStatusNotSatisfied,
    UnlockAgent,
    UnlockConditionsNotSatisfied,
    UnlockCryptogramRefused,
)
from szca_unlock.ukey.pcsc import PcscDriver

pytestmark = pytest.mark.pcsc
PIN = "246810"
NEW_PIN = "Sz2025ab"


@pytest.fixture
def inserted(ukey_inserted_card: Callable[..., InsertedCard]) -> tuple[str, PcscDriver]:
    """A fresh card (once per key store) in a reader of the shared world; the driver sees
    only that reader, as other tests may have cards in the others."""
    card = ukey_inserted_card(pin=PIN)
    return card.serial, PcscDriver(reader_names=lambda: [card.reader])


def _lock(driver: PcscDriver) -> None:
    with driver.open(driver.list_keys()[0]) as key:
        for left in range(5, 0, -1):
            with pytest.raises(PinIncorrect) as err:
                key.verify_pin("000000")
            assert err.value.tries_left == left
        with pytest.raises(PinBlocked):
            key.verify_pin("000000")
        with pytest.raises(PinBlocked):
            key.verify_pin(PIN)


def test_unlock_a_locked_virtual_card_then_verify_and_sign(
        ukey_world: VirtualUKeyWorld, inserted: tuple[str, PcscDriver],
        ukey_master_key: bytes) -> None:
    serial, driver = inserted
    _lock(driver)
    assert ukey_world.status(serial).blocked

    service = AuthorityBackedService(ukey_master_key, serial)
    result = UnlockAgent(service, driver).unlock("ORD-1", new_pin=NEW_PIN, confirm_pin=NEW_PIN,
                                                 expected_key_serial=serial)
    assert result.order_state == "completed"
    assert result.pin_status == PinStatus(6, 6, False)
    assert [name for name, _ in service.calls] == ["authorise", "confirm"]

    # re-insert: the new PIN persisted on the card, the old one is gone
    reader = ukey_world.remove(serial)
    ukey_world.insert(serial, reader)
    with driver.open(driver.list_keys()[0]) as key:
        with pytest.raises(SecurityStatusNotSatisfied):
            key.sign(b"before verify")
        with pytest.raises(PinIncorrect):
            key.verify_pin(PIN)
        key.verify_pin(NEW_PIN)
        signature = key.sign(b"signed after unlock")
        certificate = x509.load_der_x509_certificate(key.certificate())
    public = certificate.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(signature, b"signed after unlock", ec.ECDSA(hashes.SHA256()))


def test_a_replayed_cryptogram_is_refused_by_the_card(
        inserted: tuple[str, PcscDriver], ukey_master_key: bytes) -> None:
    serial, driver = inserted
    _lock(driver)
    service = AuthorityBackedService(ukey_master_key, serial)
    UnlockAgent(service, driver).unlock("ORD-1", new_pin=NEW_PIN, confirm_pin=NEW_PIN)
    old = next(iter(service.issued.values()))
    with driver.open(driver.list_keys()[0]) as key:
        key.get_challenge()
        key.get_challenge()
        with pytest.raises(UnlockCryptogramRefused) as err:
            key.reset_retry_counter(old.cryptogram, "Replay123")
        assert err.value.sw == 0x63C9  # refused and counted
        with pytest.raises(UnlockConditionsNotSatisfied):  # challenge used up
            key.reset_retry_counter(old.cryptogram, "Replay123")
        key.verify_pin(NEW_PIN)


def test_the_wrong_card_for_the_order_is_never_reset(
        inserted: tuple[str, PcscDriver], ukey_master_key: bytes) -> None:
    _, driver = inserted
    _lock(driver)
    service = AuthorityBackedService(ukey_master_key, "SZ2025009999")  # the order's key
    with pytest.raises(ApiDataConflict):
        UnlockAgent(service, driver).unlock("ORD-1", new_pin=NEW_PIN, confirm_pin=NEW_PIN)
    with driver.open(driver.list_keys()[0]) as key:
        assert key.pin_status().blocked
