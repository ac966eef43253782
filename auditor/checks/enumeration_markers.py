"""Ordinal list markers (一要…五要, 一是…三是, (一)(二), 一、二、, 第一、第二)
and the small numerals they and stated counts are written with."""

from __future__ import annotations

from dataclasses import dataclass


from .. import patterns
from .base import Span, fail, hold
from .scope import scan_timeout

def numeral_value(text: str) -> int | None:
    """The integer a short numeral stands for (`5`, `六`, `两`, `十二`)."""
    if text.isdigit():
        return int(text)
    if text in ("双", "俩", "倆"):
        return 2
    from ..numbers import parse_number

    try:
        value = parse_number(text)
    except (ValueError, ArithmeticError):
        return None
    return int(value) if value == int(value) else None


@dataclass(frozen=True)
class Marker:
    start: int
    end: int
    number: int
    text: str


def find_marker_runs(text: str, params: dict) -> list[tuple[list[Marker], list[tuple[str, list[Marker]]]]]:
    """Runs of ordinal markers of one style, each with its problems.

    A run starts at 1 (a lone `二是` is not a run). Nested lists reuse the
    style, so a number that continues an outer run closes the inner ones.
    Problems are (description, markers) pairs: a gap or a repeat."""
    runs = []
    for pattern in params["sequence_patterns"]:
        stack: list[tuple[list[Marker], list]] = []
        for match in patterns.finditer(pattern, text, timeout=scan_timeout(text)):
            number = numeral_value(match.group("n"))
            if number is None:
                continue
            leading = len(match.group()) - len(match.group().lstrip())
            marker = Marker(match.start() + leading, match.end(), number, match.group().strip())
            if number == 1:
                stack.append(([marker], []))
                runs.append(stack[-1])
                continue
            fitting = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][0][-1].number + 1 == number), None)
            if fitting is not None:
                del stack[fitting + 1:]
                stack[-1][0].append(marker)
            elif stack:
                markers, problems = stack[-1]
                previous = markers[-1]
                problem = "repeated" if number <= previous.number else "gap"
                problems.append((problem, [previous, marker]))
                markers.append(marker)
    return [run for run in runs if len(run[0]) >= 2 or run[1]]


def _marker_name(marker: Marker, number: int) -> str:
    """The marker text with its number replaced (`四要` → `三要`)."""
    digits = "一二三四五六七八九十"
    if marker.text[:1].isdigit() or marker.text[:1] == "(" and marker.text[1:2].isdigit():
        return patterns.sub(r"[0-9]+", str(number), marker.text, count=1)
    name = digits[number - 1] if 1 <= number <= 10 else str(number)
    return patterns.sub(r"[一二三四五六七八九十]+", name, marker.text, count=1)


def sequence_outcomes(rule, document):
    """A verified entry per complete run, a finding per gap or repeat."""
    for markers, problems in find_marker_runs(document.source.text, rule.params):
        shown = ", ".join(m.text for m in markers)
        if not problems:
            values = {"first": markers[0].text, "last": markers[-1].text, "count": len(markers), "note": ""}
            computation = f"{markers[0].text}…{markers[-1].text}: {len(markers)} items in sequence ✓"
            yield hold(rule, values, computation, [Span(document, m.start, m.end, "marker") for m in markers])
            continue
        for problem, (previous, marker) in problems:
            if problem == "gap":
                missing = ", ".join(_marker_name(previous, n) for n in range(previous.number + 1, marker.number))
                detail = f"{missing} missing"
            else:
                missing = ""
                detail = f"{marker.text} repeats or goes back after {previous.text}"
            values = {"marker": marker.text, "previous": previous.text, "missing": missing,
                      "problem": problem, "detail": detail, "first": markers[0].text, "count": len(markers)}
            spans = [Span(document, previous.start, previous.end, "previous"),
                     Span(document, marker.start, marker.end, "marker")]
            # headings on their own lines that skip several numbers at once read as sections left out
            # of an excerpt, not as a slip of the count
            at_line_starts = all(document.text[max(0, m.start - 1):m.start] in ("", "\n") for m in (previous, marker))
            skipped_several = problem == "gap" and marker.number - previous.number > 2
            confidence = "medium" if at_line_starts and skipped_several else "high"
            yield fail(rule, values, f"{shown}: {detail}", spans, confidence=confidence)
