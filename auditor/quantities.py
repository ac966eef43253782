"""Quantities: text → Quantity(value, qualifier, bounds, unit, span).

`extract_quantities(text)` reads normalized text (Simplified, half width)
and returns every numeric claim in it, in order. Values are in the base
unit as written: `12.3456万人` is 123456 人, `58.37亿元` is 5837000000 元.

Qualifiers and the bounds they allow (`low`, `high`):
- exact: low = high = value.
- over (余 多 几 超过 以上 逾 多于 上万): low = value, high = value + the
  place value of the last non-zero digit (1800余 → [1800, 1900);
  1.2万余 → [12000, 13000); 10多万 → [100000, 200000)).
- approx, "near" (近 将近 接近): [0.9·value, value].
- approx, "about" (约 大约 约为 左右 上下 来): [0.9·value, 1.1·value].
- under (不到 不足 以下 低于 少于): [0, value].
- range (3至5万, 3-5万, 三到五万, 二三十): value = low, high as stated.

Not quantities (nothing is returned for them): dates and years, times,
phone numbers, e-mail addresses, URLs, codes with Latin letters, list
markers, ordinals (第7次), numbers inside short quoted names (“32211”,
“八个坚持”: a quotation of at most 10 characters), the set phrases of
`data/numeral_words.txt`, and Chinese numerals that merely sit in a word: a
Chinese numeral counts when it has two or more characters or a unit follows
it, and a lone 一 only before a measuring unit (一吨, not 一批).
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import regex

from . import patterns
from . import numbers
from .nonquantities import non_quantity_spans
from .units import unit_kind, unit_table
from .userfiles import load_yaml


@dataclass(frozen=True, slots=True)  # slots: records of large runs keep many
class Quantity:
    """A numeric claim as written.

    `start`/`end` are code-point offsets into the text given (end exclusive)
    and `text` is that slice. `value` is in `unit` (percent units for "%").
    `qualifier` is exact, approx (约/近/左右), over (余/多/超过/以上),
    under (不到/以下) or range (3至5万); `low`/`high` bound the true value
    it allows. `step` is the place value of the last stated digit (1 for
    80%, 10000 for 8万), so the stated precision is ±step/2.
    """

    text: str
    start: int
    end: int
    value: Decimal
    unit: str | None
    qualifier: str
    low: Decimal
    high: Decimal
    step: Decimal
    number_text: str = ""


# Bounded: converters leave a few stray spaces, and an unbounded run of
# spaces would make every search position rescan it.
SP = "[ \\t]{0,4}"
_CN_DIGITS = "零〇一二三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖廿"
_UNIT_PREFIXED = "瓦米克卡伏帕比字焦赫"  # 千米, 兆瓦: a prefix, not a magnitude
# ASCII digits only: NFKC has mapped full-width ones, and other scripts' digits are no figures here.
_ARABIC = (
    r"(?<![0-9])(?<![0-9],)(?<![0-9]\.)(?:[0-9]+(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9,])|[0-9]+(?:\.[0-9]+)?(?![0-9]))"
    r"|(?<![0-9.])\.[0-9]+(?![0-9])"
)
_MAGNITUDE = f"(?:[万亿萬億]|兆(?![{_UNIT_PREFIXED}]))"
_CN_TOKEN = (
    f"(?:[{_CN_DIGITS}]|[十拾百佰]|[千仟](?![{_UNIT_PREFIXED}])|{_MAGNITUDE}"
    f"|[点點](?={SP}[{_CN_DIGITS}\\d]))"
)
_TWO = f"[两兩俩倆](?={SP}(?:[十拾百佰千仟]|{_MAGNITUDE}))"
_FIRST = f"(?:{_ARABIC}|[{_CN_DIGITS}]|[十拾百佰]|[千仟](?![{_UNIT_PREFIXED}])|[两兩俩倆])"
_NEXT = f"(?:{_ARABIC}|{_CN_TOKEN}|{_TWO}|[多余几](?={SP}{_MAGNITUDE}))"
RUN = f"(?:(?:(?<![减担胜自抱欺辜正])负|(?<![A-Za-z0-9_-])-){SP})?{_FIRST}(?:{SP}{_NEXT}){{0,40}}"

WORDS_FILE = Path(__file__).with_name("data") / "quantities.yaml"
_WORDS = load_yaml(WORDS_FILE.read_text(encoding="utf-8"))
_PRE = _WORDS["qualifiers_before"]
_POST = _WORDS["qualifiers_after"]
_RANGE_DASH = "至|到|~|-|—|–|－"
# Words that start with a qualifier or a unit character but are neither:
# 最近/附近 (近), 签约/节约 (约), 市场/县域/家庭 (市, 县, 家), 余额 (余).
_PRE_NOT_AFTER = _WORDS["qualifier_not_after"]
_UNIT_NOT_BEFORE = _WORDS["unit_not_before"]
_SIGN_UNITS = _WORDS["sign_units"]
# Compiled once: characters a numeral is read without, and magnitudes.
_DROP_SPACE_MORE = str.maketrans("", "", " \t多余")
_DROP_SPACE_SIGN = str.maketrans("", "", " \t负-")
_TRAILING_MAGNITUDE = patterns.compiled(f"{_MAGNITUDE}+$")
_ANY_MAGNITUDE = patterns.compiled(_MAGNITUDE)


@lru_cache(maxsize=1)
def _quantity_pattern():
    symbols = sorted(unit_table(), key=len, reverse=True)
    unit_alternatives = "|".join(map(_unit_alternative, symbols))
    pre = "|".join(
        (f"(?<![{_PRE_NOT_AFTER[word]}])" if word in _PRE_NOT_AFTER else "") + word
        for word in sorted(_PRE, key=len, reverse=True)
    )
    return patterns.compiled(
        rf"""
        (?P<pre>{pre})?{SP}
        (?:
            (?P<bare_pre>近|将近|接近|上)(?P<bare>[十百千万亿])(?={SP}(?:{unit_alternatives}))
          | (?P<pct>[百佰千仟万萬]+){SP}分{SP}之{SP}(?P<pnum>{RUN})
          | (?:(?P<whole>{RUN}){SP}又{SP})?(?P<den>{RUN}){SP}分{SP}之{SP}(?P<numer>{RUN})
          | (?P<currency>[¥$])?(?P<num>{RUN})(?:{SP}(?:{_RANGE_DASH}){SP}(?P<num2>{RUN}))?
        )
        (?:{SP}(?P<inner>余(?![额下量粮款热])|多|几|来(?={SP}(?:{unit_alternatives}))))?
        (?:{SP}(?P<unit>{unit_alternatives}|%|‰)(?P<half>半)?)?
        (?P<post>{SP}(?:以上|以下|左右|上下(?!\p{{Han}})|之多))?
        """,
        regex.VERBOSE,
    )


def _unit_alternative(symbol: str) -> str:
    if symbol.isascii():
        return regex.escape(symbol) + "(?![A-Za-z])"
    written = SP.join(map(regex.escape, symbol))
    if symbol in _UNIT_NOT_BEFORE:
        written += f"(?![{_UNIT_NOT_BEFORE[symbol]}])"
    return written


# Every quantity holds one of these characters (a digit, a numeral, a magnitude,
# a sign), and at most _ANCHOR_REACH characters of it (a qualifier, spaces, a
# currency sign) come before the first: the pattern is tried only there.
_ANCHOR = patterns.compiled(f"[0-9.\\-负{_CN_DIGITS}十拾百佰千仟两兩俩倆万亿萬億兆]")
_ANCHOR_REACH = 12
# what may come before that first character: a qualifier (约, 超过), 近/上 before a bare 万, spaces, a currency sign
_LEADING_CHARS = frozenset("".join(_PRE) + "近将接上" + " \t¥$")


def extract_quantities(text: str) -> list[Quantity]:
    """Every quantity stated in the normalized `text`, in order of position."""
    pattern = _quantity_pattern()
    blocked = non_quantity_spans(text)
    found: list[Quantity] = []
    position = 0
    while True:
        match = _next_match(pattern, text, position)
        if match is None:
            return found
        quantity, resume = _read_match(text, match, blocked)
        if quantity is not None:
            found.append(quantity)
        position = max(resume, match.start() + 1)


def _next_match(pattern, text: str, position: int):
    """= pattern.search(text, position), trying only the positions within reach
    of a numeral character instead of every character of the text."""
    while True:
        anchor = _ANCHOR.search(text, position)
        if anchor is None:
            return None
        at = first = anchor.start()
        limit = max(position, at - _ANCHOR_REACH)
        while first > limit and text[first - 1] in _LEADING_CHARS:
            first -= 1
        for start in range(first, at + 1):
            match = pattern.match(text, start)
            if match is not None:
                return match
        position = at + 1


def _overlaps(blocked: tuple[list[int], list[int]], start: int, end: int) -> bool:
    starts, reach = blocked
    index = bisect_right(starts, end - 1) - 1
    return index >= 0 and reach[index] > start


def _read_match(text, match, blocked):
    """Turn one regex match into a Quantity, or None; also say where to go on."""
    unit = _clean(match["unit"]) if match["unit"] else None
    if unit is None and match["currency"]:
        unit = _SIGN_UNITS[match["currency"]]
    if match["bare"]:
        return _bare_magnitude(text, match, unit), match.end()
    if match["pnum"] is not None:
        return _percent(text, match, blocked), match.end()
    if match["den"] is not None:
        return _fraction(text, match, blocked), match.end()
    num_start, num_end = match.span("num")
    if _overlaps(blocked, num_start, num_end):
        return None, num_end
    numeral_text = match["num"]
    reading = _read_prefix(numeral_text)
    if reading is None:
        return None, num_end
    numeral, used = reading
    if used < len(numeral_text):
        # Only a prefix reads as a numeral (五十千): keep it, go on after it.
        if not _counts(numeral_text[:used], None):
            return None, num_start + used
        return _quantity(text, match.start(), num_start + used, numeral_text[:used], numeral,
                         None, match["pre"], None, None, None), num_start + used
    if match["num2"] is not None:
        return _range(text, match, blocked, numeral, unit)
    if not _counts(numeral_text, unit):
        return None, num_end
    return _quantity(text, match.start(), match.end(), numeral_text, numeral, unit,
                     match["pre"], match["inner"] or _inner_marker(numeral_text),
                     match["post"], match["half"]), match.end()


def _clean(fragment: str | None) -> str | None:
    # Interned: a unit is one of a few hundred words, said thousands of times.
    return sys.intern(fragment.replace(" ", "").replace("\t", "")) if fragment else fragment


def _inner_marker(numeral_text: str) -> str | None:
    for marker in ("多", "余", "几"):
        if marker in numeral_text:
            return marker
    return None


@lru_cache(maxsize=4096)
def _read_prefix(numeral_text: str):
    """The numeral read from the longest readable prefix, and its length."""
    candidate = numeral_text
    while candidate:
        cleaned = candidate.translate(_DROP_SPACE_MORE).replace("几", "")
        if cleaned and cleaned not in ("-", "负"):
            # Two neighbouring non-zero digits never occur in a numeral
            # written in full: they are a range (二三十) or a digit string.
            adjacent = numbers.read_adjacent_range(cleaned) if candidate == numeral_text else None
            if adjacent is not None:
                return adjacent, len(candidate)
            try:
                return numbers.read_numeral(cleaned), len(candidate)
            except ValueError:
                pass
        candidate = candidate[:-1].rstrip(" \t")
    return None


_FINANCIAL_ONLY = set("壹贰叁肆伍陆柒捌玖拾佰仟")
_DIGIT_CHARS = set("零〇一二三四五六七八九两壹贰叁肆伍陆柒捌玖十拾廿")


def _counts(numeral_text: str, unit: str | None) -> bool:
    """Whether a numeral with this unit states a quantity (see module doc)."""
    core = numeral_text.translate(_DROP_SPACE_SIGN)
    if any(c.isdigit() and c.isascii() for c in core):
        return True
    if not any(c in _DIGIT_CHARS for c in core):
        return False  # 百, 千万: a bare magnitude is a word, not a number
    if len(core) == 1:
        if core in _FINANCIAL_ONLY or unit is None:
            return False
        if core == "一":
            return unit_kind(unit) == "measure" or unit == "%"
        return True
    if all(c in numbers.DIGIT_VALUES or c == "〇" for c in core):
        # 一一, 二〇一八: a name or a year; 三五 alone is a range only with a unit.
        return unit is not None and numbers.ADJACENT_DIGITS.fullmatch(core) is not None
    return True


def _quantity(text, start, end, numeral_text, numeral, unit, pre, inner, post, half,
              qualifier_override=None):
    if unit in _SCALED_UNITS:
        unit, scale = _SCALED_UNITS[unit]
        numeral = _scaled(numeral, scale)
    if isinstance(numeral, numbers.RangeReading):
        return _make(text, start, end, numeral_text, numeral.low.value, unit, "range",
                     numeral.low.value, numeral.high.value, numeral.high.step)
    value, step, last_place = numeral.value, numeral.step, numeral.last_place
    if half:
        value, step = value + Decimal("0.5"), Decimal("0.5")
    kind = qualifier_override or _qualifier_kind(pre, inner, post)
    low, high, qualifier = _bounds(kind, value, last_place)
    return _make(text, start, end, numeral_text, value, unit, qualifier, low, high, step)


def _qualifier_kind(pre, inner, post) -> str:
    for word, table in ((pre, _PRE), (_clean(post), _POST), (inner, _POST)):
        if word:
            return table[word]
    return "exact"


def _bounds(kind: str, value: Decimal, last_place: Decimal):
    low, high, qualifier = _signed_bounds(kind, value, last_place)
    return min(low, high), max(low, high), qualifier


def _signed_bounds(kind: str, value: Decimal, last_place: Decimal):
    if kind == "over":
        return value, value + abs(last_place), "over"
    if kind == "near":
        return value * Decimal("0.9"), value, "approx"
    if kind == "about":
        return value * Decimal("0.9"), value * Decimal("1.1"), "approx"
    if kind == "under":
        return Decimal(0), value, "under"
    return value, value, "exact"


def _make(text, start, end, numeral_text, value, unit, qualifier, low, high, step):
    while end > start and text[end - 1] in " \t":
        end -= 1
    while start < end and text[start] in " \t":
        start += 1
    return Quantity(
        text=text[start:end], start=start, end=end, value=_tidy(value), unit=unit,
        qualifier=qualifier, low=_tidy(low), high=_tidy(high), step=_tidy(step),
        number_text=numeral_text.strip(),
    )


def _tidy(value: Decimal) -> Decimal:
    """The value in its shortest form (80, 0.5, 1E+4 → 10000). Equal values
    give one shared object: a Decimal is about 100 bytes, and a quantity's
    value, bounds and step repeat across a document."""
    tidy = _TIDIED.get(value)
    if tidy is None or tidy.is_signed() != value.is_signed():
        if value == value.to_integral_value() and value.adjusted() < 27:
            tidy = value.quantize(Decimal(1))
        else:
            tidy = value.normalize()
        if len(_TIDIED) >= MAX_TIDIED:
            _TIDIED.clear()
        _TIDIED[value] = tidy
    return tidy


_TIDIED: dict = {}
MAX_TIDIED = 50_000


def _bare_magnitude(text, match, unit):
    """近万名, 上千人: a magnitude alone, after 近 or 上."""
    value = numbers.read_numeral("一" + match["bare"]).value
    numeral = numbers.Numeral(value, value, value)
    kind = "near" if match["bare_pre"] != "上" else "over"
    return _quantity(text, match.start(), match.end(), match["bare"], numeral, unit,
                     None, None, match["post"], None, qualifier_override=kind)


def _percent(text, match, blocked):
    """百分之十五点六 → 15.6 %; 千分之, 万分之, 百万分之 are scaled to percent."""
    if _overlaps(blocked, match.start(), match.end()):
        return None
    reading = _read_prefix(match["pnum"])
    if reading is None:
        return None
    numeral, used = reading
    scale = 100 / numbers.parse_number("一" + match["pct"], strict=False)
    end = match.start("pnum") + used if used < len(match["pnum"]) else match.end()
    start = match.start("pct") if not match["pre"] else match.start()
    numeral = _scaled(numeral, scale)
    post = match["post"] if end == match.end() else None
    return _quantity(text, start, end, match["pnum"][:used], numeral, "%", match["pre"],
                     None, post, None)


# Units written as other units: ‰ and 千分点 in tenths of percent (points), 成 and 折 in tens of percent.
_SCALED_UNITS = {
    "‰": ("%", Decimal("0.1")), "个千分点": ("个百分点", Decimal("0.1")), "千分点": ("个百分点", Decimal("0.1")),
    "成": ("%", Decimal(10)), "折": ("%", Decimal(10)),
}


def _scaled(numeral, scale: Decimal):
    if isinstance(numeral, numbers.RangeReading):
        return numbers.RangeReading(_scaled(numeral.low, scale), _scaled(numeral.high, scale))
    return numbers.Numeral(numeral.value * scale, numeral.step * scale, numeral.last_place * scale)


def _fraction(text, match, blocked):
    """三分之一, 一百万又五十万分之二十五: exact fractions (step 0)."""
    if _overlaps(blocked, match.start(), match.end()):
        return None
    try:
        denominator = numbers.parse_number(_clean(match["den"]), strict=False)
        numerator = numbers.parse_number(_clean(match["numer"]), strict=False)
        whole = numbers.parse_number(_clean(match["whole"]), strict=False) if match["whole"] else 0
    except ValueError:
        return None
    if denominator == 0:
        return None
    fraction = numerator / denominator
    value = whole - fraction if whole < 0 else whole + fraction
    numeral = numbers.Numeral(value, Decimal(0), Decimal(0))
    return _quantity(text, match.start(), match.end(), text[match.start("den"):match.end("numer")]
                     if not match["whole"] else text[match.start("whole"):match.end("numer")],
                     numeral, _clean(match["unit"]), match["pre"], None, match["post"], None)


def _range(text, match, blocked, low_numeral, unit):
    """3至5万, 3-5万: the magnitude written once applies to both ends."""
    high_text = match["num2"]
    start2, end2 = match.span("num2")
    if _overlaps(blocked, start2, end2):
        return None, match.end("num")
    try:
        high = numbers.read_numeral(high_text.translate(_DROP_SPACE_MORE).replace("几", ""))
    except ValueError:
        return None, match.end("num")
    low = low_numeral
    if isinstance(low, numbers.RangeReading):
        return None, match.end("num")
    trailing = _TRAILING_MAGNITUDE.search(high_text)
    if trailing and not _ANY_MAGNITUDE.search(match["num"]):
        scale = numbers.read_numeral("一" + numbers.canonical_numeral(trailing.group())).value
        low = numbers.Numeral(low.value * scale, low.step * scale, low.last_place * scale)
    if low.value > high.value or not _counts(high_text, unit or "个"):
        return None, match.end("num")
    reading = numbers.RangeReading(low, high)
    numeral_text = text[match.start("num"):end2]
    return _quantity(text, match.start(), match.end(), numeral_text, reading, unit,
                     None, None, None, None), match.end()
