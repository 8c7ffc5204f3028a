"""The pcsc profile: its bounds, and its cards really sit in vpcd readers of pcscd —
blocked, showing the persona, unlocked only by the master key's cryptogram, every APDU
through pyscard (and through the offload hook the Locust user passes)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509

from emulator.personas import PersonaCertificate, TestCA
from emulator.personas.bulk import BulkSettings
from emulator.virtual_ukey.protocol import derive_unlock_key, unlock_cryptogram
from emulator.virtual_ukey.world import VirtualUKeyWorld
from load.cards import NEW_PIN
from load.manifest import WorldManifest
from load.population import build_population
from load.profiles import ALL_CLASSES, PROFILES, READER_CLASSES
from load.reader_cards import INITIAL_PIN, ReaderCards
from szca_unlock.ukey import PinBlocked, UKeyError


def test_pcsc_profile_is_small_bounded_and_the_only_one_with_readers() -> None:
    pcsc = PROFILES["pcsc"]
    assert pcsc.classes == READER_CLASSES and pcsc.card_readers and pcsc.strict
    users, _ = pcsc.shape.plan(0) or (0, 0)
    assert 1 <= users <= 2
    assert pcsc.duration_s + pcsc.stop_timeout_s <= 60
    others = [p for p in PROFILES.values() if p.name != "pcsc"]
    assert not any(p.card_readers or set(p.classes) & set(READER_CLASSES) for p in others)
    assert not set(READER_CLASSES) & set(ALL_CLASSES)  # smoke (2 per class) stays pcscd-free


def test_manifest_keeps_the_reader_world_and_reads_older_files(tmp_path: Path) -> None:
    path = tmp_path / "world.json"
    WorldManifest("http://s", "http://m", "00" * 32, "p", ca_dir="/w/ca",
                  ukey_home="/w/ukey").write(path)
    assert (WorldManifest.read(path).ca_dir, WorldManifest.read(path).ukey_home) == (
        "/w/ca", "/w/ukey")
    path.write_text('{"service_url": "s", "mock_url": "m", "master_key_hex": "", '
                    '"population": "p"}')
    assert WorldManifest.read(path).ukey_home == ""  # no readers: the pcsc user refuses


@pytest.fixture(scope="module")
def persona(tmp_path_factory: pytest.TempPathFactory) -> tuple[TestCA, PersonaCertificate]:
    ca = TestCA.load_or_create(tmp_path_factory.mktemp("ca") / "ca")
    population = build_population(BulkSettings(count=10, seed=5, certs_per_key=10), ca)
    certificate = population.accounts()["personal"][0].certificate
    assert certificate is not None
    return ca, certificate


@pytest.fixture(scope="module")
def reader_world(ukey_world: VirtualUKeyWorld) -> Path:
    """This test process's world (its PC/SC clients, the agent's driver, talk to it)."""
    return ukey_world.repo.home


@pytest.mark.pcsc
def test_card_in_a_reader_is_blocked_and_unlocks_with_the_cryptogram(
        reader_world: Path, persona: tuple[TestCA, PersonaCertificate]) -> None:
    ca, certificate = persona
    master_key = os.urandom(32)
    offloaded: list[str] = []

    def offload(func: Callable[..., Any], args: Any) -> Any:
        offloaded.append(getattr(func, "__name__", type(func).__name__))
        return func(*args)

    cards = ReaderCards(reader_world, ca, master_key, offload)
    card = cards.insert_locked(certificate)
    try:
        assert cards.world.status(card.serial).reader == card.reader
        keys = card.driver.list_keys()
        assert [(k.serial, k.reader) for k in keys] == [(certificate.key_serial, card.reader)]
        with card.driver.open(keys[0]) as key:
            issued = x509.load_der_x509_certificate(key.certificate())
            assert f"{issued.serial_number:X}" == certificate.serial_hex.lstrip("0")
            with pytest.raises(PinBlocked):
                key.verify_pin(INITIAL_PIN)
            wrong = unlock_cryptogram(derive_unlock_key(os.urandom(32), card.serial),
                                      card.serial, key.get_challenge())
            with pytest.raises(UKeyError):
                key.reset_retry_counter(wrong, NEW_PIN)
            right = unlock_cryptogram(derive_unlock_key(master_key, card.serial), card.serial,
                                      key.get_challenge())
            key.reset_retry_counter(right, NEW_PIN)
            key.verify_pin(NEW_PIN)
        assert {"PyscardConnection", "transmit", "close"} <= set(offloaded)
    finally:
        cards.discard(card.serial)
    assert not cards.world.repo.exists(card.serial)


@pytest.mark.pcsc
def test_a_leftover_card_is_replaced_and_discard_all_empties_the_readers(
        reader_world: Path, persona: tuple[TestCA, PersonaCertificate]) -> None:
    ca, certificate = persona
    cards = ReaderCards(reader_world, ca, os.urandom(32))
    first = cards.insert_locked(certificate)
    second = cards.insert_locked(certificate)  # the first visit was cut short
    assert cards.world.status(second.serial).reader == second.reader
    assert cards.tries_left(second.serial) == 0
    cards.discard_all()
    assert cards.world.repo.serials() == []
    record = cards.world.registry.peek()
    record.prune()
    assert record.find(cards.world.repo.home, first.serial) is None
