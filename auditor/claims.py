"""Claims: Quantity + what it is about (thing, place, time) + location.

The thing counted is the noun phrase right after the counter (`40个贫困村`
→ 贫困村) or, failing that, the phrase just before the number
(`总人口6.8万人` → 总人口); items of a `、` list share their thing
(`贫困人口2150户、7310人`). The time is the last time expression before
the claim in its sentence. The place is the administrative unit the
sentence names, else the one the document is mostly about.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import regex

from . import patterns
from .evidence import SourceText
from .ingest import Document
from .quantities import Quantity, extract_quantities
from .userfiles import load_yaml

SENTENCE_END = patterns.compiled(r"[。！？!?]+[”’」』]?|\n")
# A comma between digits groups thousands (1,137) and ends no clause.
CLAUSE_END = patterns.compiled(r"(?<!\d)[,，]|(?<=\d)[,，](?!\d{3}(?!\d))|[;；:：]")
CLAUSE_OR_SENTENCE_END = patterns.compiled(CLAUSE_END.pattern + r"|[。！？!?]")
WORDS_FILE = Path(__file__).with_name("data") / "claims.yaml"
_WORDS = load_yaml(WORDS_FILE.read_text(encoding="utf-8"))


def _alternation(words) -> str:
    return "|".join(map(regex.escape, words))


def _characters(characters: str) -> str:
    return "[" + regex.escape(characters) + "]"


# The noun phrase after a counter ends at one of these words; the one before a figure loses them at its ends.
THING_STOP = patterns.compiled(_alternation(_WORDS["thing_stops"]))
BEFORE_STOP = patterns.compiled(f"(?:{_alternation(_WORDS['before_stops'])})$")
LEADING_NOISE = patterns.compiled(f"^(?:{_alternation(_WORDS['leading_noise'])})+")
TIME = patterns.compiled(
    rf"(?:(?:{_alternation(_WORDS['time_leads'])})\s*)?(?P<year>(?:19|20)\d{{2}})\s*年"
    rf"(?P<part>{_alternation(_WORDS['year_parts'])}|(?:1[0-2]|[1-9])月(?:底|末)?)?"
    rf"|(?P<relative>{_alternation(_WORDS['relative_times'])})"
)
PLACE = patterns.compiled(rf"(?<![\p{{Han}}])(?P<stem>[\p{{Han}}]{{1,4}}?)(?P<level>{_alternation(_WORDS['place_levels'])})"
                          rf"(?!{_characters(_WORDS['place_level_not_before'])})")
# Stems that are no place names: words anywhere in the stem, characters at
# its start (`全县`, `各县`, `两县`) or end, or a lone character (`城区`, `乡镇`).
PLACE_STOPWORDS = patterns.compiled(
    f"{_alternation(_WORDS['place_stop_words'])}|^{_characters(_WORDS['place_stop_first'])}"
    f"|{_characters(_WORDS['place_stop_last'])}$|^{_characters(_WORDS['place_stop_alone'])}$"
)
# A top-level heading (`三、2026年重点工作`): its year is the time of the section's claims that state none.
SECTION_HEADING = patterns.compiled(r"\s*[一二三四五六七八九十]{1,3}[、.．]\s*[^。！？!?\n]{0,40}\s*")
EVERY_YEAR = patterns.compiled(_alternation(_WORDS["every_year"]))
LOWER_LEVEL = patterns.compiled(f"(?:{_alternation(_WORDS['whole_prefixes'])})({_alternation(_WORDS['lower_levels'])})")
LIST_ITEM_AFTER = patterns.compiled(r"[\p{Han}]{0,3}、")
# A counter character that begins a noun (6万人民, 6万人口) is part of the thing.
COUNTER_NOUNS = {counter: tuple(nouns) for counter, nouns in _WORDS["counter_nouns"].items()}
# Things that imply a unit when none is written (15.2万贫困人口 → 人).
IMPLIED_UNITS = tuple((noun, unit) for noun, unit in _WORDS["implied_units"])


@dataclass(frozen=True)
class Claim:
    """A quantity and what it is about. Offsets are in the normalized text."""

    index: int
    quantity: Quantity
    thing: str
    place: str
    time: str
    paragraph: int
    sentence: int
    clause: int
    unit: str | None = None  # the quantity's unit, or the one its thing implies

    @property
    def is_count(self) -> bool:
        """A count or amount, as opposed to a bare number or a percentage."""
        return self.unit not in (None, "%", "个百分点")

    @property
    def start(self) -> int:
        return self.quantity.start

    @property
    def end(self) -> int:
        return self.quantity.end


@dataclass
class AnalyzedDocument:
    """One document with its claims and its sentence layout."""

    source: SourceText
    claims: list[Claim] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    place: str = ""

    @property
    def text(self) -> str:
        return self.source.text

    def sentence_of(self, offset: int) -> int:
        return _locate(self._sentence_starts, offset)

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [start for start, _ in self.sentences]

    @cached_property
    def claim_starts(self) -> list[int]:
        """The claims' start offsets, in order (for bisection)."""
        return [claim.start for claim in self.claims]

    def sentence_text(self, index: int) -> str:
        start, end = self.sentences[index]
        return self.text[start:end]

    @cached_property
    def by_sentence(self) -> dict[int, list[Claim]]:
        grouped: dict[int, list[Claim]] = {}
        for claim in self.claims:
            grouped.setdefault(claim.sentence, []).append(claim)
        return grouped


def analyze(document: Document) -> AnalyzedDocument:
    """Normalize a document and turn its quantities into claims."""
    source = SourceText.of(document)
    text = source.text
    paragraphs = _spans(text, patterns.compiled(r"\n"))
    sentences = _spans(text, SENTENCE_END)
    clauses = _spans(text, patterns.compiled(SENTENCE_END.pattern + "|" + CLAUSE_END.pattern))
    document_place = main_place(text)
    analyzed = AnalyzedDocument(source, [], sentences, paragraphs, document_place)
    paragraph_starts, sentence_starts, clause_starts = ([s for s, _ in spans] for spans in (paragraphs, sentences, clauses))
    running_places = _running_places(text, paragraphs, sentences, sentence_starts, document_place)
    section_times = _section_times(text, paragraphs)
    scopes = SentenceScopes(text)
    previous: Claim | None = None
    for index, quantity in enumerate(extract_quantities(text)):
        sentence = _locate(sentence_starts, quantity.start)
        s_start, s_end = sentences[sentence] if sentences else (0, len(text))
        paragraph = _locate(paragraph_starts, quantity.start)
        thing = thing_of(text, quantity, previous)
        claim = Claim(
            unit=quantity.unit or implied_unit(thing),
            index=index, quantity=quantity, thing=thing,
            place=scopes.place(s_start, s_end, quantity.start, running_places[paragraph]),
            time=scopes.time(s_start, s_end, quantity.start) or _section_time(
                text, clause_starts, quantity.start, section_times[paragraph]),
            paragraph=paragraph, sentence=sentence,
            clause=_locate(clause_starts, quantity.start),
        )
        analyzed.claims.append(claim)
        previous = claim
    return analyzed


def clause_lead(text: str, start: int, position: int) -> str:
    """The text of the clause before `position`, from no earlier than `start`."""
    return CLAUSE_OR_SENTENCE_END.split(text[start:position])[-1]


def _spans(text: str, boundary) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in boundary.finditer(text):
        if match.end() > start and text[start:match.end()].strip():
            spans.append((start, match.end()))
        start = match.end()
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def _locate(starts: list[int], offset: int) -> int:
    import bisect

    index = bisect.bisect_right(starts, offset) - 1
    return max(0, index)


def implied_unit(thing: str) -> str | None:
    for noun, unit in IMPLIED_UNITS:
        if noun in thing:
            return unit
    return None


def thing_of(text: str, quantity: Quantity, previous: Claim | None = None) -> str:
    """The noun phrase a quantity counts or measures."""
    for noun in COUNTER_NOUNS.get(quantity.unit or "", ()):
        if text.startswith(noun[1:], quantity.end) and quantity.text.endswith(noun[0]):
            return noun + _phrase_after(text, quantity.end + len(noun) - 1)
    after = _phrase_after(text, quantity.end)
    if after:
        return after
    before = _phrase_before(text, quantity.start)
    if before:
        return before
    if previous is not None and _list_continues(text, previous.quantity.end, quantity.start):
        return previous.thing
    return ""


def _phrase_after(text: str, position: int) -> str:
    match = patterns.match(r"[\p{Han}()]{1,14}", text[position:position + 14])
    if not match:
        return ""
    phrase = match.group()
    stop = THING_STOP.search(phrase)
    if stop is not None:
        phrase = phrase[:stop.start()]
    if phrase.count("(") != phrase.count(")"):
        phrase = phrase.split("(")[0].strip(")")
    return phrase


def _phrase_before(text: str, position: int) -> str:
    window = text[max(0, position - 16):position]
    match = patterns.search(r"[\p{Han}]+$", window)
    if not match:
        return ""
    phrase = match.group()
    if match.start() > 0 and window[match.start() - 1].isdigit():
        phrase = phrase[1:]  # `3年改造…`: the first character counts the digits before it
    while True:
        trimmed = BEFORE_STOP.sub("", phrase)
        if trimmed == phrase:
            break
        phrase = trimmed
    phrase = LEADING_NOISE.sub("", phrase)
    return phrase[-14:]


def _list_continues(text: str, previous_end: int, start: int) -> bool:
    between = text[previous_end:start]
    return len(between) <= 2 and all(ch in "、和及与," for ch in between)


def time_of(text: str, sentence_start: int, position: int) -> str:
    """The last time expression before `position` in its sentence."""
    found = ""
    for match in TIME.finditer(text, sentence_start, position):
        if match.end() > position:
            break
        found = match.group("year") + "年" if match.group("year") else match.group("relative")
    return found


def place_candidates(text: str) -> list[str]:
    """Stems of administrative place names (`某某县` → 某某); not words in
    quotation marks (`“战区”管理`) nor items of a list (`甲县、乙县`)."""
    return [match.group("stem") for match in _place_mentions(text)]


def _place_mentions(text: str):
    for match in PLACE.finditer(text):
        if PLACE_STOPWORDS.search(match.group("stem")):
            continue
        if text[max(0, match.start() - 1):match.start()] in ("“", "‘", '"', "、"):
            continue
        if LIST_ITEM_AFTER.match(text, match.end()):
            continue
        yield match


def _running_places(text, paragraphs, sentences, sentence_starts, document_place) -> list[str]:
    """The place each paragraph speaks of when its sentences name none: the
    place named in the first sentence of the latest paragraph that opens with
    one (`某某县是…`), so a file holding two articles keeps them apart;
    before any, the document's main place."""
    places, current = [], document_place
    for start, end in paragraphs:
        first = sentences[_locate(sentence_starts, start)]
        opening = text[max(start, first[0]):min(end, first[1])]
        named = next(iter(_place_mentions(opening)), None)
        if named is not None:
            current = named.group()
        places.append(current)
    return places


def _section_time(text: str, clause_starts: list[int], position: int, section_time: str) -> str:
    """The section's year, unless the clause says the figure holds every year (每年实施20项)."""
    if not section_time:
        return ""
    clause_start = clause_starts[_locate(clause_starts, position)]
    return "" if EVERY_YEAR.search(text, clause_start, position) else section_time


def _section_times(text: str, paragraphs) -> list[str]:
    """The year of the latest top-level heading before each paragraph, or ''."""
    times, current = [], ""
    for start, end in paragraphs:
        if SECTION_HEADING.fullmatch(text, start, end):
            year = TIME.search(text, start, end)
            current = year.group("year") + "年" if year is not None and year.group("year") else ""
        times.append(current)
    return times


MAIN_PLACE_CANDIDATES = 32


def main_place(text: str) -> str:
    """The place a document is mostly about: its most named stem (bare
    mentions such as 青川 count too), in its most used full form (青川县)."""
    # a one-character stem (产区, 城区) is no name: counting its character everywhere would crown it
    named = Counter(stem for stem in place_candidates(text) if len(stem) >= 2)
    if not named:
        return ""
    # bare mentions are counted for the most named stems only: one pass over the text each
    counts = {stem: text.count(stem) for stem, _ in named.most_common(MAIN_PLACE_CANDIDATES)}
    stem = max(sorted(counts), key=lambda stem: counts[stem])
    forms = Counter(m.group() for m in PLACE.finditer(text) if m.group("stem") == stem)
    return max(sorted(forms), key=lambda form: forms[form])


def place_of(text: str, sentence_start: int, sentence_end: int, position: int, document_place: str) -> str:
    """The place a claim speaks of: the last one its sentence names before
    it, unless that name is an item of a list (`甲县、乙县`, `某区摘帽、…`);
    else the document's."""
    before = text[sentence_start:position]
    for match in reversed(list(_place_mentions(before))):
        return match.group()
    level = LOWER_LEVEL.search(before)
    if level:
        return f"{document_place}·{level.group(1)}"  # 全镇 in a county's text is another place
    return document_place


# The longest text a PLACE match can span (a 4-character stem and 自治州),
# plus the characters its lookarounds read.
PLACE_REACH = 9


class SentenceScopes:
    """Time and place of claims from per-sentence indexes built once: each
    sentence's TIME, PLACE and LOWER_LEVEL matches. A claim reads the last
    match before it (bisect) and rescans only the few characters next to
    it where a match cut at the claim may differ, so a sentence of n claims
    costs O(n log n), not O(n²). Results equal `time_of` and `place_of`."""

    def __init__(self, text: str):
        self.text = text
        self._sentence = None   # (start, end) of the indexed sentence
        self._times = self._places = self._levels = None

    def _index(self, start: int, end: int) -> None:
        if self._sentence == (start, end):
            return
        self._sentence = (start, end)
        text = self.text
        sentence = text[start:end]
        self._times = [(m.start(), m.end(), _time_value(m)) for m in TIME.finditer(text, start, end)]
        self._time_ends = [m[1] for m in self._times]
        places = []
        best, last_good = [], -1
        for match in PLACE.finditer(sentence):
            good = _mention_kept(sentence, match, len(sentence))
            places.append((match.start(), match.end(), match))
            if good:
                last_good = len(places) - 1
            best.append(last_good)
        self._places, self._place_best = places, best
        self._place_starts = [m[0] for m in places]
        self._levels = LOWER_LEVEL.search(sentence)

    def time(self, start: int, end: int, position: int) -> str:
        """= time_of(text, start, position), for a claim of sentence [start, end)."""
        import bisect

        self._index(start, end)
        count = bisect.bisect_right(self._time_ends, position)
        found = self._times[count - 1][2] if count else ""
        if count < len(self._times) and self._times[count][0] < position:
            # A match the claim cuts: scan it as the old cut text would.
            for match in TIME.finditer(self.text, self._times[count][0], position):
                found = _time_value(match)
        return found

    def place(self, start: int, end: int, position: int, document_place: str) -> str:
        """= place_of(text, start, end, position, document_place)."""
        import bisect

        self._index(start, end)
        sentence = self.text[start:end]
        cut = position - start
        # Matches starting well before the cut read only characters before
        # it, so the cut text has them too; from the last of them on,
        # rescan the cut text itself.
        safe = bisect.bisect_left(self._place_starts, cut - PLACE_REACH)
        resume = max(self._places[safe - 1][1] if safe else 0, cut - PLACE_REACH)
        for match in reversed(list(PLACE.finditer(sentence, max(0, resume), cut))):
            if _mention_kept(sentence, match, cut):
                return match.group()
        index = safe - 1
        while index >= 0:
            begin, finish, match = self._places[index]
            if finish + 4 <= cut:  # the list check reads at most 4 characters on
                index = self._place_best[index]
                return self._places[index][2].group() if index >= 0 else self._lower(sentence, cut, document_place)
            if _mention_kept(sentence, match, cut):
                return match.group()
            index -= 1
        return self._lower(sentence, cut, document_place)

    def _lower(self, sentence: str, cut: int, document_place: str) -> str:
        level = self._levels
        if level is not None and level.end() > cut:
            level = LOWER_LEVEL.search(sentence, level.start(), cut) if level.start() < cut else None
        if level:
            return f"{document_place}·{level.group(1)}"  # 全镇 in a county's text is another place
        return document_place


def _time_value(match) -> str:
    return match.group("year") + "年" if match.group("year") else match.group("relative")


def _mention_kept(sentence: str, match, cut: int) -> bool:
    """`_place_mentions`'s filters for a match in sentence[:cut]."""
    if PLACE_STOPWORDS.search(match.group("stem")):
        return False
    if sentence[max(0, match.start() - 1):match.start()] in ("“", "‘", '"', "、"):
        return False
    return not LIST_ITEM_AFTER.match(sentence, match.end(), cut)


def claim_record(source: SourceText, claim: Claim) -> dict:
    """A JSON-ready record of one claim, quoting the original text."""
    quantity = claim.quantity
    evidence = source.evidence(quantity.start, quantity.end)
    return {
        "text": evidence.text, "start": evidence.start, "end": evidence.end,
        "line": evidence.line, "column": evidence.column,
        "value": _plain(quantity.value), "unit": quantity.unit, "qualifier": quantity.qualifier,
        "low": _plain(quantity.low), "high": _plain(quantity.high),
        "thing": claim.thing, "place": claim.place, "time": claim.time,
        "paragraph": claim.paragraph + 1, "sentence": claim.sentence + 1,
    }


def _plain(value) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
