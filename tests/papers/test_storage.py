"""The local paper store: whole files under random keys, no other shape of key."""

from __future__ import annotations

import pytest

from consult.papers.storage import LocalPaperStore, PaperStore, new_key, paper_store


def test_put_open_exists_delete(tmp_path):
    store: PaperStore = LocalPaperStore(tmp_path / "papers")
    key = new_key()
    assert not store.exists(key)
    store.put(key, b"%PDF-1.7 bytes")
    assert store.exists(key)
    with store.open(key) as stored:
        assert stored.read() == b"%PDF-1.7 bytes"
    assert (tmp_path / "papers").stat().st_mode & 0o777 == 0o700
    store.delete(key)
    store.delete(key)  # already gone: nothing happens
    assert not store.exists(key)
    with pytest.raises(FileNotFoundError):
        store.open(key)


@pytest.mark.parametrize("key", ["../../etc/passwd", "ABC", "", "a" * 31, "g" * 32])
def test_a_key_that_is_not_ours_is_refused(tmp_path, key):
    store = LocalPaperStore(tmp_path)
    with pytest.raises(ValueError):
        store.put(key, b"x")


def test_the_apps_store_is_under_its_instance_folder_unless_set(app, tmp_path):
    store = paper_store(app)
    assert isinstance(store, LocalPaperStore)
    assert store.root == tmp_path / "instance" / "papers"
