"""Inline suppressions in Markdown and HTML, as linters have them.

    <!-- audit: ignore RST01 -->          the next paragraph, for RST01 only
    <!-- audit: ignore -->                the next paragraph, for every rule
    <!-- audit: off -->  …  <!-- audit: on -->   everything between (rules may follow `off`)

Rules are named as on the command line: id, symbol, kind or prefix. The
comments are found in the document's original text (for HTML, ingest keeps
`audit:` comments as lines of their own), so the regions are original
offsets, the same offsets evidence spans carry. A finding is suppressed when
one of its evidence spans starts inside a region of its own document that
names its rule; it is then reported as suppressed, not as a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .findings import Finding

MARKUP_SUFFIXES = (".md", ".markdown", ".html", ".htm")
_COMMENT = re.compile(r"<!--\s*audit:\s*(ignore|off|on)\b(.*?)-->", re.IGNORECASE | re.DOTALL)
_SELECTOR = re.compile(r"[A-Za-z0-9_.\-]+")
_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")


@dataclass(frozen=True)
class Region:
    """Original offsets [start, end) of one document where `selectors` (all
    rules when empty) are suppressed by `comment`."""

    path: str
    start: int
    end: int
    selectors: tuple[str, ...]
    comment: str


def regions_in(path: str, text: str) -> list[Region]:
    """The suppressed regions of one document (none unless Markdown or HTML)."""
    if not path.lower().endswith(MARKUP_SUFFIXES):
        return []
    html = path.lower().endswith((".html", ".htm"))
    regions: list[Region] = []
    opened: tuple[int, tuple[str, ...], str] | None = None
    for match in _COMMENT.finditer(text):
        action = match.group(1).lower()
        selectors = tuple(_SELECTOR.findall(match.group(2)))
        comment = " ".join(match.group(0).split())
        if action == "ignore":
            start, end = _next_paragraph(text, match.end(), html)
            regions.append(Region(path, start, end, selectors, comment))
        elif action == "off" and opened is None:
            opened = (match.end(), selectors, comment)
        elif action == "on" and opened is not None:
            regions.append(Region(path, opened[0], match.start(), opened[1], opened[2]))
            opened = None
    if opened is not None:
        regions.append(Region(path, opened[0], len(text), opened[1], opened[2]))
    return regions


def _next_paragraph(text: str, position: int, html: bool) -> tuple[int, int]:
    # In Markdown a paragraph runs to the next blank line; HTML text has one block per line.
    start = position
    while start < len(text) and text[start].isspace():
        start += 1
    if html:
        end = text.find("\n", start)
        return start, len(text) if end < 0 else end
    blank = _BLANK_LINE.search(text, start)
    return start, blank.start() if blank else len(text)


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
            if region.start <= evidence.start < region.end and (
                    not region.selectors
                    or any(matches(s, finding.rule, finding.symbol, finding.kind) for s in region.selectors)):
                return region.comment
    return ""
