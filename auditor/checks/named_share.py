"""The `named_share` kind: a share of a whole the text names (占生产总值的
比重为4.1%), against the part's value and the whole's value stated
elsewhere in the document.

The whole is the statement whose indicator the share names (生产总值 names
全年全县生产总值, and every alias of an identity's whole names the others),
else, for a part of a definitional identity (第一产业增加值 … 比重为13.15%),
that identity's whole. A name that several different values fit is left
unjudged: the base is ambiguous.
"""

from __future__ import annotations

from fractions import Fraction

from .. import patterns
from ..statements import EndingIndex, Statement, find_statements
from .base import RuleKind, Span, fail, hold
from .identity import _definitions_path, identity_groups, load_definitions, names
from .numeric import count_interval, display_scale, show, show_scaled, stated
from .scope import times_compatible

NEAR_SENTENCES = 3


class NamedShareKind(RuleKind):
    """Checks a share against its part and the whole it names.

    `X增加值V，占生产总值的比重为s%` needs s ≈ V / W, where W is the value
    stated for 生产总值 in the same document (same place, compatible time,
    same unit). Shares of an identity's parts that name no whole are taken
    of the identity's whole. Every figure is taken at its stated precision.

    **Anti-pattern**

        生产总值200亿元。第一产业增加值30亿元，占生产总值的比重为12%。   (30 / 200 = 15%)

    **Best practice**

        生产总值200亿元。第一产业增加值30亿元，占生产总值的比重为15%。
    """

    name = "named_share"
    params = {"identities": (str, "../identities.txt"),
              # `…，分别占x%和y%`: shares said of the parts listed before them
              "respective_pattern": (str, r"分别占(?:[^,;。]{0,12}?的)?(?:比重|比例)?(?:为|达)?$"),
              # what may stand between two such shares
              "share_joints": (list, ["、", "和", "及", "和占", "、占", ",", "与"]),
              # the whole stands before the parts: `W，其中A a、B b`
              "whole_pattern": (str, r"^[,:;]?\s*其中")}

    def evaluate(self, rule, documents):
        definitions = load_definitions(str(_definitions_path(rule)))
        for document in documents:
            statements = [s for s in find_statements(document) if not s.is_per_unit]
            index = EndingIndex(statements)
            by_indicator: dict[str, list[Statement]] = {}
            for statement in statements:
                by_indicator.setdefault(statement.indicator, []).append(statement)
            implied = {}
            for group in identity_groups(document, definitions):
                for part in group.parts:
                    implied.setdefault(id(part), group)
            yield from _respective_shares(rule, document)
            for statement in statements:
                if statement.share is None:
                    continue
                part = statement if _has_count(statement) else _value_statement(statement, by_indicator)
                if part is None:
                    continue
                if statement.share_whole:
                    whole = _named_whole(statement, part, index, definitions)
                else:
                    group = implied.get(id(part))
                    whole = group.whole if group is not None and _has_count(group.whole) else None
                if whole is None or whole is part or whole.value.unit != part.value.unit:
                    continue
                yield from _outcome(rule, document, statement, part, whole)


RULE_KINDS = (NamedShareKind,)


def _has_count(statement: Statement) -> bool:
    return statement.value is not None and statement.value.is_count


def _value_statement(share: Statement, by_indicator: dict) -> Statement | None:
    """`第一产业增加值占…的比重为s%` written apart from the value: the nearest
    statement of the same indicator that states its value."""
    candidates = [s for s in by_indicator.get(share.indicator, ()) if s is not share and _has_count(s)
                  and (abs(s.sentence - share.sentence) <= NEAR_SENTENCES or s.paragraph == share.paragraph)]
    return min(candidates, key=lambda s: abs(s.sentence - share.sentence)) if candidates else None


def _named_whole(share: Statement, part: Statement, index: EndingIndex, definitions) -> Statement | None:
    wanted = (share.share_whole,)
    for identity in definitions.identities:
        if names(share.share_whole, identity.whole) or share.share_whole in identity.whole:
            wanted = identity.whole + wanted
    candidates = [s for s in index.ending_with(wanted) if _has_count(s) and s is not part
                  and s.place == part.place and times_compatible(s.time, part.time)
                  and s.value.unit == part.value.unit]
    if not candidates:
        return None
    if len({s.value.quantity.value for s in candidates}) > 1:
        earlier = [s for s in candidates if s.start < part.start]
        candidates = [max(earlier, key=lambda s: s.start)] if earlier else []
        if not candidates:
            return None
    return candidates[0]


def _outcome(rule, document, statement: Statement, part: Statement, whole: Statement):
    yield from _share_outcome(rule, document, part.value, statement.share, whole.value, part.indicator)

def _respective_shares(rule, document):
    """`共投入W，其中A a、B b，分别占x%和y%`: each part over the whole before 其中."""
    respective = patterns.compiled(rule.params["respective_pattern"])
    whole_before_parts = patterns.compiled(rule.params["whole_pattern"])
    joints = frozenset(rule.params["share_joints"])
    text = document.text
    for sentence, claims in document.by_sentence.items():
        shares, start = [], None
        for index, claim in enumerate(claims):
            if claim.unit == "%" and (shares or respective.search(text[max(0, claim.start - 24):claim.start])):
                if shares and text[shares[-1].end:claim.start] not in joints:
                    break
                if not shares:
                    start = index
                shares.append(claim)
        if not shares or start is None:
            continue
        parts = [c for c in claims[:start] if c.is_count][-len(shares):]
        if len(parts) != len(shares) or len({c.unit for c in parts}) != 1:
            continue
        first_part = claims.index(parts[0])
        whole = next((c for c in reversed(claims[:first_part]) if c.is_count and c.unit == parts[0].unit
                      and whole_before_parts.search(text[c.end:parts[0].start])), None)
        if whole is None:
            continue
        for part, share in zip(parts, shares):
            yield from _share_outcome(rule, document, part, share, whole, part.thing or "")
        yield from _partition(rule, document, parts, shares, whole)


def _partition(rule, document, parts, shares, whole):
    """Shares that add up to 100% say the parts are all of the whole: they must add up to it."""
    total_share = sum((stated(s.quantity) for s in shares[1:]), stated(shares[0].quantity))
    if not total_share.contains(Fraction(100)):
        return
    total = sum((count_interval(p.quantity) for p in parts[1:]), count_interval(parts[0].quantity))
    middle = sum((Fraction(p.quantity.value) for p in parts), Fraction(0))
    scale = display_scale([p.quantity for p in parts] + [whole.quantity])
    terms = " + ".join(show_scaled(p.quantity.value, scale) for p in parts)
    values = {"part": " + ".join(p.quantity.text for p in parts), "whole": whole.quantity.text,
              "share": "100%", "actual": show_scaled(middle, scale), "indicator": whole.thing or ""}
    spans = [Span(document, whole.start, whole.end, "whole")] + [Span(document, p.start, p.end, "part") for p in parts]
    computation = (f"{terms} = {show_scaled(middle, scale)} {'≈' if total.meets(count_interval(whole.quantity)) else '≠'} "
                   f"{show_scaled(whole.quantity.value, scale)} (the shares add up to 100%)")
    if total.meets(count_interval(whole.quantity)):
        yield hold(rule, values, computation + " ✓", spans)
    else:
        yield fail(rule, values, computation, spans)


def _share_outcome(rule, document, part_value, share, whole_value, indicator: str):
    whole_interval = count_interval(whole_value.quantity)
    if whole_interval.low <= 0:
        return
    computed = (count_interval(part_value.quantity) / whole_interval).scale(Fraction(100))
    stated_share = stated(share.quantity)
    middle = Fraction(part_value.quantity.value) / Fraction(whole_value.quantity.value) * 100
    computation = f"{part_value.quantity.text} / {whole_value.quantity.text} = {show(middle, 3)}%"
    values = {"part": part_value.quantity.text, "whole": whole_value.quantity.text, "share": share.quantity.text,
              "actual": show(middle, 2) + "%", "indicator": indicator}
    spans = [Span(document, part_value.start, part_value.end, "part"), Span(document, share.start, share.end, "share"),
             Span(document, whole_value.start, whole_value.end, "whole")]
    if computed.meets(stated_share):
        yield hold(rule, values, f"{computation} ≈ {share.quantity.text} ✓", spans)
    else:
        yield fail(rule, values, f"{computation} ≠ {share.quantity.text} (stated precision allows "
                                 f"{show(stated_share.low, 3)}–{show(stated_share.high, 3)}%)", spans)
