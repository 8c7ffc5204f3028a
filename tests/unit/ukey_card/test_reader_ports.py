"""A world's pcscd layout: reader ports, reader limit, the socket path its clients use."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator.virtual_ukey import pcsc
from emulator.virtual_ukey.world import DEFAULT_BASE_PORT, DEFAULT_READERS


def test_default_reader_ports_lie_below_the_ephemeral_range() -> None:
    low, _high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    assert low > DEFAULT_BASE_PORT + DEFAULT_READERS - 1


def test_the_socket_lives_in_the_world_directory_when_the_path_fits(tmp_path: Path) -> None:
    assert pcsc.socket_path(tmp_path / "world") == tmp_path / "world" / "pcscd" / "pcscd.comm"


def test_a_world_directory_too_deep_for_a_socket_address_gets_a_short_one(
        tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60) / "world"
    socket = pcsc.socket_path(deep)
    assert len(str(socket)) <= 107  # sun_path: libpcsclite would cut a longer name off
    assert socket == pcsc.socket_path(deep)  # every client of the world computes the same
    assert socket != pcsc.socket_path(tmp_path / ("d" * 60) / ("f" * 60) / "world")


@pytest.mark.parametrize("count", [0, pcsc.MAX_READERS + 1])
def test_a_pcscd_serves_at_most_sixteen_readers(tmp_path: Path, count: int) -> None:
    with pytest.raises(pcsc.PcscError, match="1 to 16"):
        pcsc.write_reader_config(tmp_path / "conf", count, DEFAULT_BASE_PORT)


def test_sixteen_readers_are_eight_vpcd_entries_with_a_driver_copy_each(tmp_path: Path) -> None:
    readers = pcsc.write_reader_config(tmp_path / "conf", 16, DEFAULT_BASE_PORT)
    assert [r.port for r in readers] == list(range(DEFAULT_BASE_PORT, DEFAULT_BASE_PORT + 16))
    assert len(list((tmp_path / "drivers").glob("libifdvpcd-*.so"))) == 8


def test_card_processes_run_in_the_network_namespace_of_their_pcscd() -> None:
    assert pcsc.in_network_of(4242, ["python", "-m", "card"]) == [
        "nsenter", "--net=/proc/4242/ns/net", "--", "python", "-m", "card"]


def test_without_root_a_world_refuses_to_start_and_says_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from emulator.virtual_ukey.world import VirtualUKeyWorld, WorldError

    monkeypatch.setattr(pcsc.os, "geteuid", lambda: 1000)
    world = VirtualUKeyWorld(tmp_path / "ukey", holder="non-root")
    with pytest.raises(WorldError, match="需要 root 权限"):
        world.start()
    assert not world.running()
