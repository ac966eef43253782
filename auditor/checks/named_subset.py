"""The `named_subset` kind: a part known by its name alone.

- `mode: sample`: what an audit or an inspection sampled (`抽查财政扶贫资金
  5911万元`, `抽查了30个贫困村`) lies within the stock of the same name the
  text states (`共投入财政扶贫资金1.08亿元`, `贫困村48个`).
- `mode: qualified`: an indicator narrowed by a qualifier (`工业固定资产投资`)
  lies within the whole a prefix marks as all-embracing (`全社会固定资产投资`),
  for one place and time.

Both relations are inferred from names, so they are medium confidence: a
mismatch is shown as information, never as an error.
"""

from __future__ import annotations

from .. import patterns
from ..statements import counted_name, find_statements, indicators_alike, is_change
from .base import RuleKind, Span, fail, hold, mode_problem
from .numeric import count_interval, display_scale, show_scaled
from .period import marks_period
from .scope import same_unit, times_compatible

MODES = ("sample", "qualified")


class NamedSubsetKind(RuleKind):
    """A sampled figure within the stock of its name (`mode: sample`), or a
    qualified indicator within its all-embracing whole (`mode: qualified`).

    **Anti-pattern**

        共投入财政扶贫资金3000万元。……抽查财政扶贫资金3500万元。

    **Best practice**

        共投入财政扶贫资金3000万元。……抽查财政扶贫资金1200万元。
    """

    name = "named_subset"
    params = {"mode": (str, "sample"),
              "sample_pattern": (str, r"抽查了?|抽取了?|抽样|抽检|随机抽查|重点抽查"),
              "whole_prefix_pattern": (str, r"全社会|全口径|全部"),
              "period_pattern": (str, r"五年|三年|十年|“十[一二三四五六七八九]五”|累计|年来"),
              "min_name_chars": (int, 2)}

    @staticmethod
    def validate_params(params: dict):
        return mode_problem(params, MODES)

    def evaluate(self, rule, documents):
        for document in documents:
            if rule.params["mode"] == "sample":
                pairs = _samples(document, rule.params)
            else:
                pairs = _qualified(document, rule.params)
            for part, whole, name in pairs:
                yield _outcome(rule, document, part, whole, name)


RULE_KINDS = (NamedSubsetKind,)


def _counts(document):
    """(statement, name) for each statement whose value is a total (no change, no per-unit figure)."""
    text = document.text
    for statement in find_statements(document):
        value = statement.value
        if value is None or not value.is_count or statement.is_per_unit:
            continue
        if is_change(text[max(0, value.start - 12):value.start]):
            continue
        yield statement, counted_name(document, statement)


def _samples(document, params):
    sample = patterns.compiled(params["sample_pattern"])
    text = document.text
    sampled, stocks = [], []
    for statement, name in _counts(document):
        value = statement.value
        clause = text[document.sentences[statement.sentence][0]:value.start]
        clause = patterns.split(r"[,;:]", clause)[-1]
        marked = sample.search(clause)
        if marked is not None:
            in_name = sample.search(name)
            sampled.append((statement, name[in_name.end():] if in_name else name))
        else:
            stocks.append((statement, name))
    stocks = [(s, n) for s, n in stocks if len(n) >= params["min_name_chars"]]
    for statement, name in sampled:
        if len(name) < params["min_name_chars"]:
            continue

        def alike(pair):
            stock, stock_name = pair
            return (stock.place == statement.place and same_unit(stock.value, statement.value)
                    and indicators_alike(stock_name, name))

        # the last alike stock before the sample, else the first alike one: each search stops at its find
        stock = next((pair for pair in reversed(stocks) if pair[0].start < statement.start and alike(pair)), None)
        if stock is None:
            stock = next((pair for pair in stocks if alike(pair)), None)
        if stock is None:
            continue
        yield statement.value, stock[0].value, name


def _qualified(document, params):
    prefix = patterns.compiled(params["whole_prefix_pattern"])
    period = patterns.compiled(params["period_pattern"])
    counts = list(_counts(document))
    wholes = [(s, s.indicator[m.end():]) for s, _ in counts if (m := prefix.search(s.indicator))]
    # a part's name ends with its whole's tail (3 characters or more): bucket the counts by their last three
    by_ending: dict[str, list] = {}
    for statement, _ in counts:
        by_ending.setdefault(statement.indicator[-3:], []).append(statement)
    for whole, tail in wholes:
        if len(tail) < 3:
            continue
        whole_period = marks_period(document, whole, period)
        for part in by_ending.get(tail[-3:], ()):
            name = part.indicator
            if part is whole or prefix.search(name) or not name.endswith(tail) or len(name) <= len(tail):
                continue
            if not same_unit(part.value, whole.value) or part.place != whole.place:
                continue
            if not times_compatible(part.value.time, whole.value.time):
                continue
            if part.paragraph != whole.paragraph and not (whole_period and marks_period(document, part, period)):
                continue
            yield part.value, whole.value, name


def _outcome(rule, document, part, whole, name):
    spans = [Span(document, whole.start, whole.end, "whole"), Span(document, part.start, part.end, "part")]
    values = {"part": part.quantity.text, "whole": whole.quantity.text, "name": name}
    scale = display_scale([part.quantity, whole.quantity])
    part_shown, whole_shown = show_scaled(part.quantity.value, scale), show_scaled(whole.quantity.value, scale)
    if count_interval(part.quantity).low <= count_interval(whole.quantity).high:
        return hold(rule, values, f"{part_shown} ≤ {whole_shown} ({name}) ✓", spans, confidence="medium")
    return fail(rule, values, f"{part_shown} > {whole_shown} ({name})", spans, confidence="medium")
