"""Reading the small UTF-8 files a user points auditor at (configuration,
baseline), with one-line errors that name the file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .cache import Store


def read_user_file(path: str | Path, error: type[Exception], what: str, missing_hint: str = "",
                   limit: int = 64 * 1024 * 1024) -> str:
    """The text of `path`; any failure raises `error` naming the file and `what` it should be.

    Only regular files are opened (a FIFO would block the run) and at most
    `limit` bytes are read."""
    try:
        status = os.stat(path)
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(status.st_mode):
            raise error(f"{path}: not a regular file, not a {what}")
        if status.st_size > limit:
            raise error(f"{path}: too large for a {what} ({status.st_size} > {limit} bytes)")
        with open(path, "rb") as stream:
            return stream.read(limit + 1).decode("utf-8")
    except FileNotFoundError:
        raise error(f"{path}: no such {what}{missing_hint}") from None
    except IsADirectoryError:
        raise error(f"{path}: is a folder, not a {what}") from None
    except UnicodeDecodeError:
        raise error(f"{path}: not a {what} (not UTF-8 text)") from None
    except (OSError, ValueError) as failure:
        raise error(f"{path}: cannot read {what} ({getattr(failure, 'strerror', None) or failure})") from None


def safe_yaml_loader():
    """PyYAML's safe loader, the libyaml one when PyYAML has it (several times
    faster; rules, messages and word lists are read at every start)."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    """The data of a YAML text, from the user cache when this text was parsed
    before (importing and running PyYAML is a tenth of a short run)."""
    return cached_parse(text, "yaml", lambda: (_parse_yaml(text),))[0]


def cached_parse(text: str, kind: str, parse):
    """`parse()` of `text`, kept in the user cache under the text's digest.
    `parse` returns plain data; each call gets its own copy."""
    import hashlib
    import marshal

    key = (kind, hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest())
    packed = _PARSED.get(key)
    if packed is not None:
        try:
            return marshal.loads(packed)
        except (EOFError, ValueError, TypeError):
            _PARSED.forget(key)
    value = parse()
    try:
        _PARSED.put(key, marshal.dumps(value))
    except ValueError:   # not plain data (a YAML timestamp, say): parsed again next time
        pass
    return value


_PARSED = Store("parsed")   # reads its file on first use only


def _parse_yaml(text: str):
    import yaml

    return yaml.load(text, Loader=safe_yaml_loader())
