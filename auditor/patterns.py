"""Patterns compiled once. The regex module's own cache costs about 15 µs a
lookup; rule parameters and word lists are looked up here at dict speed.
Same signatures as the regex module's functions, for the arguments used.

Compiling is most of a short run's start-up: the regex module parses a
pattern in Python. A compiled pattern's code (what the module itself pickles)
is kept in a user cache file, so a later run builds its patterns without
parsing them. Set AUDIT_NO_CACHE=1 (or pass --no-cache) to skip the cache;
AUDIT_CACHE_DIR chooses its folder."""

from __future__ import annotations

import atexit
import marshal
import os
import sys
from functools import lru_cache
from pathlib import Path

import regex

CACHE_FORMAT = 1
# Entries kept from earlier runs besides this run's own, so a cache shared by
# many rule sets stays small.
MAX_STORED_ENTRIES = 4000


def cache_directory() -> Path:
    chosen = os.environ.get("AUDIT_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "auditor"


def _cache_path() -> Path:
    from auditor import __version__

    name = (
        f"patterns-v{CACHE_FORMAT}-auditor{__version__}-regex{regex.__version__}"
        f"-py{sys.version_info[0]}{sys.version_info[1]}.marshal"
    )
    return cache_directory() / name


class _CompiledCodeCache:
    """(pattern, flags) → the compiled pattern's code, read once per process and
    written back at exit when this process compiled something new."""

    def __init__(self) -> None:
        self.loaded = False
        self.stored: dict = {}
        self.used: dict = {}
        self.added = False

    @staticmethod
    def enabled() -> bool:
        return os.environ.get("AUDIT_NO_CACHE", "") in ("", "0")

    def load(self) -> None:
        self.loaded = True
        if not self.enabled():
            return
        atexit.register(self.save)
        try:
            stored = marshal.loads(_cache_path().read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return
        if isinstance(stored, dict):
            self.stored = stored

    def build(self, pattern: str, flags: int):
        if not self.loaded:
            self.load()
        key = (pattern, int(flags))
        code = self.stored.get(key)
        if code is not None:
            built = _from_code(pattern, code)
            if built is not None:
                self.used[key] = code
                return built
        built = regex.compile(pattern, flags)
        code = getattr(built, "_pickled_data", None)
        if code is not None and self.enabled():
            self.used[key] = code
            self.added = True
        return built

    def save(self) -> None:
        if not self.added or not self.enabled():
            return
        self.added = False
        entries = dict(self.used)
        for key, code in self.stored.items():
            if len(entries) >= MAX_STORED_ENTRIES:
                break
            entries.setdefault(key, code)
        path = _cache_path()
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


def _from_code(pattern: str, code):
    if not isinstance(code, tuple) or not code or code[0] != pattern:
        return None
    try:
        return regex._regex.compile(*code)
    except Exception:  # a stale or damaged entry: compile from the source instead
        return None


_CACHE = _CompiledCodeCache()


@lru_cache(maxsize=4096)
def compiled(pattern: str, flags: int = 0):
    return _CACHE.build(pattern, flags)


def search(pattern: str, string: str, flags: int = 0, pos=None, endpos=None, timeout=None):
    return compiled(pattern, flags).search(string, pos, endpos, timeout=timeout)


def match(pattern: str, string: str, flags: int = 0, pos=None, endpos=None, timeout=None):
    return compiled(pattern, flags).match(string, pos, endpos, timeout=timeout)


def fullmatch(pattern: str, string: str, flags: int = 0, pos=None, endpos=None, timeout=None):
    return compiled(pattern, flags).fullmatch(string, pos, endpos, timeout=timeout)


def finditer(pattern: str, string: str, flags: int = 0, pos=None, endpos=None, timeout=None):
    return compiled(pattern, flags).finditer(string, pos, endpos, timeout=timeout)


def sub(pattern: str, repl, string: str, count: int = 0, flags: int = 0, timeout=None):
    return compiled(pattern, flags).sub(repl, string, count, timeout=timeout)


def split(pattern: str, string: str, maxsplit: int = 0, flags: int = 0, timeout=None):
    return compiled(pattern, flags).split(string, maxsplit, timeout=timeout)
