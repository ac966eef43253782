"""Ingest: paths → Documents (the text to audit, its encoding, where each of
its characters stands in the file), one reader per format.

| format | reader | text | locations |
|---|---|---|---|
| `.txt` | `text` | the decoded file | line and column in it |
| `.md`, `.markdown` | `markdown` | the decoded file, front matter and fenced code blanked | line and column in it |
| `.html`, `.htm` | `html` | the page's main text (trafilatura decides which blocks) | line and column of the markup |
| `.pdf` | `pdf` | the text layer, tables as rows of tab-separated cells (pdfplumber) | page, line on the page, column |
| `.docx` | `docx` | paragraphs and table rows in reading order (python-docx) | paragraph number, column |

The walk (`discover`) is in `walk`, decoding in `decoding`. A file that
cannot be audited (binary, undecodable, empty, too large, not a regular
file, unreadable, vanished, a scanned or encrypted PDF, a `.doc`) becomes a
`Skipped` note so the rest of the run goes on; a path that does not exist
is an `InputError`. PDF, Word and main-text extraction from pages need
optional extras (`auditor[pdf]`, `auditor[docx]`, `auditor[html]`), imported
only when such a file is read.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from .decoding import decode, decode_with_notes, plausibility
from .document import Document, Locations, Skipped
from .walk import AUDITED_SUFFIXES, HTML_SUFFIXES, PDF_SUFFIXES, TEXT_SUFFIXES, Refused, discover

__all__ = ["DEFAULT_MAX_BYTES", "Document", "Locations", "Skipped", "decode", "discover", "display_path",
           "html_to_text", "plausibility", "read_document", "AUDITED_SUFFIXES", "HTML_SUFFIXES",
           "TEXT_SUFFIXES"]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MARKDOWN_SUFFIXES = (".md", ".markdown")

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # Word 97–2003, or an encrypted Office file

_NEEDS_EXTRA = "{kind} files need the {extra} extra: pip install 'auditor[{extra}]'"


def read_document(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document | Skipped:
    """Read one file with the reader for its format; a file that cannot be
    audited is `Skipped`.

    Never reads more than `max_bytes` + 1 bytes, and never opens anything but
    a regular file (a FIFO or device would block or never end), nor a file of
    /proc or /sys (they claim size 0 whatever they hold).
    """
    name = display_path(path)
    if isinstance(path, Refused):
        return Skipped(name, path.reason)
    key = os.path.abspath(os.fspath(path))
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            with os.scandir(path):
                return Skipped(name, "folder skipped")
        if not stat.S_ISREG(status.st_mode):
            return Skipped(name, "not a regular file")
        if status.st_size == 0 and _on_pseudo_filesystem(status):
            return Skipped(name, "a system file that reports size 0 (/proc, /sys): not read")
        if status.st_size > max_bytes:
            return Skipped(name, f"larger than the size limit ({status.st_size} > {max_bytes} bytes, see --max-bytes)")
        with path.open("rb") as stream:
            # As much as stat said, and one byte more: a read sized to the limit costs a 20 MiB buffer per file.
            expected = min(status.st_size, max_bytes) + 1
            data = stream.read(expected)
            if len(data) == expected and expected <= max_bytes:   # it grew while being read: read on, to the limit
                data += stream.read(max_bytes + 1 - expected)
    except FileNotFoundError:
        return Skipped(name, "vanished before it could be read")
    except OSError as error:
        return Skipped(name, f"cannot be read ({error.strerror or error})")
    if len(data) > max_bytes:
        return Skipped(name, f"grew past the size limit while being read ({max_bytes} bytes)")
    if not data.strip():
        return Skipped(name, "empty file")
    suffix = os.path.splitext(name)[1].lower()
    # The content decides before the name: a PDF named .txt is still a PDF,
    # never its raw bytes read as text.
    if data.startswith(_PDF_MAGIC) or suffix in PDF_SUFFIXES:
        return _read_pdf(name, key, data)
    if data.startswith(_OLE_MAGIC):
        return Skipped(name, _OLE_NOTE if suffix != ".docx" else _ENCRYPTED_WORD)
    if suffix == ".doc":
        return Skipped(name, _OLE_NOTE)
    if suffix == ".docx" or (data.startswith(_ZIP_MAGIC) and b"word/" in data[:65536]):
        return _read_docx(name, key, data)
    decoded = decode_with_notes(data)
    if decoded is None:
        return Skipped(name, "binary or undecodable content")
    text, notes = decoded.text, decoded.notes
    if suffix in HTML_SUFFIXES:
        from .html import read_html

        page = read_html(text)
        if not page.text.strip():
            return Skipped(name, "HTML page without text")
        return Document(path=name, text=page.text, encoding=decoded.encoding, key=key,
                        locations=page.locations, notes=notes + page.notes, format="html")
    if suffix in MARKDOWN_SUFFIXES:
        from .markdown import blank_code

        text, blocks = blank_code(text)
        if blocks:
            notes += (f"{blocks} code block{'s' if blocks != 1 else ''} or front matter not audited",)
        return Document(path=name, text=text, encoding=decoded.encoding, key=key, notes=notes,
                        format="markdown")
    return Document(path=name, text=text, encoding=decoded.encoding, key=key, notes=notes)


_OLE_NOTE = ("Word 97–2003 .doc files are not read: save it as .docx "
             "(Word: Save As; LibreOffice: `soffice --headless --convert-to docx FILE`) and audit that")
_ENCRYPTED_WORD = ("encrypted or password-protected Word file: remove the password "
                   "(Word: File › Info › Protect Document) and save a copy to audit")


def _read_pdf(name: str, key: str, data: bytes) -> Document | Skipped:
    try:
        from .pdf import PdfUnreadable, read_pdf

        text, locations, notes = read_pdf(data)
    except ImportError:
        return Skipped(name, _NEEDS_EXTRA.format(kind="PDF", extra="pdf"))
    except PdfUnreadable as error:
        return Skipped(name, str(error))
    return Document(path=name, text=text, encoding="pdf", key=key, locations=locations, notes=notes,
                    format="pdf")


def _read_docx(name: str, key: str, data: bytes) -> Document | Skipped:
    try:
        from .docx import DocxUnreadable, read_docx

        text, locations, notes = read_docx(data)
    except ImportError:
        return Skipped(name, _NEEDS_EXTRA.format(kind="Word (.docx)", extra="docx"))
    except DocxUnreadable as error:
        return Skipped(name, str(error))
    if not text.strip():
        return Skipped(name, "Word file without text")
    return Document(path=name, text=text, encoding="docx", key=key, locations=locations, notes=notes,
                    format="docx")


def _on_pseudo_filesystem(status: os.stat_result) -> bool:
    for folder in ("/proc", "/sys"):
        try:
            if os.stat(folder).st_dev == status.st_dev:
                return True
        except OSError:
            continue
    return False


def display_path(path: Path) -> str:
    """The path as reports show it. A file name that is not valid UTF-8 (kept
    by Python as lone surrogates) gets U+FFFD where its bad bytes were, so
    reports can always be encoded; control characters (a newline, or an
    escape sequence that would drive the terminal) are shown as `\\xNN`.
    Two names may show alike: documents are told apart by `Document.key`."""
    text = os.fsencode(path).decode("utf-8", errors="replace")
    return _CONTROL_CHARS.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


_CONTROL_CHARS = re.compile("[\x00-\x1f\x7f-\x9f]")


def __getattr__(name: str):
    # The HTML reader (and html.parser) is imported only when a page is read.
    if name == "html_to_text":
        from .html import html_to_text

        return html_to_text
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
