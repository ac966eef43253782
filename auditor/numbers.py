"""Numbers: numeral strings → Decimal.

Reads Arabic numerals (`1,234`, `12.3456`), Chinese numerals in Simplified,
Traditional and financial capitals (`三千零四十三`, `壹萬貳仟`, `十五`,
`一千零五十`, `点`/`點`, `〇`/`零`), the magnitudes 十 百 千 万 亿 and 兆
(10^12, as Recognizers-Text reads it), and mixtures (`1.2万`, `3万亿`,
`100万三千`).

`parse_number(text, strict=True)` converts a whole string. Strict mode
accepts only fully written Chinese numerals, as cn2an's strict mode does:
no abbreviations (`三万五`), no superfluous or missing 零, no digit-by-digit
readings (`一一`), no Arabic digits. `read_numeral(text)` is the lenient
reader the extractor uses; it also reports the place value of the last
written digit (`step`) and of the last non-zero digit (`last_place`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal

from . import patterns

# Traditional, financial and colloquial forms → one canonical character each.
_CANONICAL = str.maketrans(
    {
        "壹": "一", "弌": "一", "贰": "二", "貳": "二", "弍": "二", "叁": "三",
        "參": "三", "弎": "三", "肆": "四", "伍": "五", "陆": "六", "陸": "六",
        "柒": "七", "捌": "八", "玖": "九", "拾": "十", "佰": "百", "陌": "百",
        "仟": "千", "阡": "千", "萬": "万", "億": "亿", "兩": "两", "倆": "两",
        "俩": "两", "點": "点", "負": "负", "幾": "几", "餘": "余", "圓": "圆",
        "幺": "一",
    }
)
_TRAILING_BIG = patterns.compiled(r"[万亿]+$")
_TENS_SHORTHAND = {"廿": "二十", "卅": "三十", "卌": "四十"}
DIGIT_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
                "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 1, "百": 2, "千": 3}
BIG_UNITS = {"万": 4, "亿": 8, "兆": 12}

_TOKEN = patterns.compiled(
    r"(?P<arabic>\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)|(?P<digit>[零〇一二两三四五六七八九])"
    r"|(?P<unit>[十百千])|(?P<big>[万亿兆])"
)
_CURRENCY_TAIL = patterns.compiled(
    r"[元圆](?:(?P<whole>[整正])|(?:(?P<jiao>[一二三四五六七八九])角)?(?:零?(?P<fen>[一二三四五六七八九])分)?)$"
)

# cn2an's strict grammar, written out place by place (canonical characters).
_D = "[一二两三四五六七八九]"
_TENS = f"(?:{_D}十{_D}?)"
_TENS_ANY = f"(?:{_D}?十{_D}?)"
_HUNDREDS = f"(?:{_D}百(?:{_TENS}|零{_D})?)"
_HUNDREDS_AFTER_ZERO = f"(?:{_D}?百(?:{_TENS}|零{_D})?)"
_THOUSANDS = f"(?:{_D}千(?:{_HUNDREDS}|零(?:{_TENS_ANY}|{_D}))?)"
_SECTION = f"(?:{_THOUSANDS}|{_HUNDREDS}|{_TENS_ANY}|{_D})"
_SECTION_LOW = f"(?:{_HUNDREDS_AFTER_ZERO}|{_TENS_ANY}|{_D})"
_AFTER_WAN = f"(?:{_THOUSANDS}|零{_SECTION_LOW})"
_WAN = f"(?:{_SECTION}万{_AFTER_WAN}?|{_SECTION})"
_WAN_FULL = f"(?:{_THOUSANDS}万{_AFTER_WAN}?)"
_WAN_LOW = f"(?:{_SECTION_LOW}万{_AFTER_WAN}?|{_SECTION})"
_STRICT_INTEGER = f"零|{_WAN}亿(?:{_WAN_FULL}|零{_WAN_LOW})?|{_WAN}"
_STRICT_FRACTION = "[零一二三四五六七八九]*[一二三四五六七八九]"


@lru_cache(maxsize=None)
def _strict(pattern: str):
    # Compiled on first strict use only: the extractor reads leniently.
    return patterns.compiled(pattern)


@dataclass(frozen=True)
class Numeral:
    """A numeral's value, the place value of its last written digit (`step`)
    and of its last non-zero digit (`last_place`)."""

    value: Decimal
    step: Decimal
    last_place: Decimal


def canonical_numeral(text: str) -> str:
    """Fold Traditional, financial and full-width forms to canonical characters."""
    text = unicodedata.normalize("NFKC", text).translate(_CANONICAL)
    for short, long in _TENS_SHORTHAND.items():
        text = text.replace(short, long)
    return text


def parse_number(text: str, strict: bool = True) -> Decimal:
    """Convert the whole string `text` to a Decimal; raise ValueError if it is
    not a well-formed numeral. Strict mode follows cn2an's strict mode."""
    return read_numeral(text, strict=strict).value


def read_numeral(text: str, strict: bool = False) -> Numeral:
    """Read the whole string `text` as a numeral (see the module docstring)."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"not a numeral: {text!r}")
    if strict and "〇" in text:
        raise ValueError(f"〇 is not accepted in strict mode: {text!r}")
    body = canonical_numeral(text).replace(" ", "")
    negative = body[:1] in ("负", "-")
    if negative:
        body = body[1:]
    body, money_fraction, money_step = _split_currency(body, strict)
    integer, point, fraction = body.partition("点")
    if not integer or (point and not fraction):
        raise ValueError(f"not a numeral: {text!r}")
    if point:
        trailing_big = _TRAILING_BIG.search(fraction) if not strict else None
        if trailing_big:
            fraction = fraction[: trailing_big.start()]
        frac_value, frac_step = _read_fraction(fraction, strict, text)
        numeral = _read_integer(integer, strict, text)
        value = numeral.value + frac_value
        step = frac_step
        last = _last_nonzero_place(fraction, frac_step) or numeral.last_place
        if trailing_big:
            scale = Decimal(10) ** sum(BIG_UNITS[c] for c in trailing_big.group())
            value, step, last = value * scale, step * scale, last * scale
        result = Numeral(value, step, last)
    else:
        result = _read_integer(integer, strict, text)
    if money_step is not None:
        result = Numeral(result.value + money_fraction, money_step, money_step)
    if negative:
        result = Numeral(-result.value, result.step, result.last_place)
    return result


def _split_currency(body: str, strict: bool) -> tuple[str, Decimal, Decimal | None]:
    """Strip a cheque-style currency tail (元整, 元壹角壹分)."""
    match = _CURRENCY_TAIL.search(body)
    if not match or match.start() == 0:
        if body[-1:] in ("元", "圆"):
            if strict or len(body) == 1:
                raise ValueError(f"not a numeral: {body!r}")
            return body[:-1], Decimal(0), None
        return body, Decimal(0), None
    if strict and not (match["whole"] or match["jiao"] or match["fen"]):
        raise ValueError(f"a bare 元 is not accepted in strict mode: {body!r}")
    extra, step = Decimal(0), None
    if match["jiao"]:
        extra += Decimal(DIGIT_VALUES[match["jiao"]]) / 10
        step = Decimal("0.1")
    if match["fen"]:
        extra += Decimal(DIGIT_VALUES[match["fen"]]) / 100
        step = Decimal("0.01")
    return body[: match.start()], extra, step


def _read_fraction(fraction: str, strict: bool, original: str) -> tuple[Decimal, Decimal]:
    if strict and not _strict(_STRICT_FRACTION).fullmatch(fraction):
        raise ValueError(f"malformed decimals: {original!r}")
    digits = "".join(
        str(DIGIT_VALUES[c]) if c in DIGIT_VALUES and c != "两" else c for c in fraction
    )
    if not digits.isdigit() or not digits.isascii():
        raise ValueError(f"malformed decimals: {original!r}")
    return Decimal("0." + digits), Decimal(1).scaleb(-len(digits))


def _last_nonzero_place(digits: str, step: Decimal) -> Decimal | None:
    stripped = digits.rstrip("0零〇")
    if not stripped:
        return None
    return step * Decimal(10) ** (len(digits) - len(stripped))


def _arabic(text: str) -> Numeral:
    plain = text.replace(",", "")
    value = Decimal(plain)
    whole, _, decimals = plain.partition(".")
    step = Decimal(1).scaleb(-len(decimals))
    last = _last_nonzero_place(whole + decimals, step) or step
    return Numeral(value, step, last)


def _read_integer(text: str, strict: bool, original: str) -> Numeral:
    if strict:
        if not _strict(_STRICT_INTEGER).fullmatch(text):
            raise ValueError(f"not a strictly written numeral: {original!r}")
    tokens = []
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() != position:
            break
        tokens.append((match.lastgroup, match.group()))
        position = match.end()
    if position != len(text) or not tokens:
        raise ValueError(f"not a numeral: {original!r}")
    if len(tokens) > 1 and all(kind == "digit" for kind, _ in tokens):
        if strict:
            raise ValueError(f"digit-by-digit reading in strict mode: {original!r}")
        digits = "".join(str(DIGIT_VALUES[t]) for _, t in tokens)
        return Numeral(Decimal(digits), Decimal(1), _last_nonzero_place(digits, Decimal(1)) or Decimal(1))
    return _evaluate(tokens, original)


def _evaluate(tokens: list[tuple[str, str]], original: str) -> Numeral:
    """Fold the tokens left to right: 十百千 build a section below 万, 万亿兆
    scale what came before (`3万亿`, `四万万`) or add a lower block."""
    total = Decimal(0)
    total_step = total_last = None
    last_big = None
    section = Decimal(0)
    section_step = section_last = None
    section_unit = 99
    pending: Numeral | None = None
    last_unit_exp = None
    zero_seen = False
    fractional_block = False

    def bad(reason: str) -> ValueError:
        return ValueError(f"{reason}: {original!r}")

    for index, (kind, text) in enumerate(tokens):
        if kind in ("arabic", "digit"):
            if kind == "digit" and DIGIT_VALUES[text] == 0:
                zero_seen = True
                continue
            if pending is not None:
                raise bad("two numbers side by side")
            if kind == "arabic":
                pending = _arabic(text)
                if fractional_block:
                    raise bad("digits after a decimal with a magnitude")
            else:
                pending = Numeral(Decimal(DIGIT_VALUES[text]), Decimal(1), Decimal(1))
                is_last = index == len(tokens) - 1
                if is_last and last_unit_exp and not zero_seen:
                    place = Decimal(10) ** (last_unit_exp - 1)  # 三万五, 一百二
                    pending = Numeral(pending.value * place, place, place)
        elif kind == "unit":
            exp = SMALL_UNITS[text]
            if exp >= section_unit:
                raise bad("places out of order")
            multiplier = pending or Numeral(Decimal(1), Decimal(1), Decimal(1))
            scale = Decimal(10) ** exp
            section += multiplier.value * scale
            section_step, section_last = multiplier.step * scale, multiplier.last_place * scale
            section_unit, pending, zero_seen, last_unit_exp = exp, None, False, exp
        else:
            exp = BIG_UNITS[text]
            scale = Decimal(10) ** exp
            block_value = section + (pending.value if pending else 0)
            if pending is not None:
                block_step, block_last = pending.step, pending.last_place
                fractional_block = pending.step < 1
            else:
                block_step, block_last = section_step, section_last
            if pending is None and section == 0:
                if total == 0 or (last_big is not None and exp < last_big):
                    raise bad("a magnitude without a number")
                total, total_step, total_last = total * scale, total_step * scale, total_last * scale
            elif last_big is None or exp > last_big:
                total = (total + block_value) * scale
                total_step, total_last = block_step * scale, block_last * scale
            elif exp < last_big:
                total += block_value * scale
                total_step, total_last = block_step * scale, block_last * scale
            else:
                raise bad("the same magnitude twice")
            last_big = exp if last_big is None else max(last_big, exp)
            section, section_step, section_last, section_unit = Decimal(0), None, None, 99
            pending, zero_seen, last_unit_exp = None, False, exp
    if pending is not None:
        value = total + section + pending.value
        return Numeral(value, pending.step, pending.last_place)
    if section:
        return Numeral(total + section, section_step, section_last)
    if total_step is None:
        if zero_seen:
            return Numeral(Decimal(0), Decimal(1), Decimal(1))
        raise bad("no number")
    return Numeral(total, total_step, total_last)


ADJACENT_DIGITS = patterns.compiled("([一二三四五六七八])([二三四五六七八九])")


def read_adjacent_range(text: str) -> RangeReading | None:
    """二三十 → 20–30, 十五六 → 15–16: two neighbouring digits state a range;
    None when `text` holds no such pair or is a digit string (一二三)."""
    canon = canonical_numeral(text)
    match = ADJACENT_DIGITS.search(canon)
    if not match:
        return None
    first, second = (DIGIT_VALUES[c] for c in match.groups())
    if second != first + 1 and (first, second) != (3, 5):
        return None
    low_text = canon[: match.start()] + match[1] + canon[match.end():]
    high_text = canon[: match.start()] + match[2] + canon[match.end():]
    if len(low_text) > 1 and all(c in DIGIT_VALUES for c in low_text):
        return None  # 一二三: a digit string, not a range
    try:
        low, high = read_numeral(low_text), read_numeral(high_text)
    except ValueError:
        return None
    return RangeReading(low, high)


@dataclass(frozen=True)
class RangeReading:
    """A numeral that states a range (二三十 → 20 to 30)."""

    low: Numeral
    high: Numeral
