"""The reader ports: outside the ephemeral range, and a held port is named before pcscd
starts instead of pcscd failing to show its readers."""

from __future__ import annotations

import socket
from pathlib import Path

from emulator.virtual_ukey.pcsc import ports_in_use
from emulator.virtual_ukey.world import DEFAULT_BASE_PORT, DEFAULT_READERS


def test_default_reader_ports_lie_below_the_ephemeral_range() -> None:
    low, _high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    assert low > DEFAULT_BASE_PORT + DEFAULT_READERS - 1


def test_a_port_held_by_a_connection_is_reported_and_a_free_one_is_not() -> None:
    with socket.socket() as server, socket.socket() as client:
        server.bind(("127.0.0.1", 0))
        server.listen()
        client.connect(server.getsockname())  # the client's local end: an ephemeral port
        held = client.getsockname()[1]
        listening = server.getsockname()[1]
        with socket.socket() as spare:
            spare.bind(("127.0.0.1", 0))
            free = spare.getsockname()[1]
        assert ports_in_use([held, listening, free]) == [held, listening]
