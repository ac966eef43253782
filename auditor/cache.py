"""What every start would otherwise rebuild, kept between runs in a user cache
folder: compiled patterns (auditor.patterns) and parsed YAML files (rules,
messages, word lists), keyed by their source. Values are plain data written
with marshal (never pickle), one file per store, read once per process and
replaced whole at exit when the process added to it.

AUDIT_NO_CACHE=1 (or --no-cache) turns the cache off; AUDIT_CACHE_DIR moves
it (default: $XDG_CACHE_HOME/auditor or ~/.cache/auditor). A damaged or
foreign file is ignored and rewritten."""

from __future__ import annotations

import atexit
import marshal
import os
import sys
from pathlib import Path

FORMAT = 1
# Entries kept from earlier runs besides this run's own, so that a cache
# shared by many rule sets and projects stays small.
MAX_KEPT_ENTRIES = 4000


def enabled() -> bool:
    return os.environ.get("AUDIT_NO_CACHE", "") in ("", "0")


def directory() -> Path:
    chosen = os.environ.get("AUDIT_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "auditor"


class Store:
    """A key → value map of marshal-able data, shared by the runs of one
    auditor version on one Python (`version` adds what else the values
    depend on, such as the regex module's version)."""

    def __init__(self, name: str, version: str = ""):
        self.name, self.version = name, version
        self.loaded = False
        self.stored: dict = {}
        self.used: dict = {}
        self.added = False

    def path(self) -> Path:
        from auditor import __version__

        python = f"py{sys.version_info[0]}{sys.version_info[1]}"
        return directory() / f"{self.name}-v{FORMAT}-auditor{__version__}{self.version}-{python}.marshal"

    def get(self, key):
        if not self.loaded:
            self._load()
        value = self.stored.get(key)
        if value is not None:
            self.used[key] = value
        return value

    def put(self, key, value) -> None:
        if not self.loaded:
            self._load()
        if not enabled():
            return
        try:
            marshal.dumps(value)
        except ValueError:   # not plain data (a YAML timestamp, say): not kept
            return
        self.used[key] = value
        self.added = True

    def forget(self, key) -> None:
        self.stored.pop(key, None)
        self.used.pop(key, None)

    def _load(self) -> None:
        self.loaded = True
        if not enabled():
            return
        atexit.register(self.save)
        try:
            stored = marshal.loads(self.path().read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return
        if isinstance(stored, dict):
            self.stored = stored

    def save(self) -> None:
        if not self.added or not enabled():
            return
        self.added = False
        entries = dict(self.used)
        for key, value in self.stored.items():
            if len(entries) >= MAX_KEPT_ENTRIES:
                break
            entries.setdefault(key, value)
        path = self.path()
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            temporary.write_bytes(marshal.dumps(entries))
            os.replace(temporary, path)
        except (OSError, ValueError):
            try:
                temporary.unlink()
            except OSError:
                pass
