"""Evidence spans: normalized offsets → original text, line and column.

The one place where analysis positions become quotes of the original text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .findings import Evidence
from .ingest import Document
from .normalize import NormalizedText, normalize

CONTEXT_CHARS = 30
_LINE_END = re.compile("\n")


@dataclass
class SourceText:
    """A document with its normalized text and the means to quote it."""

    document: Document
    normalized: NormalizedText

    def __post_init__(self):
        original = self.document.text
        self._line_starts = [0] + [m.end() for m in _LINE_END.finditer(original)]

    @classmethod
    def of(cls, document: Document) -> "SourceText":
        return cls(document, normalize(document.text))

    @property
    def text(self) -> str:
        """The normalized text that analysis runs on."""
        return self.normalized.text

    @property
    def path(self) -> str:
        return self.document.path

    @property
    def key(self) -> str:
        """The document's real path: tells apart documents whose shown names are alike."""
        return self.document.key

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an original offset."""
        line_index = bisect.bisect_right(self._line_starts, offset) - 1
        return line_index + 1, offset - self._line_starts[line_index] + 1

    def evidence(self, start: int, end: int, role: str = "") -> Evidence:
        """Evidence for the normalized span [start, end)."""
        original_start, original_end = self.normalized.offsets.to_original(start, end)
        return self.original_evidence(original_start, original_end, role)

    def original_evidence(self, start: int, end: int, role: str = "") -> Evidence:
        """Evidence for the original span [start, end), with its context."""
        original = self.document.text
        line, column = self.line_column(start)
        page = 0
        if self.document.locations is not None:  # HTML markup, PDF pages, DOCX paragraphs
            page, line, column = self.document.locations.at(start)
        # context crosses line breaks so fingerprints survive re-wrapping; reports show its own line
        before = original[max(0, start - CONTEXT_CHARS):start]
        after = original[end:end + CONTEXT_CHARS]
        return Evidence(
            path=self.document.path, start=start, end=end, line=line, column=column,
            text=original[start:end], role=role, before=before, after=after, page=page,
        )
