"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

#: The process's umask, read once at import (reading it means setting it, which is not
#: thread-safe later). Files get the permissions the umask allows, as `open()` would give them.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_atomic(path: str | Path, data: bytes | str) -> Path:
    """Write to a temporary file beside `path`, flush it to disk, then rename it into place.

    The file gets the usual permissions under the umask (0644 by default, 0640 under the
    systemd unit's UMask=0027), not the 0600 of a temporary file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def append_line(path: str | Path, line: str) -> Path:
    """Add one line to a log file and flush it to disk: an alert is on record once this returns."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line.rstrip("\n") + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return path


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks: what identifies a file whatever its name."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def safe_name(text: str) -> str:
    """A file-name-safe form of an id such as '5000-K12345/26': letters, digits, '-', '_', '.'."""
    cleaned = re.sub(r"[^\w.-]+", "_", text).strip("._")
    return cleaned or "_"
