"""``szca-ukey status``'s PIV line: what OpenSC and PKCS#11 applications will see."""

from __future__ import annotations

import pytest

from emulator.virtual_ukey.piv import objects
from emulator.virtual_ukey.piv.view import describe_piv, piv_view


@pytest.fixture
def ukey_key_store() -> str:
    return "software"  # the view depends on the state only


def test_view_names_the_token_as_opensc_does(ukey_card_factory) -> None:
    state = ukey_card_factory()
    view = piv_view(state)
    assert view.card_name == "Personal Identity Verification Card"
    assert view.token_label == "U-KEY holder"  # the certificate's CN
    assert view.guid == objects.card_guid(state.serial).hex()
    assert view.token_serial == view.guid[-16:]
    assert [s.key_ref for s in view.slots] == [0x9A, 0x9C]


def test_status_line_for_a_usable_and_a_blocked_card(ukey_card_factory) -> None:
    state = ukey_card_factory(max_tries=3)
    text = describe_piv(state)
    assert "还可尝试 3/3 次" in text and "没有 PUK" in text
    assert "9C（Digital Signature，每次签名前都要输入 PIN）" in text
    assert "长于 8 位的 PIN 无法通过 PIV 输入" in text  # the card's rule allows 16
    blocked = describe_piv(state.with_(tries_left=0))
    assert "CKR_PIN_LOCKED" in blocked and "网厅" in blocked


def test_no_warning_when_every_pin_fits_the_piv_field(ukey_card_factory) -> None:
    state = ukey_card_factory(pin_max=8)
    assert "无法通过 PIV 输入" not in describe_piv(state)
