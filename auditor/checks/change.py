"""The `change` kind: a stated change against the growth rate stated with
it, the two ends of a from → to against the change between them, and
average yearly growth against the ends it joins.

It reads indicator statements (auditor/statements.py): every relation here
is marked by the text (比上年增加…增长, 由…到…减少, 年均增长), so all are
high confidence.
"""

from __future__ import annotations

from fractions import Fraction

import regex

from .. import patterns
from ..statements import find_statements
from .base import RuleKind, Span, fail, hold, mode_problem
from .numeric import Interval, count_interval, display_scale, show, show_scaled, stated

MODES = ("growth", "ends", "average")
YEAR = patterns.compiled(r"^((?:19|20)\d{2})年")
YEAR_ANYWHERE = patterns.compiled(r"(?<![0-9])((?:19|20)\d{2})年")
MAX_YEARS = 30


class ChangeKind(RuleKind):
    """Checks growth rates against the changes and levels stated with them.

    `mode: growth`: `V，比上年增加D，增长r%` gives r ≈ D / (V − D).
    `mode: ends`: `由A…到B` with `增加D`, `增长r%` or `提高p个百分点` gives
    B − A ≈ D, (B − A) / A ≈ r, B − A ≈ p. `mode: average`: `由2010年的A
    增加到2015年的B，年均增长r%` gives A × (1 + r)^5 ≈ B. Every figure is
    taken at its stated precision.

    **Anti-pattern**

        非税收入12万元，比上年增加2万元，增长25%。      (2 / 10 = 20%)

    **Best practice**

        非税收入12万元，比上年增加2万元，增长20%。
    """

    name = "change"
    params = {"mode": (str, "growth")}

    @staticmethod
    def validate_params(params: dict):
        return mode_problem(params, MODES)

    def evaluate(self, rule, documents):
        mode = rule.params["mode"]
        for document in documents:
            statements = find_statements(document)
            for statement in statements:
                if mode == "growth":
                    yield from _growth(rule, document, statement)
                elif mode == "ends":
                    yield from _ends(rule, document, statement)
                else:
                    yield from _average(rule, document, statement, statements)


RULE_KINDS = (ChangeKind,)


def _signed(interval: Interval, sign: int) -> Interval:
    return interval if sign > 0 else Interval(-interval.high, -interval.low)


def _corners(function, *intervals: Interval) -> Interval | None:
    """The range of a function monotone in each argument, from its corners."""
    values = []

    def walk(chosen, rest):
        if not rest:
            try:
                values.append(function(*chosen))
            except ZeroDivisionError:
                return
            return
        for end in (rest[0].low, rest[0].high):
            walk(chosen + [end], rest[1:])

    walk([], list(intervals))
    return Interval(min(values), max(values)) if len(values) == 2 ** len(intervals) else None


def _growth(rule, document, statement):
    value, change, growth = statement.value, statement.change, statement.growth
    if value is None or change is None or growth is None or statement.origin is not None:
        return
    if value.unit != change.unit or statement.basis_year or statement.has_real_growth:
        return
    sign = statement.signed("change")
    level, delta = count_interval(value.quantity), _signed(count_interval(change.quantity), sign)
    computed = _corners(lambda v, d: d / (v - d) * 100, level, delta)
    if computed is None or level.low <= delta.high:
        return
    rate = _signed(stated(growth.quantity), statement.signed("growth"))
    previous = Fraction(value.quantity.value) - sign * Fraction(change.quantity.value)
    if previous <= 0:
        return
    middle = sign * Fraction(change.quantity.value) / previous * 100
    scale = display_scale([value.quantity, change.quantity])
    written = ("−" if statement.signed("growth") < 0 else "") + growth.quantity.text
    computation = (f"{'−' if sign < 0 else ''}{show_scaled(change.quantity.value, scale)} / "
                   f"({show_scaled(value.quantity.value, scale)} {'+' if sign < 0 else '−'} "
                   f"{show_scaled(change.quantity.value, scale)}) = {show(middle, 3)}%")
    values = {"indicator": statement.indicator, "growth": written, "actual": show(middle, 2) + "%"}
    spans = [Span(document, value.start, value.end, "value"), Span(document, change.start, change.end, "change"),
             Span(document, growth.start, growth.end, "growth")]
    if computed.meets(rate):
        yield hold(rule, values, f"{computation} ≈ {written} ✓", spans)
    else:
        yield fail(rule, values, f"{computation} ≠ {written}", spans)


def _ends(rule, document, statement):
    origin, value = statement.origin, statement.value
    if origin is None or value is None or origin.unit != value.unit:
        return
    start, end = count_interval(origin.quantity), count_interval(value.quantity)
    difference = end - start
    middle = Fraction(value.quantity.value) - Fraction(origin.quantity.value)
    scale = display_scale([origin.quantity, value.quantity])
    ends = f"{show_scaled(value.quantity.value, scale)} − {show_scaled(origin.quantity.value, scale)}"
    spans = [Span(document, origin.start, origin.end, "from"), Span(document, value.start, value.end, "to")]
    values = {"indicator": statement.indicator}
    for role in ("change", "points"):
        claim = getattr(statement, role)
        if claim is None or (role == "change" and claim.unit != value.unit):
            continue
        sign = statement.signed(role)
        expected = _signed(stated(claim.quantity), sign)
        written = ("−" if sign < 0 else "") + claim.quantity.text
        values.update(stated=written, actual=show_scaled(middle, scale))
        computation = f"{ends} = {show_scaled(middle, scale)}"
        outcome_spans = spans + [Span(document, claim.start, claim.end, role)]
        if difference.meets(expected):
            yield hold(rule, values, f"{computation} ≈ {written} ✓", outcome_spans)
        else:
            yield fail(rule, values, f"{computation} ≠ {written}", outcome_spans)
    growth = statement.growth
    if growth is not None and value.unit != "%" and start.low > 0 and not statement.has_real_growth:
        computed = _corners(lambda a, b: (b - a) / a * 100, start, end)
        rate = _signed(stated(growth.quantity), statement.signed("growth"))
        actual = middle / Fraction(origin.quantity.value) * 100
        written = ("−" if statement.signed("growth") < 0 else "") + growth.quantity.text
        values.update(stated=written, actual=show(actual, 2) + "%")
        computation = f"({ends}) / {show_scaled(origin.quantity.value, scale)} = {show(actual, 3)}%"
        outcome_spans = spans + [Span(document, growth.start, growth.end, "growth")]
        if computed is not None and computed.meets(rate):
            yield hold(rule, values, f"{computation} ≈ {written} ✓", outcome_spans)
        elif computed is not None:
            yield fail(rule, values, f"{computation} ≠ {written}", outcome_spans)


def _year(time: str) -> int | None:
    match = YEAR.match(time or "")
    return int(match.group(1)) if match else None


def _period_before(statement, statements) -> tuple[int, int, str] | None:
    """The years of the nearest earlier from → to of the same paragraph
    (`由2010年的…增加到2015年的…` before `公共预算支出由…增加到…，年均增长…`),
    with the confidence of the reading: high within one sentence (the text
    leaves the years out of a list of such figures), medium across sentences."""
    for other in reversed(statements[:statements.index(statement)]):
        if other.paragraph != statement.paragraph:
            return None
        confidence = "high" if other.sentence == statement.sentence else "medium"
        if other.origin is not None and other.value is not None and _year(other.origin.time) and _year(other.value.time):
            return _year(other.origin.time), _year(other.value.time), confidence
        if other.basis_year and other.value is not None and _year(other.value.time):
            return int(other.basis_year), _year(other.value.time), confidence
    return None


def _year_span(document, claim) -> tuple[int, int] | None:
    """Where the year of a claim is written, when its own clause writes it (`由2010年的…`)."""
    year = YEAR.match(claim.time or "")
    if year is None:
        return None
    s_start, _ = document.sentences[claim.sentence]
    position = document.text.rfind(year.group(), s_start, claim.start)
    if position < 0 or regex.search(r"[0-9.]+[\p{Han}%]", document.text[position + len(year.group()):claim.start]):
        return None  # the year belongs to an earlier figure of the sentence
    return position, position + len(year.group())


def _own_year(document, claim) -> bool:
    return _year_span(document, claim) is not None


def _sentence_year_after(document, claim, basis: int) -> int | None:
    """`2015年城镇…比2010年增加…；农村…比2010年增加…`: the sentence's own year
    after the basis, written before the figure."""
    s_start, _ = document.sentences[claim.sentence]
    years = [int(m.group(1)) for m in YEAR_ANYWHERE.finditer(document.text, s_start, claim.start)]
    later = [year for year in years if year > basis]
    return later[0] if len(set(later)) == 1 else None


FOUR_DIGIT_YEAR = patterns.compiled(r"(?<![0-9.])([0-9]{4})年(?:底|末|初)?的?$")


def _impossible_year(document, first, last) -> tuple[int, int] | None:
    """`由3010年的A增加到2015年的B`: a year written at an end of a period that no report can mean."""
    for claim, start in ((first, document.sentences[first.sentence][0]), (last, first.end)):
        match = FOUR_DIGIT_YEAR.search(document.text, max(start, claim.start - 12), claim.start)
        if match is not None and not 1900 <= int(match.group(1)) <= 2100:
            return match.start(1), match.end(1) + 1
    return None


def impossible_year_outcome(rule, document, statement, span, average):
    written = document.text[span[0]:span[1]]
    spans = [Span(document, span[0], span[1], "year"), Span(document, average.start, average.end, "average")]
    values = {"indicator": statement.indicator, "stated": written, "actual": "", "years": ""}
    yield fail(rule, values, f"{written}: no year a period can start or end in", spans)


def _backwards(rule, document, statement, first, last, spans):
    """`由2025年的…增加到2015年的…`: a period whose start is after its end."""
    for claim in (first, last):
        span = _year_span(document, claim)
        spans.append(Span(document, span[0], span[1], "year"))
    values = {"indicator": statement.indicator, "stated": first.time + " → " + last.time, "actual": "",
              "years": _year(last.time) - _year(first.time)}
    yield fail(rule, values, f"{first.time} → {last.time}: the period runs backwards "
                             f"({_year(last.time) - _year(first.time)} years)", spans)


def _average(rule, document, statement, statements):
    average = statement.average
    if average is None:
        return
    confidence = "high"
    value = statement.value
    if statement.origin is not None and value is not None:
        first, last = statement.origin, value
        impossible = _impossible_year(document, first, last)
        if impossible is not None:
            yield from impossible_year_outcome(rule, document, statement, impossible, average)
            return
        start = count_interval(first.quantity)
        start_value = Fraction(first.quantity.value)
        years = (_year(last.time) or 0) - (_year(first.time) or 0) if _year(first.time) and _year(last.time) else 0
        spans = [Span(document, first.start, first.end, "from"), Span(document, last.start, last.end, "to")]
        if years < 0 and _own_year(document, first) and _own_year(document, last):
            yield from _backwards(rule, document, statement, first, last, spans + [Span(document, average.start,
                                                                                               average.end, "average")])
            return
        if years <= 0:  # no years of its own (a year inherited from earlier in the sentence gives both ends one)
            period = _period_before(statement, statements)
            if period is not None:
                years, confidence = period[1] - period[0], period[2]  # the period stated before it
        start_text = first.quantity.text
    elif value is not None and statement.change is not None and statement.basis_year:
        last, change = value, statement.change
        end_year = _year(value.time)
        if end_year is None or end_year <= int(statement.basis_year):  # none, or a basis year read as its time
            end_year = _sentence_year_after(document, value, int(statement.basis_year))
        if end_year is None:
            period = _period_before(statement, statements)
            if period is None or period[0] != int(statement.basis_year):
                return
            end_year, confidence = period[1], period[2]  # the end year stated before it, same basis
        if change.unit != value.unit:
            return
        sign = statement.signed("change")
        start = count_interval(value.quantity) - _signed(count_interval(change.quantity), sign)
        start_value = Fraction(value.quantity.value) - sign * Fraction(change.quantity.value)
        years = end_year - int(statement.basis_year)
        spans = [Span(document, value.start, value.end, "to"), Span(document, change.start, change.end, "change")]
        start_text = f"{value.quantity.text} {'+' if sign < 0 else '−'} {change.quantity.text}"
    else:
        return
    if not 1 <= years <= MAX_YEARS or start.low <= 0 or last.unit == "%":
        return
    end = count_interval(last.quantity)
    rate = _signed(stated(average.quantity), statement.signed("average"))
    reached = Interval(start.low * (1 + rate.low / 100) ** years, start.high * (1 + rate.high / 100) ** years)
    actual = (float(Fraction(last.quantity.value) / start_value) ** (1 / years) - 1) * 100
    written = ("−" if statement.signed("average") < 0 else "") + average.quantity.text
    computation = f"({last.quantity.text} / {start_text})^(1/{years}) − 1 = {actual:.3f}%"
    values = {"indicator": statement.indicator, "stated": written, "actual": f"{actual:.2f}%", "years": years}
    spans.append(Span(document, average.start, average.end, "average"))
    if reached.meets(end):
        yield hold(rule, values, f"{computation} ≈ {written} ✓", spans, confidence=confidence)
    else:
        yield fail(rule, values, f"{computation} ≠ {written}", spans, confidence=confidence)
