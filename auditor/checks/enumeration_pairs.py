"""Counts the text pairs with what follows: names paired with values by
分别 (`甲、乙、丙分别增长3%、5%、7%`), and a count of sections announced
before its headings (`重点抓好以下八个方面…（一）…（八）`)."""

from __future__ import annotations

import bisect


from .. import patterns
from .base import Span, fail, hold
from .enumeration_markers import find_marker_runs, numeral_value
from .scope import scan_timeout

VALUE_JOINERS = ("、", "和", "及", "与", ",")
READINGS = (r"(、|和|及|与)", r"(、|和)", r"(、|及)", r"(、)")


def respectively_outcomes(rule, document):
    """`A、B、C…分别…v1、v2、v3`: as many names as values (one value may
    stand for all: `分别增加2个`)."""
    params = rule.params
    text = document.text
    word = patterns.compiled(params["respectively_pattern"])
    boundary = patterns.compiled(params["boundary_pattern"])
    for match in word.finditer(text, timeout=scan_timeout(text)):
        start = match.start()
        list_start = start
        while list_start > 0 and not boundary.match(text[list_start - 1]) and start - list_start < 120:
            list_start -= 1
        region = text[list_start:start]
        values = _values_after(document, match.end())
        if not values:
            continue
        # 和/及 may join names or words within one name (家居设备及服务): try both readings
        readings = [names for names in (_names(region, params, separators) for separators in READINGS)
                    if names is not None]
        if not readings:
            continue
        names = next((names for names in readings if len(names) == len(values)), readings[0])
        if len(values) == 1:
            # `A、B、C分别增加2个`: one value said of each name
            shown = ", ".join(name for _, _, name in names)
            spans = [Span(document, list_start + names[0][0], list_start + names[-1][1], "items"),
                     Span(document, values[0].start, values[0].end, "values")]
            vals = {"stated": "1 value", "stated_value": 1, "listed": len(names), "items": shown}
            yield hold(rule, vals, f"分别 gives each of {len(names)} names ({shown}) {values[0].quantity.text} ✓",
                       spans, confidence="medium")
            continue
        spans = [Span(document, list_start + names[0][0], list_start + names[-1][1], "items"),
                 Span(document, values[0].start, values[-1].end, "values")]
        shown = ", ".join(name for _, _, name in names)
        figures = ", ".join(value.quantity.text for value in values)
        vals = {"stated": f"{len(values)} values", "stated_value": len(values), "listed": len(names), "items": shown}
        if len(names) == len(values):
            yield hold(rule, vals, f"分别 pairs {len(names)} names ({shown}) with {len(values)} values ({figures}) ✓",
                       spans)
        else:
            yield fail(rule, vals, f"分别 pairs {len(names)} names ({shown}) with {len(values)} values ({figures})",
                       spans, confidence="medium")


def _names(region: str, params: dict, separators: str):
    """The names before 分别: `、`/和-separated, the last cut at 等 or at the
    noun they share (`食品、石化、医药、信息等产业增加值` → four names)."""
    lead = patterns.match(params["lead_pattern"], region)
    if lead is not None and lead.end() < len(region):
        offset, region = lead.end(), region[lead.end():]
    else:
        offset = 0
    pieces = patterns.split(separators, region)
    if len(pieces) < 3:
        return None
    names, position = [], offset
    for index in range(0, len(pieces), 2):
        piece = pieces[index]
        if index + 1 < len(pieces):
            joiner = pieces[index + 1]
        else:
            joiner = ""
        names.append((position, position + len(piece), piece))
        position += len(piece) + len(joiner)
    start, end, last = names[-1]
    cut = min((i for i in (last.find("等"), last.find("的")) if i > 0), default=-1)
    if cut > 0:
        names[-1] = (start, start + cut, last[:cut])
    if any(not name or len(name) > params["max_item_chars"] or not patterns.fullmatch(r"[\p{Han}A-Za-z0-9()]+", name)
           for _, _, name in names):
        return None
    return names


def _values_after(document, position: int) -> list:
    """The figures right after 分别, joined by 、 和 及 (in one clause)."""
    text = document.text
    sentence = document.sentence_of(position)
    claims = [c for c in document.by_sentence.get(sentence, []) if c.start >= position]
    values, previous_end = [], position
    for claim in claims:
        gap = text[previous_end:claim.start]
        if values and gap not in VALUE_JOINERS:
            break
        if not values and (len(gap) > 10 or patterns.search(r"[,;:。]", gap)):
            break
        values.append(claim)
        previous_end = claim.end
    return values


def heading_outcomes(rule, document):
    """`以下八个方面` or `八个方面：` followed by a run of headings (一)…(八)."""
    params = rule.params
    text = document.text
    runs = [markers for markers, problems in find_marker_runs(text, params) if not problems and len(markers) >= 2]
    runs.sort(key=lambda markers: markers[0].start)
    run_starts = [markers[0].start for markers in runs]
    for match in patterns.finditer(params["heading_count_pattern"], text, timeout=scan_timeout(text)):
        stated = numeral_value(match.group("number"))
        if stated is None or not 2 <= stated <= params["max_count"]:
            continue
        index = bisect.bisect_left(run_starts, match.end())
        following = runs[index] if index < len(runs) else None
        if following is None or following[0].start - match.end() > params["max_heading_gap"]:
            continue
        # announced: 以下/如下, or the headings begin right after the sentence that counts them
        between = text[match.end():following[0].start]
        announced = bool(match.group("announce")) or patterns.fullmatch(r"[^。！？!?\n]{0,30}[。:：!！]?\s*", between)
        spans = [Span(document, match.start("number"), match.end(), "count")] + \
                [Span(document, m.start, m.end, "marker") for m in following]
        listed = len(following)
        vals = {"stated": match.group().strip(), "stated_value": stated, "listed": listed,
                "items": f"{following[0].text}…{following[-1].text}"}
        computation = f"{listed} headings ({following[0].text}…{following[-1].text})"
        if listed == stated:
            yield hold(rule, vals, f"{computation} = {match.group('number')}{match.group('counter')} ✓", spans,
                       confidence="high" if announced else "medium")
        else:
            yield fail(rule, vals, f"{computation} ≠ {match.group('number')}{match.group('counter')}", spans,
                       confidence="high" if announced else "medium")
