"""Ingest: paths → Documents (decoded original text, the encoding used).

Folders are walked recursively for `.txt`, `.md`, `.html` and `.htm`. A file
that cannot be audited (binary, undecodable, too large, unreadable) becomes a
`Skipped` note so the rest of the run goes on; a path that does not exist is
an `InputError`.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .errors import InputError

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """One audited text. `text` is the decoded original; every offset in a
    report is a code-point offset into it."""

    path: str
    text: str
    encoding: str


@dataclass(frozen=True)
class Skipped:
    """A file that was found but not audited, and why."""

    path: str
    reason: str


def discover(paths: list[str], exclude: tuple[str, ...] = ()) -> list[Path]:
    """Expand files and folders into the sorted list of files to audit."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise InputError(f"{raw}: no such file or folder")
        if path.is_dir():
            found.extend(_walk(path))
        else:
            found.append(path)
    unique = sorted(dict.fromkeys(found), key=str)
    return [p for p in unique if not any(p.match(pattern) for pattern in exclude)]


def _walk(folder: Path) -> list[Path]:
    # os.walk without followlinks cannot loop on symlinked folders.
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.lower().endswith(TEXT_SUFFIXES + HTML_SUFFIXES):
                files.append(Path(root) / name)
    return files


def read_document(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document | Skipped:
    """Read and decode one file; a file that cannot be audited is `Skipped`."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Skipped(name, f"larger than the size limit ({size} > {max_bytes} bytes)")
        data = path.read_bytes()
    except FileNotFoundError:
        return Skipped(name, "vanished before it could be read")
    except OSError as error:
        return Skipped(name, f"cannot be read ({error.strerror or error})")
    if not data.strip():
        return Skipped(name, "empty file")
    decoded = decode(data)
    if decoded is None:
        return Skipped(name, "binary or undecodable content")
    text, encoding = decoded
    if name.lower().endswith(HTML_SUFFIXES):
        text = html_to_text(text)
    return Document(path=name, text=text, encoding=encoding)


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CANDIDATES = ("gb18030", "big5", "utf_16_le", "utf_16_be")


def decode(data: bytes) -> tuple[str, str] | None:
    """Decode bytes, returning (text, encoding name) or None for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                return None
    utf16 = _guess_utf16_without_bom(data)
    if utf16:
        try:
            return _checked(data.decode(utf16), utf16.replace("_", "-"))
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        return None
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(_CANDIDATES)).best()
    if best is None:
        return None
    return _checked(str(best), best.encoding.replace("_", "-"))


def _guess_utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zeros > half * 0.3 and even_zeros < half * 0.05:
        return "utf_16_le"
    if even_zeros > half * 0.3 and odd_zeros < half * 0.05:
        return "utf_16_be"
    return None


def _checked(text: str, encoding: str) -> tuple[str, str] | None:
    """Reject decoded text that is mostly control characters (binary data)."""
    if not text:
        return text, encoding
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(2, len(sample) // 100):
        return None
    return text, encoding


class _TextExtractor(HTMLParser):
    _BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
              "section", "article", "header", "footer", "table", "ul", "ol", "title"}
    _SKIP = {"script", "style", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The readable text of an HTML page, one block element per line."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)
