"""The `restatement` kind: the same fact stated twice with values that
cannot both be true."""

from __future__ import annotations

import regex

from ..claims import clause_lead
from .base import RuleKind, Span, fail, hold
from .numeric import count_interval, show, stated
from .scope import times_compatible


class RestatementKind(RuleKind):
    """The same thing, place and time stated with values that cannot both be true.

    Two statements are compared when they count the same thing (after
    synonyms and prefixes such as 建档立卡 are folded) in the same unit, for
    the same place and a compatible time. A figure introduced as a total
    (全县, 总, 共有, 建档立卡…) or stated under full coverage (全覆盖, 所有)
    is compared with every other total; a figure
    without such a marker may be a part, so it is only flagged when it
    exceeds the total. Each value is judged by its own precision and
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
    }

    def evaluate(self, rule, documents):
        params = rule.params
        groups: dict[tuple, list] = {}
        for document in documents:
            for claim in document.claims:
                entry = self._entry(document, claim, params)
                if entry is not None:
                    groups.setdefault(entry[0], []).append(entry[1:])
        for key in sorted(groups, key=str):
            yield from self._judge_group(rule, groups[key])

    def _entry(self, document, claim, params):
        from ..units import canonical_unit

        quantity = claim.quantity
        if (not claim.unit or claim.unit in params["excluded_units"] or not claim.thing
                or quantity.qualifier == "range" or quantity.value < params["min_value"]):
            return None
        sentence = document.sentence_text(claim.sentence)
        if regex.search(params["change_pattern"], sentence, timeout=1):
            return None
        lead = clause_lead(document.text, max(0, claim.start - 12), claim.start)
        marked = (bool(regex.search(params["total_pattern"], lead, timeout=1)) or "总" in claim.thing
                  or bool(regex.search(params["coverage_pattern"], sentence, timeout=1)))
        thing = self._canonical_thing(claim.thing, params)
        # Unnamed places are compared only within their own document.
        named = claim.place and not claim.place.startswith("·")
        place = claim.place if named else f"\x00{document.source.key}{claim.place}"
        key = (place, thing, canonical_unit(claim.unit))
        return key, document, claim, marked

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

    def _judge_group(self, rule, entries):
        if len(entries) < 2:
            return
        consistent = []
        flagged = set()
        for (doc_a, a, marked_a), (doc_b, b, marked_b) in _pairs_with_a_total(entries):
            if doc_a is doc_b and a.sentence == b.sentence:
                continue
            if doc_a.sentence_text(a.sentence) == doc_b.sentence_text(b.sentence):
                continue  # a copied sentence restates nothing
            if not times_compatible(a.time, b.time) or not (marked_a or marked_b):
                continue
            if doc_a is not doc_b and not (a.time and a.time == b.time and a.time[:1].isdigit()):
                continue  # across documents (often of other years) only the same stated year compares
            range_a, range_b = count_interval(a.quantity), count_interval(b.quantity)
            if range_a.meets(range_b):
                if marked_a and marked_b:
                    consistent.append((doc_a, a, doc_b, b))
                continue
            if not (marked_a and marked_b):
                total, other = ((a, b) if marked_a else (b, a))
                if other.quantity.value <= total.quantity.value:
                    continue
            pair = frozenset((a.quantity.value, b.quantity.value))
            if pair in flagged:
                continue  # one wrong figure beside two equal statements is one finding
            flagged.add(pair)
            yield self._finding(rule, doc_a, a, doc_b, b)
        if consistent and not flagged:
            doc_a, a, doc_b, b = consistent[0]
            values = {"first": a.quantity.text, "second": b.quantity.text, "thing": a.thing}
            spans = [Span(doc_a, a.start, a.end, "statement"), Span(doc_b, b.start, b.end, "restatement")]
            yield hold(rule, values, f"{a.quantity.text} = {b.quantity.text} ({a.thing}) ✓", spans)

    def _finding(self, rule, doc_a, a, doc_b, b):
        range_a, range_b = count_interval(a.quantity), count_interval(b.quantity)
        loose = a if (range_a.high - range_a.low) >= (range_b.high - range_b.low) else b
        precise = b if loose is a else a
        loose_range = stated(loose.quantity)
        severity = rule.severity
        if loose.quantity.qualifier != "exact" or loose.quantity.step > 1 or precise.quantity.step > 1:
            severity = "warning"
        computation = (f"{loose.quantity.text} allows {show(loose_range.low)}–{show(loose_range.high)}; "
                       f"{precise.quantity.text} = {show(precise.quantity.value)} lies outside")
        values = {"first": a.quantity.text, "second": b.quantity.text, "thing": a.thing or b.thing,
                  "place": a.place}
        spans = [Span(doc_a, a.start, a.end, "statement"), Span(doc_b, b.start, b.end, "restatement")]
        return fail(rule, values, computation, spans, severity=severity)


RULE_KINDS = (RestatementKind,)


def _pairs_with_a_total(entries):
    """Pairs in which at least one side is a stated total, in text order,
    without going through every pair of unmarked mentions."""
    marked = [index for index, entry in enumerate(entries) if entry[2]]
    seen = set()
    for index in marked:
        for other in range(len(entries)):
            pair = (min(index, other), max(index, other))
            if other != index and pair not in seen:
                seen.add(pair)
                yield entries[pair[0]], entries[pair[1]]
