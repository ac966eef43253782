"""Reading the small UTF-8 files a user points auditor at (configuration,
baseline), with one-line errors that name the file."""

from __future__ import annotations

from pathlib import Path


def read_user_file(path: str | Path, error: type[Exception], what: str, missing_hint: str = "") -> str:
    """The text of `path`; any failure raises `error` naming the file and `what` it should be."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: no such {what}{missing_hint}") from None
    except IsADirectoryError:
        raise error(f"{path}: is a folder, not a {what}") from None
    except UnicodeDecodeError:
        raise error(f"{path}: not a {what} (not UTF-8 text)") from None
    except OSError as failure:
        raise error(f"{path}: cannot read {what} ({failure.strerror or failure})") from None
