"""Cache entries are written whole or not at all, and a cache the file system refuses is only a miss."""

from __future__ import annotations

from techpack import cachefile


def test_an_entry_reads_back_and_a_new_write_replaces_it_whole(tmp_path):
    path = tmp_path / "ab" / "abcdef.pdf"
    assert cachefile.read(path) is None
    assert cachefile.write(path, b"one")
    assert cachefile.read(path) == b"one"
    inode = path.stat().st_ino
    assert cachefile.write(path, b"two, longer")
    assert cachefile.read(path) == b"two, longer"
    assert path.stat().st_ino != inode  # renamed over, never rewritten in place
    assert sorted(p.name for p in path.parent.iterdir()) == ["abcdef.pdf"]  # no temporary file left


def test_a_cache_path_under_a_file_is_a_miss_and_leaves_nothing(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_bytes(b"not a folder")
    assert cachefile.write(blocker / "ab" / "k.pdf", b"data") is False
    assert cachefile.read(blocker / "ab" / "k.pdf") is None
    assert blocker.read_bytes() == b"not a folder"


def test_a_failed_write_removes_its_temporary_file(tmp_path, monkeypatch):
    def refuse(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(cachefile.os, "replace", refuse)
    assert cachefile.write(tmp_path / "k.pdf", b"data") is False
    assert list(tmp_path.iterdir()) == []
