"""The PC/SC edge: pyscard behind a two-method connection, so the card logic above it
can be tested with a fake connection."""

from __future__ import annotations

import contextlib
from typing import Protocol

from szca_unlock.ukey.errors import ReaderError


class CardConnection(Protocol):
    def transmit(self, apdu: bytes) -> bytes:
        """Send one command APDU; return the raw response (data ‖ SW1 SW2)."""

    def close(self) -> None: ...


class PyscardConnection:
    """A shared connection to the card in ``reader``; closing powers the card down, which
    ends the card session (so a verified PIN is forgotten)."""

    def __init__(self, reader: str) -> None:
        from smartcard.Exceptions import CardConnectionException, NoCardException
        from smartcard.System import readers

        if reader not in pcsc_reader_names():
            raise ReaderError(f"读卡器「{reader}」不存在，请重新插入 U-KEY 后重试")
        self._conn = next(r for r in readers() if str(r) == reader).createConnection()
        try:
            self._conn.connect()
        except NoCardException as exc:
            raise ReaderError("读卡器中没有 U-KEY") from exc
        except CardConnectionException as exc:
            raise ReaderError() from exc

    def transmit(self, apdu: bytes) -> bytes:
        from smartcard.Exceptions import CardConnectionException

        try:
            data, sw1, sw2 = self._conn.transmit(list(apdu))
        except CardConnectionException as exc:
            raise ReaderError() from exc
        return bytes(data) + bytes([sw1, sw2])

    def close(self) -> None:
        from smartcard.Exceptions import CardConnectionException

        with contextlib.suppress(CardConnectionException):  # card gone: nothing to release
            self._conn.disconnect()
        self._conn.release()


def pcsc_reader_names() -> list[str]:
    """Names of the PC/SC readers (none when no reader is attached)."""
    from smartcard.Exceptions import ListReadersException
    from smartcard.pcsc.PCSCExceptions import EstablishContextException
    from smartcard.System import readers

    try:
        return [str(r) for r in readers()]
    except ListReadersException:
        return []
    except EstablishContextException as exc:
        raise ReaderError("智能卡服务（PC/SC）未启动，请启动后重试") from exc
