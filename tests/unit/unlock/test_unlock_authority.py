"""The authority issues one cryptogram per challenge, for the order's key only, and
confirms each authorisation once, before it expires, against the card's receipt."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from szca_unlock.domain.errors import DomainError
from szca_unlock.unlock import (
    AuthorisationAlreadyConfirmed,
    ChallengeAlreadyUsed,
    KeySerialMismatch,
    MalformedUnlockRequest,
    ReceiptInvalid,
    SealError,
    UnlockAuthority,
    compute_cryptogram,
    compute_receipt,
    derive_card_key,
    open_secret,
    seal_secret,
)

MK = bytes(range(32))
SERIAL = "SZ2025000001"
CHALLENGE = bytes.fromhex("0f1e2d3c4b5a69788796a5b4c3d2e1f0")


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def authority(clock: FakeClock) -> UnlockAuthority:
    return UnlockAuthority(MK, clock)


def _card_receipt(challenge: bytes = CHALLENGE, serial: str = SERIAL) -> bytes:
    return compute_receipt(derive_card_key(MK, serial), serial, challenge)


def test_authorisation_carries_the_card_cryptogram_and_expires_in_120s(
        authority: UnlockAuthority, clock: FakeClock) -> None:
    auth = authority.authorise(SERIAL, CHALLENGE, bound_key_serial=SERIAL)
    assert auth.cryptogram == compute_cryptogram(derive_card_key(MK, SERIAL), SERIAL, CHALLENGE)
    assert auth.expires_at == clock.now + timedelta(seconds=120)
    assert auth.confirmed_at is None
    assert len(auth.id) == 32
    assert authority.authorise(SERIAL, b"\x00" * 16, bound_key_serial=SERIAL).id != auth.id


def test_another_key_than_the_orders_is_a_data_conflict(authority: UnlockAuthority) -> None:
    with pytest.raises(KeySerialMismatch) as err:
        authority.authorise("SZ2025000002", CHALLENGE, bound_key_serial=SERIAL)
    assert isinstance(err.value, DomainError)
    assert "数据冲突" in err.value.message
    assert err.value.field == "key_serial"


def test_a_challenge_gets_at_most_one_cryptogram(authority: UnlockAuthority) -> None:
    first = authority.authorise(SERIAL, CHALLENGE, bound_key_serial=SERIAL)
    with pytest.raises(ChallengeAlreadyUsed):
        authority.authorise(SERIAL, CHALLENGE, bound_key_serial=SERIAL, issued=[first])
    other = authority.authorise(SERIAL, bytes(16), bound_key_serial=SERIAL, issued=[first])
    assert other.cryptogram != first.cryptogram


def test_malformed_challenge_is_refused(authority: UnlockAuthority) -> None:
    with pytest.raises(MalformedUnlockRequest) as err:
        authority.authorise(SERIAL, bytes(15), bound_key_serial=SERIAL)
    assert err.value.field == "challenge"


def test_confirm_with_the_card_receipt_marks_it_confirmed(
        authority: UnlockAuthority, clock: FakeClock) -> None:
    auth = authority.authorise(SERIAL, CHALLENGE, bound_key_serial=SERIAL)
    clock.now += timedelta(seconds=30)
    done = authority.confirm(auth, _card_receipt())
    assert done.confirmed_at == clock.now
    assert done.id == auth.id


def test_confirm_is_single_use(authority: UnlockAuthority) -> None:
    done = authority.confirm(authority.authorise(SERIAL, CHALLENGE, bound_key_serial=SERIAL),
                             _card_receipt())
    with pytest.raises(AuthorisationAlreadyConfirmed):
        authority.confirm(done, _card_receipt())


def test_a_valid_receipt_confirms_even_after_expiry(authority: UnlockAuthority,
                                                    clock: FakeClock) -> None:
    # The card was reset with this authorisation: a confirm that arrives late (the agent
    # died between the reset and the confirm) must still settle the order.
    auth = authority.authorise(SERIAL, CHALLENGE, bound_key_serial=SERIAL)
    clock.now += timedelta(hours=5)
    assert authority.confirm(auth, _card_receipt()).confirmed_at == clock.now


@pytest.mark.parametrize("receipt", [
    _card_receipt(challenge=bytes(16)),          # receipt for another challenge
    _card_receipt(serial="SZ2025000002"),        # another card's receipt
    bytes(16),
    b"",
])
def test_a_wrong_receipt_is_refused_and_does_not_consume(
        authority: UnlockAuthority, receipt: bytes) -> None:
    auth = authority.authorise(SERIAL, CHALLENGE, bound_key_serial=SERIAL)
    with pytest.raises(ReceiptInvalid):
        authority.confirm(auth, receipt)
    assert authority.confirm(auth, _card_receipt()).confirmed_at is not None


def test_the_cryptogram_is_never_a_valid_receipt(authority: UnlockAuthority) -> None:
    auth = authority.authorise(SERIAL, CHALLENGE, bound_key_serial=SERIAL)
    with pytest.raises(ReceiptInvalid):
        authority.confirm(auth, auth.cryptogram)


def test_so_pin_release_rotates_and_is_single_use(
        authority: UnlockAuthority, clock: FakeClock) -> None:
    sealed = authority.seal_so_pin("TOKEN01", "old-so-pin-1234")
    auth = authority.authorise_so_pin("TOKEN01", bound_key_serial="TOKEN01", sealed_so_pin=sealed)
    assert auth.so_pin == "old-so-pin-1234"
    assert auth.new_so_pin != auth.so_pin and len(auth.new_so_pin) == 16
    assert "old-so-pin" not in repr(auth) and auth.new_so_pin not in repr(auth)
    done = authority.confirm_so_pin(auth, "TOKEN01")
    assert done.so_pin == done.new_so_pin == ""
    assert open_secret(MK, done.sealed_new_so_pin, context="TOKEN01") == auth.new_so_pin
    with pytest.raises(AuthorisationAlreadyConfirmed):
        authority.confirm_so_pin(done, "TOKEN01")


def test_so_pin_confirmation_must_name_the_same_token(authority: UnlockAuthority,
                                                      clock: FakeClock) -> None:
    sealed = authority.seal_so_pin("TOKEN01", "old-so-pin-1234")
    with pytest.raises(KeySerialMismatch):
        authority.authorise_so_pin("TOKEN02", bound_key_serial="TOKEN01", sealed_so_pin=sealed)
    auth = authority.authorise_so_pin("TOKEN01", bound_key_serial="TOKEN01", sealed_so_pin=sealed)
    with pytest.raises(KeySerialMismatch):
        authority.confirm_so_pin(auth, "TOKEN02")
    clock.now += timedelta(minutes=3)  # a late report of the rotation is still recorded
    assert authority.confirm_so_pin(replace(auth), "TOKEN01").confirmed_at == clock.now


def test_sealed_secret_opens_only_with_same_master_key_and_context() -> None:
    sealed = seal_secret(MK, "so-pin-secret", context="TOKEN01")
    assert b"so-pin-secret" not in sealed
    assert open_secret(MK, sealed, context="TOKEN01") == "so-pin-secret"
    assert seal_secret(MK, "so-pin-secret", context="TOKEN01") != sealed  # fresh nonce
    for mk, ctx, blob in [(bytes(32), "TOKEN01", sealed), (MK, "TOKEN02", sealed),
                          (MK, "TOKEN01", sealed[:-1] + bytes([sealed[-1] ^ 1])),
                          (MK, "TOKEN01", b"\x02" + sealed[1:])]:
        with pytest.raises(SealError):
            open_secret(mk, blob, context=ctx)
