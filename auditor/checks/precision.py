"""The `precision` kind: a share printed truncated instead of rounded."""

from __future__ import annotations

from .base import RuleKind, fail
from .numeric import percent_digits, round_half_up, show
from .share import ShareKind, classify, computation, find_share_relations


class PrecisionKind(RuleKind):
    """A percentage that matches its counts only when truncated, not rounded.

    2459 of 3000 is 81.97%: printed as 81% it was cut, not rounded
    (rounding gives 82%). The figure is not wrong by more than its last
    digit, so this is reported at `info` by default.

    **Anti-pattern**: 3000户中已达标2459户，占比81%。
    **Best practice**: 3000户中已达标2459户，占比82%（81.97%）。
    """

    name = "precision"
    params = dict(ShareKind.params)

    def evaluate(self, rule, documents):
        for document in documents:
            for relation in find_share_relations(document, rule.params):
                verdict, actual, stated_value = classify(relation)
                if verdict == "truncated":
                    digits = percent_digits(relation.percent.quantity)
                    values = {
                        "part": relation.part.quantity.text, "base": relation.base.quantity.text,
                        "share": relation.percent.quantity.text, "actual": show(actual, digits + 2) + "%",
                        "rounded": show(round_half_up(actual, digits), digits) + "%",
                    }
                    yield fail(rule, values, computation(relation, verdict, actual, stated_value) +
                               ", truncated", relation.spans())


RULE_KINDS = (PrecisionKind,)
