"""The `subset` kind: 其中, 已发放 and similar parts against their whole."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .base import RuleKind, Span, fail, hold
from .numeric import count_interval, show
from .scope import same_unit, scan_timeout

SUBSET_TRIGGER = r"其中|已发放|已使用|已拨付|已到位|已完成|已落实|已兑现|含"


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
        before = [c for c in in_sentence if c.end <= match.start() and c.is_count]
        if not before:
            continue
        whole = before[-1]
        if regex.search(r"[。;；]", text[whole.end:match.start()]) or len(text[whole.end:match.start()]) > 12:
            continue
        trigger_clause = next((c.clause for c in in_sentence if c.start >= match.end()), None)
        parts = tuple(
            c for c in in_sentence
            if c.start >= match.end() and c.clause == trigger_clause and same_unit(c, whole)
        )
        if parts:
            groups.append(SubsetGroup(document, whole, (match.start(), match.end()), parts))
    return groups


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
                    shown = f"{_written(part)} ({show(part.quantity.value)}) vs {_written(whole)} ({show(whole.quantity.value)})"
                    if part_range.low <= whole_range.high:
                        yield hold(rule, values, f"{shown}: part ≤ whole ✓", spans)
                    else:
                        yield fail(rule, values, f"{shown}: part > whole by {show(part.quantity.value - whole.quantity.value)}", spans)


def _written(claim) -> str:
    return claim.quantity.text


RULE_KINDS = (SubsetKind,)
