"""Atomic file writes: a half-written report never replaces a good one.

Each file is written to a temporary file beside its target (`.NAME.*.tmp`),
flushed to disk and renamed over the target. An interrupt (Ctrl-C, SIGTERM
turned into an exception by the CLI) or a full disk removes the temporary
file and leaves the old target as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import AuditError


def write_atomic(path: str | Path, content: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    write_all_atomic({path: content})


def write_all_atomic(contents: dict) -> None:
    """Write several files so that either all are replaced or none is.

    Every file is first written in full to its temporary file; only then are
    they renamed into place one after another, so an interrupt while writing
    leaves every old file untouched.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in contents.items():
            target = Path(path)
            staged.append((_stage(target, content), target))
        for temporary, target in staged:
            _rename(temporary, target)
    except BaseException:
        for temporary, _ in staged:
            _discard(temporary)
        raise


def _stage(target: Path, content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise AuditError(f"{target}: cannot write ({error.strerror or error})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(target))
    except BaseException as error:
        _discard(temporary)
        if isinstance(error, OSError):
            raise AuditError(f"{target}: cannot write ({error.strerror or error})") from None
        raise
    return temporary


def _rename(temporary: str, target: Path) -> None:
    try:
        os.replace(temporary, target)
    except OSError as error:
        raise AuditError(f"{target}: cannot write ({error.strerror or error})") from None


def _mode_for(target: Path) -> int:
    # mkstemp makes 0600 files; a report should get the mode the old file
    # had, or what the umask gives a new file.
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _discard(temporary: str) -> None:
    try:
        os.unlink(temporary)
    except OSError:
        pass
