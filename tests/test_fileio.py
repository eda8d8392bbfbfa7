"""Atomic writes: a reader sees the old file or the new one; internal files are the owner's
(or the group's) whatever the umask, public files get what the umask allows; ids make names
that never replace one another."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cocoon import fileio
from cocoon.fileio import (
    SAFE_NAME_BYTES,
    append_line,
    file_sha256,
    make_file,
    make_folder,
    safe_name,
    set_internal_access,
    write_atomic,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask() -> Iterator[None]:
    """Every test here restores the process's umask and the internal access policy it found."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)
        set_internal_access("owner")


@pytest.fixture(autouse=True)
def _restore(umask: None) -> None:
    return None


def test_umask_is_read_without_changing_it() -> None:
    os.umask(0o027)
    assert fileio.umask() == 0o027
    assert fileio.umask() == 0o027


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_public_file_gets_the_permissions_the_umask_allows_not_a_temp_files(
    tmp_path: Path, mask: int, expected: int
) -> None:
    os.umask(mask)
    path = write_atomic(tmp_path / "zones-public.html", "<p>ok</p>", internal=False)
    assert mode(path) == expected


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o077])
def test_internal_file_is_owner_only_whatever_the_umask(tmp_path: Path, mask: int) -> None:
    os.umask(mask)
    path = write_atomic(tmp_path / "besok" / "2026-11-20-K-1_26" / "roster.csv", "sheet\n")
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert mode(path.parent.parent) == 0o700


def test_files_are_internal_unless_the_caller_says_public(tmp_path: Path) -> None:
    assert mode(write_atomic(tmp_path / "rejects.csv", b"file\n")) == 0o600
    assert mode(append_line(tmp_path / "alerts.log", "LARM")) == 0o600


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o077])
def test_group_access_gives_internal_files_0640_and_folders_0750(tmp_path: Path, mask: int) -> None:
    os.umask(mask)
    set_internal_access("group")
    path = write_atomic(tmp_path / "outbox" / "day" / "roster.pdf", b"%PDF")
    log = append_line(tmp_path / "log" / "alerts.log", "LARM")
    db = tmp_path / "var" / "cocoon.sqlite"
    assert make_file(db)
    assert [mode(p) for p in (path, log, db)] == [0o640] * 3
    assert [mode(p) for p in (path.parent, path.parent.parent, log.parent, db.parent)] == [
        0o750
    ] * 4


def test_public_file_in_a_new_folder_gets_a_folder_the_umask_allows(tmp_path: Path) -> None:
    path = write_atomic(tmp_path / "web" / "zones.geojson", b"{}", internal=False)
    assert mode(path.parent) == 0o755


def test_an_existing_folder_keeps_its_permissions(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o775)
    write_atomic(shared / "roster.csv", b"sheet\n")
    assert mode(shared) == 0o775
    assert make_folder(shared) == shared and mode(shared) == 0o775


def test_an_existing_log_keeps_its_permissions_and_its_lines(tmp_path: Path) -> None:
    log = tmp_path / "alerts.log"
    log.write_text("old\n", encoding="utf-8")
    os.chmod(log, 0o640)
    append_line(log, "new")
    assert mode(log) == 0o640
    assert log.read_text(encoding="utf-8") == "old\nnew\n"


def test_make_file_leaves_an_existing_file_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "cocoon.sqlite"
    path.write_bytes(b"SQLite format 3\x00")
    os.chmod(path, 0o644)
    assert make_file(path) is False
    assert mode(path) == 0o644 and path.read_bytes() == b"SQLite format 3\x00"


def test_an_unknown_access_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="owner' or 'group"):
        set_internal_access("everyone")  # type: ignore[arg-type]
    assert fileio.internal_access() == "owner"


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


# -- names made of ids ---------------------------------------------------------------------------


def test_ids_that_differ_only_in_what_a_file_name_cannot_hold_get_distinct_names(
    tmp_path: Path,
) -> None:
    ids = ["K-1/26", "K-1 26", "K-1:26", "K-1_26", "K-1__26", "K-1/ 26", "K-1\\26", "K-1/26 "]
    names = [safe_name(i) for i in ids]
    assert len(set(names)) == len(ids), names
    for name in names:  # each is a real file of its own, side by side
        write_atomic(tmp_path / f"2026-11-20-{name}.csv", name)
    assert len(list(tmp_path.iterdir())) == len(ids)


def test_a_safe_id_is_its_own_name() -> None:
    for report_id in ("5000-K1234-26", "polisen-650281", "K-1_26", "Västra-12.a"):
        assert safe_name(report_id) == report_id


def test_an_unsafe_id_keeps_its_readable_part_and_a_stable_hash() -> None:
    digest = hashlib.sha256(b"5000-K12345/26").hexdigest()[:10]
    assert safe_name("5000-K12345/26") == f"5000-K12345_26~{digest}"
    assert safe_name("5000-K12345/26") == safe_name("5000-K12345/26")


def test_names_hold_only_letters_digits_and_dash_underscore_dot_tilde() -> None:
    for report_id in ("../../etc/passwd", ".hidden", "", "/", "a\x00b", "Å/ä ö", "-rf *"):
        name = safe_name(report_id)
        assert re.fullmatch(r"[\w.~-]+", name), (report_id, name)
        assert name not in (".", "..") and not name.startswith(".")


def test_a_very_long_id_gets_a_name_a_file_system_can_hold(tmp_path: Path) -> None:
    long_ids = ["K" * 400, "Ö" * 300, "K" * 400 + "1"]
    names = [safe_name(i) for i in long_ids]
    assert len(set(names)) == 3
    for name in names:
        assert len(name.encode("utf-8")) <= SAFE_NAME_BYTES + 11
        write_atomic(tmp_path / f"2026-11-20-{name}.pdf", b"%PDF")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # the umask fixture
@given(st.text(max_size=30), st.text(max_size=30))
def test_distinct_ids_never_share_a_name(first: str, second: str) -> None:
    if first != second:
        assert safe_name(first) != safe_name(second)
