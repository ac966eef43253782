"""The `per_unit` kind: plausibility of ratios such as people per household."""

from __future__ import annotations

from fractions import Fraction

from .base import RuleKind, Span, fail, hold
from .numeric import show


class PerUnitKind(RuleKind):
    """A ratio of two counts stated together must lie in plausible bounds.

    `2150户、7310人` states 7310 / 2150 = 3.4 people per household; a
    ratio outside the configured bounds (`min`, `max`) means one of the two
    figures is wrong or they do not describe the same group.

    **Anti-pattern**: 贫困人口2150户、731人。
    **Best practice**: 贫困人口2150户、7310人。
    """

    name = "per_unit"
    params = {
        "numerator_units": (list, ["人", "名"]),
        "denominator_units": (list, ["户"]),
        "label": (str, "人/户"),
        "min": ((int, float), 1),
        "max": ((int, float), 8),
        "max_gap": (int, 2),
    }

    def evaluate(self, rule, documents):
        params = rule.params
        for document in documents:
            claims = document.claims
            for first, second in zip(claims, claims[1:]):
                if (first.unit not in params["denominator_units"]
                        or second.unit not in params["numerator_units"]
                        or first.sentence != second.sentence):
                    continue
                gap = document.text[first.end:second.start]
                if len(gap) > params["max_gap"] or any(ch not in "、,，和及" for ch in gap):
                    continue
                if first.quantity.value <= 0:
                    continue
                ratio = Fraction(second.quantity.value) / Fraction(first.quantity.value)
                low, high = Fraction(str(params["min"])), Fraction(str(params["max"]))
                spans = [Span(document, first.start, first.end, "denominator"),
                         Span(document, second.start, second.end, "numerator")]
                values = {"ratio": show(ratio), "label": params["label"],
                          "numerator": second.quantity.text, "denominator": first.quantity.text}
                text = f"{show(second.quantity.value)} / {show(first.quantity.value)} = {show(ratio)} {params['label']}"
                if low <= ratio <= high:
                    yield hold(rule, values, f"{text}, within {show(low)}–{show(high)} ✓", spans)
                else:
                    yield fail(rule, values, f"{text}, outside {show(low)}–{show(high)}", spans)


RULE_KINDS = (PerUnitKind,)
