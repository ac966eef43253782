"""All-or-none file writes: a run's outputs are replaced as one set.

Every output (each report and the `--json` file) is first written in full to
a temporary file in its own target folder (`.NAME.audit-TOKEN.tmp`) and
flushed to disk. Then a commit record (`.audit-commit.json`, written
atomically in the folder of the first output) lists the renames; writing it
is the commit point. The renames follow, and the record is removed.

- Interrupted before the commit point (Ctrl-C, SIGTERM, a full disk): the
  temporary files are removed and every old file is left as it was.
- Interrupted after it: the renames are completed before the interrupt is
  passed on, so the new set is complete.
- Killed outright (SIGKILL, power loss) between two renames: the next run
  that writes to that folder finds the commit record first and completes the
  renames (roll forward), then removes every temporary file of ours that no
  commit record names. Until then the folder may hold a mix; that is the one
  window POSIX leaves when several files must change together.

Writers to one folder are serialized with an advisory lock on the folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
from pathlib import Path

from .errors import AuditError

COMMIT_RECORD = ".audit-commit.json"
_OURS = re.compile(r"^\..+\.audit-[0-9a-f]{12}\.tmp$")
_LEGACY = re.compile(r"^\.report\.[a-z]+\.[A-Za-z0-9_]{6,}\.tmp$")   # mkstemp names of earlier versions


def write_atomic(path: str | Path, content: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    write_all_atomic({path: content})


def write_all_atomic(contents: dict) -> None:
    """Replace every file of `contents` (path → text or bytes), all or none."""
    targets = [(Path(path), content) for path, content in contents.items()]
    if not targets:
        return
    folders = list(dict.fromkeys(target.parent for target, _ in targets))
    for folder in folders:
        _make_folder(folder)
    primary = folders[0]
    with _locked(primary):
        for folder in folders:
            recover(folder)
        token = secrets.token_hex(6)
        staged: list[tuple[str, Path]] = []
        committed = False
        try:
            for target, content in targets:
                staged.append((_stage(target, content, token), target))
            _write_record(primary, staged, token)
            committed = True
            for temporary, target in staged:
                _rename(temporary, target)
            _discard(str(primary / COMMIT_RECORD))
        except BaseException:
            if committed:
                _roll_forward(primary)      # past the commit point: finish the set
            else:
                for temporary, _ in staged:
                    _discard(temporary)
            raise


def recover(folder: Path) -> None:
    """Finish a set a killed run committed, then remove our stale temporary files."""
    _roll_forward(folder)
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if _OURS.match(name) or _LEGACY.match(name):
            _discard(str(folder / name))


def _roll_forward(folder: Path) -> None:
    record = folder / COMMIT_RECORD
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        renames = [(str(a), str(b)) for a, b in data["renames"]]
    except (OSError, ValueError, KeyError, TypeError):
        _discard(str(record))
        return
    for temporary, target in renames:
        if os.path.exists(temporary):
            with contextlib.suppress(OSError):
                os.replace(temporary, target)
    _discard(str(record))


def _write_record(folder: Path, staged: list[tuple[str, Path]], token: str) -> None:
    renames = [[os.path.abspath(temporary), os.path.abspath(target)] for temporary, target in staged]
    record = folder / COMMIT_RECORD
    temporary = _stage(record, json.dumps({"renames": renames}), token)
    _rename(temporary, record)
    _sync_folder(folder)


@contextlib.contextmanager
def _locked(folder: Path):
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise AuditError(f"{folder}: cannot write ({error.strerror or error})") from None
    if not folder.is_dir():
        raise AuditError(f"{folder}: cannot write (not a folder)")


def _stage(target: Path, content: str | bytes, token: str) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    temporary = str(target.parent / f".{target.name}.audit-{token}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise AuditError(f"{target}: cannot write ({error.strerror or error})") from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
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


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _mode_for(target: Path) -> int:
    # a report should get the mode the old file had, or what the umask gives a new file
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
