"""What the user and the agent get back when the unlock authority refuses, and the limits of
the sealed SO PINs (gaps found by mutation testing, docs/testing.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from szca_unlock.domain.errors import DATA_CONFLICT_MESSAGE
from szca_unlock.unlock import (
    AuthorisationAlreadyConfirmed,
    AuthorisationExpired,
    ChallengeAlreadyUsed,
    KeySerialMismatch,
    MalformedUnlockRequest,
    ReceiptInvalid,
    SealError,
    UnlockAuthority,
    UnlockAuthorityError,
    compute_cryptogram,
    derive_card_key,
    generate_so_pin,
    open_secret,
    seal_secret,
)
from szca_unlock.unlock.secrets_box import SO_PIN_ALPHABET

MK = bytes(range(32))
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
# Half-width and full-width punctuation are the same words to the reader; the wording is what
# these tests pin (the punctuation itself is pinned by the BDD suite).
_SAME_MARKS = str.maketrans("，：；（）！？", ",:;()!?")


def shown(text: str) -> str:
    return text.translate(_SAME_MARKS)


@pytest.mark.parametrize(("make", "code", "message", "field", "status"), [
    (ChallengeAlreadyUsed, "unlock.challenge_reused",
     "该解锁请求已使用过，请重新插入 U-KEY 后再次点击「立即解锁」", None, 409),
    (AuthorisationExpired, "unlock.expired", "解锁授权已过期，请重新点击「立即解锁」", None, 409),
    (AuthorisationAlreadyConfirmed, "unlock.already_confirmed",
     "该解锁授权已使用，不能重复确认", None, 409),
    (ReceiptInvalid, "unlock.receipt_invalid",
     "U-KEY 解锁回执校验失败，请重新点击「立即解锁」", "receipt", 400),
    (KeySerialMismatch, "unlock.key_mismatch", DATA_CONFLICT_MESSAGE, "key_serial", 409),
    (lambda: MalformedUnlockRequest("challenge"), "unlock.malformed", "解锁请求数据格式不正确",
     "challenge", 422),
])
def test_each_refusal_has_its_code_words_field_and_status(
        make: Callable[[], UnlockAuthorityError], code: str, message: str, field: str | None,
        status: int) -> None:
    error = make()  # made inside the test, where mutation testing sees it
    assert (error.code, shown(error.message), error.field, error.status) == (
        code, shown(message), field, status)
    assert str(error) == error.message


@pytest.mark.parametrize("serial", ["", "SZ测试0001"])
def test_an_empty_or_non_ascii_key_serial_is_malformed(serial: str) -> None:
    authority = UnlockAuthority(MK, lambda: NOW)
    with pytest.raises(MalformedUnlockRequest) as err:
        authority.authorise(serial, bytes(16), bound_key_serial=serial)
    assert err.value.field == "key_serial"


@pytest.mark.parametrize("length", [0, 16, 31, 33])
def test_the_authority_wants_a_32_byte_master_key(length: int) -> None:
    with pytest.raises(ValueError, match=r"^master key must be 32 bytes$"):
        UnlockAuthority(bytes(length), lambda: NOW)


def test_an_so_pin_release_has_its_own_id_and_expires_in_120_s() -> None:
    authority = UnlockAuthority(MK, lambda: NOW)
    sealed = authority.seal_so_pin("TOKEN01", "old-so-pin-1234")
    first = authority.authorise_so_pin("TOKEN01", bound_key_serial="TOKEN01",
                                       sealed_so_pin=sealed)
    second = authority.authorise_so_pin("TOKEN01", bound_key_serial="TOKEN01",
                                        sealed_so_pin=sealed)
    assert first.expires_at == NOW + timedelta(seconds=120)
    assert len(first.id) == 32 and int(first.id, 16) >= 0 and first.id != second.id


@pytest.mark.parametrize("length", [8, 16, 32])
def test_so_pins_of_any_allowed_length_use_letters_and_digits(length: int) -> None:
    pin = generate_so_pin(length)
    assert len(pin) == length and set(pin) <= set(SO_PIN_ALPHABET)


@pytest.mark.parametrize("length", [7, 33])
def test_so_pins_outside_8_to_32_are_refused(length: int) -> None:
    with pytest.raises(ValueError, match=r"^SO PIN length must be between 8 and 32$"):
        generate_so_pin(length)


def test_a_secret_sealed_by_an_earlier_release_still_opens() -> None:
    # Stored in the database: the sealing key's derivation (salt, label) may never change.
    sealed = bytes.fromhex("016ee4c72a16d0643b8dd06455e2ea735a5da79692c1ffd5b5ef5bddde8ecf27"
                           "b6220e0db53a8be38c9834d150")
    assert open_secret(MK, sealed, context="TOKEN01") == "SoPin-2026-Fixed"


def test_an_empty_secret_is_the_shortest_sealed_value_and_opens() -> None:
    sealed = seal_secret(MK, "")
    assert len(sealed) == 1 + 12 + 16
    assert open_secret(MK, sealed) == ""


def test_without_a_context_sealing_and_opening_agree_with_the_empty_context() -> None:
    assert open_secret(MK, seal_secret(MK, "so-pin-1"), context="") == "so-pin-1"
    assert open_secret(MK, seal_secret(MK, "so-pin-2", context="")) == "so-pin-2"
    assert open_secret(MK, seal_secret(MK, "口令-3")) == "口令-3"


def test_a_truncated_sealed_value_is_an_unknown_format() -> None:
    sealed = seal_secret(MK, "so-pin-secret", context="TOKEN01")
    for blob in (sealed[:20], sealed[:28], b""):
        with pytest.raises(SealError, match=r"^sealed secret has an unknown format$"):
            open_secret(MK, blob, context="TOKEN01")


def test_a_secret_under_another_master_key_does_not_open() -> None:
    sealed = seal_secret(MK, "so-pin-secret", context="TOKEN01")
    with pytest.raises(SealError,
                       match=r"^sealed secret does not open under this master key$"):
        open_secret(bytes(32), sealed, context="TOKEN01")


@pytest.mark.parametrize("length", [16, 33])
def test_sealing_wants_a_32_byte_master_key(length: int) -> None:
    with pytest.raises(ValueError, match=rf"^master key must be 32 bytes, got {length}$"):
        seal_secret(bytes(length), "so-pin")


@pytest.mark.parametrize("serial", ["", "SZ测试0001"])
def test_a_card_key_needs_an_ascii_serial(serial: str) -> None:
    with pytest.raises(ValueError, match=r"^key serial must be non-empty ASCII$"):
        derive_card_key(MK, serial)


def test_the_key_material_of_the_wrong_length_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"^master key must be 32 bytes, got 31$"):
        derive_card_key(bytes(31), "SZ2025000001")
    key = derive_card_key(MK, "SZ2025000001")
    with pytest.raises(ValueError, match=r"^card key must be 16 bytes, got 15$"):
        compute_cryptogram(key[:15], "SZ2025000001", bytes(16))
    with pytest.raises(ValueError, match=r"^challenge must be 16 bytes, got 8$"):
        compute_cryptogram(key, "SZ2025000001", bytes(8))
