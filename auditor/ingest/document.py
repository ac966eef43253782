"""The records ingest hands on: Document, Skipped, and Locations (where each
character of a document's text stands in its source file)."""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Locations:
    """Text offsets → (page, line, column) in the source file, stored as change
    points: from `starts[i]` on, the text stands at page `pages[i]`, line
    `lines[i]`, column `columns[i]`, the column growing by one per character
    until the next change point. Page 0 means the format has no pages.

    For HTML, line and column are those of the markup; for PDF, the line on
    its page; for DOCX, the paragraph (table cells counted in reading order)
    and the character within it."""

    starts: array
    pages: array
    lines: array
    columns: array

    def at(self, offset: int) -> tuple[int, int, int]:
        """(page, line, column) of text offset `offset` (1-based line and column)."""
        if not self.starts:
            return (0, 1, 1)
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return (self.pages[index], self.lines[index], self.columns[index] + max(0, offset - self.starts[index]))


class LocationsBuilder:
    """Collects change points in text order; a point that only continues the
    previous run (same page and line, next column) is not stored."""

    def __init__(self):
        self.starts, self.pages = array("q"), array("q")
        self.lines, self.columns = array("q"), array("q")

    def add(self, offset: int, page: int, line: int, column: int) -> None:
        if self.starts:
            last = len(self.starts) - 1
            if (self.pages[last] == page and self.lines[last] == line
                    and self.columns[last] + offset - self.starts[last] == column):
                return
            if self.starts[last] == offset:  # a later point at the same offset wins
                self.pages[last], self.lines[last], self.columns[last] = page, line, column
                return
        self.starts.append(offset)
        self.pages.append(page)
        self.lines.append(line)
        self.columns.append(column)

    def build(self) -> Locations:
        return Locations(self.starts, self.pages, self.lines, self.columns)


@dataclass(frozen=True)
class Document:
    """One audited text.

    `text` is what is analysed and quoted: the decoded file, or the text a
    reader took out of a page, a PDF or a Word file; every offset in a report
    is a code-point offset into it. `path` is the name reports show (see
    `display_path`); `key` is the real path, which tells documents apart even
    when two shown names are alike. `locations`, when set, maps text offsets
    to page, line and column in the source file (HTML markup, PDF pages,
    DOCX paragraphs); without it, line and column are counted in `text`.
    `notes` say what the reader did that a user should know (the encoding
    guessed, NUL bytes dropped, navigation left out…)."""

    path: str
    text: str
    encoding: str
    key: str = ""
    locations: Locations | None = field(default=None, compare=False, repr=False)
    notes: tuple[str, ...] = ()
    format: str = "text"

    def __post_init__(self):
        if not self.key:
            object.__setattr__(self, "key", self.path)


@dataclass(frozen=True)
class Skipped:
    """A file that was found but not audited, and why."""

    path: str
    reason: str
