"""Ingest: paths → Documents (decoded original text, the encoding used).

Folders are walked recursively for `.txt`, `.md`, `.html` and `.htm`
(symlinked folders are not followed, so a symlink loop cannot hang the walk).
A file that cannot be audited (binary, undecodable, empty, too large, not a
regular file, unreadable, vanished) becomes a `Skipped` note so the rest of
the run goes on; a path that does not exist is an `InputError`.

Encodings: a byte-order mark (UTF-8, UTF-16, UTF-32) decides; otherwise
strict UTF-8; otherwise the most plausible of GB18030 (a superset of GBK and
GB2312), Big5 and BOM-less UTF-16 LE/BE; otherwise charset-normalizer. The
name reported in `Document.encoding` is the Python codec that decoded it:
`utf-8`, `utf-8-sig` (UTF-8 with BOM), `utf-16` (with BOM), `utf-16-le`,
`utf-16-be`, `gb18030`, `big5`, …

HTML: `Document.text` is the text taken out of the page by html.parser (one
block element per line, scripts and styles dropped, entities decoded), so
for HTML files every offset, line and column in a report refers to that
extracted text, not to the markup.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from .errors import InputError

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Document:
    """One audited text. `text` is the decoded original (for HTML, the text
    taken out of the page); every offset in a report is a code-point offset
    into it. `path` is the file's display name (see `display_path`)."""

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
        try:
            if not path.exists() and not path.is_symlink():
                raise InputError(f"{_short(raw)}: no such file or folder")
            is_folder = path.is_dir()
        except (OSError, ValueError) as error:
            raise InputError(f"{_short(raw)}: cannot be opened ({getattr(error, 'strerror', None) or error})") from None
        if is_folder:
            found.extend(_walk(path))
        else:
            found.append(path)
    unique = sorted(dict.fromkeys(found), key=str)
    return [p for p in unique if not any(p.match(pattern) for pattern in exclude)]


def _short(raw: str, limit: int = 200) -> str:
    return raw if len(raw) <= limit else raw[:limit] + "…"


def _walk(folder: Path) -> list[Path]:
    # os.walk without followlinks cannot loop on symlinked folders. A folder
    # that cannot be listed is kept in the list, so that reading it reports
    # why it was skipped instead of it vanishing silently.
    files = []

    def keep_unlistable(error: OSError) -> None:
        if error.filename:
            files.append(Path(error.filename))

    for root, dirs, names in os.walk(folder, onerror=keep_unlistable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.lower().endswith(TEXT_SUFFIXES + HTML_SUFFIXES):
                files.append(Path(root) / name)
    return files


def read_document(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document | Skipped:
    """Read and decode one file; a file that cannot be audited is `Skipped`.

    Never reads more than `max_bytes` + 1 bytes, and never opens anything but
    a regular file (a FIFO or device would block or never end).
    """
    name = display_path(path)
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            with os.scandir(path):
                return Skipped(name, "folder skipped")
        if not stat.S_ISREG(status.st_mode):
            return Skipped(name, "not a regular file")
        if status.st_size > max_bytes:
            return Skipped(name, f"larger than the size limit ({status.st_size} > {max_bytes} bytes, see --max-bytes)")
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except FileNotFoundError:
        return Skipped(name, "vanished before it could be read")
    except OSError as error:
        return Skipped(name, f"cannot be read ({error.strerror or error})")
    if len(data) > max_bytes:
        return Skipped(name, f"grew past the size limit while being read ({max_bytes} bytes)")
    if not data.strip():
        return Skipped(name, "empty file")
    decoded = decode(data)
    if decoded is None:
        return Skipped(name, "binary or undecodable content")
    text, encoding = decoded
    if name.lower().endswith(HTML_SUFFIXES):
        text = html_to_text(text)
        if not text.strip():
            return Skipped(name, "HTML page without text")
    return Document(path=name, text=text, encoding=encoding)


def display_path(path: Path) -> str:
    """The path as reports show it. A file name that is not valid UTF-8 (kept
    by Python as lone surrogates) gets U+FFFD where its bad bytes were, so
    reports can always be encoded; control characters (a newline, or an
    escape sequence that would drive the terminal) are shown as `\\xNN`."""
    text = os.fsencode(path).decode("utf-8", errors="replace")
    return _CONTROL_CHARS.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


_CONTROL_CHARS = re.compile("[\x00-\x1f\x7f-\x9f]")


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Tried in this order; on a tie in plausibility the earlier one wins.
_CANDIDATES = ("gb18030", "big5", "utf-16-le", "utf-16-be")
# BOM-less UTF-16 must look like real text by a wide margin: almost any
# even-length byte string decodes as UTF-16.
_PLAUSIBLE = {"gb18030": 0.6, "big5": 0.6, "utf-16-le": 0.85, "utf-16-be": 0.85}


def decode(data: bytes) -> tuple[str, str] | None:
    """Decode bytes, returning (text, encoding name) or None for binary data.

    A byte-order mark decides first; then strict UTF-8; then each CJK
    candidate that decodes without error is scored by how much of it is
    common text, and the most plausible wins; then UTF-8 with a few bad
    bytes replaced by U+FFFD; then charset-normalizer.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                return None
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if utf8 is not None and b"\x00" not in data:
        return _checked(utf8, "utf-8")
    best: tuple[float, str, str] | None = None
    for encoding in _CANDIDATES:
        if encoding.startswith("utf-16") and len(data) % 2:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = plausibility(text)
        if score >= _PLAUSIBLE[encoding] and (best is None or score > best[0]):
            best = (score, text, encoding)
    if best is not None:
        return _checked(best[1], best[2])
    if b"\x00" in data:
        return None
    damaged = _mostly_utf8(data)
    if damaged is not None:
        return _checked(damaged, "utf-8")
    return _fallback(data)


def _mostly_utf8(data: bytes) -> str | None:
    # A UTF-8 text with a stray byte or cut off inside its last character:
    # keep it, with U+FFFD where the bytes were bad, rather than skip it.
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return text if bad <= max(1, len(text) // 200) and bad * 20 < len(text) else None


def _fallback(data: bytes) -> tuple[str, str] | None:
    # Texts in neither UTF-8 nor a CJK encoding (Latin-1, Cyrillic …).
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        return None
    return _checked(str(match), match.encoding.replace("_", "-"))


def plausibility(text: str) -> float:
    """Share of `text` that is common writing: printable ASCII, CJK and
    general punctuation, and Han characters of the common tiers (GB2312
    level 1 or Big5 level 1). Bytes decoded with the wrong codec give rare
    characters, kana, Greek or private-use code points instead."""
    sample = text[:4096]
    if not sample:
        return 1.0
    return sum(1 for ch in sample if _is_common(ch)) / len(sample)


@lru_cache(maxsize=8192)
def _is_common(char: str) -> bool:
    code = ord(char)
    if code < 128:
        return char.isprintable() or char in "\t\n\r"
    if 0x2000 <= code <= 0x206F or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF:
        return True
    for codec, low, high in (("gb2312", 0xB0, 0xD7), ("big5", 0xA4, 0xC6)):
        try:
            encoded = char.encode(codec)
        except UnicodeEncodeError:
            continue
        if len(encoded) == 2 and low <= encoded[0] <= high:
            return True
    return False


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
    _BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
              "header", "footer", "table", "ul", "ol", "dl", "dt", "dd", "title", "blockquote", "pre",
              "hr", "caption", "figcaption", "nav", "aside", "main", "form", "address"}
    # Table cells side by side must not run together: `<td>2018</td><td>2150</td>`
    # is two numbers, not 20182150.
    _CELL = {"td", "th"}
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
        elif tag in self._CELL:
            self.parts.append("\t")

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)

    def handle_comment(self, data):
        # `<!-- audit: ignore RST01 -->` stays, on a line of its own, for suppressions.py
        if data.strip().lower().startswith("audit:"):
            self.parts.append(f"\n<!--{data}-->\n")


def html_to_text(markup: str) -> str:
    """The readable text of an HTML page, one block element per line."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)
