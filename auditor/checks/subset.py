"""The `subset` kind: 其中, 已发放 and similar parts against their whole."""

from __future__ import annotations

from dataclasses import dataclass

import regex

from ..statements import is_change, is_per_unit
from .base import RuleKind, Span, fail, hold
from .numeric import count_interval, display_scale, show_scaled
from .scope import is_remainder, same_unit, scan_timeout

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
            for whole, parts, trigger in statement_subsets(document, rule.params["trigger_pattern"]):
                yield from _sum_within(rule, document, whole, parts, trigger)


SCOPE_OPENING = regex.compile(r"\s*(?P<whole>[\p{Han}]{2,12})中[,:]")


def statement_subsets(document, trigger_pattern: str):
    """(whole, parts, trigger) where several statements follow a trigger in
    one sentence (`其中A a，增长x%；B b…`), or a sentence opens with the name
    of an earlier statement (`第三产业中，金融业…`): the parts' values are
    within the whole together."""
    from ..statements import find_statements

    statements = find_statements(document)
    text = document.text
    trigger = regex.compile(trigger_pattern)
    for group in find_subset_groups(document, trigger_pattern):
        sentence = group.parts[0].sentence
        parts = [s.value for s in statements if s.sentence == sentence and s.value is not None
                 and s.value.start >= group.trigger[1] and s.value.is_count and same_unit(s.value, group.whole)
                 and not is_remainder(document, s.value)]
        later = trigger.search(text, group.trigger[1], document.sentences[sentence][1])
        if later is not None:
            parts = [p for p in parts if p.start < later.start()]
        if len(parts) >= 2:
            yield group.whole, parts, group.trigger
    for index, statement in enumerate(statements):
        s_start, s_end = document.sentences[statement.sentence]
        opening = SCOPE_OPENING.match(text, s_start, s_end)
        if opening is None or statement.value is None or statement.value.start < opening.end():
            continue
        if index and statements[index - 1].sentence == statement.sentence:
            continue  # one group per sentence, from its first statement
        name = opening.group("whole")
        wholes = [s for s in statements[:index] if s.value is not None and s.value.is_count
                  and (s.indicator.startswith(name) or s.indicator.endswith(name))
                  and statement.sentence - s.sentence <= 2]
        if not wholes:
            continue
        whole = wholes[-1].value
        parts = [s.value for s in statements[index:] if s.sentence == statement.sentence and s.value is not None
                 and same_unit(s.value, whole)]
        if parts:
            yield whole, parts, opening.span("whole")


def _sum_within(rule, document, whole, parts, trigger):
    whole_range = count_interval(whole.quantity)
    if any(count_interval(p.quantity).low > whole_range.high for p in parts):
        return  # a figure above the whole on its own is no part of it (each part is SUB01's to judge)
    total = sum((count_interval(p.quantity) for p in parts[1:]), count_interval(parts[0].quantity))
    scale = display_scale([p.quantity for p in parts] + [whole.quantity])
    middle = sum((p.quantity.value for p in parts[1:]), parts[0].quantity.value)
    terms = " + ".join(show_scaled(p.quantity.value, scale) for p in parts)
    spans = [Span(document, whole.start, whole.end, "whole")] + [Span(document, p.start, p.end, "part") for p in parts]
    values = {"part": " + ".join(p.quantity.text for p in parts), "whole": whole.quantity.text,
              "trigger": document.text[trigger[0]:trigger[1]]}
    shown = f"{terms} = {show_scaled(middle, scale)}"
    # the parts named may overlap (其中男… 少数民族…): together they only suggest a bound
    if total.low <= whole_range.high:
        yield hold(rule, values, f"{shown} ≤ {show_scaled(whole.quantity.value, scale)} ✓", spans, confidence="medium")
    else:
        yield fail(rule, values, f"{shown} > {show_scaled(whole.quantity.value, scale)}", spans, confidence="medium")


RULE_KINDS = (SubsetKind,)
