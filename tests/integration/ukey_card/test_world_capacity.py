"""A world whose readers are all taken says who holds them and how to free one."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator.virtual_ukey.world import VirtualUKeyWorld, WorldError

pytestmark = pytest.mark.pcsc


def test_no_free_reader_names_the_cards_their_holders_and_the_way_out(
        ukey_world: VirtualUKeyWorld, tmp_path: Path, ukey_master_key: bytes) -> None:
    world = VirtualUKeyWorld(tmp_path / "ukey", readers=2, holder="qa-pipeline-7")
    world.start()
    try:
        serials = [f"SZCAP{i:04d}" for i in range(3)]
        for serial in serials:
            world.create_card(serial, "123456", master_key=ukey_master_key,
                              key_store="software")
        for serial in serials[:2]:
            world.insert(serial)
        with pytest.raises(WorldError) as full:
            world.insert(serials[2], timeout_s=1)
        message = str(full.value)
        assert "没有空闲的读卡器" in message
        for serial in serials[:2]:
            assert f"U-KEY {serial}（qa-pipeline-7 插入）" in message
        assert "szca-ukey remove" in message and "--readers" in message
        assert world.status(serials[2]).reader is None
        # the test session's own world is another pcscd: none of these cards is in it
        assert not set(serials) & set(ukey_world.readers().values())
    finally:
        world.stop(force=True)
