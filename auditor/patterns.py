"""Patterns compiled once. The regex module's own cache costs about 15 µs a
lookup; rule parameters and word lists are looked up here at dict speed.
Same signatures as the regex module's functions, for the arguments used."""

from __future__ import annotations

from functools import lru_cache

import regex


@lru_cache(maxsize=4096)
def compiled(pattern: str, flags: int = 0):
    return regex.compile(pattern, flags)


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
