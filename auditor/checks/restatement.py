"""The `restatement` kind: the same fact stated twice with values that
cannot both be true."""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from functools import lru_cache


from .. import patterns
from ..claims import clause_lead
from ..findings import Finding, Verified
from ..quantities import Quantity
from .base import RuleKind
from .numeric import count_interval, show, stated
from .scope import times_compatible

# One finding per fact, however many statements it has: it lists at most
# this many distinct values and quotes at most this many statements.
MAX_LISTED_VALUES = 6
MAX_EVIDENCE = 8
# Looking for the one consistent pair a group without conflict reports
# tries at most this many pairs, so a group of thousands stays linear.
MAX_CONSISTENT_TRIES = 20_000


class RestatementKind(RuleKind):
    """The same thing, place and time stated with values that cannot both be true.

    Two statements are compared when they count the same thing (after
    synonyms and prefixes such as 建档立卡 are folded) in the same unit, for
    the same place and a compatible time. A figure introduced as a total
    (全县, 总, 共有, 建档立卡…) or stated under full coverage (全覆盖, 所有)
    is compared with every other total; a figure
    without such a marker may be a part, so it is only flagged when it
    exceeds the total. A fact stated with several incompatible values is
    one finding that lists them (at most six values and eight quotes). Each value is judged by its own precision and
    qualifier: 6万 allows [5.5万, 6.5万], so beside 6.8万 it is a mismatch
    (a warning, since the rounder figure may be loose); 近万 beside 8935 is
    not a contradiction.

    **Anti-pattern**: 全县总人口6.8万人……实现全县6万人民的美好生活。
    **Best practice**: 全县总人口6.8万人……实现全县6.8万人民的美好生活。
    """

    name = "restatement"
    cross_document = True
    params = {
        "total_pattern": (str, r"(?:全[县市州区省旗乡镇]|总|共有|共计|合计|辖|建档立卡|精准识别|现有|全部)[\p{Han}]{0,8}$"),
        "coverage_pattern": (str, r"全覆盖|全部|所有|全体|每一"),
        "change_pattern": (str, r"由|从|增加|减少|下降|上升|增长|提高|降至|降到|降低"),
        "strip_prefixes": (list, ["建档立卡", "精准识别", "识别", "全县", "全市", "全州", "全区", "全省", "全部", "现有"]),
        "synonyms": (list, [["总人口", "人民", "人口", "人口总数", "户籍人口", "常住人口"], ["贫困户", "贫困人口"]]),
        "excluded_units": (list, ["%", "个百分点"]),
        "min_value": ((int, float), 10),
        # a count drawn as a sample (抽查了30个村) is no statement of the stock
        "sample_pattern": (str, r"抽查|抽取|抽样|随机|选取|抽调"),
        "min_thing_chars": (int, 2),
    }

    def evaluate(self, rule, documents):
        """All outcomes over `documents` (records, then the keyed merge)."""
        groups: dict[tuple, list] = {}
        for order, document in enumerate(documents):
            for key, statement in self.records(rule, document, order):
                groups.setdefault(key, []).append(statement)
        yield from self.judge(rule, groups, [document.source for document in documents])

    def records(self, rule, document, order: int = 0) -> list[tuple[tuple, "Statement"]]:
        """The compact keyed records of one document: a pure function of it,
        so it can run in a worker process; `judge` merges them."""
        params = rule.params
        change = _compiled(params["change_pattern"])
        total = _compiled(params["total_pattern"])
        coverage = _compiled(params["coverage_pattern"])
        sample = _compiled(params["sample_pattern"])
        sentences: dict[int, tuple] = {}
        out = []
        for claim in document.claims:
            if not self._candidate(claim, params):
                continue
            if len(self._canonical_thing(claim.thing, params)) < params["min_thing_chars"]:
                continue  # `总投资30亿元` gives the thing 总: one character names no fact
            facts = sentences.get(claim.sentence)
            if facts is None:
                sentence = document.sentence_text(claim.sentence)
                facts = sentences[claim.sentence] = (
                    bool(change.search(sentence, timeout=1)), bool(coverage.search(sentence, timeout=1)),
                    hashlib.blake2b(sentence.encode("utf-8", "surrogatepass"), digest_size=12).digest())
            changed, covered, digest = facts
            if changed:
                continue
            lead = clause_lead(document.text, max(0, claim.start - 12), claim.start)
            s_start = document.sentences[claim.sentence][0]
            if sample.search(clause_lead(document.text, s_start, claim.start), timeout=1):
                continue
            marked = bool(total.search(lead, timeout=1)) or "总" in claim.thing or covered
            key = tuple(map(_shared, self._key(document, claim, params)))
            # A corpus repeats its places, times and things: one string each.
            out.append((key, Statement(
                order=(order, claim.start), sentence=(order, claim.sentence), digest=digest,
                time=_shared(claim.time), place=_shared(claim.place), thing=_shared(claim.thing), marked=marked,
                quantity=claim.quantity)))
        return out

    @staticmethod
    def _candidate(claim, params) -> bool:
        quantity = claim.quantity
        return bool(claim.unit and claim.unit not in params["excluded_units"] and claim.thing
                    and quantity.qualifier != "range" and quantity.value >= params["min_value"])

    def _key(self, document, claim, params) -> tuple:
        from ..units import canonical_unit

        thing = self._canonical_thing(claim.thing, params)
        # Unnamed places are compared only within their own document.
        named = claim.place and not claim.place.startswith("·")
        place = claim.place if named else f"\x00{document.source.key}{claim.place}"
        return (place, thing, canonical_unit(claim.unit))

    @staticmethod
    def _canonical_thing(thing: str, params) -> str:
        stripped = True
        while stripped:
            stripped = False
            for prefix in params["strip_prefixes"]:
                if thing.startswith(prefix) and len(thing) > len(prefix):
                    thing, stripped = thing[len(prefix):], True
        for group in params["synonyms"]:
            if thing in group:
                return group[0]
        return thing

    def judge(self, rule, groups: dict[tuple, list], sources: list):
        """Findings and verified relations from the records of every
        document, grouped by key (place, thing, unit), each list in text
        order; `sources[n]` is the SourceText of document n, which quotes
        the evidence (so records need not carry it)."""
        self.sources = sources
        for key in sorted(groups, key=str):
            yield from self._judge_group(rule, groups[key])

    def _evidence(self, statement, role: str):
        return self.sources[statement.order[0]].evidence(statement.quantity.start, statement.quantity.end, role)

    def _judge_group(self, rule, entries):
        if len(entries) < 2:
            return
        facts = _facts(entries)
        for members in facts:
            yield self._finding(rule, [entries[i] for i in members])
        if not facts:
            pair = _first_consistent(entries)
            if pair is not None:
                a, b = pair
                values = {"first": a.quantity.text, "second": b.quantity.text, "thing": a.thing}
                evidence = (self._evidence(a, "statement"), self._evidence(b, "restatement"))
                yield Verified(rule=rule.id, symbol=rule.name, kind=rule.kind,
                               message=rule.format(rule.verified_message or rule.description, values),
                               computation=f"{a.quantity.text} = {b.quantity.text} ({a.thing}) ✓",
                               evidence=evidence, message_args={key: str(value) for key, value in values.items()})

    def _finding(self, rule, members):
        """One finding for one fact: its distinct values, the first
        statement of each, in text order."""
        shown, seen = [], set()
        for member in members:
            if member.quantity.value not in seen:
                seen.add(member.quantity.value)
                shown.append(member)
        widths = [count_interval(m.quantity) for m in shown]
        loose = max(zip(shown, widths), key=lambda pair: pair[1].high - pair[1].low)[0]
        severity = rule.severity
        if loose.quantity.qualifier != "exact" or any(m.quantity.step > 1 for m in shown):
            severity = "warning"
        first, rest = shown[0], shown[1:MAX_LISTED_VALUES]
        more = len(shown) - MAX_LISTED_VALUES
        second = " and as ".join(m.quantity.text for m in rest) + (f" (and {more} more values)" if more > 0 else "")
        if len(shown) == 2:
            precise = shown[1] if loose is shown[0] else shown[0]
            loose_range = stated(loose.quantity)
            computation = (f"{loose.quantity.text} allows {show(loose_range.low)}–{show(loose_range.high)}; "
                           f"{precise.quantity.text} = {show(precise.quantity.value)} lies outside")
        else:
            parts = []
            for member in shown[:MAX_LISTED_VALUES]:
                allowed = stated(member.quantity)
                parts.append(f"{member.quantity.text} allows {show(allowed.low)}–{show(allowed.high)}")
            computation = "; ".join(parts) + (f"; and {more} more values" if more > 0 else "") + \
                f": {len(shown)} values of one fact that cannot all be true"
        values = {"first": first.quantity.text, "second": second, "thing": first.thing,
                  "place": first.place, "count": str(len(shown)),
                  "values": ", ".join(m.quantity.text for m in shown[:MAX_LISTED_VALUES])}
        quoted = shown[:MAX_EVIDENCE]
        evidence = tuple(self._evidence(m, "statement" if n == 0 else "restatement") for n, m in enumerate(quoted))
        return Finding(rule=rule.id, symbol=rule.name, kind=rule.kind, severity=severity,
                       message=rule.format(rule.message, values), computation=computation, evidence=evidence,
                       message_args={key: str(value) for key, value in values.items()})


RULE_KINDS = (RestatementKind,)


@dataclass(frozen=True, slots=True)
class Statement:
    """What crosses documents for one candidate claim: small and picklable."""

    order: tuple          # (document order, start): text order across the corpus
    sentence: tuple       # (document order, sentence index)
    digest: bytes         # of the sentence text: a copied sentence restates nothing
    time: str
    place: str
    thing: str
    marked: bool          # a stated total (全县, 总, 共有…) or under full coverage
    quantity: Quantity    # its span is in the normalized text of document order[0]


def _shared(text):
    return sys.intern(text) if type(text) is str else text


@lru_cache(maxsize=64)
def _compiled(pattern: str):
    return patterns.compiled(pattern)


def _stated_year(time: str) -> bool:
    return time[:1].isdigit()


class _Extremes:
    """The two best entries by one measure, with different sentences (so
    an entry always finds a partner that is not a copy of its own sentence)."""

    __slots__ = ("best", "better")

    def __init__(self, better):
        self.best: list[tuple] = []   # (measure, digest, index), at most two, distinct digests
        self.better = better

    def add(self, measure, digest, index) -> None:
        best = self.best
        for position, (m, d, _) in enumerate(best):
            if d == digest:
                if self.better(measure, m):
                    best[position] = (measure, digest, index)
                    best.sort(key=lambda item: item[0], reverse=self.better(1, 0))
                return
        best.append((measure, digest, index))
        best.sort(key=lambda item: item[0], reverse=self.better(1, 0))
        del best[2:]

    def pick(self, digest):
        return next(((m, i) for m, d, i in self.best if d != digest), None)


def _higher(a, b):
    return a > b


def _lower(a, b):
    return a < b


def _facts(entries) -> list[list[int]]:
    """Groups of entries (indices, in text order) stating one fact with
    values that cannot all be true, in linear time.

    Two statements conflict when they are comparable (another sentence;
    a compatible time; across documents, the same stated year), at least
    one is a total, their intervals do not meet, and, when only one is a
    total, the other exceeds it. For each entry the extreme comparable
    partners (highest low bound; lowest high bound among totals) decide
    whether any partner conflicts with it, without building pairs."""
    intervals = [count_interval(entry.quantity) for entry in entries]
    documents: dict[int, tuple] = {}
    years: dict[str, tuple] = {}
    unstated: dict[int, tuple] = {}

    def extremes():
        return (_Extremes(_higher), _Extremes(_lower))

    for index, (entry, interval) in enumerate(zip(entries, intervals)):
        document = entry.order[0]
        targets = [documents.setdefault(document, extremes())]
        if _stated_year(entry.time):
            targets.append(years.setdefault(entry.time, extremes()))
        else:
            targets.append(unstated.setdefault(document, extremes()))
        for highest_low, lowest_high in targets:
            highest_low.add(interval.low, entry.digest, index)
            if entry.marked:
                lowest_high.add(interval.high, entry.digest, index)

    facts: dict[str, list[int]] = {}
    for index, (entry, interval) in enumerate(zip(entries, intervals)):
        document = entry.order[0]
        if _stated_year(entry.time):
            sources = [years[entry.time]] + ([unstated[document]] if document in unstated else [])
        else:
            sources = [documents[document]]
        partner = None
        if entry.marked:
            for highest_low, _ in sources:
                found = highest_low.pick(entry.digest)
                if found and found[0] > interval.high and (partner is None or found[0] > partner[0]):
                    partner = found
        if partner is None:
            for _, lowest_high in sources:
                found = lowest_high.pick(entry.digest)
                if found and found[0] < interval.low and (partner is None or found[0] < partner[0]):
                    partner = found
        if partner is None:
            continue
        other = entries[partner[1]]
        time = entry.time if _stated_year(entry.time) else other.time if _stated_year(other.time) else ""
        members = facts.setdefault(time, [])
        members.extend((index, partner[1]))
    return [sorted(set(members)) for _, members in sorted(facts.items(), key=lambda item: min(item[1]))]


def _comparable(a, b) -> bool:
    if a.digest == b.digest or not times_compatible(a.time, b.time):
        return False
    return a.order[0] == b.order[0] or (bool(a.time) and a.time == b.time and _stated_year(a.time))


def _first_consistent(entries):
    """The first pair of totals that agree, in the order pairs were always
    tried (each total against every other; only totals can agree), within
    MAX_CONSISTENT_TRIES tries. Only entries of one document or of one
    stated year can be comparable, so each total is tried against those
    alone, at the rank its pair has in that order."""
    marked = [index for index, entry in enumerate(entries) if entry.marked]
    count = len(marked)
    if count < 2:
        return None
    by_document: dict[int, list[int]] = {}
    by_year: dict[str, list[int]] = {}
    for position, index in enumerate(marked):
        entry = entries[index]
        by_document.setdefault(entry.order[0], []).append(position)
        if _stated_year(entry.time):
            by_year.setdefault(entry.time, []).append(position)
    intervals = {index: count_interval(entries[index].quantity) for index in marked}
    for position, index in enumerate(marked):
        tried = position * (count - 1)    # pairs tried before this total's row
        if tried >= MAX_CONSISTENT_TRIES:
            return None
        entry = entries[index]
        candidates = by_document[entry.order[0]]
        if _stated_year(entry.time):
            candidates = sorted(set(candidates).union(by_year[entry.time]))
        for other_position in candidates:
            if other_position == position:
                continue
            rank = tried + (other_position if other_position < position else other_position - 1) + 1
            if rank > MAX_CONSISTENT_TRIES:
                break
            other = marked[other_position]
            first, second = min(index, other), max(index, other)
            a, b = entries[first], entries[second]
            if _comparable(a, b) and intervals[first].meets(intervals[second]):
                return a, b
    return None
