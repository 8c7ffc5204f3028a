"""Talk to a card through pcscd with pyscard, as a user's application would."""

from __future__ import annotations

from smartcard.CardConnection import CardConnection
from smartcard.Exceptions import CardConnectionException, NoCardException
from smartcard.System import readers

from emulator.virtual_ukey.apdu import ResponseAPDU


class ReaderError(RuntimeError):
    """No such reader, or no card in it."""


class ReaderChannel:
    """A T=1 connection to the card in ``reader_name`` (a context manager)."""

    def __init__(self, reader_name: str) -> None:
        matches = [r for r in readers() if str(r) == reader_name]
        if not matches:
            raise ReaderError(f"找不到读卡器 {reader_name!r}")
        self._connection = matches[0].createConnection()
        try:
            self._connection.connect(CardConnection.T1_protocol)
        except (NoCardException, CardConnectionException) as exc:
            raise ReaderError(f"读卡器 {reader_name} 中没有 U-KEY") from exc

    def transmit(self, apdu: bytes | str) -> ResponseAPDU:
        raw = bytes.fromhex(apdu) if isinstance(apdu, str) else apdu
        data, sw1, sw2 = self._connection.transmit(list(raw))
        return ResponseAPDU(sw1 << 8 | sw2, bytes(data))

    def sw(self, apdu: bytes | str) -> int:
        return self.transmit(apdu).sw

    def close(self) -> None:
        self._connection.disconnect()
        self._connection.release()

    def __enter__(self) -> ReaderChannel:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
