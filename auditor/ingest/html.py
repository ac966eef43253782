"""HTML: the main text of a page, each character located in the markup.

Two passes. Our own html.parser pass cuts the page into blocks (paragraphs,
headings, list items, table rows with their cells in order), decoding
entities and collapsing whitespace, and keeps for every character of a
block its offset in the markup. trafilatura (the `html` extra) then decides
which blocks are the page's main text: a block is kept when its text is
part of what trafilatura extracted, so navigation, headers, footers and
sidebars drop out while every location still points into the markup.

Without trafilatura, or when it finds no main text, the blocks outside
<nav>, <header>, <footer> and <aside> are kept, with a note.

Blocks are separated by an empty line (a heading or a title never runs
into the paragraph after it); the rows of one table by a line break, the
cells of a row by a tab.
"""

from __future__ import annotations

import html as html_module
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .document import Locations, LocationsBuilder

_BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
          "header", "footer", "table", "ul", "ol", "dl", "dt", "dd", "title", "blockquote", "pre",
          "hr", "caption", "figcaption", "nav", "aside", "main", "form", "address", "body", "html",
          "thead", "tbody", "tfoot", "figure", "details", "summary", "menu", "fieldset", "legend"}
# Table cells side by side must not run together: `<td>2018</td><td>2150</td>`
# is two numbers, not 20182150.
_CELL = {"td", "th"}
_ROW = {"tr"}
_SKIP = {"script", "style", "noscript", "template", "svg"}
_CHROME = {"nav", "header", "footer", "aside"}
_ASCII_SPACE = " \t\n\r\f"
_WORDS = re.compile(r"[^ \t\n\r\f]+")
# Pages larger than this are not handed to trafilatura (its cost grows
# faster than the page); their blocks outside the chrome are kept.
MAX_EXTRACTOR_CHARS = 5_000_000


@dataclass
class Block:
    chars: list[str] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)   # markup offset of each character
    row: bool = False       # a table row (its cells separated by tabs)
    chrome: bool = False    # inside nav, header, footer or aside
    title: bool = False     # the page's <title>

    def text(self) -> str:
        return "".join(self.chars)


class _BlockParser(HTMLParser):
    def __init__(self, markup: str):
        super().__init__(convert_charrefs=False)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", markup)]
        self.blocks: list[Block] = []
        self._current = Block()
        self._skipping = 0
        self._chrome = 0
        self._title = False
        self._in_row = False
        self._cells_in_row = 0

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[min(line, len(self._line_starts)) - 1] + column

    def _close(self) -> None:
        if self._current.chars:
            self.blocks.append(self._current)
        self._current = Block(row=self._in_row, chrome=self._chrome > 0, title=self._title)

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self._skipping += 1
        elif tag == "title":
            self._close()
            self._title = True
            self._current.title = True
        elif tag in _ROW:
            self._close()
            self._in_row, self._cells_in_row = True, 0
            self._current.row = True
        elif tag in _CELL:
            if self._cells_in_row:
                self._add("\t", self._offset(), separator=True)
            self._cells_in_row += 1
        elif tag == "table":
            self._close()
            self._in_row = False
            self._current.row = False
        elif tag in _BLOCK:
            if self._in_row:  # a paragraph inside a cell stays in its row
                self._add(" ", self._offset())
            else:
                self._close()
        if tag in _CHROME:
            self._chrome += 1
            self._current.chrome = True

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK:
            if self._in_row:
                self._add(" ", self._offset())
            else:
                self._close()

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag == "title":
            self._close()
            self._title = False
            self._current.title = False
        elif tag in _ROW or tag == "table":
            self._in_row = False
            self._close()
        elif tag in _BLOCK and not self._in_row:
            self._close()
        if tag in _CHROME:
            self._close()
            self._chrome = max(0, self._chrome - 1)
            self._current.chrome = self._chrome > 0

    def handle_data(self, data):
        if self._skipping:
            return
        start = self._offset()
        # Runs of non-space characters are copied in bulk; each run of ASCII
        # whitespace becomes one space.
        for match in _WORDS.finditer(data):
            if match.start() and data[match.start() - 1] in _ASCII_SPACE:
                self._add(" ", start + match.start() - 1)
            chars, offsets = self._current.chars, self._current.offsets
            chars.extend(match.group())
            offsets.extend(range(start + match.start(), start + match.end()))
        if data and data[-1] in _ASCII_SPACE:
            self._add(" ", start + len(data) - 1)

    def handle_entityref(self, name):
        self._entity(f"&{name};")

    def handle_charref(self, name):
        self._entity(f"&#{name};")

    def _entity(self, reference: str) -> None:
        if self._skipping:
            return
        start = self._offset()
        decoded = html_module.unescape(reference)
        for index, char in enumerate(decoded):
            # An unknown entity stays as written, each character at its own place.
            self._add(char, start + (index if decoded == reference else 0))

    def _add(self, char: str, offset: int, separator: bool = False) -> None:
        chars, offsets = self._current.chars, self._current.offsets
        if separator:
            if chars and chars[-1] == " ":
                chars.pop()
                offsets.pop()
        elif char in _ASCII_SPACE:
            if not chars or chars[-1] in " \t":
                return
            char = " "
        chars.append(char)
        offsets.append(offset)

    def close(self):
        super().close()
        self._close()


def parse_blocks(markup: str) -> list[Block]:
    """The page's blocks in document order, whitespace collapsed and trimmed."""
    parser = _BlockParser(markup)
    parser.feed(markup)
    parser.close()
    blocks = []
    for block in parser.blocks:
        while block.chars and block.chars[-1] == " ":
            block.chars.pop()
            block.offsets.pop()
        first = 0
        while first < len(block.chars) and block.chars[first] == " ":
            first += 1
        if first:
            del block.chars[:first], block.offsets[:first]
        if block.chars:
            blocks.append(block)
    return blocks


def html_to_text(markup: str) -> str:
    """The readable text of an HTML page, every block kept (no main-text
    selection), one block per line."""
    return "\n".join(block.text() for block in parse_blocks(markup))


@dataclass(frozen=True)
class PageText:
    text: str
    locations: Locations
    notes: tuple[str, ...]


def read_html(markup: str) -> PageText:
    """The main text of a page, with the markup location of each character."""
    blocks = parse_blocks(markup)
    notes = []
    kept = _main_blocks(markup, blocks, notes)
    return _assemble(markup, kept, tuple(notes))


def _squeeze(text: str) -> str:
    return re.sub(r"[\s|]+", "", text)


def _main_blocks(markup: str, blocks: list[Block], notes: list[str]) -> list[Block]:
    structural = [b for b in blocks if not b.chrome and not b.title]
    if len(markup) > MAX_EXTRACTOR_CHARS:
        notes.append("page too large for main-text extraction: text outside <nav>, <header>, "
                     "<footer> and <aside> was audited")
        return structural
    try:
        import trafilatura
    except ImportError:
        notes.append("main-text extraction needs the html extra (pip install 'auditor[html]'): "
                     "text outside <nav>, <header>, <footer> and <aside> was audited")
        return structural
    try:
        extracted = trafilatura.extract(markup, include_tables=True, include_comments=False,
                                        favor_precision=False, deduplicate=False, output_format="txt")
    except Exception:  # noqa: BLE001 - a broken page must not end the run
        extracted = None
    if not extracted:
        return structural
    kept = _blocks_in(blocks, extracted)
    if not kept:
        return structural
    dropped = len(blocks) - len(kept)
    if dropped:
        notes.append(f"{dropped} block{'s' if dropped != 1 else ''} of navigation, headers, footers "
                     "or sidebars left out (main text found by trafilatura)")
    return kept


def _blocks_in(blocks: list[Block], extracted: str) -> list[Block]:
    """The blocks whose text is part of `extracted`, in linear time: the
    extractor keeps the page's order, so each block is looked for just after
    the previous match (with some slack for text it dropped), else among the
    extracted lines as a whole."""
    content = _squeeze(extracted)
    lines = {_squeeze(line) for line in extracted.splitlines()}
    kept, position = [], 0
    for block in blocks:
        text = _squeeze(block.text())
        if block.title or not text:
            continue
        found = content.find(text, position, position + len(text) + _SLACK)
        if found != -1:
            position = found + len(text)
            kept.append(block)
        elif text in lines:
            kept.append(block)
    return kept


_SLACK = 400


def _assemble(markup: str, blocks: list[Block], notes: tuple[str, ...]) -> PageText:
    line_starts = [0] + [m.end() for m in re.finditer("\n", markup)]
    import bisect

    pieces: list[str] = []
    builder = LocationsBuilder()
    length = 0
    previous: Block | None = None
    for block in blocks:
        if previous is not None:
            separator = "\n" if previous.row and block.row else "\n\n"
            pieces.append(separator)
            length += len(separator)
        previous_offset, line_end = -2, -1
        for index, offset in enumerate(block.offsets):
            # A change point only where the markup jumps (a tag, an entity,
            # collapsed spaces) or a markup line begins.
            if offset == previous_offset + 1 and offset < line_end:
                previous_offset = offset
                continue
            line = bisect.bisect_right(line_starts, offset) - 1
            line_end = line_starts[line + 1] if line + 1 < len(line_starts) else len(markup) + 1
            builder.add(length + index, 0, line + 1, offset - line_starts[line] + 1)
            previous_offset = offset
        text = block.text()
        pieces.append(text)
        length += len(text)
        previous = block
    return PageText("".join(pieces), builder.build(), notes)
