"""The `rate` kind: rates recomputed from counts, through an implied base."""

from __future__ import annotations

from fractions import Fraction

from .. import patterns
from ..claims import clause_lead
from .base import RuleKind, Span, fail, hold
from .formula import FormulaError, parse_equation, solve
from .numeric import Interval, show, stated

class RateKind(RuleKind):
    """A rate stated at two times must follow from the counts in between.

    An incidence rate stated with its count (`2015年…贫困人口12480人，贫困发生
    率为18.2%`) implies the base it was computed on (12480 / 18.2% ≈ 68571).
    A later rate of the same name, stated with how many were lifted out
    (`减贫11230人…降至1.82%`) or how many remain (`还有1250人未脱贫`), must
    equal the remaining count over that base, at the precision both rates
    were written with: (12480 − 11230) / (12480 / 18.2%) = 1.823% ≈ 1.82%.

    **Anti-pattern**: 2014年贫困人口10000人，贫困发生率为20%；到2017年底累计减贫6000人，贫困发生率降至5%。
    **Best practice**: 2014年贫困人口10000人，贫困发生率为20%；到2017年底累计减贫6000人，贫困发生率降至8%。
    """

    name = "rate"
    params = {
        "formula": (str, "rate = count / base"),
        "solve_for": (str, "base"),
        "rate_pattern": (str, r"贫困发生率"),
        "count_pattern": (str, r"贫困人口|贫困群众|贫困户"),
        "reduction_pattern": (str, r"减贫|脱贫|退出|摘帽"),
        "remaining_pattern": (str, r"未脱贫|剩余|尚有|还有|仍有"),
        "count_units": (list, ["人", "名"]),
        "cumulative_pattern": (str, r"累计|共计|总计|合计|共"),
    }

    @staticmethod
    def validate_params(params):
        try:
            left, right = parse_equation(params["formula"])
        except FormulaError as error:
            return "formula", f"{error} (allowed: names, numbers, + - * / and parentheses, one '=')"
        names = set(left.names() + right.names())
        if not {"rate", "count", params["solve_for"]} <= names:
            return "formula", f"must relate rate, count and {params['solve_for']}"
        try:
            solve(params["formula"], params["solve_for"])
        except FormulaError as error:
            return "formula", str(error)
        return None

    def evaluate(self, rule, documents):
        for document in documents:
            yield from self._evaluate_document(rule, document)

    def _evaluate_document(self, rule, document):
        params = rule.params
        rate_pattern = patterns.compiled(params["rate_pattern"])
        rates = [c for c in document.claims if c.quantity.unit == "%" and rate_pattern.search(c.thing or "")]
        baselines = []
        for rate in rates:
            count = self._count_in_sentence(document, rate, params["count_pattern"], params["count_units"], before=True)
            if count is not None and rate.time:
                baselines.append((rate, count))
        for later in rates:
            for rate, count in baselines:
                if later is rate or not later.time or later.time <= rate.time or later.place != rate.place:
                    continue
                yield from self._judge(rule, document, rate, count, later)
                break

    @staticmethod
    def _count_in_sentence(document, rate, pattern, units, before: bool):
        regex_pattern = patterns.compiled(pattern)
        candidates = [c for c in document.by_sentence.get(rate.sentence, [])
                      if c.unit in units and (c.start < rate.start or not before)]
        matching = []
        for claim in reversed(candidates):
            lead = document.text[max(0, claim.start - 12):claim.start]
            if regex_pattern.search(claim.thing) or regex_pattern.search(lead):
                matching.append((claim, lead))
        # `累计脱贫17102人，其中2019年脱贫1856人`: the cumulative figure, not a part of it.
        for claim, lead in matching:
            if "累计" in lead or "累计" in claim.thing:
                return claim
        for claim, lead in matching:
            start, _ = document.sentences[claim.sentence]
            if "其中" not in clause_lead(document.text, start, claim.start):
                return claim
        return matching[0][0] if matching else None

    def _judge(self, rule, document, rate, count, later):
        params = rule.params
        reduced = self._count_in_sentence(document, later, params["reduction_pattern"], params["count_units"],
                                          before=True)
        remaining = self._count_in_sentence(document, later, params["remaining_pattern"], params["count_units"],
                                            before=False)
        if remaining is None and reduced is None:
            return
        n0 = Fraction(count.quantity.value)
        if remaining is not None:
            left = Fraction(remaining.quantity.value)
            left_text = show(left)
            moved = remaining
        else:
            left = n0 - Fraction(reduced.quantity.value)
            left_text = f"({show(n0)} − {show(reduced.quantity.value)})"
            moved = reduced
        if n0 <= 0:
            return
        # Only a count the text calls cumulative (累计减贫) or remaining (尚有) marks the chain;
        # a year's own reduction (2018年脱贫1万人) is not the whole way from the first rate.
        lead = document.text[max(0, moved.start - 12):moved.start]
        marked = remaining is not None or patterns.search(params["cumulative_pattern"], lead + moved.thing) is not None
        confidence = "high" if marked else "medium"
        if left < 0:
            spans = [Span(document, count.start, count.end, "count"), Span(document, moved.start, moved.end, "change")]
            values = {"rate": later.quantity.text, "expected": "below 0", "first": rate.quantity.text}
            yield fail(rule, values, f"{left_text} < 0: more lifted out than there were", spans, severity="warning",
                       confidence=confidence)
            return
        first_rate = stated(rate.quantity)
        # (left / base) where base = count / rate: the rate's own precision carries through.
        expected = Interval(left / n0 * first_rate.low, left / n0 * first_rate.high)
        middle = left / n0 * Fraction(rate.quantity.value)
        solved = solve(params["formula"], params["solve_for"])
        base = solved.evaluate({"rate": Fraction(rate.quantity.value) / 100, "count": n0})
        computation = (f"{params['solve_for']} = {str(solved).strip('()')} = {show(n0)} / {rate.quantity.text} "
                       f"≈ {show(base, 0)}; "
                       f"{left_text} / ({show(n0)} / {rate.quantity.text}) = {show(middle, 3)}%")
        spans = [Span(document, count.start, count.end, "count"), Span(document, rate.start, rate.end, "rate"),
                 Span(document, moved.start, moved.end, "change"), Span(document, later.start, later.end, "later rate")]
        values = {"rate": later.quantity.text, "expected": f"{show(middle, 3)}%", "first": rate.quantity.text}
        if expected.meets(stated(later.quantity)):
            yield hold(rule, values, f"{computation} ≈ {later.quantity.text} ✓", spans, confidence=confidence)
        else:
            yield fail(rule, values, f"{computation} ≠ {later.quantity.text}", spans, confidence=confidence)


RULE_KINDS = (RateKind,)
