"""The PIV Card Application (SP 800-73-4 Part 2) on the card's one PIN and one key.

Reference 80 is the card's PIN in PIV's format (8 bytes, FF-padded); its retry counter is
the card's own (``CardContext``): a wrong PIN here costs the same try as one through the
SZCA application. The holder has no PUK and the card no administration key; unblocking is
the CA's remote unlock (docs/decisions/virtual-ukey.md).
"""

from __future__ import annotations

from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from emulator.virtual_ukey.apdu import CommandAPDU, ResponseAPDU, StatusWord, SwError
from emulator.virtual_ukey.card_context import CardContext
from emulator.virtual_ukey.piv import objects as o
from emulator.virtual_ukey.piv.tlv import parse_or_6a80, tlv

SW = StatusWord
Handler = Callable[[CommandAPDU], "bytes | ResponseAPDU"]


def _ecdsa_der(raw: bytes) -> bytes:
    half = len(raw) // 2
    return encode_dss_signature(int.from_bytes(raw[:half], "big"),
                                int.from_bytes(raw[half:], "big"))


class PivApplet:
    aid = o.PIV_AID
    name = "PIV"
    pin_reference = o.PIN_REF

    def __init__(self, card: CardContext) -> None:
        self._card = card
        self.commands: dict[int, Handler] = {
            0xCB: self._get_data,
            0x20: self._verify,
            0x24: self._change_reference_data,
            0x2C: self._reset_retry_counter,
            0x87: self._general_authenticate,
        }

    def select_response(self) -> bytes:
        return o.application_property_template()

    # --- GET DATA ------------------------------------------------------------------------
    def _get_data(self, apdu: CommandAPDU) -> bytes:
        if (apdu.p1, apdu.p2) != (0x3F, 0xFF):
            raise SwError(SW.WRONG_P1P2)
        objects = parse_or_6a80(apdu.data)
        if len(objects) != 1 or objects[0][0] != 0x5C or not 1 <= len(objects[0][1]) <= 3:
            raise SwError(SW.WRONG_DATA, "GET DATA wants one tag list 5C")
        tag = int.from_bytes(objects[0][1], "big")
        value = o.data_object(self._card.state, tag)
        if value is None:
            raise SwError(SW.FILE_NOT_FOUND)
        return value

    # --- the PIN ---------------------------------------------------------------------------
    @staticmethod
    def _unpad(field: bytes) -> bytes:
        return field.rstrip(bytes([o.PIN_PAD]))

    def _verify(self, apdu: CommandAPDU) -> bytes:
        if apdu.p1 not in (0x00, 0xFF):
            raise SwError(SW.WRONG_P1P2)
        if apdu.p1 == 0xFF:  # reset the security status of the PIN (800-73-4: logout)
            if apdu.data:
                raise SwError(SW.WRONG_LENGTH)
            self._card.logout()
            return b""
        if not apdu.data:
            self._card.pin_status()
            return b""
        if len(apdu.data) != o.PIN_LENGTH:
            raise SwError(SW.WRONG_DATA, "the PIV PIN field is 8 bytes, padded with FF")
        self._card.verify_user_pin(self._unpad(apdu.data))
        return b""

    def _change_reference_data(self, apdu: CommandAPDU) -> bytes:
        if apdu.p1 != 0x00:
            raise SwError(SW.WRONG_P1P2)
        if len(apdu.data) != 2 * o.PIN_LENGTH:
            raise SwError(SW.WRONG_DATA, "old and new PIN, 8 bytes each")
        old, new = apdu.data[: o.PIN_LENGTH], apdu.data[o.PIN_LENGTH :]
        self._card.change_user_pin(self._unpad(old), self._unpad(new))
        return b""

    def _reset_retry_counter(self, apdu: CommandAPDU) -> bytes:
        """RESET RETRY COUNTER needs the PUK, and no PUK was ever issued: the PIN is
        unblocked only by the CA (the SZCA application's RESET RETRY COUNTER)."""
        if apdu.p1 != 0x00:
            raise SwError(SW.WRONG_P1P2)
        if len(apdu.data) != 2 * o.PIN_LENGTH:
            raise SwError(SW.WRONG_DATA, "PUK and new PIN, 8 bytes each")
        raise SwError(SW.AUTH_METHOD_BLOCKED, "no PUK: unblocking goes through the CA")

    # --- GENERAL AUTHENTICATE ------------------------------------------------------------
    def _general_authenticate(self, apdu: CommandAPDU) -> bytes:
        key_slot = o.slot(apdu.p2)
        if key_slot is None:
            raise SwError(SW.DATA_NOT_FOUND, f"no key {apdu.p2:02X} on this card")
        if apdu.p1 != o.ALG_ECC_P256:
            raise SwError(SW.WRONG_P1P2, "the key is ECC P-256 (algorithm 11)")
        template = parse_or_6a80(apdu.data)
        if len(template) != 1 or template[0][0] != 0x7C:
            raise SwError(SW.WRONG_DATA, "dynamic authentication template 7C expected")
        fields = dict(parse_or_6a80(template[0][1]))
        if fields.get(0x82) != b"" or 0x81 not in fields:
            raise SwError(SW.WRONG_DATA, "signing wants 81 (the hash) and an empty 82")
        digest = fields[0x81]
        if not 1 <= len(digest) <= 32:
            raise SwError(SW.WRONG_DATA, "P-256 signs a hash of at most 32 bytes")
        card = self._card
        if not card.may_sign():
            raise SwError(SW.SECURITY_NOT_SATISFIED)
        if key_slot.pin_always:
            if not card.session.verified_for_one_signature:
                raise SwError(SW.SECURITY_NOT_SATISFIED, "PIN Always: VERIFY first")
            card.session.verified_for_one_signature = False
        # a shorter hash is the same integer left-padded with zeros (ECDSA's bits2int)
        signature = _ecdsa_der(card.key.sign(digest.rjust(32, b"\x00")))
        return tlv(0x7C, tlv(0x82, signature))
