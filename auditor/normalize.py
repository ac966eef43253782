"""Normalize: original text → analysis text plus an OffsetMap back.

Steps, each recorded in the map as it happens: Unicode NFKC (full width to
half width), removal of pinyin annotations a converter inserted after
characters (`網(wǎng)` → `網`), and Traditional → Simplified with OpenCC.
Evidence is always mapped back through the OffsetMap, never re-found by
searching strings.
"""

from __future__ import annotations

import unicodedata
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
    came from. Spans are non-decreasing, so mapped spans stay in order."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
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
    starts = list(range(len(original)))
    ends = list(range(1, len(original) + 1))
    text = original

    text, starts, ends = _nfkc(text, starts, ends)
    text, starts, ends = _remove_pinyin(text, starts, ends)
    text = to_simplified(text)
    return NormalizedText(text, OffsetMap(tuple(starts), tuple(ends), len(original)))


def _nfkc(text, starts, ends):
    if unicodedata.is_normalized("NFKC", text):
        return text, starts, ends
    pieces, new_starts, new_ends = [], [], []
    # A base character and the combining marks after it are normalized
    # together (so `a` + U+030C composes to `ǎ`); the result maps to the
    # span of the whole cluster.
    for first, last in _clusters(text):
        cluster = text[first:last]
        folded = cluster if cluster.isascii() else unicodedata.normalize("NFKC", cluster)
        if folded == cluster:
            pieces.append(cluster)
            new_starts.extend(starts[first:last])
            new_ends.extend(ends[first:last])
            continue
        pieces.append(folded)
        new_starts.extend([starts[first]] * len(folded))
        new_ends.extend([ends[last - 1]] * len(folded))
    return "".join(pieces), new_starts, new_ends


def _clusters(text):
    """(start, end) of each base character with its combining marks."""
    first = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not unicodedata.combining(text[index]):
            yield first, index
            first = index


def _remove_pinyin(text, starts, ends):
    # Repeated until nothing is left, because removing `(wǎng)` from
    # `網(wǎng)(wǎng)` puts the second annotation right after a Han character.
    while "(" in text:
        removed = _remove_pinyin_once(text, starts, ends)
        if removed is None:
            break
        text, starts, ends = removed
    return text, starts, ends


def _remove_pinyin_once(text, starts, ends):
    keep = [True] * len(text)
    ends = list(ends)
    for match in PINYIN_ANNOTATION.finditer(text):
        for index in range(match.start(), match.end()):
            keep[index] = False
        # The annotated character now stands for the annotation too.
        ends[match.start() - 1] = ends[match.end() - 1]
    if all(keep):
        return None
    chars = [c for c, k in zip(text, keep) if k]
    return (
        "".join(chars),
        [s for s, k in zip(starts, keep) if k],
        [e for e, k in zip(ends, keep) if k],
    )


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
