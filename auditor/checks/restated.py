"""The `restated` kind: the same figure stated again for the same indicator
(`地区生产总值…287.9亿元` in a review and `地区生产总值达到287.9亿元` in a
table of results), in prose or in a table row.

This kind only verifies: two figures of one name that agree are a relation
the report shows; figures that differ are left to RST01, which judges scope
(a year's figure against a five-year one) before it calls them a
contradiction.
"""

from __future__ import annotations

import regex

from .. import patterns
from ..statements import find_statements, indicators_alike
from ..units import canonical_unit
from .base import RuleKind, Span, hold
from .scope import times_compatible

TABLE_ROW = patterns.compiled(r"(?m)^[ \t#|]*(?P<name>[\p{Han}][\p{Han}()（） ]{0,24}?[\p{Han})）])[ \t|]+(?P<cells>[-\d.,]+(?:[ \t|]+[-\d.,]+)*)[ \t|]*$")


class RestatedKind(RuleKind):
    """Lists the figures a text states twice for one indicator, in one unit,
    place and compatible time: in two sentences, or in prose and in a table
    row (`农林牧渔业总产值 215582 6.6`). Names are indicator names (the
    clause before the figure, framing words removed) or, for counts, the noun
    the counter counts (`5个国家区域医疗中心`). Only agreement is reported.

    **Anti-pattern**

        (none: differing figures are RST01's to judge)

    **Best practice**

        全年接待游客520万人次。……全年接待游客520万人次，同比增长8%。
    """

    name = "restated"
    params = {"min_name_chars": (int, 3), "max_evidence": (int, 4)}

    def evaluate(self, rule, documents):
        for document in documents:
            yield from _prose(rule, document)
            yield from _table_rows(rule, document)


RULE_KINDS = (RestatedKind,)


def _prose(rule, document):
    groups: dict[tuple, list] = {}
    for statement in find_statements(document):
        claim = statement.value
        if claim is None or len(statement.indicator) < rule.params["min_name_chars"] or not claim.unit:
            continue
        key = (canonical_unit(claim.unit), claim.quantity.value, statement.place)
        groups.setdefault(key, []).append((statement.indicator, claim, statement.sentence, claim.time))
    for claim in document.claims:
        if claim.is_count and len(claim.thing) >= rule.params["min_name_chars"] + 1 \
                and document.text.startswith(claim.thing, claim.end):
            key = ("noun", canonical_unit(claim.unit), claim.quantity.value, claim.place)
            groups.setdefault(key, []).append((claim.thing, claim, claim.sentence, claim.time))
    for members in groups.values():
        yield from _named_alike(rule, document, members)


def _named_alike(rule, document, members):
    """Members of one value whose names are one indicator (one ends with the other: 公共财政预算收入 and
    地方公共财政预算收入), stated in two sentences or more."""
    used = set()
    for index, (name, claim, sentence, time) in enumerate(members):
        if index in used:
            continue
        alike = [(i, m) for i, m in enumerate(members) if i not in used and
                 indicators_alike(m[0], name) and times_compatible(time, m[3])]
        if len({m[2] for _, m in alike}) < 2:
            continue
        used.update(i for i, _ in alike)
        shown = [m for _, m in alike][:rule.params["max_evidence"]]
        count = len({m[2] for _, m in alike})
        values = {"name": name, "value": claim.quantity.text, "count": count}
        spans = [Span(document, m[1].start, m[1].end, "statement" if i == 0 else "restatement")
                 for i, m in enumerate(shown)]
        computation = " = ".join(m[1].quantity.text for m in shown) + f" ({name}, {count}×) ✓"
        yield hold(rule, values, computation, spans, confidence="medium")


def _table_rows(rule, document):
    text = document.text
    statements = [s for s in find_statements(document) if s.value is not None and s.value.is_count
                  and len(s.indicator) >= rule.params["min_name_chars"]]
    if not statements:
        return
    by_name: dict[str, list] = {}
    for statement in statements:
        by_name.setdefault(statement.indicator, []).append(statement)
    for row in TABLE_ROW.finditer(text):
        name = regex.sub(r"\s+", "", row.group("name")).strip("#")
        candidates = by_name.get(name) or [s for key, group in by_name.items() if len(name) >= 2
                                           and (key.endswith(name) or key.startswith(name)) for s in group]
        if not candidates:
            continue
        first_cell = regex.match(r"[-\d.,]+", row.group("cells"))
        digits = first_cell.group().replace(",", "")
        for statement in candidates:
            written = regex.match(r"[\d.,]+", statement.value.quantity.number_text or statement.value.quantity.text)
            if written is None or written.group().replace(",", "") != digits or row.start() <= statement.value.end <= row.end():
                continue
            start = row.start("cells")
            spans = [Span(document, statement.value.start, statement.value.end, "statement"),
                     Span(document, start, start + len(first_cell.group()), "restatement")]
            values = {"name": statement.indicator, "value": statement.value.quantity.text, "count": 2}
            yield hold(rule, values, f"{statement.value.quantity.text} = {first_cell.group()} "
                                     f"({statement.indicator}, table row) ✓", spans, confidence="medium")
            break
