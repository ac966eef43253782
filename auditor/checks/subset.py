"""The `subset` kind: 其中, 已发放 and similar parts against their whole."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from ..statements import is_change, is_per_unit
from .base import RuleKind, Span, fail, hold
from .numeric import count_interval, display_scale, show_scaled
from .scope import same_unit, scan_timeout

SUBSET_TRIGGER = r"其中|包括|已发放|已使用|已拨付|已到位|已完成|已落实|已兑现|含"


@dataclass(frozen=True)
class SubsetGroup:
    """A whole, the trigger after it, and the parts the trigger introduces."""

    document: object
    whole: object
    trigger: tuple[int, int]
    parts: tuple


def find_subset_groups(document, trigger_pattern: str) -> list[SubsetGroup]:
    """Each trigger with the whole before it and the same-unit parts after it,
    all in one sentence: the whole at most one clause before the trigger."""
    groups = []
    text = document.text
    for match in regex.finditer(trigger_pattern, text, timeout=scan_timeout(text)):
        sentence = document.sentence_of(match.start())
        in_sentence = document.by_sentence.get(sentence, [])
        after = [c for c in in_sentence if c.start >= match.end() and c.is_count]
        if not after:
            continue
        whole = _whole_before(text, in_sentence, match.start(), after[0])
        if whole is None and sentence > 0 and not text[document.sentences[sentence][0]:match.start()].strip():
            # `…共67424万元，比上年增加8488万元。其中中央资金…`: the sentence before holds the whole.
            whole = _whole_of_previous_sentence(text, document.by_sentence.get(sentence - 1, []), after[0])
        if whole is None:
            continue
        trigger_clause = after[0].clause
        parts = tuple(c for c in after if c.clause == trigger_clause and same_unit(c, whole))
        if parts:
            groups.append(SubsetGroup(document, whole, (match.start(), match.end()), parts))
    return groups




def _whole_before(text, in_sentence, trigger_start, first_part, reach: int = 16):
    """The nearest count just before the trigger in the unit of the first part
    (`412户、1350人，其中一般户268户` → 412户)."""
    for claim in reversed([c for c in in_sentence if c.end <= trigger_start and c.is_count]):
        gap = text[claim.end:trigger_start]
        if len(gap) > reach or regex.search(r"[。;；]", gap):
            return None
        if _may_be_whole(text, claim, first_part):
            return claim
    return None


def _whole_of_previous_sentence(text, claims, first_part):
    """The last count of the previous sentence that may be the parts' whole."""
    return next((c for c in reversed(claims) if c.is_count and _may_be_whole(text, c, first_part)), None)


def _may_be_whole(text, claim, first_part) -> bool:
    """In the parts' unit, not a change (`比上年增加…`, `同比减收…`) and no per-unit average (人均)."""
    before = text[max(0, claim.start - 12):claim.start]
    return same_unit(claim, first_part) and not is_change(before) and not is_per_unit(claim.thing + before)


class SubsetKind(RuleKind):
    """A part introduced by 其中 / 已发放 / 已完成 must not exceed its whole.

    The whole is the count just before the trigger; the parts are the counts
    of the same unit in the clause the trigger opens. Each part is compared
    with the whole at their stated precision.

    **Anti-pattern**: 整合资金10.2亿元，其中财政投入12.5亿元。
    **Best practice**: 整合资金10.2亿元，其中财政投入2.5亿元。
    """

    name = "subset"
    params = {"trigger_pattern": (str, SUBSET_TRIGGER)}

    def evaluate(self, rule, documents):
        for document in documents:
            for group in find_subset_groups(document, rule.params["trigger_pattern"]):
                whole = group.whole
                for part in group.parts:
                    spans = [Span(document, whole.start, whole.end, "whole"),
                             Span(document, part.start, part.end, "part")]
                    values = {"part": part.quantity.text, "whole": whole.quantity.text,
                              "trigger": document.text[group.trigger[0]:group.trigger[1]]}
                    part_range, whole_range = count_interval(part.quantity), count_interval(whole.quantity)
                    scale = display_scale([part.quantity, whole.quantity])
                    part_shown = show_scaled(part.quantity.value, scale)
                    whole_shown = show_scaled(whole.quantity.value, scale)
                    if part_range.low <= whole_range.high:
                        yield hold(rule, values, f"{part_shown} ≤ {whole_shown} ✓", spans)
                    else:
                        excess = show_scaled(part.quantity.value - whole.quantity.value, scale)
                        yield fail(rule, values, f"{part_shown} > {whole_shown} (part exceeds whole by {excess})", spans)


RULE_KINDS = (SubsetKind,)
