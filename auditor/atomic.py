"""Atomic file writes: a half-written report never replaces a good one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import AuditError


def write_atomic(path: str | Path, content: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    target = Path(path)
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
        os.replace(temporary, target)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise AuditError(f"{target}: cannot write ({error.strerror or error})") from None
        raise
