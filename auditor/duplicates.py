"""Repeated passages within and across documents, exact or near.

Method (each step about linear in the corpus size):
1. Units: every document's normalized text is cut into sentences (on
   。!?; and line ends); a unit is matched by its folded form (letters,
   digits and Han characters only, lower case), so punctuation and
   whitespace never hide a repeat; the line breaks of hard-wrapped text
   (many lines cut at one width in mid-sentence) do not cut sentences.
2. Classes: units with the same folded form share a class; near repeats
   (a few characters changed) join the class through MinHash signatures of
   character 3-grams (one-permutation hashing) and LSH banding, confirmed
   by a character-bigram similarity of at least `duplicate_similarity`.
3. Runs: consecutive units are joined when their pair of classes occurs at
   least twice in the corpus, so a repeated body becomes one run, not a
   list of sentences.
4. Clusters: runs that share such a pair are one repeated passage, reported
   once with every place it occurs; a repeated unit outside any shared run
   is reported as a passage of its own with all its occurrences.
Findings are of kind `duplicate_passage`; short boilerplate (legal notices,
copyright lines, navigation links) stays at `info`, a substantial body is a
`warning`.

Passages copied with their figures changed: units that are equal once their
Arabic numbers are masked share a class too (step 2), so such a passage is
found like any other; when its copies differ in figures it is reported as
DUP02 instead of DUP01 (`auditor.changed_figures`), listing the differing
figures pair by pair.
"""

from __future__ import annotations

import os
import re
import zlib
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from .findings import Finding

KIND = "duplicate_passage"

# id → (symbol, default severity, one-line description)
DUPLICATE_RULES = {
    "DUP01": ("passages.repeated", "warning",
              "a passage that occurs more than once, within one document or across documents"),
    "DUP02": ("passages.changed-figures", "warning",
              "a passage that recurs with some of its figures changed"),
}
RULE, SYMBOL = "DUP01", DUPLICATE_RULES["DUP01"][0]

SENTENCE = re.compile(r"[^。!?;\n]+(?:[。!?;]+[”’」』)\]]*)?")
NOT_WORD = re.compile(r"[\W_]+")
DIGIT = re.compile(r"[0-9]")
NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
# A line that stops in the middle of a clause, and the start of the next.
OPEN_LINE_END = re.compile(r"(?<=[^\s。!?;])[ \t]*\n(?=[ \t]*\S)")
WRAP_MIN_WIDTH, WRAP_MIN_LINES, WRAP_SLACK = 24, 3, 2  # headings and list items are shorter
BOILERPLATE = re.compile(
    r"上一篇|下一篇|版权所有|法律声明|免责声明|转载|责任编辑|来源[:]|举报电话|扫码|©|copyright|all rights reserved",
    re.IGNORECASE,
)
MIN_UNIT_CHARS = 4          # shorter sentences ("好。") neither match nor break a run
NEAR_MIN_CHARS = 10         # below this only exact repeats are sought
SHINGLE = 3
BANDS, ROWS = 12, 2
BINS = BANDS * ROWS
MAX_BUCKET_REPRESENTATIVES = 3
LISTED_PLACES = 6


def find_repeated_passages(sources: list, settings, analyzed: list | None = None) -> list[Finding]:
    """One finding per repeated passage, with one evidence span per place, and
    one per passage that recurs with its figures changed (DUP02; `analyzed`,
    the documents' claims, tells whether two copies speak of one place and year).

    The result depends on the set of documents, not on their order."""
    order = sorted(range(len(sources)), key=lambda i: sources[i].path)
    sources = [sources[i] for i in order]
    if analyzed is not None and len(analyzed) == len(order):
        analyzed = [analyzed[i] for i in order]
    else:
        analyzed = None
    units, sequences = _units(sources)
    if len(units) < 2:
        return []
    findings = _repeated(units, sequences, sources, analyzed, settings)
    _bigrams.cache_clear()
    findings.sort(key=lambda f: (f.evidence[0].path, f.evidence[0].start, -len(f.evidence)))
    return findings


def _repeated(units, sequences, sources, analyzed, settings) -> list[Finding]:
    from .changed_figures import Places, changed_figures_finding

    threshold = min(max(float(settings.duplicate_similarity), 0.0), 1.0)
    classes = _classes(units, threshold)
    runs = _runs(sequences, classes)
    clusters = _clusters(runs, classes)
    similarity = _SimilarityToClass(units, classes)
    findings = []
    places = Places(analyzed)
    for cluster in clusters:
        finding = (changed_figures_finding(cluster, units, classes, sources, places, settings)
                   or _finding(cluster, units, sources, similarity, settings))
        if finding:
            findings.append(finding)
    return findings


def fold(text: str) -> str:
    """The matching form of a text: letters, digits and Han only, lower case."""
    return NOT_WORD.sub("", text).lower()


class _Units:
    """Every document's units (its sentences of at least MIN_UNIT_CHARS),
    kept as columns: document, span in the normalized text, folded form, and
    the folded form with every Arabic number as 0 (the same object as the
    folded form when it has none). Arrays and shared strings: a corpus has
    millions of sentences, and an object per unit was most of the memory of
    this step."""

    def __init__(self) -> None:
        self.docs, self.starts, self.ends = array("i"), array("q"), array("q")
        self.folded: list[str] = []
        self.masked: list[str] = []

    def append(self, doc: int, start: int, end: int, folded: str, masked: str) -> None:
        self.docs.append(doc)
        self.starts.append(start)
        self.ends.append(end)
        self.folded.append(folded)
        self.masked.append(masked)

    def __len__(self) -> int:
        return len(self.docs)


def _units(sources: list) -> tuple[_Units, list]:
    units = _Units()
    sequences: list = []
    shared: dict[str, str] = {}  # one string object per distinct text saves memory
    for doc, source in enumerate(sources):
        sequence = array("i")
        text = _unwrap(source.text)
        for match in SENTENCE.finditer(text):
            folded = fold(match.group())
            if len(folded) < MIN_UNIT_CHARS:
                continue
            folded = shared.setdefault(folded, folded)
            start, end = match.span()
            raw = match.group()
            start += len(raw) - len(raw.lstrip())
            end -= len(raw) - len(raw.rstrip())
            masked = folded
            if DIGIT.search(raw):
                masked = fold(NUMBER.sub("0", raw))
                masked = shared.setdefault(masked, masked)
            sequence.append(len(units))
            units.append(doc, start, end, folded, masked)
        sequences.append(sequence)
    return units, sequences


def _unwrap(text: str) -> str:
    """Blank out the line breaks of a hard-wrapped text (lines cut at one
    width in mid-sentence), keeping every offset; headings and paragraph
    ends stay line breaks."""
    breaks = [m for m in OPEN_LINE_END.finditer(text)]
    if len(breaks) < WRAP_MIN_LINES:
        return text
    widths = [m.start() - (text.rfind("\n", 0, m.start()) + 1) for m in breaks]
    common = Counter(w for w in widths if w >= WRAP_MIN_WIDTH).most_common(1)
    if not common:
        return text
    width = common[0][0]
    if sum(1 for w in widths if abs(w - width) <= WRAP_SLACK) < max(WRAP_MIN_LINES, len(widths) // 2):
        return text
    pieces, last = [], 0
    for match, line_width in zip(breaks, widths):
        if line_width >= width - WRAP_SLACK:
            pieces.append(text[last:match.start()] + " " * (match.end() - match.start()))
            last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


class _UnionFind:
    def __init__(self, size: int):
        self.parent = array("i", range(size))

    def find(self, item: int) -> int:
        parent = self.parent
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:
            parent[item], item = root, parent[item]
        return root

    def union(self, first: int, second: int) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            # The smaller index wins so that class ids follow text order.
            self.parent[max(a, b)] = min(a, b)


def _classes(units: _Units, threshold: float) -> list[int]:
    """A class id per unit: exact repeats, then LSH-confirmed near repeats."""
    groups = _UnionFind(len(units))
    first_with_text: dict[str, int] = {}
    first_with_mask: dict[str, int] = {}
    for index, (folded, masked) in enumerate(zip(units.folded, units.masked)):
        first = first_with_text.setdefault(folded, index)
        if first != index:
            groups.union(first, index)
        if masked is not folded:   # equal but for its figures: a copy with the numbers changed
            groups.union(first_with_mask.setdefault(masked, index), index)
    if threshold < 1.0:
        _join_near_repeats(units, first_with_text, groups, threshold)
    return [groups.find(index) for index in range(len(units))]


def _join_near_repeats(units, first_with_text, groups, threshold) -> None:
    # Each bucket keeps a few representatives; a unit is compared with them
    # only, so a bucket of thousands of variants costs thousands of checks,
    # not millions. Most buckets hold one unit: stored as a bare int, since
    # a list per bucket would double the memory of this step.
    buckets: dict[int, int | list[int]] = {}
    for text, index in first_with_text.items():
        if len(text) < NEAR_MIN_CHARS:
            continue
        for key in _band_keys(text):
            members = buckets.get(key)
            if members is None:
                buckets[key] = index
                continue
            if isinstance(members, int):
                members = buckets[key] = [members]
            root = groups.find(index)
            for member in members:
                if groups.find(member) == root:
                    break
                if similar(units.folded[member], text, threshold):
                    groups.union(member, index)
                    break
            else:
                if len(members) < MAX_BUCKET_REPRESENTATIVES:
                    members.append(index)


def _band_keys(text: str) -> list[int]:
    """LSH band keys of a one-permutation MinHash of the text's 3-grams."""
    shingles = {text[i:i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}
    hashes = sorted(map(zlib.crc32, map(str.encode, shingles)), reverse=True)
    # dict() keeps the last value per bin, and the values come largest first.
    minimum = dict(zip(map(BINS.__rmod__, hashes), hashes))
    signature = [minimum.get(b) for b in range(BINS)]
    for b in range(BINS):
        if signature[b] is None:  # densify: borrow from the next filled bin
            step = 1
            while minimum.get((b + step) % BINS) is None:
                step += 1
            signature[b] = minimum[(b + step) % BINS] ^ (step * 0x9E3779B1)
    return [hash((band,) + tuple(signature[band * ROWS:(band + 1) * ROWS])) for band in range(BANDS)]


def similar(first: str, second: str, threshold: float) -> bool:
    """Whether two folded texts are at least `threshold` alike (see `likeness`)."""
    if 2 * min(len(first), len(second)) / (len(first) + len(second)) < threshold:
        return False
    return likeness(first, second) >= threshold


def likeness(first: str, second: str) -> float:
    """Dice coefficient of the character-bigram sets: 1.0 for equal texts,
    about 1 − 2k/n when k of n characters changed. Linear time (difflib's
    ratio is similar in spirit but quadratic and a hundred times slower)."""
    if first == second:
        return 1.0
    a, b = _bigrams(first), _bigrams(second)
    return 2 * len(a & b) / (len(a) + len(b))


@lru_cache(maxsize=2048)   # a bucket's few representatives are compared with every text that falls in it
def _bigrams(text: str) -> frozenset:
    return frozenset({text[i:i + 2] for i in range(len(text) - 1)} or {text})


def _runs(sequences: list[list[int]], classes: list[int]) -> list[list[int]]:
    """Maximal chains of repeated units whose class pairs recur elsewhere."""
    sizes = Counter(classes)
    pairs: Counter = Counter()
    for sequence in sequences:
        for a, b in zip(sequence, sequence[1:]):
            if sizes[classes[a]] > 1 and sizes[classes[b]] > 1:
                pairs[classes[a], classes[b]] += 1
    runs = []
    for sequence in sequences:
        current: list[int] = []
        for unit in sequence:
            if sizes[classes[unit]] < 2:
                if current:
                    runs.append(current)
                current = []
            elif current and pairs[classes[current[-1]], classes[unit]] >= 2:
                current.append(unit)
            else:
                if current:
                    runs.append(current)
                current = [unit]
        if current:
            runs.append(current)
    return runs


def _clusters(runs: list[list[int]], classes: list[int]) -> list[list[list[int]]]:
    """Group runs into repeated passages; each passage is a list of runs."""
    groups = _UnionFind(len(runs))
    run_with_pair: dict[tuple[int, int], int] = {}
    for index, run in enumerate(runs):
        for a, b in zip(run, run[1:]):
            groups.union(run_with_pair.setdefault((classes[a], classes[b]), index), index)
    members: dict[int, list[int]] = defaultdict(list)
    for index, run in enumerate(runs):
        if len(run) > 1:
            members[groups.find(index)].append(index)
    clusters = []
    leftover_units = []
    for indices in members.values():
        if len(indices) > 1:
            clusters.append([runs[i] for i in indices])
        else:
            leftover_units.extend(runs[indices[0]])
    leftover_units.extend(run[0] for run in runs if len(run) == 1)
    # A repeated sentence outside any shared run: every place it occurs.
    wanted = {classes[unit] for unit in leftover_units}
    by_class: dict[int, list[list[int]]] = defaultdict(list)
    for run in runs:
        for unit in run:
            if classes[unit] in wanted:
                by_class[classes[unit]].append([unit])
    clusters.extend(by_class[c] for c in sorted(wanted))
    return clusters


class _SimilarityToClass:
    """How alike a unit is to the first unit of its class (1.0 if equal)."""

    def __init__(self, units: _Units, classes: list[int]):
        self.units, self.classes, self.cache = units, classes, {}

    def __call__(self, unit: int) -> float:
        reference = self.units.folded[self.classes[unit]]
        text = self.units.folded[unit]
        if text == reference:
            return 1.0
        key = (reference, text)
        if key not in self.cache:
            self.cache[key] = likeness(reference, text)
        return self.cache[key]


@dataclass(frozen=True)
class _Occurrence:
    source: object   # SourceText
    start: int
    end: int
    units: tuple[int, ...]

    @property
    def length(self) -> int:
        """Characters in the span, whitespace not counted."""
        return len("".join(self.source.text[self.start:self.end].split()))


def _finding(cluster, units, sources, similarity, settings) -> Finding | None:
    occurrences = sorted(
        (_Occurrence(sources[units.docs[run[0]]], units.starts[run[0]], units.ends[run[-1]], tuple(run))
         for run in cluster),
        key=lambda o: (o.source.path, o.start),
    )
    lengths = [o.length for o in occurrences]
    longest = max(lengths)
    if longest < settings.duplicate_min_chars:
        return None
    boilerplate = any(BOILERPLATE.search(o.source.text[o.start:o.end]) for o in occurrences)
    substantial = longest >= settings.duplicate_warning_chars
    evidence = tuple(o.source.evidence(o.start, o.end, f"occurrence {n}") for n, o in enumerate(occurrences, 1))
    names = sorted({os.path.basename(o.source.path) for o in occurrences})
    paths = {o.source.path for o in occurrences}
    if len(paths) == 1:
        where = f"in {names[0]}"
        places = [f"{e.line}:{e.column}" for e in evidence]
    else:
        where = f"across {len(paths)} documents ({_listing(names)})"
        places = [f"{os.path.basename(e.path)}:{e.line}:{e.column}" for e in evidence]
    same_size = len(set(lengths)) == 1
    size = f"{longest:,}" if same_size else f"up to {longest:,}"
    kind = "boilerplate " if boilerplate else ""
    message = f"{kind}passage of {size} characters repeated {len(occurrences)} times {where}"
    sizes = "" if same_size else f" ({_listing([f'{n:,}' for n in lengths])})"
    computation = (f"occurrences at {_listing(places, last=' and ')}, {longest:,} chars{sizes}, "
                   f"similarity {_percent(_similarity(occurrences, units, similarity))}")
    return Finding(rule=RULE, kind=KIND, severity="warning" if substantial and not boilerplate else "info",
                   message=message, computation=computation, evidence=evidence, symbol=SYMBOL)


def _similarity(occurrences: list[_Occurrence], units: _Units, similarity) -> float:
    """The least alike occurrence, measured against its units' classes and
    against the longest occurrence (a shorter one lacks the rest)."""
    def size(occurrence):
        return sum(len(units.folded[u]) for u in occurrence.units)
    longest = max(size(o) for o in occurrences)
    return min(
        sum(len(units.folded[u]) * similarity(u) for u in o.units) / max(size(o), longest)
        for o in occurrences
    )


def _listing(items: list[str], last: str = ", ") -> str:
    shown = items[:LISTED_PLACES]
    text = ", ".join(shown[:-1]) + last + shown[-1] if len(shown) > 1 else shown[0]
    return text + (f" (and {len(items) - LISTED_PLACES} more)" if len(items) > LISTED_PLACES else "")


def _percent(value: float) -> str:
    # Never print 100% for a near repeat.
    text = f"{value:.0%}"
    return "99%" if text == "100%" and value < 1.0 else text
