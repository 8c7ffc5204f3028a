"""The PC/SC key against a model of the documented card: what a user of the agent sees."""

from __future__ import annotations

import pytest
from agent_fake_card import MK, FakeCard
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from szca_unlock.ukey import (
    CardError,
    DriverKind,
    KeyInfo,
    NewPinRejected,
    PinBlocked,
    PinIncorrect,
    PinStatus,
    SecurityStatusNotSatisfied,
    UnlockConditionsNotSatisfied,
    UnlockCryptogramRefused,
)
from szca_unlock.ukey.pcsc import PcscDriver, PcscKey
from szca_unlock.unlock import compute_cryptogram, derive_card_key, verify_receipt


def _open(card: FakeCard) -> PcscKey:
    return PcscKey(card)


def test_list_and_open_read_serial_and_certificate(driver: PcscDriver, card: FakeCard) -> None:
    assert driver.list_keys() == [KeyInfo("SZ2025000001", DriverKind.PCSC, "Virtual PCD 00 00")]
    with driver.open(driver.list_keys()[0]) as key:
        assert key.certificate() == card.cert
        assert key.certificate_serial() == "1A2B3C"
    assert card.closed == 3  # every card session is ended


@pytest.mark.parametrize("length", [1, 0xF0, 0xF0 * 3, 0xF0 * 3 + 7, 0x7F00])
def test_certificate_read_handles_every_end_of_file(card: FakeCard, length: int) -> None:
    card.cert = bytes(i % 251 for i in range(length))
    assert _open(card).certificate() == card.cert


def test_listing_skips_readers_with_other_cards() -> None:
    ours, other = FakeCard(), FakeCard()
    other.transmit = lambda apdu: b"\x6a\x82"  # type: ignore[method-assign]
    cards = {"r0": other, "r1": ours}
    drv = PcscDriver(reader_names=lambda: list(cards), connect=cards.__getitem__)
    assert [k.reader for k in drv.list_keys()] == ["r1"]


def test_wrong_pins_count_down_then_block_even_the_right_pin(card: FakeCard) -> None:
    key = _open(card)
    for left in range(5, 0, -1):
        with pytest.raises(PinIncorrect) as err:
            key.verify_pin("000000")
        assert err.value.tries_left == left
        assert isinstance(err.value, CardError) and err.value.sw == 0x63C0 | left
    with pytest.raises(PinBlocked):
        key.verify_pin("000000")
    with pytest.raises(PinBlocked):
        key.verify_pin(card.pin)
    assert key.pin_status() == PinStatus(0, 6, True)
    assert not key.is_verified()


def test_signing_needs_a_verified_pin_and_verifies_with_the_certificate(card: FakeCard) -> None:
    key = _open(card)
    with pytest.raises(SecurityStatusNotSatisfied):
        key.sign(b"data")
    key.verify_pin(card.pin)
    assert key.is_verified()
    signature = key.sign(b"contract to sign")
    public = x509.load_der_x509_certificate(key.certificate()).public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(signature, b"contract to sign", ec.ECDSA(hashes.SHA256()))


def test_closing_forgets_the_verification(card: FakeCard) -> None:
    with _open(card) as key:
        key.verify_pin(card.pin)
    with pytest.raises(SecurityStatusNotSatisfied):
        _open(card).sign(b"x")


def test_change_pin(card: FakeCard) -> None:
    key = _open(card)
    with pytest.raises(NewPinRejected):
        key.change_pin(card.pin, "123")
    key.change_pin("246810", "Abc987")
    key.verify_pin("Abc987")
    with pytest.raises(PinIncorrect):
        key.change_pin("246810", "Xyz987")


def test_reset_retry_counter_with_a_valid_cryptogram(card: FakeCard) -> None:
    card.tries = 0
    key = _open(card)
    challenge = key.get_challenge()
    card_key = derive_card_key(MK, card.serial)
    receipt = key.reset_retry_counter(compute_cryptogram(card_key, card.serial, challenge),
                                      "NewPin88")
    assert verify_receipt(card_key, card.serial, challenge, receipt)
    assert key.pin_status() == PinStatus(6, 6, False)
    key.verify_pin("NewPin88")


def test_refused_cryptogram_and_consumed_challenge(card: FakeCard) -> None:
    key = _open(card)
    key.get_challenge()
    with pytest.raises(UnlockCryptogramRefused) as err:
        key.reset_retry_counter(bytes(16), "NewPin88")
    assert err.value.tries_left == 9
    with pytest.raises(UnlockConditionsNotSatisfied):  # the challenge was used up
        key.reset_retry_counter(bytes(16), "NewPin88")


class _ScriptedConnection:
    """Answers from a script to exercise T=0 style 61xx / 6Cxx responses."""

    def __init__(self, answers: dict[bytes, bytes]) -> None:
        self.answers, self.sent = answers, []

    def transmit(self, apdu: bytes) -> bytes:
        self.sent.append(apdu)
        return self.answers[apdu]

    def close(self) -> None:
        pass


def test_get_response_and_wrong_le_are_followed() -> None:
    select = bytes.fromhex("00A404000AF0535A4341554B45590100")
    conn = _ScriptedConnection({
        select: bytes.fromhex("9000"),
        bytes.fromhex("00CA010100"): bytes.fromhex("6C04"),
        bytes.fromhex("00CA010104"): b"SZ01" + bytes.fromhex("6102"),
        bytes.fromhex("00C0000002"): b"23" + bytes.fromhex("9000"),
    })
    assert PcscKey(conn).serial() == "SZ0123"
