"""PDF: the text layer, page by page, through pdfplumber (the `pdf` extra).

pdfplumber (built on pdfminer.six) is used rather than pdfminer.six alone
because it finds tables (`find_tables`, from ruling lines and text
alignment) and gives each text line with its position and font size, which
is what rows with ordered cells, reading order and paragraph breaks need.

Each page's text lines and table rows are put in reading order (top to
bottom); a table row becomes one line, its cells in order separated by a
tab. A larger vertical gap or a change of font size (a heading) ends a
paragraph (an empty line); pages are separated by an empty line. Lines in
the top or bottom margin that are page numbers, or that recur on most pages
(running headers and footers), are left out with a note. Every character is
located by page, line on that page (table rows count as one line) and
column.
"""

from __future__ import annotations

import io
import re
import statistics
from dataclasses import dataclass

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
            pages = [_page_lines(page) for page in pdf.pages]
        chrome = _running_lines(pages)
        dropped = 0
        for number, lines in enumerate(pages, start=1):
            if not lines:
                pages_without_text += 1
                continue
            started = False
            # Line numbers count every line of the page, dropped ones too,
            # so that they match what a reader counts on the page.
            for index, line in enumerate(lines, start=1):
                if line.margin and (_masked(line.text) in chrome or _PAGE_NUMBER.fullmatch(line.text.strip())):
                    dropped += 1
                    continue
                if pieces:
                    separator = "\n\n" if (not started or line.paragraph_break) else "\n"
                    pieces.append(separator)
                    length += len(separator)
                started = True
                builder.add(length, number, index, 1)
                pieces.append(line.text)
                length += len(line.text)
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
        notes += (f"{pages_without_text} of {len(pages)} pages have no text layer (scanned?) and were not audited",)
    if dropped:
        notes += (f"{dropped} running header, footer or page-number line{'s' if dropped != 1 else ''} left out",)
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


@dataclass(frozen=True)
class Line:
    text: str
    paragraph_break: bool   # a paragraph ends before this line
    margin: bool            # in the top or bottom margin of the page


# A line that is only a page number: 3, - 3 -, 第3页, 第 3 页 共 10 页, 3/10, Page 3.
_PAGE_NUMBER = re.compile(r"(?:[-–—]\s*)?(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?"
                          r"(?:\s*[-–—])?|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?")
_MARGIN = 0.08   # share of the page height at the top and at the bottom


def _masked(text: str) -> str:
    return re.sub(r"\d+", "#", "".join(text.split()))


def _running_lines(pages: list[list[Line]]) -> set[str]:
    """Margin lines that recur, digits aside, on at least half of the pages
    (and at least two): running headers and footers."""
    counts: dict[str, int] = {}
    for lines in pages:
        for text in {_masked(line.text) for line in lines if line.margin}:
            counts[text] = counts.get(text, 0) + 1
    with_text = sum(1 for lines in pages if lines)
    return {text for text, count in counts.items() if count >= 2 and count * 2 >= with_text}


def _page_lines(page) -> list[Line]:
    """The page's lines in reading order, table rows as lines of tab-separated cells."""
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
        top, bottom = table.bbox[1], table.bbox[3]
        for row in table.extract():
            cells = [_cell_text(cell) for cell in row]
            if any(cells):
                items.append((top, bottom, "row", "\t".join(cells), 0))
                top += 1e-6  # keep the rows of one table in their order
    items.sort(key=lambda item: item[0])
    heights = [bottom - top for top, bottom, kind, _, _ in items if kind == "line"]
    height = statistics.median(heights) if heights else 0
    page_height = float(page.height or 0)
    lines = []
    previous = None
    for top, bottom, kind, text, size in items:
        if previous is None:
            paragraph_break = False
        elif kind == "row" or previous[2] == "row":
            paragraph_break = not (kind == "row" and previous[2] == "row")
        else:
            gap = top - previous[1]
            paragraph_break = gap > 0.6 * height or abs(size - previous[4]) > 0.5
        margin = bool(page_height) and kind == "line" and (
            bottom < _MARGIN * page_height or top > (1 - _MARGIN) * page_height)
        lines.append(Line(text, paragraph_break, margin))
        previous = (top, bottom, kind, text, size)
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
