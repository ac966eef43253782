"""The `range` kind: values outside what their meaning allows."""

from __future__ import annotations


from .. import patterns
from .base import RuleKind, Span, fail


class RangeKind(RuleKind):
    """A share or coverage rate above 100%, or a negative count.

    A percentage introduced as a share (占比, 占…的) or as a coverage or
    compliance rate (覆盖率, 达标率, 普及率) cannot exceed 100%; a count of
    households, people or villages cannot be negative.

    **Anti-pattern**: 已有320个村通硬化路，占比104%。
    **Best practice**: 已有302个村通硬化路，占比98%。
    """

    name = "range"
    params = {
        "bounded_share_pattern": (str, r"(?:占比|占[\p{Han}]{0,12}的|比例|比重|覆盖率|达标率|普及率|参合率|参保率|入学率|签约率|服务率|保障率|知晓率|满意率|入住率)(?:为|达到|达|是)?$"),
        "max_percent": ((int, float), 100),
    }

    def evaluate(self, rule, documents):
        pattern = patterns.compiled(rule.params["bounded_share_pattern"])
        limit = rule.params["max_percent"]
        for document in documents:
            for claim in document.claims:
                quantity = claim.quantity
                span = [Span(document, claim.start, claim.end, "value")]
                if quantity.unit == "%" and quantity.low > limit:
                    lead = document.text[max(0, claim.start - 16):claim.start]
                    if pattern.search(lead, timeout=1):
                        yield fail(rule, {"value": quantity.text}, f"{quantity.text} > {limit}% for a share", span)
                elif claim.is_count and quantity.value < 0:
                    yield fail(rule, {"value": quantity.text}, f"{quantity.text} < 0 for a count", span)


RULE_KINDS = (RangeKind,)
