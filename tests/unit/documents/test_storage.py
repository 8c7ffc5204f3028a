import hashlib
import os
import stat

import pytest

from szca_unlock.documents import storage as storage_module
from szca_unlock.documents.storage import StoredFileError, UploadStorage


@pytest.fixture
def store(tmp_path):
    return UploadStorage(tmp_path / "uploads")


def _objects(store):
    return sorted(p for p in (store.root / "objects").rglob("*") if p.is_file())


def test_put_stores_content_addressed_read_only_file(store):
    data = b"%PDF-1.4 signed application form"
    stored = store.put(data, "application/pdf")
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data) and stored.content_type == "application/pdf"
    assert stored.path == store.root / "objects" / stored.sha256[:2] / stored.sha256[2:4] / \
        stored.sha256
    assert stored.path.read_bytes() == data
    assert stat.S_IMODE(stored.path.stat().st_mode) == 0o444
    assert list((store.root / "tmp").iterdir()) == []  # no temp file left behind


def test_replacing_keeps_the_original(store):
    first = store.put(b"first scan", "image/jpeg")
    second = store.put(b"better scan", "image/jpeg")
    assert first.path != second.path
    assert store.read(first.sha256) == b"first scan"
    assert store.read(second.sha256) == b"better scan"
    assert not hasattr(store, "delete")  # originals are never lost


def test_same_content_twice_is_stored_once_and_never_rewritten(store):
    first = store.put(b"licence", "image/jpeg")
    inode = first.path.stat().st_ino
    again = store.put(b"licence", "image/jpeg")
    assert again.path == first.path and first.path.stat().st_ino == inode
    assert len(_objects(store)) == 1


def test_read_detects_a_tampered_file(store):
    stored = store.put(b"original bytes", "image/bmp")
    os.chmod(stored.path, 0o644)
    stored.path.write_bytes(b"tampered bytes")
    with pytest.raises(StoredFileError) as info:
        store.read(stored.sha256)
    assert info.value.code == "upload.corrupted"
    assert "损坏" in info.value.message


def test_read_missing_file(store):
    with pytest.raises(StoredFileError) as info:
        store.read("a" * 64)
    assert info.value.code == "upload.missing"


@pytest.mark.parametrize("bad", ["../../etc/passwd", "A" * 64, "a" * 63, "", "a" * 63 + "/"])
def test_hash_from_outside_cannot_name_a_path(store, bad):
    with pytest.raises(ValueError):
        store.path_for(bad)


def test_failed_write_leaves_nothing_behind(store, monkeypatch):
    def broken_link(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(storage_module.os, "link", broken_link)
    with pytest.raises(OSError):
        store.put(b"half written", "image/gif")
    assert _objects(store) == []
    assert list((store.root / "tmp").iterdir()) == []
    assert not store.exists(hashlib.sha256(b"half written").hexdigest())


def test_concurrent_puts_of_the_same_upload_both_succeed(store):
    from concurrent.futures import ThreadPoolExecutor

    data = b"same scan uploaded twice at once" * 1000
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: store.put(data, "image/jpeg"), range(8)))
    assert {r.sha256 for r in results} == {hashlib.sha256(data).hexdigest()}
    assert len(_objects(store)) == 1 and store.read(results[0].sha256) == data
    assert list((store.root / "tmp").iterdir()) == []
