"""PDF: the text layer, page by page, through pdfplumber (the `pdf` extra).

pdfplumber (built on pdfminer.six) is used rather than pdfminer.six alone
because it finds tables (`find_tables`, from ruling lines and text
alignment) and gives each text line with its position and font size, which
is what rows with ordered cells, reading order and paragraph breaks need.

Each page's text lines and table rows are put in reading order (top to
bottom); a table row becomes one line, its cells in order separated by a
tab. A larger vertical gap or a change of font size (a heading) ends a
paragraph (an empty line); pages are separated by an empty line. Every
character is located by page, line on that page (table rows count as one
line) and column.
"""

from __future__ import annotations

import io
import statistics

from .document import Locations, LocationsBuilder


class PdfUnreadable(Exception):
    """A PDF that cannot be read, with the note saying what to do."""


def read_pdf(data: bytes) -> tuple[str, Locations, tuple[str, ...]]:
    """(text, locations, notes) of a PDF's text layer; PdfUnreadable when
    it has none, is encrypted or is damaged; ImportError without pdfplumber."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    pieces: list[str] = []
    builder = LocationsBuilder()
    length = 0
    pages_without_text = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = list(pdf.pages)
            for number, page in enumerate(pages, start=1):
                lines = _page_lines(page)
                if not lines:
                    pages_without_text += 1
                    continue
                if pieces:
                    pieces.append("\n\n")
                    length += 2
                for index, (text, columns, paragraph_break) in enumerate(lines, start=1):
                    if index > 1:
                        separator = "\n\n" if paragraph_break else "\n"
                        pieces.append(separator)
                        length += len(separator)
                    for position, column in columns:
                        builder.add(length + position, number, index, column)
                    pieces.append(text)
                    length += len(text)
    except (PDFPasswordIncorrect, PDFEncryptionError) as error:
        raise PdfUnreadable(_ENCRYPTED) from error
    except PdfUnreadable:
        raise
    except Exception as error:  # noqa: BLE001 - pdfminer raises many kinds on damaged files
        if _is_encryption(error):
            raise PdfUnreadable(_ENCRYPTED) from error
        raise PdfUnreadable(f"damaged or unsupported PDF ({type(error).__name__}); "
                            "re-save it from a PDF viewer and audit the copy") from error
    if not pieces:
        raise PdfUnreadable("PDF with no text layer (a scanned document?): run OCR on it "
                            "(e.g. `ocrmypdf in.pdf out.pdf`) and audit the result")
    notes = ()
    if pages_without_text:
        notes = (f"{pages_without_text} of {len(pages)} pages have no text layer (scanned?) and were not audited",)
    return "".join(pieces), builder.build(), notes


_ENCRYPTED = ("encrypted PDF that needs a password: save a copy without the password "
              "(e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`) and audit that")


def _is_encryption(error: BaseException) -> bool:
    # pdfplumber wraps pdfminer's errors; look through the chain.
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, (PDFPasswordIncorrect, PDFEncryptionError)):
            return True
        if any(isinstance(arg, (PDFPasswordIncorrect, PDFEncryptionError)) for arg in getattr(error, "args", ())):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def _page_lines(page) -> list[tuple[str, list[tuple[int, int]], bool]]:
    """The page's lines in reading order: (text, [(text position, column)]
    change points, whether a paragraph ends before it)."""
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]

    def outside_tables(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside_tables) if boxes else page
    items = []
    for line in text_page.extract_text_lines(strip=True, return_chars=True):
        if line["text"].strip():
            sizes = [char.get("size", 0) for char in line["chars"]] or [0]
            items.append((line["top"], line["bottom"], "line", line["text"], statistics.median(sizes)))
    for table in tables:
        rows = table.extract()
        top, bottom = table.bbox[1], table.bbox[3]
        for row in rows:
            cells = [_cell_text(cell) for cell in row]
            if any(cells):
                items.append((top, bottom, "row", cells, 0))
                top += 1e-6  # keep the rows of one table in their order
    items.sort(key=lambda item: item[0])
    heights = [bottom - top for top, bottom, kind, _, _ in items if kind == "line"]
    height = statistics.median(heights) if heights else 0
    lines = []
    previous = None
    for top, bottom, kind, content, size in items:
        if kind == "line":
            text = content
            columns = [(0, 1)]
        else:
            text = "\t".join(content)
            columns = []
            position = 0
            for cell in content:
                columns.append((position, position + 1))
                position += len(cell) + 1
        if previous is None:
            paragraph_break = False
        elif kind == "row" or previous[2] == "row":
            paragraph_break = not (kind == "row" and previous[2] == "row")
        else:
            gap = top - previous[1]
            paragraph_break = gap > 0.6 * height or abs(size - previous[4]) > 0.5
        lines.append((text, columns, paragraph_break))
        previous = (top, bottom, kind, content, size)
    return lines


def _cell_text(cell) -> str:
    if not cell:
        return ""
    parts = [part.strip() for part in cell.splitlines() if part.strip()]
    out = ""
    for part in parts:
        # Lines of one cell join without a space between Chinese characters.
        if out and (out[-1].isascii() or part[0].isascii()):
            out += " "
        out += part
    return out.replace("\t", " ")
