"""The virtual U-KEY world of one home: its own pcscd with N vpcd readers, and one
process per inserted card.

Used by the pytest fixtures, ``szca-ukey``, ``szca-emulator up`` and the load world. Card
state lives in the home (``$SZCA_HOME/ukey``), the world's record, pcscd socket and logs in
``<ukey home>/world``; pcscd and the cards run in private namespaces (see ``pcsc``), so no
other world sees its readers, cards or ports.
"""

from __future__ import annotations

import atexit
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulator.virtual_ukey import pcsc, processes
from emulator.virtual_ukey.factory import (
    CardSpec,
    CertificateIssuer,
    create_card,
    delete_card,
    reset_card,
)
from emulator.virtual_ukey.piv.view import describe_piv
from emulator.virtual_ukey.registry import Insertion, Registry, WorldRecord, runtime_dir_of
from emulator.virtual_ukey.state import CardRepository, CardState, ukey_home
from szca_unlock.logsetup import get_logger

log = get_logger("virtual_ukey.world")
DEFAULT_READERS = 8
INSERT_ATTEMPTS = 3
PRESENCE_TIMEOUT_S = 5.0
# vpcd's reader ports exist only in the world's own network namespace (see pcsc), so every
# world uses the same ones; below Linux's ephemeral range all the same.
DEFAULT_BASE_PORT = 29963


class WorldError(RuntimeError):
    """The world cannot do what was asked; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class CardStatus:
    serial: str
    key_store: str
    tries_left: int
    max_tries: int
    blocked: bool
    admin_left: int
    admin_max: int
    admin_blocked: bool
    reader: str | None
    piv: str  # what PKCS#11 middleware sees (piv.view.describe_piv)


def _master_key_from_env() -> bytes:
    raw = os.environ.get("SZCA_UNLOCK_MASTER_KEY", "")
    try:
        key = bytes.fromhex(raw)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise WorldError("需要 CA 主密钥：请设置 SZCA_UNLOCK_MASTER_KEY（64 位十六进制）")
    return key


class VirtualUKeyWorld:
    """``start()`` joins (or starts) the world as ``holder``; ``stop()`` leaves it."""

    def __init__(
        self,
        home: Path | None = None,
        *,
        runtime_dir: Path | None = None,
        readers: int = DEFAULT_READERS,
        base_port: int = DEFAULT_BASE_PORT,
        holder: str | None = None,
    ) -> None:
        self.repo = CardRepository(home or ukey_home())
        self.registry = Registry(runtime_dir or runtime_dir_of(self.repo.home))
        self.socket = pcsc.socket_path(self.registry.dir)
        self.pcsc = pcsc.WorldPcsc(self.socket)
        self.reader_count = readers
        self.base_port = base_port
        self.holder = holder or f"pid-{os.getpid()}"
        self._holder_pid = None if holder else os.getpid()

    def _holder_entry(self) -> list[int] | None:
        if self._holder_pid is None:
            return None
        return [self._holder_pid, processes.start_time(self._holder_pid) or 0]

    # --- the world ----------------------------------------------------------------
    def start(self) -> list[str]:
        """Start pcscd with our readers unless it already runs; return the reader names."""
        with self.registry.locked() as rec:
            rec.prune()
            if not rec.running:
                self._boot(rec)
            rec.holders[self.holder] = self._holder_entry()
            names = [r.name for r in rec.readers]
        if self._holder_pid is not None:
            atexit.register(self.stop)
        return names

    def _boot(self, rec: WorldRecord) -> None:
        """Start this world's pcscd. What a killed world left behind (card processes, the
        pcscd socket) is cleaned first; only processes recorded here, by PID and start time."""
        for card in rec.cards.values():
            processes.stop(card.pid, started=card.started)
        processes.stop(rec.pcscd_pid, started=rec.pcscd_started)
        rec.pcscd_pid, rec.pcscd_started, rec.cards, rec.holders = None, None, {}, {}
        why_not = pcsc.namespaces_available()
        if why_not:
            raise WorldError(why_not)
        conf_dir = self.registry.dir / "reader.conf.d"
        try:
            readers = pcsc.write_reader_config(conf_dir, self.reader_count, self.base_port)
        except pcsc.PcscError:
            raise WorldError(f"读卡器数量须在 1 到 {pcsc.MAX_READERS} 之间"
                             f"（一个 pcscd 最多服务 {pcsc.MAX_READERS} 个读卡器）") from None
        log_path = self.registry.dir / "logs" / "pcscd.log"
        pid = pcsc.start_pcscd(conf_dir, self.socket.parent, log_path)
        started = processes.start_time(pid)
        try:
            self.pcsc.wait_for_readers([r.name for r in readers])
        except pcsc.PcscError as exc:
            processes.stop(pid)
            raise WorldError(f"读卡器服务 pcscd 启动失败，日志见 {log_path}") from exc
        rec.pcscd_pid, rec.pcscd_started, rec.readers = pid, started, readers
        log.info("pcscd started (pid %s, socket %s) with %d virtual readers",
                 pid, self.socket, len(readers))

    def stop(self, force: bool = False) -> bool:
        """Leave the world; the last holder (or ``force``) stops cards and pcscd."""
        atexit.unregister(self.stop)
        with self.registry.locked() as rec:
            rec.holders.pop(self.holder, None)
            rec.prune()
            if rec.holders and not force:
                self._take_out_own_cards(rec)  # a holder that leaves takes its cards along
                return False
            for card in rec.cards.values():
                processes.stop(card.pid, started=card.started)
            processes.stop(rec.pcscd_pid, started=rec.pcscd_started)
            rec.pcscd_pid, rec.pcscd_started, rec.cards, rec.holders = None, None, {}, {}
        log.info("virtual U-KEY world stopped")
        return True

    def _take_out_own_cards(self, rec: WorldRecord) -> None:
        mine = [name for name, card in rec.cards.items() if card.holder == self.holder]
        for name in mine:
            card = rec.cards.pop(name)
            processes.stop(card.pid, started=card.started)
        for name in mine:
            if rec.running:
                self.pcsc.wait_card_presence(name, False)

    def running(self) -> bool:
        return self.registry.peek().running

    def holders(self) -> list[str]:
        rec = self.registry.peek()
        rec.prune()
        return sorted(rec.holders)

    def readers(self) -> dict[str, str | None]:
        """Reader name → serial of the card in it (None when free)."""
        rec = self.registry.peek()
        rec.prune()
        return {r.name: (rec.cards[r.name].serial if r.name in rec.cards else None)
                for r in rec.readers}

    # --- cards --------------------------------------------------------------------
    def create_card(
        self,
        serial: str,
        pin: str,
        *,
        issue_certificate: CertificateIssuer | None = None,
        master_key: bytes | None = None,
        **spec: Any,
    ) -> CardState:
        """Personalise a new card under this home (self-signed certificate by default)."""
        if issue_certificate is None:
            from emulator.virtual_ukey.selfsigned import self_signed_issuer

            issue_certificate = self_signed_issuer()
        return create_card(CardSpec(serial=serial, pin=pin, **spec), issue_certificate,
                           master_key=master_key or _master_key_from_env(), repo=self.repo)

    def reset_card(self, serial: str, pin: str) -> CardState:
        self._require_removed(serial, "恢复出厂状态")
        return reset_card(serial, pin, self.repo)

    def delete_card(self, serial: str) -> None:
        self._require_removed(serial, "删除")
        delete_card(serial, self.repo)

    def _require_removed(self, serial: str, action: str) -> None:
        self._require_card(serial)
        reader = self.status(serial).reader
        if reader:
            raise WorldError(f"U-KEY {serial} 仍插在读卡器 {reader} 上，请先拔出再{action}")

    def _require_card(self, serial: str) -> None:
        if not self.repo.exists(serial):
            raise WorldError(f"找不到序列号为 {serial} 的 U-KEY")

    def insert(self, serial: str, reader: str | None = None, timeout_s: float = 30.0) -> str:
        """Put the card into ``reader`` (or the first free one, waiting up to ``timeout_s``)."""
        self._require_card(serial)
        deadline = time.monotonic() + timeout_s
        attempt = 1
        while True:
            while (placed := self._try_insert(serial, reader)) is None:
                if time.monotonic() > deadline:
                    raise WorldError(self._no_free_reader())
                time.sleep(0.1)
            name, pid, ready = placed
            self._wait(ready.exists, pid, name, serial)
            try:
                self.pcsc.wait_card_presence(name, True, timeout_s=PRESENCE_TIMEOUT_S)
                return name
            except pcsc.PcscError:
                if attempt == INSERT_ATTEMPTS:
                    self.remove(serial)  # a failed insertion holds no reader
                    raise
            # Seen rarely right after a removal from the same reader: the card is connected
            # but pcscd's vpcd driver never reports it. Like a USB key plugged in too fast,
            # pull it out and insert it again (into the same reader).
            log.warning("pcscd did not see %s in %s; inserting it again", serial, name)
            self.remove(serial)
            attempt += 1

    def insert_external(
        self, label: str, argv_for_port: Callable[[int], list[str]], timeout_s: float = 30.0
    ) -> str:
        """Run another card program (e.g. a baseline card for benchmarks) in a free reader.

        It holds the reader like a card: ``remove(label)`` stops it.
        """
        deadline = time.monotonic() + timeout_s
        while (placed := self._try_insert(label, None, argv_for_port)) is None:
            if time.monotonic() > deadline:
                raise WorldError(self._no_free_reader())
            time.sleep(0.1)
        name, pid, _ = placed
        self.pcsc.wait_card_presence(name, True)
        if not processes.alive(pid):
            raise WorldError(f"{label} 启动失败，日志见 {self.registry.dir / 'logs'}")
        return name

    def _no_free_reader(self) -> str:
        """Who holds the readers and how to free one (the user's way out, in Chinese)."""
        rec = self.registry.peek()
        rec.prune()
        held = "；".join(f"{name}：U-KEY {card.serial}（{card.holder or '未知使用者'} 插入）"
                        for name, card in sorted(rec.cards.items()))
        return (f"没有空闲的读卡器：本环境（{self.repo.home}）的 {len(rec.readers)} 个读卡器都已"
                f"插有 U-KEY——{held}。请用 szca-ukey remove <序列号> 拔出不用的 U-KEY，"
                "或停止环境后用 szca-ukey up --readers N 启动更多读卡器"
                f"（最多 {pcsc.MAX_READERS} 个）")

    def _card_argv(self, serial: str, port: int, ready: Path) -> list[str]:
        return [sys.executable, "-m", "emulator.virtual_ukey.card_process",
                "--home", str(self.repo.home), "--serial", serial,
                "--port", str(port), "--ready", str(ready)]

    def _try_insert(
        self, serial: str, wanted: str | None,
        argv_for_port: Callable[[int], list[str]] | None = None,
    ) -> tuple[str, int, Path] | None:
        with self.registry.locked() as rec:
            rec.prune()
            if not rec.running:
                raise WorldError("虚拟读卡器环境未启动，请先运行 szca-ukey up")
            current = rec.find(self.repo.home, serial)
            if current:
                raise WorldError(f"U-KEY {serial} 已插在读卡器 {current} 上")
            free = [r.name for r in rec.readers if r.name not in rec.cards]
            if wanted is not None:
                try:
                    rec.reader(wanted)
                except KeyError:
                    raise WorldError(f"没有名为 {wanted!r} 的读卡器") from None
                if wanted not in free:
                    raise WorldError(f"读卡器 {wanted} 已插有 U-KEY {rec.cards[wanted].serial}")
                free = [wanted]
            if not free:
                return None
            name = free[0]
            port = rec.reader(name).port
            ready = self.registry.dir / "run" / f"{port}.ready"
            ready.parent.mkdir(exist_ok=True)
            ready.unlink(missing_ok=True)
            argv = (argv_for_port(port) if argv_for_port
                    else self._card_argv(serial, port, ready))
            assert rec.pcscd_pid is not None  # running
            pid = processes.spawn(pcsc.in_network_of(rec.pcscd_pid, argv),
                                  self.registry.dir / "logs" / f"card-{serial}.log")
            rec.cards[name] = Insertion(serial, str(self.repo.home), port, pid,
                                        processes.start_time(pid), self.holder)
        return name, pid, ready

    def _wait(self, done: Callable[[], bool], pid: int, reader: str, serial: str) -> None:
        deadline = time.monotonic() + 20
        while not done():
            if not processes.alive(pid) or time.monotonic() > deadline:
                processes.stop(pid)
                with self.registry.locked() as rec:
                    rec.cards.pop(reader, None)
                log_path = self.registry.dir / "logs" / f"card-{serial}.log"
                raise WorldError(f"U-KEY {serial} 未能接入读卡器 {reader}，日志见 {log_path}")
            time.sleep(0.02)

    def remove(self, serial: str) -> str:
        """Pull the card out; return the reader it was in."""
        with self.registry.locked() as rec:
            rec.prune()
            name = rec.find(self.repo.home, serial)
            if name is None:
                raise WorldError(f"U-KEY {serial} 没有插在任何读卡器上")
            card = rec.cards.pop(name)
            processes.stop(card.pid, started=card.started)
            if rec.running:  # under the lock: the reader is not reused before pcscd saw it empty
                self.pcsc.wait_card_presence(name, False)
        return name

    def status(self, serial: str) -> CardStatus:
        self._require_card(serial)
        state = self.repo.load(serial)
        rec = self.registry.peek()
        rec.prune()
        return CardStatus(
            serial=serial,
            key_store=str(state.key_ref["kind"]),
            tries_left=state.tries_left,
            max_tries=state.max_tries,
            blocked=state.blocked,
            admin_left=state.admin_left,
            admin_max=state.admin_max,
            admin_blocked=state.admin_blocked,
            reader=rec.find(self.repo.home, serial),
            piv=describe_piv(state),
        )

    def list_cards(self) -> list[CardStatus]:
        return [self.status(serial) for serial in self.repo.serials()]

    def __enter__(self) -> VirtualUKeyWorld:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
