"""What PKCS#11 middleware (OpenSC's PIV driver) makes of a card, from its state alone:
for ``szca-ukey status`` and for tests that look a token up by its serial."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import NameOID

from emulator.virtual_ukey.piv import objects as o
from emulator.virtual_ukey.state import CardState

OPENSC_CARD_NAME = "Personal Identity Verification Card"  # opensc-tool -n
_PKCS11_SERIAL_CHARS = 16  # CK_TOKEN_INFO.serialNumber: OpenSC keeps the GUID's last 16


@dataclass(frozen=True)
class PivView:
    card_name: str
    token_label: str
    token_serial: str  # what pkcs11-tool -L prints as "serial num"
    guid: str  # pkcs15-tool -D: the full GUID from the CHUID
    slots: tuple[o.KeySlot, ...]
    pin_max_through_piv: int


def piv_view(state: CardState) -> PivView:
    guid = o.card_guid(state.serial).hex()
    label = "PIV_II"
    if state.cert_der:
        cert = x509.load_der_x509_certificate(bytes.fromhex(state.cert_der))
        names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        if names:
            label = str(names[0].value)
    return PivView(
        card_name=OPENSC_CARD_NAME,
        token_label=label,
        token_serial=guid[-_PKCS11_SERIAL_CHARS:],
        guid=guid,
        slots=o.HOLDER_SLOTS if state.cert_der else (),
        pin_max_through_piv=min(state.pin_max, o.PIN_LENGTH),
    )


def describe_piv(state: CardState) -> str:
    """One paragraph in Chinese: what OpenSC and every PKCS#11 application will see."""
    view = piv_view(state)
    slots = "、".join(
        f"{s.key_ref:02X}（{s.name}{'，每次签名前都要输入 PIN' if s.pin_always else ''}）"
        for s in view.slots) or "无"
    if state.blocked:
        pin = "已锁死（PKCS#11 显示 user PIN locked，登录返回 CKR_PIN_LOCKED）"
    else:
        pin = f"还可尝试 {state.tries_left}/{state.max_tries} 次"
    longer = (f"；长于 {view.pin_max_through_piv} 位的 PIN 无法通过 PIV 输入"
              if state.pin_max > view.pin_max_through_piv else "")
    return (f"PIV：OpenSC 识别为 {view.card_name}，PKCS#11 令牌“{view.token_label}”"
            f"（序列号 {view.token_serial}）；证书与私钥 {slots}；"
            f"PIN（引用 80）与本卡 PIN 共用一个计数器，{pin}{longer}；"
            "没有 PUK，锁死后请到网厅办理解锁")
