"""The inbox folder: which dropped report files are ready to take, and where they go after.

A file is taken once it is complete: not named as in progress (`.part`, `.tmp`, `~`, a
leading dot) and unchanged for `settle` seconds. After ingesting it moves, never overwriting,
to processed/DAY/ or rejected/DAY/.
"""

from __future__ import annotations

import errno
import os
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from cocoon.fileio import make_folder

#: File suffixes of report files (CSV, GeoJSON, police events JSON).
REPORT_SUFFIXES = (".csv", ".geojson", ".json")

#: Name endings of files still being written or copied.
PARTIAL_SUFFIXES = (".part", ".tmp", ".partial", ".crdownload", "~")


@dataclass(frozen=True)
class Seen:
    """A file in the inbox as one look saw it."""

    path: Path
    size: int
    mtime_ns: int

    @property
    def mtime(self) -> datetime:
        return datetime.fromtimestamp(self.mtime_ns / 1e9).astimezone()


def in_progress(name: str) -> bool:
    """Whether a name says the file is still being written (or is a hidden helper file)."""
    lowered = name.lower()
    return name.startswith(".") or lowered.endswith(PARTIAL_SUFFIXES)


def settled(seen: Seen, now: datetime, settle: timedelta) -> bool:
    """Whether the file has been left alone long enough to be complete."""
    return now - seen.mtime >= settle


def look(folder: Path) -> list[Seen]:
    """The plain files of the inbox (not folders, not in-progress names), oldest first."""
    if not folder.is_dir():
        return []
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.is_file(follow_symlinks=False) or in_progress(entry.name):
                continue
            st = entry.stat(follow_symlinks=False)
            found.append(Seen(Path(entry.path), st.st_size, st.st_mtime_ns))
    found.sort(key=lambda s: (s.mtime_ns, s.path.name))
    return found


def still(seen: Seen) -> bool:
    """Whether the file is as it was when seen: its size or time changing means a writer."""
    try:
        st = seen.path.stat()
    except FileNotFoundError:
        return False
    return (st.st_size, st.st_mtime_ns) == (seen.size, seen.mtime_ns)


@dataclass(frozen=True)
class Inbox:
    """The inbox and the folders its files move to."""

    inbox: Path
    processed: Path
    rejected: Path
    settle: timedelta

    def ready(self, now: datetime) -> list[Seen]:
        """Files to take on this round, oldest first."""
        return [s for s in look(self.inbox) if settled(s, now, self.settle)]

    def rejected_folder(self, day: date) -> Path:
        return self.rejected / day.isoformat()

    def move(self, path: Path, rejected: bool, day: date) -> Path:
        """Move a taken file to processed/DAY/ or rejected/DAY/ under a name not yet used."""
        folder = (self.rejected if rejected else self.processed) / day.isoformat()
        make_folder(folder)  # internal: owner-only (or group), whatever the umask
        target = free_name(folder / path.name)
        try:
            os.replace(path, target)  # on one file system: an atomic rename
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            shutil.move(path, target)  # folders on different file systems: copy, then delete
        return target


def free_name(target: Path) -> Path:
    """`target`, or NAME-2.EXT, NAME-3.EXT, … if it is taken: nothing is ever overwritten."""
    n = 1
    candidate = target
    while candidate.exists():
        n += 1
        candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
    return candidate


def is_report_file(path: Path) -> bool:
    return path.suffix.lower() in REPORT_SUFFIXES


__all__ = ["Inbox", "Seen", "free_name", "in_progress", "is_report_file", "look", "settled"]
