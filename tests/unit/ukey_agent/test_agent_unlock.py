"""UnlockAgent.unlock on a locked model card with the real authority behind a fake service."""

from __future__ import annotations

import pytest
from agent_fake_card import MK, FakeCard
from agent_fake_service import AuthorityBackedService

from szca_unlock.api.errors import ApiDataConflict, ApiUnavailable
from szca_unlock.api.orders import OrderView
from szca_unlock.api.unlock import UnlockGranted
from szca_unlock.domain.errors import ValidationError
from szca_unlock.ukey import (
    MultipleKeysFound,
    NoKeyFound,
    PinStatus,
    UnlockAgent,
    UnlockCryptogramRefused,
    UnlockIncomplete,
    WrongKey,
)
from szca_unlock.ukey.pcsc import PcscDriver

NEW_PIN = "Sz2025ab"
RRC = 0x2C


@pytest.fixture
def locked(card: FakeCard) -> FakeCard:
    card.tries = 0
    return card


@pytest.fixture
def service(card: FakeCard) -> AuthorityBackedService:
    return AuthorityBackedService(MK, bound_key_serial=card.serial)


def _sent_ins(card: FakeCard) -> list[int]:
    return [apdu[1] for apdu in card.log]


def test_unlock_resets_the_locked_card_and_completes_the_order(
        locked: FakeCard, driver: PcscDriver, service: AuthorityBackedService) -> None:
    result = UnlockAgent(service, driver).unlock("ORD-1", new_pin=NEW_PIN, confirm_pin=NEW_PIN,
                                                 expected_key_serial=locked.serial)
    assert result.order_state == "completed"
    assert result.key_serial == locked.serial
    assert result.pin_status == PinStatus(6, 6, False)
    assert locked.pin == NEW_PIN
    assert [name for name, _ in service.calls] == ["authorise", "confirm"]
    assert service.calls[0][1][:3] == ("ORD-1", locked.serial, "1A2B3C")
    assert all(NEW_PIN not in str(args) and NEW_PIN.encode().hex() not in str(args)
               for _, args in service.calls)  # the new PIN never goes to the service


def test_the_pin_policy_is_checked_before_anything_is_sent(
        locked: FakeCard, driver: PcscDriver, service: AuthorityBackedService) -> None:
    agent = UnlockAgent(service, driver)
    with pytest.raises(ValidationError) as err:
        agent.unlock("ORD-1", new_pin="123456", confirm_pin="123456")
    assert err.value.code == "pin.sequence"
    with pytest.raises(ValidationError) as err:
        agent.unlock("ORD-1", new_pin=NEW_PIN, confirm_pin=NEW_PIN + "x")
    assert err.value.code == "pin.mismatch"
    assert service.calls == [] and RRC not in _sent_ins(locked)


def test_the_card_length_rule_narrows_the_policy(
        locked: FakeCard, driver: PcscDriver, service: AuthorityBackedService) -> None:
    locked.transmit_orig = locked.transmit  # type: ignore[attr-defined]

    def narrow(apdu: bytes) -> bytes:
        raw = locked.transmit_orig(apdu)  # type: ignore[attr-defined]
        return raw[:5] + bytes([8, 8]) + raw[7:] if apdu[:4] == b"\x00\xca\x01\x02" else raw

    locked.transmit = narrow  # type: ignore[method-assign]
    with pytest.raises(ValidationError) as err:
        UnlockAgent(service, driver).unlock("ORD-1", new_pin="Sz2025a", confirm_pin="Sz2025a")
    assert "8至8位" in err.value.message


def test_another_key_than_the_orders_is_refused_before_the_service_is_asked(
        locked: FakeCard, driver: PcscDriver, service: AuthorityBackedService) -> None:
    with pytest.raises(WrongKey) as err:
        UnlockAgent(service, driver).unlock("ORD-1", new_pin=NEW_PIN, confirm_pin=NEW_PIN,
                                            expected_key_serial="SZ2025000999")
    assert "数据冲突" in err.value.message
    assert service.calls == [] and RRC not in _sent_ins(locked)


def test_the_service_data_conflict_stops_the_unlock(locked: FakeCard, driver: PcscDriver) -> None:
    service = AuthorityBackedService(MK, bound_key_serial="SZ2025000999")
    with pytest.raises(ApiDataConflict) as err:
        UnlockAgent(service, driver).unlock("ORD-1", new_pin=NEW_PIN, confirm_pin=NEW_PIN)
    assert err.value.status == 409 and "数据冲突" in err.value.message
    assert RRC not in _sent_ins(locked) and locked.tries == 0


def test_one_key_at_a_time(service: AuthorityBackedService) -> None:
    cards = {"r0": FakeCard(), "r1": FakeCard(serial="SZ2025000002")}
    drv = PcscDriver(reader_names=lambda: list(cards), connect=cards.__getitem__)
    with pytest.raises(MultipleKeysFound):
        UnlockAgent(service, drv).unlock("ORD-1", new_pin=NEW_PIN, confirm_pin=NEW_PIN)
    result = UnlockAgent(service, drv).unlock("ORD-1", new_pin=NEW_PIN, confirm_pin=NEW_PIN,
                                              expected_key_serial="SZ2025000001")
    assert result.key_serial == "SZ2025000001" and cards["r1"].pin == "246810"
    empty = PcscDriver(reader_names=lambda: [], connect=cards.__getitem__)
    with pytest.raises(NoKeyFound):
        UnlockAgent(service, empty).unlock("ORD-1", new_pin=NEW_PIN, confirm_pin=NEW_PIN)


def test_a_card_refusing_the_cryptogram_is_not_confirmed(
        locked: FakeCard, driver: PcscDriver, service: AuthorityBackedService) -> None:
    authorise = service.authorise

    def forged(*args: str) -> UnlockGranted:
        return authorise(*args).model_copy(update={"cryptogram": "00" * 16})

    service.authorise = forged  # type: ignore[method-assign]
    with pytest.raises(UnlockCryptogramRefused) as err:
        UnlockAgent(service, driver).unlock("ORD-1", new_pin=NEW_PIN, confirm_pin=NEW_PIN)
    assert err.value.tries_left == 9
    assert [name for name, _ in service.calls] == ["authorise"]
    assert locked.tries == 0


def test_a_failed_confirmation_keeps_what_is_needed_to_retry(
        locked: FakeCard, driver: PcscDriver, service: AuthorityBackedService) -> None:
    def down(*args: str) -> OrderView:
        raise ApiUnavailable(503)

    real_confirm, service.confirm = service.confirm, down  # type: ignore[method-assign]
    with pytest.raises(UnlockIncomplete) as err:
        UnlockAgent(service, driver).unlock("ORD-1", new_pin=NEW_PIN, confirm_pin=NEW_PIN)
    assert locked.pin == NEW_PIN  # the card was reset
    assert "网厅服务暂时不可用" in err.value.message
    retried = real_confirm("ORD-1", err.value.authorisation_id, err.value.proof)
    assert retried.state == "completed"
