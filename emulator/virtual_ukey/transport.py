"""The vpcd socket loop: 2-byte big-endian length, then a 1-byte control code or an APDU.

Speed: vpcd and the card talk in strict request/response turns, so delayed ACKs cost
~40 ms per APDU (~21 APDU/s). TCP_NODELAY on the socket plus TCP_QUICKACK before every
recv (Linux clears QUICKACK on its own) brings it to thousands per second.
"""

from __future__ import annotations

import socket
import struct
import time
from typing import Protocol

POWER_OFF, POWER_ON, RESET, GET_ATR = 0, 1, 2, 4
_QUICKACK = getattr(socket, "TCP_QUICKACK", None)


class SmartcardOS(Protocol):
    def getATR(self) -> bytes: ...
    def powerUp(self) -> None: ...
    def powerDown(self) -> None: ...
    def reset(self) -> None: ...
    def execute(self, msg: bytes) -> bytes: ...


class VpcdLink:
    """One TCP connection to a vpcd reader slot."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._header = bytearray(2)
        self._buffer = bytearray(65536)

    @classmethod
    def connect(cls, host: str, port: int, timeout_s: float = 10.0) -> VpcdLink:
        """Connect, retrying while the reader's port is not listening yet."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                return cls(socket.create_connection((host, port), timeout=timeout_s))
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _recv_into(self, view: memoryview) -> bool:
        got = 0
        while got < len(view):
            if _QUICKACK is not None:
                self.sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
            n = self.sock.recv_into(view[got:])
            if n == 0:
                return False
            got += n
        return True

    def receive(self) -> bytes | None:
        """The next message from vpcd, or None when the reader closed the connection."""
        if not self._recv_into(memoryview(self._header)):
            return None
        (size,) = struct.unpack("!H", self._header)
        view = memoryview(self._buffer)[:size]
        if not self._recv_into(view):
            return None
        return bytes(view)

    def send(self, payload: bytes) -> None:
        self.sock.sendall(struct.pack("!H", len(payload)) + payload)

    def close(self) -> None:
        self.sock.close()


def serve(card: SmartcardOS, link: VpcdLink) -> None:
    """Answer vpcd until it hangs up (card removed, pcscd stopped)."""
    link.sock.settimeout(None)
    try:
        while (msg := link.receive()) is not None:
            if len(msg) == 1:
                code = msg[0]
                if code == GET_ATR:
                    link.send(card.getATR())
                elif code == POWER_ON:
                    card.powerUp()
                elif code == POWER_OFF:
                    card.powerDown()
                elif code == RESET:
                    card.reset()
                continue
            link.send(card.execute(msg))
    except (ConnectionResetError, BrokenPipeError):
        pass
    finally:
        link.close()
