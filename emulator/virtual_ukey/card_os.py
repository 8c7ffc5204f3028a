"""The U-KEY card OS: one INS table, status words raised as ``SwError`` and caught in
``execute`` only. Same interface as ``virtualsmartcard.SmartcardOS`` (getATR, powerUp,
powerDown, reset, execute) so either transport can drive it.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from emulator.virtual_ukey import protocol as p
from emulator.virtual_ukey.apdu import CommandAPDU, ResponseAPDU, StatusWord, SwError
from emulator.virtual_ukey.keystore import CardKey
from emulator.virtual_ukey.pin import PinChecker, PinHash, PinPolicy
from emulator.virtual_ukey.state import CardState

SW = StatusWord
# T=1 only (TD1 = 01); historical bytes: category 80, issuer data "SZCAUKY"
_HIST = bytes([0x80, 0x57]) + b"SZCAUKY"
_ATR_BODY = bytes([0x80 | len(_HIST), 0x01]) + _HIST


def _tck(body: bytes) -> int:
    check = 0
    for byte in body:
        check ^= byte
    return check


ATR = bytes([0x3B]) + _ATR_BODY + bytes([_tck(_ATR_BODY)])


@dataclass
class _Session:
    """Forgotten at power-down and reset."""

    verified: bool = False
    current_ef: bool = False
    challenge: bytes | None = None
    challenge_at: float = 0.0


class UKeyOS:
    """One card. ``save`` persists a new state (atomic); ``clock`` is monotonic seconds."""

    def __init__(
        self,
        state: CardState,
        key: CardKey,
        save: Callable[[CardState], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._state = state
        self._key = key
        self._save = save
        self._clock = clock
        self._pins = PinChecker(PinHash.parse(state.pin_hash))
        self._session = _Session()
        self._policy = PinPolicy(state.pin_min, state.pin_max)
        self._table: dict[int, Callable[[CommandAPDU], bytes | ResponseAPDU]] = {
            0xA4: self._select,
            0xCA: self._get_data,
            0xB0: self._read_binary,
            0x20: self._verify,
            0x24: self._change_reference_data,
            0x84: self._get_challenge,
            0x2C: self._reset_retry_counter,
            0x2A: self._pso,
        }

    # --- SmartcardOS interface -------------------------------------------------------
    @property
    def state(self) -> CardState:
        return self._state

    def getATR(self) -> bytes:
        return ATR

    def powerUp(self) -> None:
        self._session = _Session()

    def powerDown(self) -> None:
        self._session = _Session()

    def reset(self) -> None:
        self._session = _Session()

    def execute(self, msg: bytes) -> bytes:
        """Run one command APDU; every failure becomes a status word here."""
        try:
            apdu = CommandAPDU.parse(msg)
            if apdu.cla != p.CLA:
                raise SwError(SW.CLA_NOT_SUPPORTED)
            handler = self._table.get(apdu.ins)
            if handler is None:
                raise SwError(SW.INS_NOT_SUPPORTED)
            result = handler(apdu)
            if isinstance(result, ResponseAPDU):
                return result.render()
            return ResponseAPDU(SW.OK, result).render()
        except SwError as err:
            return ResponseAPDU(err.sw).render()

    # --- helpers ----------------------------------------------------------------------
    def _update(self, **changes: object) -> None:
        new = self._state.with_(**changes)
        if new != self._state:
            self._save(new)  # persist first: a crash must not forget a wrong try
            self._state = new

    @staticmethod
    def _p1p2(apdu: CommandAPDU, p1: int, p2: int) -> None:
        if (apdu.p1, apdu.p2) != (p1, p2):
            raise SwError(SW.WRONG_P1P2)

    @staticmethod
    def _fit_le(apdu: CommandAPDU, data: bytes) -> bytes:
        if apdu.le is not None and apdu.le < len(data):
            raise SwError(SW.wrong_le(len(data)))
        return data

    def _check_user_pin(self, pin: bytes) -> None:
        """Count a try of the user PIN: 6983 blocked, 63Cx wrong (6983 at the last)."""
        if self._state.blocked:
            raise SwError(SW.AUTH_METHOD_BLOCKED)
        if self._pins.matches(pin):
            if self._state.tries_left != self._state.max_tries:  # skip the copy on the hot path
                self._update(tries_left=self._state.max_tries)
            return
        self._session.verified = False
        left = self._state.tries_left - 1
        self._update(tries_left=left)
        raise SwError(SW.tries_left(left) if left else SW.AUTH_METHOD_BLOCKED)

    # --- commands ---------------------------------------------------------------------
    def _select(self, apdu: CommandAPDU) -> bytes:
        self._p1p2(apdu, 0x04, 0x00)
        if apdu.data != p.AID:
            raise SwError(SW.FILE_NOT_FOUND)
        proprietary = bytes([0xA5, 3, p.APP_VERSION, self._state.max_tries, self._state.admin_max])
        body = bytes([0x84, len(p.AID)]) + p.AID + proprietary
        return bytes([0x6F, len(body)]) + body

    def _get_data(self, apdu: CommandAPDU) -> bytes:
        tag = apdu.p1 << 8 | apdu.p2
        s = self._state
        if tag == p.TAG_SERIAL:
            data = s.serial.encode("ascii")
        elif tag == p.TAG_PIN_INFO:
            data = bytes([s.tries_left, s.max_tries, int(s.blocked), s.admin_left,
                          s.admin_max, s.pin_min, s.pin_max])
        else:
            raise SwError(SW.DATA_NOT_FOUND)
        return self._fit_le(apdu, data)

    def _read_binary(self, apdu: CommandAPDU) -> bytes | ResponseAPDU:
        if apdu.p1 & 0x80:
            if apdu.p1 & 0x7F != p.CERT_SFI:
                raise SwError(SW.FILE_NOT_FOUND)
            offset = apdu.p2
        elif self._session.current_ef:
            offset = (apdu.p1 << 8 | apdu.p2) & 0x7FFF
        else:
            raise SwError(SW.NO_CURRENT_EF)
        cert = bytes.fromhex(self._state.cert_der)
        if not cert:
            raise SwError(SW.FILE_NOT_FOUND)
        self._session.current_ef = True
        if offset >= len(cert):
            raise SwError(SW.OFFSET_BEYOND_END)
        wanted = apdu.le or 256
        chunk = cert[offset : offset + wanted]
        if len(chunk) < wanted:
            return ResponseAPDU(SW.END_OF_FILE, chunk)
        return chunk

    def _verify(self, apdu: CommandAPDU) -> bytes:
        self._p1p2(apdu, 0x00, p.PIN_REF)
        if not apdu.data:  # status query: no try used
            if self._state.blocked:
                raise SwError(SW.AUTH_METHOD_BLOCKED)
            if not self._session.verified:
                raise SwError(SW.tries_left(self._state.tries_left))
            return b""
        self._check_user_pin(apdu.data)
        self._session.verified = True
        return b""

    def _change_reference_data(self, apdu: CommandAPDU) -> bytes:
        self._p1p2(apdu, 0x00, p.PIN_REF)
        if len(apdu.data) != 2 * p.PIN_FIELD:
            raise SwError(SW.WRONG_LENGTH)
        old = apdu.data[: p.PIN_FIELD].rstrip(bytes([p.PIN_PAD]))
        new = apdu.data[p.PIN_FIELD :].rstrip(bytes([p.PIN_PAD]))
        if self._state.blocked:
            raise SwError(SW.AUTH_METHOD_BLOCKED)
        if not self._policy.accepts(new):  # checked first: a malformed new PIN costs no try
            raise SwError(SW.WRONG_DATA)
        self._check_user_pin(old)
        self._set_pin(new)
        self._session.verified = True
        return b""

    def _set_pin(self, pin: bytes) -> None:
        pin_hash = PinHash.create(pin)
        self._update(pin_hash=pin_hash.render(), tries_left=self._state.max_tries)
        self._pins.replace(pin_hash, pin)

    def _get_challenge(self, apdu: CommandAPDU) -> bytes:
        self._p1p2(apdu, 0x00, 0x00)
        if apdu.le != p.CHALLENGE_LEN or apdu.data:
            raise SwError(SW.WRONG_LENGTH)
        self._session.challenge = os.urandom(p.CHALLENGE_LEN)
        self._session.challenge_at = self._clock()
        return self._session.challenge

    def _take_challenge(self) -> bytes:
        """The session's challenge if still fresh; consumed whatever happens next."""
        challenge, issued = self._session.challenge, self._session.challenge_at
        self._session.challenge = None
        if challenge is None or self._clock() - issued > self._state.challenge_lifetime_s:
            raise SwError(SW.CONDITIONS_NOT_SATISFIED)
        return challenge

    def _reset_retry_counter(self, apdu: CommandAPDU) -> bytes:
        self._p1p2(apdu, 0x00, p.PIN_REF)
        if len(apdu.data) < p.CRYPTOGRAM_LEN + self._state.pin_min:
            raise SwError(SW.WRONG_LENGTH)
        challenge = self._take_challenge()
        if self._state.admin_blocked:
            raise SwError(SW.AUTH_METHOD_BLOCKED)
        key = bytes.fromhex(self._state.unlock_key)
        expected = p.unlock_cryptogram(key, self._state.serial, challenge)
        if not hmac.compare_digest(expected, apdu.data[: p.CRYPTOGRAM_LEN]):
            left = self._state.admin_left - 1
            self._update(admin_left=left)
            raise SwError(SW.tries_left(left) if left else SW.AUTH_METHOD_BLOCKED)
        new_pin = apdu.data[p.CRYPTOGRAM_LEN :]
        if not self._policy.accepts(new_pin):
            raise SwError(SW.WRONG_DATA)
        self._update(admin_left=self._state.admin_max)
        self._set_pin(new_pin)
        self._session.verified = False
        return p.unlock_receipt(key, self._state.serial, challenge)

    def _pso(self, apdu: CommandAPDU) -> bytes:
        self._p1p2(apdu, 0x9E, 0x9A)
        if len(apdu.data) != p.HASH_LEN:
            raise SwError(SW.WRONG_LENGTH)
        if not self._session.verified or self._state.blocked:
            raise SwError(SW.SECURITY_NOT_SATISFIED)
        return self._key.sign(apdu.data)

