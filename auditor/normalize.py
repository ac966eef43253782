"""Normalize: original text → analysis text plus an OffsetMap back.

Steps, each recorded in the map as it happens: Unicode NFKC (full width to
half width), removal of pinyin annotations a converter inserted after
characters (`網(wǎng)` → `網`), joining lines that only wrap prose
mid-sentence, and Traditional → Simplified with OpenCC.
Evidence is always mapped back through the OffsetMap, never re-found by
searching strings.
"""

from __future__ import annotations

import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex

TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
PINYIN_LETTERS = "a-zü" + TONE_VOWELS
# `會(huì )議`: a Han character, then lower-case pinyin with at least one tone
# mark, sometimes with a stray space before the closing parenthesis.
PINYIN_ANNOTATION = regex.compile(
    rf"(?<=[\p{{Han}}])\((?=[{PINYIN_LETTERS} ]*[{TONE_VOWELS}ü])[{PINYIN_LETTERS}]{{1,7}} ?\)"
)


@dataclass(frozen=True)
class OffsetMap:
    """For each character of the normalized text, the span of original text it
    came from. Spans are non-decreasing, so mapped spans stay in order.

    `starts` and `ends` are ranges while nothing changed length (no memory
    per character) and compact integer arrays once something did, so a
    text of millions of characters costs 16 bytes a character at most.
    """

    starts: Sequence[int]
    ends: Sequence[int]
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span [start, end) to a span of the original text."""
        if not self.starts:
            return (0, 0)
        start = max(0, min(start, len(self.starts)))
        end = max(start, min(end, len(self.starts)))
        if end == start:
            position = self.starts[start] if start < len(self.starts) else self.original_length
            return (position, position)
        return (self.starts[start], self.ends[end - 1])


@dataclass(frozen=True)
class NormalizedText:
    text: str
    offsets: OffsetMap


def normalize(original: str) -> NormalizedText:
    """Normalize `original` for analysis, keeping a map back to it."""
    starts: Sequence[int] = range(len(original))
    ends: Sequence[int] = range(1, len(original) + 1)
    text = original

    text, starts, ends = _nfkc(text, starts, ends)
    text, starts, ends = _remove_pinyin(text, starts, ends)
    text, starts, ends = _join_soft_wraps(text, starts, ends)
    text = to_simplified(text)
    return NormalizedText(text, OffsetMap(starts, ends, len(original)))


class _Rebuild:
    """A text and its offsets, rebuilt piece by piece: unchanged runs are
    copied in bulk, replaced pieces map to the original span they replace."""

    def __init__(self, text, starts, ends):
        self.source, self.starts, self.ends = text, starts, ends
        self.pieces: list[str] = []
        self.new_starts, self.new_ends = array("q"), array("q")
        self.done = 0

    def replace(self, first: int, last: int, replacement: str, start: int, end: int) -> None:
        """Replace source[first:last] by `replacement`, mapped to [start, end)."""
        self.keep_until(first)
        self.pieces.append(replacement)
        self.new_starts.extend([start] * len(replacement))
        self.new_ends.extend([end] * len(replacement))
        self.done = last

    def keep_until(self, position: int) -> None:
        if position > self.done:
            self.pieces.append(self.source[self.done:position])
            self.new_starts.extend(self.starts[self.done:position])
            self.new_ends.extend(self.ends[self.done:position])
            self.done = position

    def result(self):
        self.keep_until(len(self.source))
        return "".join(self.pieces), self.new_starts, self.new_ends


def _nfkc(text, starts, ends):
    if unicodedata.is_normalized("NFKC", text):
        return text, starts, ends
    rebuilt = _Rebuild(text, starts, ends)
    # A base character and the combining marks after it are normalized
    # together (so `a` + U+030C composes to `ǎ`); the result maps to the
    # span of the whole cluster.
    for first, last in _changing_clusters(text):
        cluster = text[first:last]
        folded = unicodedata.normalize("NFKC", cluster)
        if folded != cluster:
            rebuilt.replace(first, last, folded, starts[first], ends[last - 1])
    return rebuilt.result()


def _changing_clusters(text):
    """(start, end) of each cluster (a base character with the combining
    marks after it) that NFKC may change, in order and without overlap."""
    done = 0
    for index, char in enumerate(text):
        if index < done or char < "\x80" or not _may_change(char):
            continue
        first = index
        while first > done and unicodedata.combining(text[first]):
            first -= 1
        last = index + 1
        while last < len(text) and unicodedata.combining(text[last]):
            last += 1
        yield first, last
        done = last


@lru_cache(maxsize=65536)
def _may_change(char: str) -> bool:
    return bool(unicodedata.combining(char)) or unicodedata.normalize("NFKC", char) != char


def _remove_pinyin(text, starts, ends):
    # Repeated until nothing is left, because removing `(wǎng)` from
    # `網(wǎng)(wǎng)` puts the second annotation right after a Han character.
    while "(" in text:
        matches = list(PINYIN_ANNOTATION.finditer(text))
        if not matches:
            break
        rebuilt = _Rebuild(text, starts, ends)
        for match in matches:
            annotated = match.start() - 1
            # The annotated character now stands for the annotation too.
            rebuilt.replace(annotated, match.end(), text[annotated], starts[annotated], ends[match.end() - 1])
        text, starts, ends = rebuilt.result()
    return text, starts, ends


CLOSING = "。.！？!?；;：:”’」』)）]…"
CLAUSE_MARKS = ",，;；"
LIST_MARKER = regex.compile(r"[ \t]*(?:[一二三四五六七八九十]{1,3}[、是要]|[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．]|第[一二三四五六七八九十]{1,3})")
SOFT_WRAP_MIN_LINE = 16


def _soft_wraps(text: str) -> list[int]:
    """Line breaks that only wrap prose mid-sentence: the line so far (since
    the last real break) is prose (long, or with clause punctuation), at
    least as long as the next line, does not end with closing punctuation,
    and the next line goes straight on with a Han character, digit or comma.
    Headings and titles and paragraph breaks stay. Deciding on the
    accumulated line, against a next line that joins can only lengthen,
    keeps this idempotent."""
    wraps, line_start, removed = [], 0, 0
    position = text.find("\n")
    while position != -1:
        line = text[line_start:position]
        length = len(line) - removed
        previous = text[position - 1] if position else ""
        following = text[position + 1] if position + 1 < len(text) else ""
        prose = length >= SOFT_WRAP_MIN_LINE or (length >= 6 and any(mark in line for mark in CLAUSE_MARKS))
        next_end = text.find("\n", position + 1)
        next_length = (len(text) if next_end == -1 else next_end) - position - 1
        # Wrapped lines are as long as the one after them (the last may be
        # shorter); a title runs shorter than the paragraph it heads.
        full_width = length >= next_length - 2
        if (prose and full_width and not LIST_MARKER.match(text, position + 1) and previous and not previous.isspace() and previous not in CLOSING
                and following and (following.isdigit() or _is_han(following) or following in CLAUSE_MARKS + "、")):
            wraps.append(position)
            removed += 1
        else:
            line_start, removed = position + 1, 0
        position = text.find("\n", position + 1)
    return wraps


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff"


def _join_soft_wraps(text, starts, ends):
    if "\n" not in text:
        return text, starts, ends
    wraps = _soft_wraps(text)
    if not wraps:
        return text, starts, ends
    rebuilt = _Rebuild(text, starts, ends)
    for position in wraps:
        # The character before the break now stands for the break too.
        rebuilt.replace(position - 1, position + 1, text[position - 1], starts[position - 1], ends[position])
    return rebuilt.result()


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified, keeping the length (one character for one)."""
    if text.isascii():
        return text
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase rule changed the length: fall back to character by character.
    convert = _converter().convert
    out = []
    for char in text:
        simple = convert(char)
        out.append(simple if len(simple) == 1 else char)
    return "".join(out)
