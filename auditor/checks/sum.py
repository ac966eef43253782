"""The `sum` kind: parts against their whole."""

from __future__ import annotations

from .. import patterns
from ..units import canonical_unit
from .base import RuleKind, Span, fail, hold, mode_problem
from .numeric import count_interval, display_scale, show_scaled
from .scope import is_remainder, same_unit, times_compatible
from .subset import SUBSET_TRIGGER, find_subset_groups

MODES = ("partition", "complement", "adjacent", "remainder", "added")


class SumKind(RuleKind):
    """Parts must add up to their whole, at the stated precision.

    Three ways a text states parts (the rule's `mode`):
    - `partition`: a whole, then 其中 parts that split it (`分别`, or
      complementary labels such as 贫困村/非贫困村, 城镇/农村); other 其中
      lists may name only some parts: they are verified when they add up
      and flagged (as a warning) only when they exceed the whole;
    - `complement`: X and 非X counted anywhere in the document, against the
      whole of their kind stated elsewhere (贫困村 + 非贫困村 = 行政村);
    - `adjacent`: counts run together (`辖4镇9乡`) against a whole whose
      name holds every part's counter (`13个乡(镇)`);
    - `remainder`: a whole, the part done and what remains of it, in one
      sentence (`16项问题已整改完成7项，剩余9项`);
    - `added`: `加上A、B、C，总收入T` after a statement of the base (收入X):
      X + A + B + C = T, the total named as the base with 总 (总收入).

    **Anti-pattern**: 全县共有行政村65个，其中贫困村40个、非贫困村35个。
    **Best practice**: 全县共有行政村65个，其中贫困村40个、非贫困村25个。
    """

    name = "sum"
    params = {
        "mode": (str, "partition"),
        "trigger_pattern": (str, SUBSET_TRIGGER),
        "explicit_pattern": (str, r"分别|分为|包括"),
        "partitions": (list, [["城镇", "农村"], ["城市", "农村"], ["男", "女"]]),
        "complement_prefix": (str, "非"),
        "wholes": (dict, {"村": ["行政村", "建制村"]}),
        "adjacent_units": (list, ["镇", "乡", "街道", "县", "市", "区"]),
        "added_pattern": (str, r"\s*(?:加上|再加上)"),  # matched at the start of a sentence
        "remainder_pattern": (str, r"(?:剩余|其余|尚余|余下|还剩|尚有|还有|仍有|尚未完成|未完成)[\p{Han}]{0,2}$"),
    }

    @staticmethod
    def validate_params(params: dict):
        return mode_problem(params, MODES)

    def evaluate(self, rule, documents):
        mode = rule.params["mode"]
        for document in documents:
            for parts, wholes, closed in _GROUPERS[mode](document, rule.params):
                for whole in wholes:
                    outcome = _judge(rule, document, parts, whole, closed)
                    if outcome is not None:
                        yield outcome


def _judge(rule, document, parts, whole, closed: bool = True):
    """A closed partition must add up; an open list of parts (其中 A、B、C
    with no sign that they are all) is verified when it adds up and flagged
    only when it exceeds the whole."""
    total = count_interval(parts[0].quantity)
    for part in parts[1:]:
        total = total + count_interval(part.quantity)
    whole_range = count_interval(whole.quantity)
    sum_value = sum(p.quantity.value for p in parts)
    scale = display_scale([p.quantity for p in parts] + [whole.quantity])
    expression = " + ".join(show_scaled(p.quantity.value, scale) for p in parts)
    spans = [Span(document, p.start, p.end, "part") for p in parts] + [Span(document, whole.start, whole.end, "whole")]
    values = {"parts": " + ".join(p.quantity.text for p in parts), "parts_sum": show_scaled(sum_value, scale),
              "total": whole.quantity.text, "diff": show_scaled(sum_value - whole.quantity.value, scale)}
    if not closed and not total.meets(whole_range) and total.low <= whole_range.high:
        return None
    if total.meets(whole_range):
        return hold(rule, values, f"{expression} = {show_scaled(sum_value, scale)} ≈ "
                    f"{show_scaled(whole.quantity.value, scale)} ✓"
                    if sum_value != whole.quantity.value else f"{expression} = {show_scaled(sum_value, scale)} ✓",
                    spans)
    return fail(rule, values, f"{expression} = {show_scaled(sum_value, scale)} ≠ "
                f"{show_scaled(whole.quantity.value, scale)} "
                f"(difference {show_scaled(sum_value - whole.quantity.value, scale)})", spans,
                severity=None if closed else "warning")


def _partition_groups(document, params):
    explicit = patterns.compiled(params["explicit_pattern"])
    for group in find_subset_groups(document, params["trigger_pattern"]):
        if len(group.parts) < 2:
            continue
        clause_text = document.text[group.trigger[0]:group.parts[-1].end]
        things = [p.thing for p in group.parts]
        closed = bool(explicit.search(clause_text)) or _complementary(things, params)
        yield list(group.parts), [group.whole], closed


def _complementary(things: list[str], params) -> bool:
    prefix = params["complement_prefix"]
    if len(things) == 2:
        a, b = things
        if prefix and a and b and (b == prefix + a or a == prefix + b):
            return True
    labels = set(things)
    return any(labels == set(group) for group in params["partitions"])


def _complement_groups(document, params):
    prefix = params["complement_prefix"]
    claims = [c for c in document.claims if c.is_count and c.thing and c.unit and not is_remainder(document, c)]
    by_thing: dict[tuple, list] = {}  # (thing, unit, place) → its counts, in text order
    for claim in claims:
        by_thing.setdefault((claim.thing, canonical_unit(claim.unit), claim.place), []).append(claim)
    seen_pairs = set()
    for positive in claims:
        unit = canonical_unit(positive.unit)
        negative = next((c for c in by_thing.get((prefix + positive.thing, unit, positive.place), ())
                         if times_compatible(c.time, positive.time)), None)
        if negative is None:
            continue
        key = (positive.quantity.value, negative.quantity.value, positive.thing)
        if key in seen_pairs:
            continue
        seen_pairs.add(key)
        whole_names = params["wholes"].get(positive.thing[-1:], [])
        wholes = [c for name in whole_names for c in by_thing.get((name, unit, positive.place), ())
                  if times_compatible(c.time, positive.time)]
        if wholes:
            yield [positive, negative], _nearest_wholes(wholes, positive), True


# A whole named anywhere in a document: in a long one, only the few nearest of its values are weighed.
MAX_WHOLES = 8


def _nearest_wholes(wholes, anchor):
    distinct = _distinct_wholes(wholes)
    if len(distinct) <= MAX_WHOLES:
        return distinct
    nearest = sorted(distinct, key=lambda whole: abs(whole.start - anchor.start))[:MAX_WHOLES]
    return sorted(nearest, key=lambda whole: whole.start)


def _distinct_wholes(wholes):
    """Each differently stated whole once (a whole restated identically is
    judged once; a restatement with another value is judged too)."""
    seen, out = set(), []
    for whole in wholes:
        if whole.quantity.value not in seen:
            seen.add(whole.quantity.value)
            out.append(whole)
    return out


def _adjacent_groups(document, params):
    """Runs of counts of administrative units written together (`辖4镇9乡`,
    `辖3个街道、5个镇、4个乡`), against a whole naming every part's unit."""
    units = set(params["adjacent_units"])
    claims = document.claims

    def label(claim):
        unit = claim.quantity.unit
        if unit in units:
            return unit
        return claim.thing if unit == "个" and claim.thing in units else None

    naming: dict[str, list] = {}  # a label → the claims whose thing names it
    index = 0
    while index < len(claims):
        run = [claims[index]]
        while index + len(run) < len(claims):
            following = claims[index + len(run)]
            gap = document.text[run[-1].end:following.start]
            if run[-1].quantity.unit == "个":
                gap = gap.removeprefix(run[-1].thing)  # `3个街道、5个镇`
            if gap not in ("", "、", "和") or label(following) is None:
                break
            run.append(following)
        index += len(run)
        labels = [label(c) for c in run]
        if len(run) < 2 or None in labels or len(set(labels)) != len(labels):
            continue
        in_run = {id(c) for c in run}
        if labels[0] not in naming:
            naming[labels[0]] = [c for c in claims if labels[0] in c.thing]
        wholes = [c for c in naming[labels[0]] if id(c) not in in_run and all(lab in c.thing for lab in labels)
                  and not is_remainder(document, c)
                  and len(c.thing) <= sum(len(lab) for lab in labels) + 3
                  and c.place == run[0].place and times_compatible(c.time, run[0].time)]
        if wholes:
            yield run, _nearest_wholes(wholes, run[0]), True


def _remainder_groups(document, params):
    """`共16项，已完成7项，剩余9项`: the first count of the sentence, one part
    after it and the remainder the text marks, all in one unit."""
    remainder = patterns.compiled(params["remainder_pattern"])
    text = document.text
    for claims in document.by_sentence.values():
        counts = [c for c in claims if c.is_count]
        for index, rest in enumerate(counts):
            if index < 2 or not remainder.search(text[max(0, rest.start - 8):rest.start]):
                continue
            whole = counts[0]
            done = [c for c in counts[1:index] if same_unit(c, whole)]
            if len(done) == 1 and same_unit(rest, whole) and not is_remainder(document, whole):
                yield [done[0], rest], [whole], True
            break


def _added_groups(document, params):
    """`收入X。…加上A、B，总收入T。`: the sentence that adds, the total it
    ends with, and the base of the paragraph whose name is the total's without 总."""
    from ..statements import find_statements

    added = patterns.compiled(params["added_pattern"])
    text = document.text
    statements = find_statements(document)
    for sentence, claims in document.by_sentence.items():
        s_start, _ = document.sentences[sentence]
        counts = [c for c in claims if c.is_count]
        if len(counts) < 2 or not added.match(text, s_start):
            continue
        total = counts[-1]
        name = next((s.indicator for s in statements if s.value is total), "")
        if "总" not in name:
            continue
        base_name = name.replace("总", "", 1)
        bases = [s.value for s in statements if s.sentence < sentence and s.paragraph == total.paragraph
                 and s.value is not None and same_unit(s.value, total)
                 and (s.indicator == base_name or s.indicator.endswith(base_name))]
        parts = [c for c in counts[:-1] if same_unit(c, total)]
        if bases and len(parts) == len(counts) - 1:
            yield [bases[-1]] + parts, [total], True


_GROUPERS = {"partition": _partition_groups, "complement": _complement_groups, "adjacent": _adjacent_groups,
             "remainder": _remainder_groups, "added": _added_groups}

RULE_KINDS = (SumKind,)
