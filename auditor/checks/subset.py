"""The `subset` kind: 其中, 已发放 and similar parts against their whole."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from .. import patterns
from ..statements import is_change, is_per_unit
from .base import RuleKind, Span, fail, hold
from .numeric import count_interval, display_scale, show_scaled
from .scope import is_remainder, same_unit, scan_timeout

SUBSET_TRIGGER = r"其中|包括|已发放|已使用|已拨付|已到位|已完成|已落实|已兑现|含"
SCOPE_PATTERN = r"(?<![\p{Han}])(?P<whole>[\p{Han}]{2,12})(?:中|方面)[,:]"


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
    for match in patterns.finditer(trigger_pattern, text, timeout=scan_timeout(text)):
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
        if len(gap) > reach or patterns.search(r"[。;；]", gap):
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
    params = {"trigger_pattern": (str, SUBSET_TRIGGER),
              # a clause naming an earlier statement's indicator opens its parts (`第三产业中，…`)
              "scope_pattern": (str, SCOPE_PATTERN)}

    def evaluate(self, rule, documents):
        trigger_pattern = rule.params["trigger_pattern"]
        for document in documents:
            for group in find_subset_groups(document, trigger_pattern):
                for part in group.parts:
                    yield _part_within(rule, document, group.whole, part, group.trigger)
            for whole, part, trigger in share_subsets(document, trigger_pattern):
                # `占比超93%，其中新能源占比超73%`: a share of the part's own group is no subset, so inferred
                yield _part_within(rule, document, whole, part, trigger, confidence="medium")
            for whole, parts, trigger in statement_subsets(document, trigger_pattern, rule.params["scope_pattern"]):
                yield from _sum_within(rule, document, whole, parts, trigger)


def _part_within(rule, document, whole, part, trigger, confidence: str = "high"):
    spans = [Span(document, whole.start, whole.end, "whole"), Span(document, part.start, part.end, "part")]
    values = {"part": part.quantity.text, "whole": whole.quantity.text,
              "trigger": document.text[trigger[0]:trigger[1]]}
    part_range, whole_range = count_interval(part.quantity), count_interval(whole.quantity)
    scale = display_scale([part.quantity, whole.quantity])
    part_shown = show_scaled(part.quantity.value, scale) + ("%" if part.unit == "%" else "")
    whole_shown = show_scaled(whole.quantity.value, scale) + ("%" if whole.unit == "%" else "")
    if part_range.low <= whole_range.high:
        return hold(rule, values, f"{part_shown} ≤ {whole_shown} ✓", spans, confidence=confidence)
    excess = show_scaled(part.quantity.value - whole.quantity.value, scale)
    return fail(rule, values, f"{part_shown} > {whole_shown} (part exceeds whole by {excess})", spans,
                confidence=confidence)


def share_subsets(document, trigger_pattern: str, reach: int = 4):
    """(whole, part, trigger): a share just before the trigger and the shares
    of the same whole after it in the trigger's clause."""
    from ..statements import find_statements

    text = document.text
    by_sentence: dict[int, list] = {}
    for statement in find_statements(document):
        if statement.share is not None:
            by_sentence.setdefault(statement.sentence, []).append(statement)
    if not by_sentence:
        return
    for match in patterns.finditer(trigger_pattern, text, timeout=scan_timeout(text)):
        shares = by_sentence.get(document.sentence_of(match.start()), [])
        before = [s for s in shares if s.share.end <= match.start()]
        if not before or len(text[before[-1].share.end:match.start()].strip(" ,;:")) > reach:
            continue
        whole = before[-1]
        for part in shares:
            if part.share.start < match.end():
                continue
            if part.share_whole != whole.share_whole or not same_unit(part.share, whole.share):
                continue
            if patterns.search(r"[;。]", text[match.end():part.share.start]):
                break
            yield whole.share, part.share, (match.start(), match.end())


def statement_subsets(document, trigger_pattern: str, scope_pattern: str = SCOPE_PATTERN):
    """(whole, parts, trigger) where several statements follow a trigger in
    one sentence (`其中A a，增长x%；B b…`), or a clause opens with the name
    of an earlier statement (`第三产业中，金融业…`, `税收收入方面：增值税…`):
    the parts' values are within the whole together."""
    from ..statements import find_statements

    statements = find_statements(document)
    text = document.text
    trigger = patterns.compiled(trigger_pattern)
    scope = patterns.compiled(scope_pattern)
    sentences = [s.sentence for s in statements]   # statements come in text order
    for group in find_subset_groups(document, trigger_pattern):
        sentence = group.parts[0].sentence
        in_sentence = statements[bisect.bisect_left(sentences, sentence):bisect.bisect_right(sentences, sentence)]
        parts = [s.value for s in in_sentence if s.value is not None
                 and s.value.start >= group.trigger[1] and s.value.is_count and same_unit(s.value, group.whole)
                 and not is_remainder(document, s.value)]
        later = trigger.search(text, group.trigger[1], document.sentences[sentence][1])
        if later is not None:
            parts = [p for p in parts if p.start < later.start()]
        if len(parts) >= 2:
            yield group.whole, parts, group.trigger
    opened: set[int] = set()  # one group per sentence, from its first statement after the opening
    for index, statement in enumerate(statements):
        if statement.sentence in opened or statement.value is None:
            continue
        s_start, s_end = document.sentences[statement.sentence]
        opening = scope.search(text, s_start, statement.value.start, timeout=scan_timeout(text))
        if opening is None:
            continue
        opened.add(statement.sentence)
        name = opening.group("whole")
        nearby = statements[bisect.bisect_left(sentences, statement.sentence - 2):index]
        wholes = [s for s in nearby if s.value is not None and s.value.is_count
                  and (s.indicator.startswith(name) or s.indicator.endswith(name))]
        if not wholes:
            continue
        whole = wholes[-1].value
        parts = [s.value for s in statements[index:] if s.sentence == statement.sentence and s.value is not None
                 and same_unit(s.value, whole) and not is_change(text[max(s_start, s.value.start - 12):s.value.start])]
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
