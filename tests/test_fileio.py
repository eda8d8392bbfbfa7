"""Atomic writes: a reader sees the old file or the new one, with the permissions of any file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cocoon.fileio import _UMASK, append_line, file_sha256, write_atomic


def test_written_file_gets_the_permissions_the_umask_allows_not_a_temp_files(
    tmp_path: Path,
) -> None:
    path = write_atomic(tmp_path / "zones.html", "<p>ok</p>")
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~_UMASK


def test_failed_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_atomic(tmp_path / "daily.pdf", b"old")

    def full_disk(fd: int) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        write_atomic(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["daily.pdf"]


def test_appended_lines_end_with_one_newline_each(tmp_path: Path) -> None:
    log = tmp_path / "outbox" / "alerts.log"
    append_line(log, "first\n")
    append_line(log, "second")
    assert log.read_text(encoding="utf-8") == "first\nsecond\n"


def test_same_bytes_have_the_same_sha256_whatever_the_name(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes(b"report_id\nR1\n")
    (tmp_path / "b.csv").write_bytes(b"report_id\nR1\n")
    assert file_sha256(tmp_path / "a.csv") == file_sha256(tmp_path / "b.csv")
    assert len(file_sha256(tmp_path / "a.csv")) == 64
