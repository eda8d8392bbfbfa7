"""Atomic file writes, and who may read them: internal files are the owner's (or the group's).

A reader sees the old file or the new one, never half of one. Internal files (the database,
rosters, rejects, the alert log, internal maps) are created owner-only whatever the umask, or
readable by the group with `output.internal_access = "group"`; public files (public map
exports, the public sign plan) get the permissions the umask allows, as `open()` would give.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Literal

InternalAccess = Literal["owner", "group"]

#: (file mode, folder mode) of internal data under each `output.internal_access`.
ACCESS_MODES: dict[InternalAccess, tuple[int, int]] = {
    "owner": (0o600, 0o700),
    "group": (0o640, 0o750),
}

#: The process's umask at import, for systems without /proc (reading it means setting it, which
#: is not thread-safe later).
_UMASK_AT_IMPORT = os.umask(0o022)
os.umask(_UMASK_AT_IMPORT)

_access: InternalAccess = "owner"


def set_internal_access(access: InternalAccess) -> None:
    """Set once by the composition root from `output.internal_access`; "owner" until then."""
    global _access
    if access not in ACCESS_MODES:
        raise ValueError(f"internal access must be 'owner' or 'group', not {access!r}")
    _access = access


def internal_access() -> InternalAccess:
    return _access


def umask() -> int:
    """The process's umask now, read without changing it (Linux), else the one at import."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return _UMASK_AT_IMPORT


def file_mode(internal: bool) -> int:
    """The permissions a new file gets: the policy's for internal data, the umask's otherwise."""
    return ACCESS_MODES[_access][0] if internal else 0o666 & ~umask()


def folder_mode(internal: bool) -> int:
    """The permissions a new folder gets: the policy's for internal data, the umask's otherwise."""
    return ACCESS_MODES[_access][1] if internal else 0o777 & ~umask()


def make_folder(path: str | Path, internal: bool = True) -> Path:
    """Create `path` and its missing parents with the folder mode; existing folders are kept."""
    path = Path(path)
    missing: list[Path] = []
    here = path
    while not here.is_dir():
        missing.append(here)
        if here.parent == here:
            break
        here = here.parent
    mode = folder_mode(internal)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue  # made by another process meanwhile: theirs to keep
        os.chmod(folder, mode)  # mkdir's mode is cut by the umask
    return path


def make_file(path: str | Path, internal: bool = True) -> bool:
    """Create an empty file with the file mode unless it exists; True when it was created."""
    path = Path(path)
    make_folder(path.parent, internal)
    mode = file_mode(internal)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        return False
    try:
        os.fchmod(fd, mode)
    finally:
        os.close(fd)
    return True


def write_atomic(path: str | Path, data: bytes | str, internal: bool = True) -> Path:
    """Write to a temporary file beside `path`, flush it to disk, then rename it into place.

    Internal files get the policy's mode (0600, or 0640 for the group); public ones the usual
    permissions under the umask (0644 by default), not the 0600 of a temporary file.
    """
    path = Path(path)
    make_folder(path.parent, internal)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise _naming(exc, path) from exc
    try:
        os.fchmod(fd, file_mode(internal))
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _naming(exc, path) from exc
        raise
    return path


def _naming(exc: OSError, path: Path) -> OSError:
    """The same error about the file the caller asked for, not its temporary twin."""
    return type(exc)(exc.errno, exc.strerror or str(exc), str(path))


def append_line(path: str | Path, line: str, internal: bool = True) -> Path:
    """Add one line to a log file and flush it to disk: an alert is on record once this returns.

    A new log gets the file mode; an existing one keeps the permissions it has.
    """
    path = Path(path)
    make_folder(path.parent, internal)
    mode = file_mode(internal)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL, mode)
        os.fchmod(fd, mode)
    except FileExistsError:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
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


#: Longest readable part of a safe name, in UTF-8 bytes: the name, a date and a suffix stay
#: well under the 255 bytes a file name may have.
SAFE_NAME_BYTES = 100
#: Separates the readable part from the hash; never in a name kept as it was.
_HASH_MARK = "~"


def safe_name(text: str) -> str:
    """A file-name-safe form of an id such as '5000-K12345/26': letters, digits, '-', '_', '.'.

    An id that is safe already is its own name. Otherwise the readable part is followed by '~'
    and a hash of the whole id, so 'K-1/26', 'K-1 26', 'K-1:26' and 'K-1_26' get four names.
    """
    readable = re.sub(r"[^\w.-]+", "_", text).strip("._")
    while len(readable.encode("utf-8")) > SAFE_NAME_BYTES:
        readable = readable[:-1]
    if readable and readable == text:
        return text
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{readable or '_'}{_HASH_MARK}{digest}"
