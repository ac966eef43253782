"""Word (.docx): the body's paragraphs and tables in reading order, through
python-docx (the `docx` extra).

Each paragraph becomes one paragraph of text (separated by an empty line,
so a heading never runs into the paragraph after it); each table row
becomes one line, its cells in order separated by a tab (a merged cell
counted once), the rows of a table separated by line breaks. Headers,
footers, footnotes and text boxes are not read.

Locations: the line is the paragraph's number in reading order, counting
the paragraphs inside table cells as Word does, and the column the
character within that paragraph.
"""

from __future__ import annotations

import io

from .document import Locations, LocationsBuilder


class DocxUnreadable(Exception):
    """A .docx that cannot be read, with the note saying what to do."""


def read_docx(data: bytes) -> tuple[str, Locations, tuple[str, ...]]:
    """(text, locations, notes) of a .docx file; DocxUnreadable when it is
    damaged; ImportError without python-docx."""
    import docx
    from docx.table import Table

    _check_unpacked_size(data)
    try:
        document = docx.Document(io.BytesIO(data))
        content = list(document.iter_inner_content())
    except Exception as error:  # noqa: BLE001 - zip, XML and package errors alike
        raise DocxUnreadable(f"damaged or unsupported Word file ({type(error).__name__}); "
                             "open and re-save it in Word or LibreOffice") from error
    pieces: list[str] = []
    builder = LocationsBuilder()
    state = {"length": 0, "paragraph": 0}
    previous_row = False

    def emit(text: str) -> None:
        pieces.append(text)
        state["length"] += len(text)

    for block in content:
        if isinstance(block, Table):
            for row in _rows(block):
                if pieces:
                    emit("\n" if previous_row else "\n\n")
                first = True
                for cell in row:
                    if not first:
                        emit("\t")
                    first = False
                    for index, paragraph in enumerate(cell.paragraphs):
                        state["paragraph"] += 1
                        text = _clean(paragraph.text)
                        if index and text:
                            emit(" ")
                        builder.add(state["length"], 0, state["paragraph"], 1)
                        emit(text)
                previous_row = True
            continue
        state["paragraph"] += 1
        text = _clean(block.text)
        if not text.strip():
            continue
        if pieces:
            emit("\n\n")
        builder.add(state["length"], 0, state["paragraph"], 1)
        emit(text)
        previous_row = False
    return "".join(pieces), builder.build(), ()


# A .docx is a zip: its parts are unpacked in memory, so a small file that
# unpacks to gigabytes (a zip bomb) is refused before python-docx opens it.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024


def _check_unpacked_size(data: bytes) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise DocxUnreadable(f"damaged Word file (not a valid .docx package: {error}); "
                             "open and re-save it in Word or LibreOffice") from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise DocxUnreadable(f"Word file that unpacks to {unpacked} bytes (more than {MAX_UNPACKED_BYTES}): not read")


def _rows(table):
    """Each row's distinct cells in order (a merged cell appears once)."""
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if not any(cell._tc is kept._tc for kept in cells):
                cells.append(cell)
        yield cells


def _clean(text: str) -> str:
    # Soft line breaks and tabs inside a paragraph are spaces here: a tab
    # separates table cells, a line break ends a paragraph.
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")
