"""The `identity` kind: definitional identities (GDP and its three
industries, population and its sexes, revenue and its two sources), the
shares of their parts, and structure ratios a:b:c.

Identities are data (`rules/identities.txt`). The indicator statements of
a document (auditor/statements.py) that name an identity's whole and all of
its parts, near each other, must agree: values, changes and both ends of a
from → to add up; the parts' shares add up to 100%; their changes in
个百分点 cancel; a structure ratio gives each part's share.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import regex

from .. import patterns
from ..statements import EndingIndex, Statement, find_statements
from .base import RuleKind, Span, fail, hold, mode_problem
from .numeric import Interval, count_interval, display_scale, show, show_scaled, stated
from .scope import same_unit, times_compatible

MODES = ("sum", "shares", "share_changes", "structure", "between", "ratio")
NEAR_SENTENCES = 3
RATIO = patterns.compiled(r"(?<![\d.:])\d{1,3}(?:\.\d+)?(?:\s?[:]\s?\d{1,3}(?:\.\d+)?){1,5}(?![\d.:])")
PREVIOUS = patterns.compiled(r"(?:上年|去年|上一年|前一年|\d{4}年)(?:的|为)?$")


@dataclass(frozen=True)
class Identity:
    whole: tuple[str, ...]
    parts: tuple[tuple[tuple[str, ...], int], ...]  # (aliases, +1 or −1)
    average: bool = False  # `average W = A + B`: W is an average of A and B (per head), not their sum

    @property
    def name(self) -> str:
        return self.whole[0]


@dataclass(frozen=True)
class Ratio:
    """`ratio RATE = COUNT / BASE`: a rate of a year's count over the year's
    (average) base, in percent (‰ are tenths of a percent)."""

    rate: tuple[str, ...]
    count: tuple[str, ...]
    base: tuple[str, ...]


@dataclass(frozen=True)
class Definitions:
    identities: tuple[Identity, ...]
    structures: tuple[tuple[tuple[str, ...], str], ...]  # (words, whole name)
    ratios: tuple[Ratio, ...] = ()

    def __post_init__(self):
        # Keys a cache on every document each rule reads: hashed once, not per lookup.
        object.__setattr__(self, "_hash", hash((self.identities, self.structures, self.ratios)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self):   # a string's hash differs between processes: hash again where unpickled
        return (Definitions, (self.identities, self.structures, self.ratios))


class IdentityError(ValueError):
    pass


@lru_cache(maxsize=8)
def load_definitions(path: str) -> Definitions:
    """Parse an identities file (see rules/identities.txt for the format)."""
    identities, structures, ratios = [], [], []
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("ratio "):
            rate, equals, right = line[len("ratio "):].partition("=")
            count, slash, base = right.partition("/")
            if not equals or not slash or not rate.strip() or not count.strip() or not base.strip():
                raise IdentityError(f"{path}:{number}: a ratio line reads 'ratio RATE = COUNT / BASE'")
            ratios.append(Ratio(_aliases(rate), _aliases(count), _aliases(base)))
            continue
        average = line.startswith("average ")
        if average:
            line = line[len("average "):]
        if line.startswith("structure "):
            words, arrow, whole = line[len("structure "):].partition("->")
            if not arrow or not whole.strip():
                raise IdentityError(f"{path}:{number}: a structure line reads 'structure WORDS -> WHOLE'")
            structures.append((_aliases(words), whole.strip()))
            continue
        whole, equals, right = line.partition("=")
        if not equals or not right.strip():
            raise IdentityError(f"{path}:{number}: an identity reads 'WHOLE = PART + PART − PART'")
        tokens = regex.split(r"\s*([+−-])\s*", " + " + right.strip())
        parts = []
        for sign, names in zip(tokens[1::2], tokens[2::2]):
            if not names.strip():
                raise IdentityError(f"{path}:{number}: a part has no name")
            parts.append((_aliases(names), -1 if sign in "−-" else 1))
        if len(parts) < 2:
            raise IdentityError(f"{path}:{number}: an identity needs two parts or more")
        identities.append(Identity(_aliases(whole), tuple(parts), average))
    known = {identity.name for identity in identities}
    for _, whole in structures:
        if whole not in known:
            raise IdentityError(f"{path}: structure names '{whole}', which no identity has as its first name")
    return Definitions(tuple(identities), tuple(structures), tuple(ratios))


def _aliases(names: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in names.split("|") if name.strip())


def names(indicator: str, aliases: tuple[str, ...]) -> bool:
    """Whether an indicator is one of the names (全年全县生产总值 is 生产总值)."""
    return any(indicator.endswith(alias) for alias in aliases)


def _match_length(indicator: str, aliases: tuple[str, ...]) -> int:
    return max((len(alias) for alias in aliases if indicator.endswith(alias)), default=0)


def _names_part(indicator: str, aliases: tuple[str, ...], identity: "Identity") -> bool:
    """A part's name, matched more closely than the whole's (城镇居民人均收入 is
    the part 城镇居民人均收入, not the whole 居民人均收入)."""
    return _match_length(indicator, aliases) > _match_length(indicator, identity.whole)


def _names_whole(indicator: str, identity: "Identity") -> bool:
    return _match_length(indicator, identity.whole) > max(_match_length(indicator, a) for a, _ in identity.parts)


@dataclass
class Group:
    """One identity as a text states it: the whole's statement and one per part."""

    identity: Identity
    whole: Statement
    parts: list[Statement]


def identity_groups(document, definitions: Definitions) -> list[Group]:
    """Every place where a document states an identity's whole and all its
    parts close together (same paragraph or within a few sentences),
    in one unit, for one place and compatible times. Cached on the document:
    IDN01, IDN02, RAT01 and SHR02 all read them."""
    cache = document.__dict__.setdefault("_identity_groups", {})
    if definitions not in cache:
        cache[definitions] = _identity_groups(document, definitions)
    return cache[definitions]


def _identity_groups(document, definitions: Definitions) -> list[Group]:
    every = [s for s in find_statements(document) if s.indicator]
    plain = [s for s in every if not s.is_per_unit]
    indexes = {True: EndingIndex(every), False: EndingIndex(plain)}
    groups = []
    for identity in definitions.identities:
        index = indexes[identity.average]
        wholes = [s for s in index.ending_with(identity.whole) if _names_whole(s.indicator, identity)]
        if not wholes:
            continue
        nearest = _NearestWhole(wholes)
        owned_per_part = []  # for each part: a whole → the part statements nearest to it
        for aliases, _ in identity.parts:
            owned: dict[int, list[Statement]] = {}
            for statement in index.ending_with(aliases):
                if _names_part(statement.indicator, aliases, identity):
                    owned.setdefault(id(nearest.of(statement)), []).append(statement)
            owned_per_part.append(owned)
        for whole in wholes:
            parts = []
            for owned in owned_per_part:
                candidates = [s for s in owned.get(id(whole), ()) if s is not whole and _near(whole, s)
                              and s.place == whole.place and times_compatible(s.time, whole.time)]
                if not candidates:
                    break
                parts.append(min(candidates, key=lambda s: (abs(s.sentence - whole.sentence), s.start)))
            if len(parts) == len(identity.parts) and len({id(p) for p in parts}) == len(parts):
                groups.append(Group(identity, whole, parts))
    return groups


class _NearestWhole:
    """The whole a part belongs to: the closest, the one before it on a tie;
    a whole in another paragraph counts 100 sentences farther. Only the
    wholes within reach of the nearest by sentence are compared."""

    def __init__(self, wholes: list[Statement]):
        self.wholes = wholes
        self.sentences = [w.sentence for w in wholes]

    def of(self, part: Statement) -> Statement:
        at = bisect.bisect_left(self.sentences, part.sentence)
        closest = min(abs(self.sentences[i] - part.sentence) for i in (at - 1, at) if 0 <= i < len(self.wholes))
        low = bisect.bisect_left(self.sentences, part.sentence - closest - 101)
        high = bisect.bisect_right(self.sentences, part.sentence + closest + 101)
        return min(self.wholes[low:high], key=lambda w: (abs(w.sentence - part.sentence) + (w.paragraph != part.paragraph) * 100,
                                                       w.start > part.start, abs(w.start - part.start)))


def _near(a: Statement, b: Statement) -> bool:
    return a.paragraph == b.paragraph or abs(a.sentence - b.sentence) <= NEAR_SENTENCES


class IdentityKind(RuleKind):
    """Checks definitional identities declared as data.

    `mode: sum`: the whole equals the signed sum of its parts, for each
    stated slot (the value, the change, both ends of a from → to, a change
    in 个百分点), at the stated precision of every figure. `mode: shares`:
    the parts' shares add up to 100%. `mode: share_changes`: their changes
    in 个百分点 cancel. `mode: structure`: a ratio a:b:c after a structure
    word gives the parts' shares (each against its value over the whole's,
    and against the share stated for it). The identities and structure words
    are read from the file named by `identities` (relative to the rule file).

    **Anti-pattern**

        地区生产总值100亿元。其中，第一产业增加值20亿元，第二产业增加值30亿元，第三产业增加值40亿元。

    **Best practice**

        地区生产总值100亿元。其中，第一产业增加值20亿元，第二产业增加值35亿元，第三产业增加值45亿元。
    """

    name = "identity"
    params = {"mode": (str, "sum"), "identities": (str, "../identities.txt")}

    @staticmethod
    def validate_params(params: dict):
        return mode_problem(params, MODES)

    def evaluate(self, rule, documents):
        definitions = load_definitions(str(_definitions_path(rule)))
        mode = rule.params["mode"]
        for document in documents:
            if mode == "structure":
                yield from _structure_outcomes(rule, document, definitions, sums=False)
                continue
            if mode == "shares":
                yield from _structure_outcomes(rule, document, definitions, sums=True)
            if mode == "sum":
                for group in identity_groups(document, definitions):
                    if not group.identity.average:
                        yield from _sum_outcomes(rule, document, group)
                continue
            if mode == "ratio":
                yield from _ratio_outcomes(rule, document, definitions)
                continue
            if mode == "between":
                for group in identity_groups(document, definitions):
                    yield from _between_outcomes(rule, document, group)
                continue
            role = "share" if mode == "shares" else "share_change"
            for identity, parts in part_sets(document, definitions, role):
                if mode == "shares":
                    yield from _shares_outcome(rule, document, identity, parts)
                else:
                    yield from _share_changes_outcome(rule, document, identity, parts)


RULE_KINDS = (IdentityKind,)


def _definitions_path(rule) -> Path:
    return _resolved(rule.params["identities"], rule.source or "")


@lru_cache(maxsize=64)
def _resolved(identities: str, source: str) -> Path:
    path = Path(identities)
    if not path.is_absolute() and source:
        path = Path(source).parent / path
    return path


SLOTS = (("value", "value"), ("origin", "earlier value"), ("change", "change"), ("points", "change in points"))


def _sum_outcomes(rule, document, group: Group):
    for slot, label in SLOTS:
        whole_claim = getattr(group.whole, slot)
        part_claims = [getattr(part, slot) for part in group.parts]
        if whole_claim is None or any(c is None for c in part_claims):
            continue
        if slot in ("value", "origin") and any(c.unit != whole_claim.unit for c in part_claims):
            continue
        signs = [sign * (part.signed(slot) if slot in ("change", "points") else 1)
                 for part, (_, sign) in zip(group.parts, group.identity.parts)]
        whole_sign = group.whole.signed(slot) if slot in ("change", "points") else 1
        total = Interval(Fraction(0), Fraction(0))
        for sign, claim in zip(signs, part_claims):
            interval = count_interval(claim.quantity)
            total = total + (interval if sign > 0 else Interval(-interval.high, -interval.low))
        whole_interval = count_interval(whole_claim.quantity)
        if whole_sign < 0:
            whole_interval = Interval(-whole_interval.high, -whole_interval.low)
        scale = display_scale([c.quantity for c in part_claims + [whole_claim]])
        terms = " ".join(("+ " if s > 0 else "− ") + show_scaled(c.quantity.value, scale)
                         for s, c in zip(signs, part_claims)).removeprefix("+ ")
        middle = sum((s * Fraction(c.quantity.value) for s, c in zip(signs, part_claims)), Fraction(0))
        stated_text = ("−" if whole_sign < 0 else "") + show_scaled(whole_claim.quantity.value, scale)
        spans = [Span(document, whole_claim.start, whole_claim.end, "whole")] + \
                [Span(document, c.start, c.end, "part") for c in part_claims]
        values = {"identity": group.identity.name, "slot": label, "whole": whole_claim.quantity.text,
                  "parts_sum": show_scaled(middle, scale), "stated": stated_text}
        holds = total.meets(whole_interval)
        computation = f"{terms} = {show_scaled(middle, scale)} {'≈' if holds else '≠'} {stated_text}"
        if holds:
            yield hold(rule, values, computation + " ✓", spans)
        else:
            yield fail(rule, values, computation + _admissible(total, scale), spans)


def _between_outcomes(rule, document, group: Group):
    """A whole's growth is a weighted average of its parts' growths (and an
    average's level lies between its parts' levels): it lies between them."""
    slots = [("growth", "growth"), ("average", "average growth")] + \
        ([("value", "level")] if group.identity.average else [])
    for slot, label in slots:
        whole_claim = getattr(group.whole, slot)
        part_claims = [getattr(part, slot) for part in group.parts]
        if whole_claim is None or any(c is None for c in part_claims):
            continue
        if any(c.unit != whole_claim.unit for c in part_claims):
            continue
        def signed(statement, claim):
            interval = stated(claim.quantity)
            return interval if statement.signed(slot) > 0 or slot == "value" else Interval(-interval.high, -interval.low)
        parts = [signed(part, claim) for part, claim in zip(group.parts, part_claims)]
        whole = signed(group.whole, whole_claim)
        low, high = min(p.low for p in parts), max(p.high for p in parts)
        def written(statement, claim):
            sign = "−" if slot in ("growth", "average") and statement.signed(slot) < 0 else ""
            return sign + claim.quantity.text
        texts = sorted(((p.middle, written(s, c)) for p, s, c in zip(parts, group.parts, part_claims)))
        computation = f"{texts[0][1]} ≤ {written(group.whole, whole_claim)} ≤ {texts[-1][1]}"
        spans = [Span(document, whole_claim.start, whole_claim.end, "whole")] + \
                [Span(document, c.start, c.end, "part") for c in part_claims]
        values = {"identity": group.identity.name, "slot": label, "stated": written(group.whole, whole_claim),
                  "low": texts[0][1], "high": texts[-1][1]}
        if whole.high >= low and whole.low <= high:
            yield hold(rule, values, computation + " ✓", spans)
        else:
            yield fail(rule, values, computation.replace("≤", "≰", 1 if whole.high < low else 0)
                       + " (a weighted average lies between its parts)", spans)


CONVERTED = patterns.compiled(r"折合|折算|推算|换算")
YEAR_COUNT = patterns.compiled(r"全年|年内|本年")


def _ratio_outcomes(rule, document, definitions: Definitions):
    """`全年出生人口5709人，出生率为3.73‰` against the year's population: its
    average when its change is stated (比上年末减少1.17万人), else its level."""
    statements = [s for s in find_statements(document) if s.indicator and not s.is_per_unit]
    text = document.text
    for ratio in definitions.ratios:
        for rate in (s for s in statements if names(s.indicator, ratio.rate) and s.value is not None
                     and s.value.unit == "%"):
            lead = text[document.sentences[rate.sentence][0]:rate.value.start]
            if CONVERTED.search(lead):
                continue  # a rate converted from a month's count (折合年粗出生率) is not the count's own
            counts = [s for s in statements if names(s.indicator, ratio.count) and s.value is not None
                      and s.value.is_count and 0 <= rate.sentence - s.sentence <= 1 and s.start < rate.start]
            bases = [s for s in statements if names(s.indicator, ratio.base) and s.value is not None
                     and s.value.is_count and same_unit(s.value, counts[-1].value if counts else s.value)
                     and 0 <= rate.sentence - s.sentence <= 2 * NEAR_SENTENCES and s.start < rate.start]
            if not counts or not bases:
                continue
            count, base = counts[-1], bases[-1]
            if not same_unit(count.value, base.value):
                continue
            level = count_interval(base.value.quantity)
            note = ""
            if base.change is not None and same_unit(base.change, base.value):
                change = count_interval(base.change.quantity)
                signed = change if base.signed("change") > 0 else Interval(-change.high, -change.low)
                level = Interval(level.low - signed.high / 2, level.high - signed.low / 2)
                note = " (the year's average population)"
            if level.low <= 0:
                continue
            computed = (count_interval(count.value.quantity) / level).scale(Fraction(100))
            written = stated(rate.value.quantity)
            middle = Fraction(count.value.quantity.value) / level.middle * 100
            marked = YEAR_COUNT.search(text[document.sentences[count.sentence][0]:count.value.start]) is not None
            spans = [Span(document, count.value.start, count.value.end, "count"),
                     Span(document, base.value.start, base.value.end, "base"),
                     Span(document, rate.value.start, rate.value.end, "rate")]
            values = {"rate": rate.value.quantity.text, "actual": show(middle * 10, 3) + "‰", "identity": ratio.rate[0]}
            computation = (f"{count.value.quantity.text} / {show(level.middle, 0)}{note} = {show(middle * 10, 3)}‰ "
                           f"{'≈' if computed.meets(written) else '≠'} {rate.value.quantity.text}")
            confidence = "high" if marked else "medium"
            if computed.meets(written):
                yield hold(rule, values, computation + " ✓", spans, confidence=confidence)
            else:
                yield fail(rule, values, computation, spans, confidence=confidence)


def _admissible(total: Interval, scale) -> str:
    return f" (the parts allow {show_scaled(total.low, scale)}–{show_scaled(total.high, scale)})"


def part_sets(document, definitions: Definitions, role: str):
    """(identity, parts) for every run of statements that give `role` (a
    share, a change of share) for all the parts of an identity, close
    together, each share of that identity's whole (or of no named whole)."""
    statements = [s for s in find_statements(document) if s.indicator and getattr(s, role) is not None
                  and not s.is_per_unit]
    for identity in definitions.identities:
        def fits(statement, aliases):
            return _names_part(statement.indicator, aliases, identity) and (
                not statement.share_whole or names(statement.share_whole, identity.whole)
                or statement.share_whole in identity.whole)
        for first in (s for s in statements if fits(s, identity.parts[0][0])):
            parts = [first]
            for aliases, _ in identity.parts[1:]:
                candidates = [s for s in statements if fits(s, aliases) and 0 <= s.sentence - first.sentence
                              <= NEAR_SENTENCES and s.start > first.start and s.place == first.place]
                if not candidates:
                    break
                parts.append(min(candidates, key=lambda s: s.start))
            if len(parts) == len(identity.parts):
                yield identity, parts


def _shares_outcome(rule, document, identity: Identity, parts: list[Statement]):
    shares = [part.share for part in parts]
    yield from _hundred(rule, document, identity.name, shares, [stated(s.quantity) for s in shares])


def _hundred(rule, document, name: str, claims, intervals):
    total = Interval(Fraction(0), Fraction(0))
    for interval in intervals:
        total = total + interval
    written = " + ".join(show(Fraction(c.quantity.value)) for c in claims)
    middle = sum((Fraction(c.quantity.value) for c in claims), Fraction(0))
    spans = [Span(document, c.start, c.end, "share") for c in claims]
    values = {"identity": name, "total": show(middle) + "%"}
    if total.contains(Fraction(100)):
        yield hold(rule, values, f"{written} = {show(middle)}% ≈ 100% ✓", spans)
    else:
        yield fail(rule, values, f"{written} = {show(middle)}% ≠ 100% (rounding allows "
                                 f"{show(total.low)}–{show(total.high)}%)", spans)


def _share_changes_outcome(rule, document, identity: Identity, parts: list[Statement]):
    changes = [part.share_change for part in parts]
    total = Interval(Fraction(0), Fraction(0))
    terms, middle = [], Fraction(0)
    for part, change in zip(parts, changes):
        interval = stated(change.quantity)
        sign = part.signed("share_change")
        total = total + (interval if sign > 0 else Interval(-interval.high, -interval.low))
        middle += sign * Fraction(change.quantity.value)
        terms.append(("+" if sign > 0 else "−") + show(Fraction(change.quantity.value)))
    spans = [Span(document, c.start, c.end, "change") for c in changes]
    values = {"identity": identity.name, "total": show(middle)}
    computation = f"{' '.join(terms)} = {show(middle)} 个百分点"
    if total.contains(Fraction(0)):
        yield hold(rule, values, computation + " ≈ 0 ✓ (the shares add up to 100% in both years)", spans)
    else:
        yield fail(rule, values, computation + f" ≠ 0 (rounding allows {show(total.low)}–{show(total.high)})", spans)


@lru_cache(maxsize=256)
def _structure_words(words: tuple[str, ...]):
    return patterns.compiled("|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True)))


def _structure_outcomes(rule, document, definitions: Definitions, sums: bool):
    """Structure ratios: their terms add up to 100 (`sums`), else each term
    against its part's value over the whole's."""
    text = document.text
    by_name = {identity.name: identity for identity in definitions.identities}
    groups = identity_groups(document, definitions)
    for words, whole_name in definitions.structures:
        identity = by_name[whole_name]
        for mention in _structure_words(words).finditer(text):
            sentence = document.sentence_of(mention.start())
            s_start, s_end = document.sentences[sentence]
            for ratio in RATIO.finditer(text, mention.end(), s_end):
                components = _components(ratio)
                if len(components) != len(identity.parts):
                    continue
                claims = [_RatioClaim(document, start, end, value) for start, end, value in components]
                if sums:
                    yield from _hundred(rule, document, identity.name, claims,
                                        [_interval(v) for _, _, v in components])
                    continue
                if PREVIOUS.search(text[max(s_start, ratio.start() - 6):ratio.start()]):
                    continue  # last year's structure: only its sum is checked
                group = next((g for g in groups if g.identity is identity and _near_sentence(g.whole, sentence)), None)
                if group is not None:
                    yield from _structure_against_values(rule, document, group, claims)


def _near_sentence(statement: Statement, sentence: int) -> bool:
    return abs(statement.sentence - sentence) <= 2 * NEAR_SENTENCES


@dataclass(frozen=True)
class _RatioClaim:
    document: object
    start: int
    end: int
    value: Fraction

    @property
    def quantity(self):
        return self

    @property
    def text(self):
        return self.document.text[self.start:self.end]


def _components(ratio) -> list[tuple[int, int, Fraction]]:
    found = []
    for number in regex.finditer(r"\d+(?:\.\d+)?", ratio.group()):
        found.append((ratio.start() + number.start(), ratio.start() + number.end(), Fraction(number.group())))
    return found


def _interval(value: Fraction) -> Interval:
    text = str(float(value))
    decimals = len(text.split(".")[1].rstrip("0")) if "." in text else 0
    half = Fraction(1, 2 * 10 ** decimals)
    return Interval(value - half, value + half)


def _structure_against_values(rule, document, group: Group, components):
    whole = group.whole.value
    if whole is None:
        return
    whole_interval = count_interval(whole.quantity)
    for part, component in zip(group.parts, components):
        value = part.value
        if value is None or value.unit != whole.unit or whole_interval.low <= 0:
            continue
        computed = (count_interval(value.quantity) / whole_interval).scale(Fraction(100))
        share_interval = _interval(component.value)
        middle = Fraction(value.quantity.value) / Fraction(whole.quantity.value) * 100
        spans = [Span(document, value.start, value.end, "part"), Span(document, whole.start, whole.end, "whole"),
                 Span(document, component.start, component.end, "share")]
        values = {"identity": group.identity.name, "part": value.quantity.text, "whole": whole.quantity.text,
                  "share": show(component.value) + "%", "actual": show(middle, 2) + "%"}
        computation = (f"{value.quantity.text} / {whole.quantity.text} = {show(middle, 3)}% "
                       f"{'≈' if computed.meets(share_interval) else '≠'} {show(component.value)}% (structure ratio)")
        if computed.meets(share_interval):
            yield hold(rule, values, computation + " ✓", spans)
        else:
            yield fail(rule, values, computation, spans)
