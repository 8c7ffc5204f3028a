"""The U-KEY card OS: two applications (the CA's own and PIV) on one PIN, one retry
counter and one key, behind the ISO 7816-4 layer middleware probes: SELECT by
(right-truncated) AID or of the MF, P2 = 0C, command chaining, extended APDUs and GET
RESPONSE for long answers.

The command set is card-wide: every instruction belongs to one application, and the PIN
commands (VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER) name theirs by the key
reference (81 the CA application's, 80 PIV's). SELECT answers the named application's
template. So PKCS#11 middleware selecting PIV on a shared reader never pulls the card
from under a program talking to the CA application, and the other way round.

Status words are raised as ``SwError`` and caught in ``execute`` only. Same interface as
``virtualsmartcard.SmartcardOS`` (getATR, powerUp, powerDown, reset, execute) so either
transport can drive it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from emulator.virtual_ukey.apdu import CommandAPDU, ResponseAPDU, StatusWord, SwError
from emulator.virtual_ukey.card_context import CardContext
from emulator.virtual_ukey.keystore import CardKey
from emulator.virtual_ukey.piv.applet import PivApplet
from emulator.virtual_ukey.state import CardState
from emulator.virtual_ukey.szca_applet import SzcaApplet

SW = StatusWord
# T=1 only (TD1 = 01); historical bytes: category 80, issuer data "SZCAUKY"
_HIST = bytes([0x80, 0x57]) + b"SZCAUKY"
_ATR_BODY = bytes([0x80 | len(_HIST), 0x01]) + _HIST
CLA_CHAINING = 0x10  # ISO 7816-4: more command APDUs of this chain follow
MF = bytes([0x3F, 0x00])
# FCI of the MF: a DF (82 01 38) with file identifier 3F00
_MF_FCI = bytes([0x6F, 0x07, 0x82, 0x01, 0x38, 0x83, 0x02, 0x3F, 0x00])
_MIN_AID = 5  # a right-truncated AID still names its RID
_MAX_CHALLENGE = 65536  # GET CHALLENGE: any Le ISO 7816-4 allows (extended Le 0000)
_PIN_COMMANDS = (0x20, 0x24, 0x2C)  # VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER


def _tck(body: bytes) -> int:
    check = 0
    for byte in body:
        check ^= byte
    return check


ATR = bytes([0x3B]) + _ATR_BODY + bytes([_tck(_ATR_BODY)])


Handler = Callable[[CommandAPDU], "bytes | ResponseAPDU"]


class Applet(Protocol):
    aid: bytes
    name: str
    pin_reference: int
    commands: dict[int, Handler]

    def select_response(self) -> bytes: ...


@dataclass
class _Transfer:
    """Per card session: a command chain being received, an answer being fetched."""

    chain_header: tuple[int, int, int] | None = None
    chain_data: bytes = b""
    pending: bytes = b""  # what GET RESPONSE hands out next


class UKeyOS:
    """One card. ``save`` persists a new state (atomic); ``clock`` is monotonic seconds."""

    def __init__(
        self,
        state: CardState,
        key: CardKey,
        save: Callable[[CardState], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._card = CardContext(state, key, save, clock)
        self._applets: tuple[Applet, ...] = (SzcaApplet(self._card), PivApplet(self._card))
        self._commands = self._command_table()
        self._transfer = _Transfer()

    # --- SmartcardOS interface -------------------------------------------------------
    @property
    def state(self) -> CardState:
        return self._card.state

    def getATR(self) -> bytes:
        return ATR

    def powerUp(self) -> None:
        self._new_session()

    def powerDown(self) -> None:
        self._new_session()

    def reset(self) -> None:
        self._new_session()

    def _new_session(self) -> None:
        self._card.new_session()
        self._transfer = _Transfer()

    def _command_table(self) -> dict[int, Handler]:
        table: dict[int, Handler] = {0xA4: self._select, 0x84: self._get_challenge}
        for ins in _PIN_COMMANDS:
            table[ins] = self._pin_command(ins)
        for applet in self._applets:
            for ins, handler in applet.commands.items():
                if ins in _PIN_COMMANDS:
                    continue
                if ins in table:
                    raise ValueError(f"INS {ins:02X} claimed twice")
                table[ins] = handler
        return table

    def _pin_command(self, ins: int) -> Handler:
        by_reference = {a.pin_reference: a.commands[ins] for a in self._applets
                        if ins in a.commands}

        def route(apdu: CommandAPDU) -> bytes | ResponseAPDU:
            handler = by_reference.get(apdu.p2)
            if handler is None:
                raise SwError(SW.WRONG_P1P2)
            return handler(apdu)

        return route

    def execute(self, msg: bytes) -> bytes:
        """Run one command APDU; every failure becomes a status word here."""
        try:
            apdu = CommandAPDU.parse(msg)
            pending, self._transfer.pending = self._transfer.pending, b""
            if apdu.cla == CLA_CHAINING:
                return self._chain(apdu).render()
            if apdu.cla != 0x00:
                raise SwError(SW.CLA_NOT_SUPPORTED)
            if apdu.ins == 0xC0:
                return self._get_response(apdu, pending).render()
            apdu = self._end_of_chain(apdu)
            result = self._dispatch(apdu)
            if isinstance(result, ResponseAPDU):
                return result.render()
            return self._answer(result, apdu).render()
        except SwError as err:
            return ResponseAPDU(err.sw).render()

    # --- ISO 7816-4 transport layer -----------------------------------------------------
    def _chain(self, apdu: CommandAPDU) -> ResponseAPDU:
        header = (apdu.ins, apdu.p1, apdu.p2)
        t = self._transfer
        if t.chain_header not in (None, header):
            t.chain_header, t.chain_data = None, b""
            raise SwError(SW.LAST_OF_CHAIN_EXPECTED)
        if len(t.chain_data) + len(apdu.data) > 65535:
            t.chain_header, t.chain_data = None, b""
            raise SwError(SW.WRONG_LENGTH)
        t.chain_header, t.chain_data = header, t.chain_data + apdu.data
        return ResponseAPDU(SW.OK)

    def _end_of_chain(self, apdu: CommandAPDU) -> CommandAPDU:
        t = self._transfer
        if t.chain_header is None:
            return apdu
        header, data = t.chain_header, t.chain_data
        t.chain_header, t.chain_data = None, b""
        if header != (apdu.ins, apdu.p1, apdu.p2):
            raise SwError(SW.LAST_OF_CHAIN_EXPECTED)
        return CommandAPDU(apdu.cla, apdu.ins, apdu.p1, apdu.p2, data + apdu.data, apdu.le,
                           apdu.extended)

    def _answer(self, data: bytes, apdu: CommandAPDU) -> ResponseAPDU:
        """Hand out at most Le bytes (256 without Le); the rest waits for GET RESPONSE."""
        limit = apdu.le or 256
        if len(data) <= limit:
            return ResponseAPDU(SW.OK, data)
        self._transfer.pending = data[limit:]
        return ResponseAPDU(SW.more_data(len(data) - limit), data[:limit])

    def _get_response(self, apdu: CommandAPDU, pending: bytes) -> ResponseAPDU:
        if (apdu.p1, apdu.p2) != (0x00, 0x00):
            raise SwError(SW.WRONG_P1P2)
        if not pending:
            raise SwError(SW.CONDITIONS_NOT_SATISFIED, "no answer is waiting")
        limit = apdu.le or 256
        if len(pending) <= limit:
            return ResponseAPDU(SW.OK, pending)
        self._transfer.pending = pending[limit:]
        return ResponseAPDU(SW.more_data(len(pending) - limit), pending[:limit])

    def _dispatch(self, apdu: CommandAPDU) -> bytes | ResponseAPDU:
        handler = self._commands.get(apdu.ins)
        if handler is None:
            raise SwError(SW.INS_NOT_SUPPORTED)
        return handler(apdu)

    def _get_challenge(self, apdu: CommandAPDU) -> bytes:
        """Le random bytes (1..65536); the card remembers the last challenge with its time
        (RESET RETRY COUNTER of the CA application takes a 16-byte one)."""
        if (apdu.p1, apdu.p2) != (0x00, 0x00):
            raise SwError(SW.WRONG_P1P2)
        if apdu.data or apdu.le is None or not 1 <= apdu.le <= _MAX_CHALLENGE:
            raise SwError(SW.WRONG_LENGTH)
        session = self._card.session
        session.challenge = os.urandom(apdu.le)
        session.challenge_at = self._card.clock()
        return session.challenge

    # --- SELECT -----------------------------------------------------------------------------
    def _select(self, apdu: CommandAPDU) -> bytes:
        """By AID (P1 04, a right-truncated AID of at least the RID), or the MF (P1 00 with
        3F00 or no data). P2 00 answers the template, 0C nothing. Selecting keeps the card
        session (the PIN's verification, the challenge)."""
        if apdu.p2 not in (0x00, 0x0C):
            raise SwError(SW.WRONG_P1P2)
        if apdu.p1 == 0x04:
            applet = self._find_applet(apdu.data)
            return b"" if apdu.p2 == 0x0C else applet.select_response()
        if apdu.p1 == 0x00:
            if apdu.data not in (b"", MF):
                raise SwError(SW.FILE_NOT_FOUND if len(apdu.data) == 2
                              else SW.LC_INCONSISTENT_WITH_P1P2)
            return b"" if apdu.p2 == 0x0C else _MF_FCI
        if apdu.p1 in (0x01, 0x02, 0x08, 0x09):  # DF, EF, path: the card has no files
            raise SwError(SW.FILE_NOT_FOUND)
        raise SwError(SW.WRONG_P1P2)

    def _find_applet(self, aid: bytes) -> Applet:
        if len(aid) >= _MIN_AID:
            for applet in self._applets:
                if applet.aid.startswith(aid):
                    return applet
        raise SwError(SW.FILE_NOT_FOUND)
