"""The `period_total` kind: a year's figure within the total of the period
it belongs to (`城镇新增就业22.89万人` in the year's review, `城镇新增就业
124.27万人` in the paragraph on the five years), for one indicator.

The period is marked by the words of its paragraph's opening sentence or of
its own sentence (五年, “十四五”时期, 累计); the year's figure has none.
Only containment is listed, at medium confidence: two figures of one name
in different paragraphs may also be of different scopes, so a year's figure
above the period's is left unjudged, never called a contradiction.
"""

from __future__ import annotations

from .. import patterns
from ..statements import counted_name, find_statements, indicators_alike
from ..units import canonical_unit
from .base import RuleKind, Span, hold
from .numeric import count_interval, display_scale, show_scaled


# an indicator's name: Han words, not a clause fragment (是2010年的, 居全国前)
NAME = patterns.compiled(r"[\p{Han}]+(?<![的前后居])")


class PeriodTotalKind(RuleKind):
    """Lists a year's figure as within the period's total of the same
    indicator, when the text marks the period (`period_pattern`) in the
    total's sentence or in the opening sentence of its paragraph.

    **Anti-pattern**

        (none: a year's figure above the period's is not judged)

    **Best practice**

        过去五年，城镇新增就业124万人。……今年城镇新增就业23万人。
    """

    name = "period_total"
    params = {"period_pattern": (str, r"五年|三年|十年|“十[一二三四五六七八九]五”|累计|年来"),
              # a plan's figure (力争新增400户) belongs to no period the text reviews
              "plan_pattern": (str, r"力争|确保|目标|预期|计划|争取|左右"),
              "min_name_chars": (int, 4)}

    def evaluate(self, rule, documents):
        period = patterns.compiled(rule.params["period_pattern"])
        shared = rule.params["min_name_chars"]
        for document in documents:
            named = [(s, counted_name(document, s)) for s in find_statements(document)
                     if s.value is not None and s.value.is_count]
            name_of = {id(s): name for s, name in named}
            statements = [s for s, name in named if len(name) >= shared and NAME.fullmatch(name)]
            plan = patterns.compiled(rule.params["plan_pattern"])
            statements = [s for s in statements if not plan.search(document.sentence_text(s.sentence))
                          or marks_period(document, s, period)]
            marked = {id(s): marks_period(document, s, period) for s in statements}
            by_unit: dict[str, list] = {}
            for statement in statements:
                by_unit.setdefault(canonical_unit(statement.value.unit), []).append(statement)
            for group in by_unit.values():
                totals: dict[str, list] = {}  # by the last `shared` characters: alike names share them
                for statement in group:
                    if marked[id(statement)]:
                        totals.setdefault(name_of[id(statement)][-shared:], []).append(statement)
                years = [s for s in group if not marked[id(s)]]
                for year in years:
                    total = next((t for t in totals.get(name_of[id(year)][-shared:], ())
                                  if t.paragraph != year.paragraph and t.place == year.place
                                  and indicators_alike(name_of[id(t)], name_of[id(year)], shared)), None)
                    if total is None:
                        continue
                    part, whole = count_interval(year.value.quantity), count_interval(total.value.quantity)
                    if part.low > whole.high or year.value.quantity.value == total.value.quantity.value:
                        continue
                    scale = display_scale([year.value.quantity, total.value.quantity])
                    values = {"part": year.value.quantity.text, "whole": total.value.quantity.text,
                              "indicator": name_of[id(year)]}
                    spans = [Span(document, year.value.start, year.value.end, "part"),
                             Span(document, total.value.start, total.value.end, "whole")]
                    yield hold(rule, values, f"{show_scaled(year.value.quantity.value, scale)} ≤ "
                                             f"{show_scaled(total.value.quantity.value, scale)} "
                                             f"({name_of[id(year)]}: a year within its period) ✓", spans,
                               confidence="medium")


RULE_KINDS = (PeriodTotalKind,)


def marks_period(document, statement, period) -> bool:
    s_start, s_end = document.sentences[statement.sentence]
    if period.search(document.text, s_start, s_end):
        return True
    p_start, _ = document.paragraphs[statement.paragraph]
    opening = document.sentences[document.sentence_of(p_start)]
    return opening != (s_start, s_end) and period.search(document.text, *opening) is not None
