"""The CA's own application (docs/unlock-protocol.md): serial, PIN (reference 81),
certificate, signing and the remote unlock (RESET RETRY COUNTER with the CA's cryptogram
over the card's last challenge)."""

from __future__ import annotations

import hmac
from collections.abc import Callable

from emulator.virtual_ukey import protocol as p
from emulator.virtual_ukey.apdu import CommandAPDU, ResponseAPDU, StatusWord, SwError
from emulator.virtual_ukey.card_context import CardContext

SW = StatusWord
Handler = Callable[[CommandAPDU], "bytes | ResponseAPDU"]


def check_p1p2(apdu: CommandAPDU, p1: int, p2: int) -> None:
    if (apdu.p1, apdu.p2) != (p1, p2):
        raise SwError(SW.WRONG_P1P2)


class SzcaApplet:
    """Selected implicitly at power-up; AID ``F0 53 5A 43 41 55 4B 45 59 01``."""

    aid = p.AID
    name = "SZCA"
    pin_reference = p.PIN_REF

    def __init__(self, card: CardContext) -> None:
        self._card = card
        self.commands: dict[int, Handler] = {
            0xCA: self._get_data,
            0xB0: self._read_binary,
            0x20: self._verify,
            0x24: self._change_reference_data,
            0x2C: self._reset_retry_counter,
            0x2A: self._pso,
        }

    def select_response(self) -> bytes:
        s = self._card.state
        proprietary = bytes([0xA5, 3, p.APP_VERSION, s.max_tries, s.admin_max])
        body = bytes([0x84, len(self.aid)]) + self.aid + proprietary
        return bytes([0x6F, len(body)]) + body

    @staticmethod
    def _fit_le(apdu: CommandAPDU, data: bytes) -> bytes:
        if apdu.le is not None and apdu.le < len(data):
            raise SwError(SW.wrong_le(len(data)))
        return data

    def _get_data(self, apdu: CommandAPDU) -> bytes:
        tag = apdu.p1 << 8 | apdu.p2
        s = self._card.state
        if tag == p.TAG_SERIAL:
            data = s.serial.encode("ascii")
        elif tag == p.TAG_PIN_INFO:
            data = bytes([s.tries_left, s.max_tries, int(s.blocked), s.admin_left,
                          s.admin_max, s.pin_min, s.pin_max])
        elif tag == p.TAG_LAST_RESET and "last_reset" in s.extra:
            last = s.extra["last_reset"]
            data = bytes.fromhex(last["challenge"]) + bytes.fromhex(last["receipt"])
        else:
            raise SwError(SW.DATA_NOT_FOUND)
        return self._fit_le(apdu, data)

    def _read_binary(self, apdu: CommandAPDU) -> bytes | ResponseAPDU:
        session = self._card.session
        if apdu.p1 & 0x80:
            if apdu.p1 & 0x7F != p.CERT_SFI:
                raise SwError(SW.FILE_NOT_FOUND)
            offset = apdu.p2
        elif session.current_ef:
            offset = (apdu.p1 << 8 | apdu.p2) & 0x7FFF
        else:
            raise SwError(SW.NO_CURRENT_EF)
        cert = bytes.fromhex(self._card.state.cert_der)
        if not cert:
            raise SwError(SW.FILE_NOT_FOUND)
        session.current_ef = True
        if offset >= len(cert):
            raise SwError(SW.OFFSET_BEYOND_END)
        wanted = apdu.le or 256
        chunk = cert[offset : offset + wanted]
        if len(chunk) < wanted:
            return ResponseAPDU(SW.END_OF_FILE, chunk)
        return chunk

    def _verify(self, apdu: CommandAPDU) -> bytes:
        if apdu.p1 == 0xFF:  # ISO 7816-4: reset the PIN's security status (logout)
            if apdu.data:
                raise SwError(SW.WRONG_LENGTH)
            self._card.logout()
            return b""
        check_p1p2(apdu, 0x00, p.PIN_REF)
        if not apdu.data:  # status query: no try used
            self._card.pin_status()
            return b""
        # FF padding is ignored as in CHANGE REFERENCE DATA (never part of a PIN)
        self._card.verify_user_pin(apdu.data.rstrip(bytes([p.PIN_PAD])))
        return b""

    def _change_reference_data(self, apdu: CommandAPDU) -> bytes:
        check_p1p2(apdu, 0x00, p.PIN_REF)
        if len(apdu.data) != 2 * p.PIN_FIELD:
            raise SwError(SW.WRONG_LENGTH)
        old = apdu.data[: p.PIN_FIELD].rstrip(bytes([p.PIN_PAD]))
        new = apdu.data[p.PIN_FIELD :].rstrip(bytes([p.PIN_PAD]))
        self._card.change_user_pin(old, new)
        return b""

    def _take_challenge(self) -> bytes:
        """The card's last challenge if it is an unlock challenge (16 bytes) and still
        fresh; consumed whatever happens next."""
        session = self._card.session
        challenge, issued = session.challenge, session.challenge_at
        session.challenge = None
        lifetime = self._card.state.challenge_lifetime_s
        if (challenge is None or len(challenge) != p.CHALLENGE_LEN
                or self._card.clock() - issued > lifetime):
            raise SwError(SW.CONDITIONS_NOT_SATISFIED)
        return challenge

    def _reset_retry_counter(self, apdu: CommandAPDU) -> bytes:
        check_p1p2(apdu, 0x00, p.PIN_REF)
        card = self._card
        if len(apdu.data) < p.CRYPTOGRAM_LEN + card.state.pin_min:
            raise SwError(SW.WRONG_LENGTH)
        challenge = self._take_challenge()
        if card.state.admin_blocked:
            raise SwError(SW.AUTH_METHOD_BLOCKED)
        key = bytes.fromhex(card.state.unlock_key)
        expected = p.unlock_cryptogram(key, card.state.serial, challenge)
        if not hmac.compare_digest(expected, apdu.data[: p.CRYPTOGRAM_LEN]):
            left = card.state.admin_left - 1
            card.update(admin_left=left)
            raise SwError(SW.tries_left(left) if left else SW.AUTH_METHOD_BLOCKED)
        new_pin = apdu.data[p.CRYPTOGRAM_LEN :]
        if not card.policy.accepts(new_pin):
            raise SwError(SW.WRONG_DATA)
        receipt = p.unlock_receipt(key, card.state.serial, challenge)
        # The proof of this reset is kept with the new PIN, in the same write: an agent
        # that dies before confirming leaves it readable (GET DATA 01 03) by the next run.
        card.set_pin(new_pin, admin_left=card.state.admin_max, extra={
            **card.state.extra, "last_reset": {"challenge": challenge.hex(),
                                               "receipt": receipt.hex()}})
        card.logout()
        return receipt

    def _pso(self, apdu: CommandAPDU) -> bytes:
        check_p1p2(apdu, 0x9E, 0x9A)
        if len(apdu.data) != p.HASH_LEN:
            raise SwError(SW.WRONG_LENGTH)
        if not self._card.may_sign():
            raise SwError(SW.SECURITY_NOT_SATISFIED)
        return self._card.key.sign(apdu.data)
