"""Normalize: original text → analysis text plus an OffsetMap back.

Steps, each recorded in the map as it happens: Unicode NFKC (full width to
half width), removal of pinyin annotations a converter inserted after
characters (`網(wǎng)` → `網`), joining lines that only wrap prose
mid-sentence, and Traditional → Simplified with OpenCC.
Evidence is always mapped back through the OffsetMap, never re-found by
searching strings.
"""

from __future__ import annotations

import bisect
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

from . import patterns

TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
PINYIN_LETTERS = "a-zü" + TONE_VOWELS
# `會(huì )議`: a Han character, then lower-case pinyin with at least one tone
# mark, sometimes with a stray space before the closing parenthesis.
PINYIN_ANNOTATION = patterns.compiled(
    rf"(?<=[\p{{Han}}])\((?=[{PINYIN_LETTERS} ]*[{TONE_VOWELS}ü])[{PINYIN_LETTERS}]{{1,7}} ?\)"
)


# Zero-width and bidirectional format characters: invisible, yet they cut
# a number in two (`1\u200b000户` would read as 1). Removed everywhere.
INVISIBLE = patterns.compiled("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]+")
# Every character NFKC may change (its quick check is No or Maybe) or that
# combines with the one before it; a superset of what `_may_change` accepts.
NFKC_CANDIDATES = patterns.compiled(r"[\p{NFKC_QC=N}\p{NFKC_QC=M}\P{ccc=0}]")


class OffsetMap:
    """For each character of the normalized text, the span of original text it
    came from. Spans are non-decreasing, so mapped spans stay in order.

    Stored as change points: a run of characters copied unchanged is one
    segment (`origin`, `-1`: character k of it came from origin + k), and a
    replaced piece is one segment mapping each of its characters to the
    span it replaced (`origin`, `end`). Memory grows with the number of
    changes, not with the length of the text.
    """

    __slots__ = ("points", "origins", "limits", "length", "original_length")

    def __init__(self, points, origins, limits, length: int, original_length: int):
        # arrays each (4-byte "i" for texts of normal size): where a segment starts in the normalized text,
        # where it came from, and the end of the span it replaced (-1: copied)
        self.points, self.origins, self.limits = points, origins, limits
        self.length, self.original_length = length, original_length

    @classmethod
    def identity(cls, length: int) -> "OffsetMap":
        return cls(array("q", [0] if length else []), array("q", [0] if length else []),
                   array("q", [-1] if length else []), length, length)

    def __len__(self) -> int:
        return self.length

    def __sizeof__(self) -> int:
        return object.__sizeof__(self) + sum(a.__sizeof__() for a in (self.points, self.origins, self.limits))

    def __eq__(self, other) -> bool:
        return isinstance(other, OffsetMap) and self.span_list() == other.span_list()

    def __reduce__(self):
        return (OffsetMap, (self.points, self.origins, self.limits, self.length, self.original_length))

    def span(self, index: int) -> tuple[int, int]:
        """The original span of normalized character `index`."""
        segment = bisect.bisect_right(self.points, index) - 1
        origin, end = self.origins[segment], self.limits[segment]
        if end < 0:
            position = origin + index - self.points[segment]
            return position, position + 1
        return origin, end

    def span_list(self) -> list[tuple[int, int]]:
        return [self.span(i) for i in range(self.length)]

    @property
    def starts(self) -> "_Column":
        """Original start of each normalized character (a read-only view)."""
        return _Column(self, 0)

    @property
    def ends(self) -> "_Column":
        """Original end of each normalized character (a read-only view)."""
        return _Column(self, 1)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span [start, end) to a span of the original text."""
        if not self.length:
            return (0, 0)
        start = max(0, min(start, self.length))
        end = max(start, min(end, self.length))
        if end == start:
            position = self.span(start)[0] if start < self.length else self.original_length
            return (position, position)
        return (self.span(start)[0], self.span(end - 1)[1])


class _Column:
    """One column (starts or ends) of an OffsetMap, indexable like a list."""

    __slots__ = ("map", "column")

    def __init__(self, offsets: OffsetMap, column: int):
        self.map, self.column = offsets, column

    def __len__(self) -> int:
        return self.map.length

    def __sizeof__(self) -> int:
        return object.__sizeof__(self) + self.map.__sizeof__() // 2

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.map.length))]
        if index < 0:
            index += self.map.length
        if not 0 <= index < self.map.length:
            raise IndexError(index)
        return self.map.span(index)[self.column]

    def __iter__(self):
        return (self[i] for i in range(self.map.length))


@dataclass(frozen=True)
class NormalizedText:
    text: str
    offsets: OffsetMap


def normalize(original: str) -> NormalizedText:
    """Normalize `original` for analysis, keeping a map back to it."""
    offsets = OffsetMap.identity(len(original))
    text = original
    for stage in _STAGES:
        text, offsets = stage(text, offsets)
    return NormalizedText(to_simplified(text), offsets)


def normalized_text(original: str) -> str:
    """The text `normalize` gives, without building its offset map (a few
    times faster: fingerprints normalize every quote of every finding)."""
    text, offsets = original, _UNTRACKED
    for stage in _STAGES:
        text, offsets = stage(text, offsets)
    return to_simplified(text)


class _Untracked:
    """Stands for the offset map where only the text is wanted."""

    length = original_length = 0

    @staticmethod
    def span(index: int) -> tuple[int, int]:
        return (0, 0)


_UNTRACKED = _Untracked()


def _offset_type(length: int) -> str:
    # 4 bytes an offset while no offset can pass 2**31 (normalizing may lengthen a text several times)
    return "i" if length < 2**26 else "q"


class _Rebuild:
    """A text and its offsets, rebuilt piece by piece: unchanged runs are
    copied in bulk (their segments with them), replaced pieces map to the
    original span they replace."""

    def __init__(self, text: str, offsets: OffsetMap):
        self.source, self.offsets = text, offsets
        self.pieces: list[str] = []
        kind = _offset_type(max(len(text), offsets.original_length))
        self.points, self.origins, self.limits = array(kind), array(kind), array(kind)
        self.length = 0
        self.done = 0
        self.cursor = 0   # the source segment holding `done`
        self.tracked = offsets is not _UNTRACKED

    def _segment(self, origin: int, end: int, length: int) -> None:
        if length <= 0:
            return
        if end == origin + 1 and length == 1:
            end = -1  # one character for one: a copied run of length 1
        if self.points:
            last_origin, last_end = self.origins[-1], self.limits[-1]
            run = self.length - self.points[-1]
            if end < 0 and last_end < 0 and last_origin + run == origin:
                self.length += length
                return
            if end >= 0 and (last_origin, last_end) == (origin, end):
                self.length += length
                return
        self.points.append(self.length)
        self.origins.append(origin)
        self.limits.append(end)
        self.length += length

    def replace(self, first: int, last: int, replacement: str, start: int, end: int) -> None:
        """Replace source[first:last] by `replacement`, mapped to [start, end)."""
        self.keep_until(first)
        self.pieces.append(replacement)
        if self.tracked:
            self._segment(start, end, len(replacement))
        self.done = last

    def keep_until(self, position: int) -> None:
        if position <= self.done:
            return
        self.pieces.append(self.source[self.done:position])
        if not self.tracked:
            self.done = position
            return
        offsets = self.offsets
        points = offsets.points
        # Positions only grow: walk the source segments with a cursor.
        segment = self.cursor
        while segment + 1 < len(points) and points[segment + 1] <= self.done:
            segment += 1
        index = self.done
        while index < position:
            following = points[segment + 1] if segment + 1 < len(points) else offsets.length
            stop = min(following, position)
            origin, end = offsets.origins[segment], offsets.limits[segment]
            if end < 0:
                self._segment(origin + index - points[segment], -1, stop - index)
            else:
                self._segment(origin, end, stop - index)
            index = stop
            if stop == following:
                segment += 1
        self.cursor = max(0, min(segment, len(points) - 1))
        self.done = position

    def result(self) -> tuple[str, OffsetMap]:
        self.keep_until(len(self.source))
        if not self.tracked:
            return "".join(self.pieces), self.offsets
        offsets = OffsetMap(self.points, self.origins, self.limits, self.length, self.offsets.original_length)
        return "".join(self.pieces), offsets


def _remove_invisible(text, offsets):
    if not INVISIBLE.search(text):
        return text, offsets
    if offsets is _UNTRACKED:
        return INVISIBLE.sub("", text), offsets
    rebuilt = _Rebuild(text, offsets)
    for match in INVISIBLE.finditer(text):
        rebuilt.replace(match.start(), match.end(), "", 0, 0)
    return rebuilt.result()


def _nfkc(text, offsets):
    if unicodedata.is_normalized("NFKC", text):
        return text, offsets
    rebuilt = _Rebuild(text, offsets)
    # A base character and the combining marks after it are normalized
    # together (so `a` + U+030C composes to `ǎ`); the result maps to the
    # span of the whole cluster.
    for first, last in _changing_clusters(text):
        cluster = text[first:last]
        folded = unicodedata.normalize("NFKC", cluster)
        if folded != cluster:
            rebuilt.replace(first, last, folded, offsets.span(first)[0], offsets.span(last - 1)[1])
    return rebuilt.result()


def _changing_clusters(text):
    """(start, end) of each cluster (a base character with the combining
    marks after it) that NFKC may change, in order and without overlap."""
    done = 0
    for match in NFKC_CANDIDATES.finditer(text):
        index = match.start()
        char = text[index]
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


def _remove_pinyin(text, offsets):
    # Repeated until nothing is left, because removing `(wǎng)` from
    # `網(wǎng)(wǎng)` puts the second annotation right after a Han character.
    while "(" in text:
        spans = [match.span() for match in PINYIN_ANNOTATION.finditer(text)]
        if not spans:
            break
        text, offsets = _fold_into_previous(text, offsets, spans)
    return text, offsets


def _fold_into_previous(text, offsets, spans):
    """Remove each span [start, end) of `text` (sorted, apart): the character
    just before a span now stands for the span too."""
    bounds = [0, *(bound for span in spans for bound in span), len(text)]
    folded = "".join([text[bounds[i]:bounds[i + 1]] for i in range(0, len(bounds), 2)])
    if offsets is _UNTRACKED:
        return folded, offsets
    return folded, _folded_map(offsets, spans)


def _folded_map(offsets: OffsetMap, spans) -> OffsetMap:
    """The map `_fold_into_previous` makes: the segments of `offsets` under
    each kept run are copied with a cursor, and each character before a span
    maps to the original of itself and the span (the segments `_Rebuild`
    would make, in one loop without its calls)."""
    old_points, old_origins, old_limits = offsets.points, offsets.origins, offsets.limits
    count, length = len(old_points), offsets.length
    points, origins, limits = [], [], []
    position = previous = segment = 0

    def add(origin, limit, size):
        nonlocal position
        if limit == origin + 1 and size == 1:
            limit = -1      # one character for one: a copied run of length 1
        if points:
            last_origin, last_limit = origins[-1], limits[-1]
            if (limit < 0 and last_limit < 0 and last_origin + position - points[-1] == origin) or (
                    limit >= 0 and last_limit == limit and last_origin == origin):
                position += size
                return
        points.append(position), origins.append(origin), limits.append(limit)
        position += size

    for start, end in [*spans, (length + 1, length + 1)]:   # the sentinel copies the rest
        kept = start - 1
        at = previous
        while at < kept:
            while segment + 1 < count and old_points[segment + 1] <= at:
                segment += 1
            following = old_points[segment + 1] if segment + 1 < count else length
            stop = kept if kept < following else following
            limit = old_limits[segment]
            if limit < 0:
                add(old_origins[segment] + at - old_points[segment], -1, stop - at)
            else:
                add(old_origins[segment], limit, stop - at)
            at = stop
        if start > length:
            break
        origin, limit = offsets.span(kept)[0], offsets.span(end - 1)[1]
        add(origin, limit, 1)
        previous = end
    kind = _offset_type(max(length, offsets.original_length))
    return OffsetMap(array(kind, points), array(kind, origins), array(kind, limits), position,
                     offsets.original_length)


CLOSING = "。.！？!?；;：:”’」』)）]…"
CLAUSE_MARKS = ",，;；"
LIST_MARKER = patterns.compiled(r"[ \t]*(?:[一二三四五六七八九十]{1,3}[、是要]|[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．]|第[一二三四五六七八九十]{1,3})")
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


def _join_soft_wraps(text, offsets):
    if "\n" not in text:
        return text, offsets
    wraps = _soft_wraps(text)
    if not wraps:
        return text, offsets
    # The character before a break now stands for the break too.
    return _fold_into_previous(text, offsets, [(position, position + 1) for position in wraps])


_STAGES = (_remove_invisible, _nfkc, _remove_pinyin, _join_soft_wraps)


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
