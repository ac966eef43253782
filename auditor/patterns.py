"""Patterns compiled once. The regex module's own cache costs about 15 µs a
lookup; rule parameters and word lists are looked up here at dict speed.
Same signatures as the regex module's functions, for the arguments used.

Compiling is most of a short run's start-up: the regex module parses a
pattern in Python. A compiled pattern's code (what the module itself pickles)
is kept in the user cache (auditor.cache), so later runs build their patterns
without parsing them."""

from __future__ import annotations

from functools import lru_cache

import regex

from .cache import Store

_COMPILED_CODE = Store("patterns", f"-regex{regex.__version__}")


def _build(pattern: str, flags: int):
    key = (pattern, int(flags))
    code = _COMPILED_CODE.get(key)
    if code is not None:
        built = _from_code(pattern, code)
        if built is not None:
            return built
        _COMPILED_CODE.forget(key)
    built = regex.compile(pattern, flags)
    code = getattr(built, "_pickled_data", None)
    if code is not None:
        _COMPILED_CODE.put(key, code)
    return built


def _from_code(pattern: str, code):
    if not isinstance(code, tuple) or not code or code[0] != pattern:
        return None
    try:
        return regex._regex.compile(*code)
    except Exception:  # noqa: BLE001 - a stale or damaged entry: compile from the source instead
        return None


@lru_cache(maxsize=4096)
def compiled(pattern: str, flags: int = 0):
    return _build(pattern, flags)


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
