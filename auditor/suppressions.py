"""Inline suppressions in Markdown and HTML, as linters have them.

    <!-- audit: ignore RST01 -->          the next paragraph, for RST01 only
    <!-- audit: ignore -->                the next paragraph, for every rule
    <!-- audit: off -->  …  <!-- audit: on -->   everything between (rules may follow `off`)

Rules are named as on the command line: id, symbol, kind or prefix.

- Markdown: the comments are found in the document's text (ingest blanks
  code blocks, so a comment inside one does nothing) and regions are text
  offsets, the offsets evidence spans carry. A paragraph runs to the next
  blank line.
- HTML: the reader keeps only the page's main text, so the comments are
  found in the markup (the file is read again, within the size limit) and
  regions are markup (line, column) ranges, the coordinates HTML evidence
  carries. A paragraph runs to the end of the next block element.

A finding is suppressed when one of its evidence spans starts inside a
region of its own document that names its rule; it is then reported as
suppressed (JSON `suppressions`, SARIF results with `suppressions`), not as
a finding.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, replace

from .findings import Finding

MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
_COMMENT = re.compile(r"<!--\s*audit:\s*(ignore|off|on)\b(.*?)-->", re.IGNORECASE | re.DOTALL)
_SELECTOR = re.compile(r"[A-Za-z0-9_.\-]+")
_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")
_BLOCK_END = re.compile(r"</(?:p|li|div|h[1-6]|td|th|tr|dd|dt|pre|blockquote|section|article|figcaption|caption)\s*>",
                        re.IGNORECASE)


@dataclass(frozen=True)
class Region:
    """Where `selectors` (all rules when empty) are suppressed by `comment`
    in document `path`: text offsets [start, end), or, with `markup`, markup
    positions ((line, column), (line, column)) as HTML evidence gives them."""

    path: str
    start: object
    end: object
    selectors: tuple[str, ...]
    comment: str
    markup: bool = False

    def covers(self, evidence) -> bool:
        if self.markup:
            return self.start <= (evidence.line, evidence.column) < self.end
        return self.start <= evidence.start < self.end


def regions_in(document, max_bytes: int = 64 * 1024 * 1024) -> list[Region]:
    """The suppressed regions of one document (none unless Markdown or HTML)."""
    name = document.path.lower()
    if getattr(document, "format", "") == "markdown" or name.endswith(MARKDOWN_SUFFIXES):
        return _regions(document.path, document.text, paragraph_end=_markdown_paragraph_end)
    if getattr(document, "format", "") == "html" or name.endswith(HTML_SUFFIXES):
        markup = _markup(document, max_bytes)
        if markup is None or "audit:" not in markup:
            return []
        starts = [0] + [i + 1 for i, ch in enumerate(markup) if ch == "\n"]

        def position(offset: int) -> tuple[int, int]:
            line = bisect.bisect_right(starts, offset) - 1
            return line + 1, offset - starts[line] + 1

        return [replace(r, start=position(r.start), end=position(r.end), markup=True)
                for r in _regions(document.path, markup, paragraph_end=_html_paragraph_end)]
    return []


def _regions(path: str, text: str, paragraph_end) -> list[Region]:
    regions: list[Region] = []
    opened: tuple[int, tuple[str, ...], str] | None = None
    for match in _COMMENT.finditer(text):
        action = match.group(1).lower()
        selectors = tuple(_SELECTOR.findall(match.group(2)))
        comment = " ".join(match.group(0).split())
        if action == "ignore":
            start = match.end()
            while start < len(text) and text[start].isspace():
                start += 1
            regions.append(Region(path, start, paragraph_end(text, start), selectors, comment))
        elif action == "off" and opened is None:
            opened = (match.end(), selectors, comment)
        elif action == "on" and opened is not None:
            regions.append(Region(path, opened[0], match.start(), opened[1], opened[2]))
            opened = None
    if opened is not None:
        regions.append(Region(path, opened[0], len(text), opened[1], opened[2]))
    return regions


def _markdown_paragraph_end(text: str, start: int) -> int:
    blank = _BLANK_LINE.search(text, start)
    return blank.start() if blank else len(text)


def _html_paragraph_end(text: str, start: int) -> int:
    end = _BLOCK_END.search(text, start)
    return end.end() if end else len(text)


def _markup(document, max_bytes: int) -> str | None:
    """The HTML file's markup, read again (the document holds only its text)."""
    from .ingest import decode

    path = getattr(document, "key", "") or document.path
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > max_bytes:
            return None
        with open(path, "rb") as stream:
            decoded = decode(stream.read(max_bytes + 1))
    except OSError:
        return None
    return decoded[0] if decoded else None


def apply_suppressions(findings: list[Finding], regions: list[Region]) -> tuple[list[Finding], list[Finding]]:
    """Split findings into (kept, suppressed); suppressed ones carry their comment."""
    from .ruleset import selector_matches

    if not regions:
        return findings, []
    by_path: dict[str, list[Region]] = {}
    for region in regions:
        by_path.setdefault(region.path, []).append(region)
    kept, suppressed = [], []
    for finding in findings:
        comment = _suppressing(finding, by_path, selector_matches)
        if comment:
            suppressed.append(replace(finding, suppression=comment))
        else:
            kept.append(finding)
    return kept, suppressed


def _suppressing(finding: Finding, by_path, matches) -> str:
    for evidence in finding.evidence:
        for region in by_path.get(evidence.path, ()):
            if region.covers(evidence) and (
                    not region.selectors
                    or any(matches(s, finding.rule, finding.symbol, finding.kind) for s in region.selectors)):
                return region.comment
    return ""
