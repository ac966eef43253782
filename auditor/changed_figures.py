"""Passages copied with their figures changed (rule DUP02).

County reports are often written from a template or from last year's report
with the numbers changed, so the copies are not identical and the repeated
passage search (DUP01) misses them or reports them as mere near repeats.

Method, linear in the corpus (it rides on `auditor.duplicates`):
1. every sentence unit gets a masked form: its folded text with each Arabic
   number replaced by 0 (`2000万元` and `2500万元` both become `0万元`);
2. units with the same masked form share a class, so runs of consecutive
   classes that recur are joined into passages exactly as for DUP01;
3. a passage whose aligned sentences differ only in their figures is one
   finding, listing each pair of differing figures side by side (the
   reference copy first); a sentence reworded as well gives no pairs.

When the two figures of a pair speak of the same place and the same year
(from the claims the pair's numbers belong to), the pair is a restatement
conflict and the finding is a warning; copies about different places, or
different years, are a template reused: info.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

from .findings import Evidence, Finding

RULE, SYMBOL, KIND = "DUP02", "passages.changed-figures", "duplicate_passage"
# The English message (rules/passages/DUP02.yaml has the same template; tests check they agree).
MESSAGE = "passage repeated with {count} figures changed: {pairs}"
DIGITS = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
LISTED_PAIRS = 12


@dataclass(frozen=True)
class _Figure:
    start: int
    end: int
    text: str
    number: str


@lru_cache(maxsize=1)
def _figure_pattern():
    """A number with its magnitude and its unit or counter from the unit table (`86公里`, `2.3亿元`, `145个`)."""
    from .units import unit_table

    units = "|".join(re.escape(symbol) for symbol in sorted(unit_table(), key=len, reverse=True))
    return re.compile(rf"[0-9]+(?:[.,][0-9]+)*(?:万亿|[万亿千百])?(?:{units})?")


def _figures(text: str, start: int, end: int) -> list[_Figure]:
    return [_Figure(m.start(), m.end(), m.group(), DIGITS.match(m.group()).group())
            for m in _figure_pattern().finditer(text, start, end)]


def changed_figures_finding(cluster, units, classes, sources, places, settings) -> Finding | None:
    """The DUP02 finding of a repeated passage (a list of runs of units) whose copies differ in figures, or None."""
    runs = sorted(cluster, key=lambda run: (sources[units.docs[run[0]]].path, units.starts[run[0]]))
    reference = runs[0]
    shape = [classes[u] for u in reference]
    copies = [run for run in runs[1:] if [classes[u] for u in run] == shape]
    if not copies:
        return None
    pairs: list[tuple[int, _Figure, _Figure, int]] = []   # (copy number, reference figure, copy figure, copy doc)
    for number, run in enumerate(copies, start=2):
        for a, b in zip(reference, run):
            if units.folded[a] == units.folded[b] or units.masked[a] != units.masked[b]:
                continue   # the same sentence, or one reworded (a near repeat), not refigured
            left = _figures(sources[units.docs[a]].text, units.starts[a], units.ends[a])
            right = _figures(sources[units.docs[b]].text, units.starts[b], units.ends[b])
            if len(left) != len(right):
                continue
            pairs += [(number, x, y, units.docs[b]) for x, y in zip(left, right) if x.number != y.number]
    if not pairs:
        return None
    occurrences = [reference] + copies
    # characters without whitespace, as DUP01 measures a passage
    lengths = [len("".join(sources[units.docs[run[0]]].text[units.starts[run[0]]:units.ends[run[-1]]].split()))
               for run in occurrences]
    if max(lengths) < settings.duplicate_min_chars:
        return None
    doc0 = units.docs[reference[0]]
    verdicts = [places.same_fact(doc0, x, doc, y) for _, x, y, doc in pairs]
    conflict = any(v[0] for v in verdicts)
    evidence: list[Evidence] = []
    for number, run in enumerate(occurrences, start=1):
        source = sources[units.docs[run[0]]]
        evidence.append(source.evidence(units.starts[run[0]], units.ends[run[-1]], f"occurrence {number}"))
    for (_, x, y, doc), (same, _) in zip(pairs, verdicts):
        evidence.append(sources[doc0].evidence(x.start, x.end, "statement" if same else "figure"))
        evidence.append(sources[doc].evidence(y.start, y.end, "restatement" if same else "figure in copy"))
    shown = [f"{x.text} → {y.text}" for _, x, y, _ in pairs]
    listing = ", ".join(shown[:LISTED_PAIRS]) + (f" (+{len(shown) - LISTED_PAIRS})" if len(shown) > LISTED_PAIRS else "")
    values = {"count": len(pairs), "pairs": listing}
    where = " ↔ ".join(_place(e) for e in evidence[:len(occurrences)])
    reasons = sorted({reason for _, reason in verdicts})
    verdict = "the figures contradict each other" if conflict else "a template with its figures changed"
    computation = f"{where}: {listing}; {', '.join(reasons)}: {verdict}"
    return Finding(rule=RULE, kind=KIND, severity="warning" if conflict else "info",
                   message=MESSAGE.format(**values), computation=computation, evidence=tuple(evidence),
                   symbol=SYMBOL, confidence="high" if conflict else "medium",
                   message_args={k: str(v) for k, v in values.items()})


def _place(evidence: Evidence) -> str:
    return f"{os.path.basename(evidence.path)}:{evidence.line}:{evidence.column}"


class Places:
    """The place and year of a figure, from the claim whose quantity covers it."""

    def __init__(self, analyzed):
        self.analyzed = analyzed   # one engine.PlaceIndex per document, or None

    def _claim(self, doc: int, figure: _Figure):
        return self.analyzed[doc].claim_at(figure.start) if self.analyzed else None

    def _where(self, doc: int, figure: _Figure) -> tuple[str, str]:
        claim = self._claim(doc, figure)
        place = (getattr(claim, "place", "") if claim else "") or \
            (getattr(self.analyzed[doc], "place", "") if self.analyzed else "")
        return place or "", (getattr(claim, "time", "") or "") if claim else ""

    def same_fact(self, doc_a: int, a: _Figure, doc_b: int, b: _Figure) -> tuple[bool, str]:
        """(whether the two figures state one fact, the reason in words)."""
        place_a, time_a = self._where(doc_a, a)
        place_b, time_b = self._where(doc_b, b)
        if not place_a or not place_b:
            return (doc_a == doc_b and time_a == time_b), "same place" if doc_a == doc_b else "place not stated"
        if place_a != place_b:
            return False, "different places"
        if time_a != time_b:
            return False, "different years"
        if not time_a and doc_a != doc_b:
            return False, "year not stated"
        return True, "same place and year" if time_a else "same place"
