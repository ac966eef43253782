"""Numeral strings → Decimal: Arabic, Chinese, financial capitals, magnitudes."""

from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from auditor.numbers import parse_number, read_numeral


@pytest.mark.parametrize(
    "text,value",
    [
        ("两万", 20000),
        ("三千零四十三", 3043),
        ("一千零五十", 1050),
        ("十五", 15),
        ("壹萬貳仟", 12000),
        ("贰佰零捌", 208),
        ("一万零一", 10001),
        ("三万亿", 3 * 10**12),
        ("二十点五", Decimal("20.5")),
        ("十五點六", Decimal("15.6")),
        ("负十一", -11),
        ("廿二", 22),
    ],
)
def test_strict_chinese_numerals(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize(
    "text,value",
    [
        ("1,234", 1234),
        ("10.4923万", 104923),
        ("102.41亿", 10241000000),
        ("1.2万", 12000),
        ("3万亿", 3 * 10**12),
        ("100万三千", 1003000),
        ("三万五", 35000),
        ("一百二", 120),
        ("两千三点一", Decimal("2300.1")),
        ("二〇一八", 2018),
        ("〇", 0),
        ("四万万", 400000000),
        ("五兆六十二亿", 5006200000000),
        (".5", Decimal("0.5")),
    ],
)
def test_lenient_forms(text, value):
    assert parse_number(text, strict=False) == Decimal(value)


@pytest.mark.parametrize(
    "text", ["三万五", "一一", "10.1万", "百十一", "十万零一千", "一百十一", "零点", "点五", "元整", "", "负"]
)
def test_strict_mode_rejects_abbreviated_or_malformed(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize("text", ["10..1万", "10.1万零100", "零点零大", "万", "abc"])
def test_lenient_mode_still_rejects_garbage(text):
    with pytest.raises(ValueError):
        parse_number(text, strict=False)


@pytest.mark.parametrize(
    "text,step,last_place",
    [
        ("80", 1, 10),
        ("68.96", Decimal("0.01"), Decimal("0.01")),
        ("8万", 10000, 10000),
        ("8.8万", 1000, 1000),
        ("141", 1, 1),
        ("1800", 1, 100),
        ("八万", 10000, 10000),
        ("一千八百", 100, 100),
        ("三万五", 1000, 1000),
        ("10万", 10000, 100000),
    ],
)
def test_step_is_the_place_of_the_last_written_digit(text, step, last_place):
    numeral = read_numeral(text)
    assert (numeral.step, numeral.last_place) == (Decimal(step), Decimal(last_place))


def test_cheque_style_amounts():
    assert parse_number("壹拾壹元壹角壹分") == Decimal("11.11")
    assert parse_number("壹佰壹拾壹圆整") == 111
    with pytest.raises(ValueError):
        parse_number("壹拾壹元")
    assert parse_number("壹拾壹元", strict=False) == 11


# -- property: any integer written out in full reads back strictly ----------

_DIGITS = "零一二三四五六七八九"


def _section(n: int) -> str:
    out, zero = "", False
    for exp, unit in ((3, "千"), (2, "百"), (1, "十"), (0, "")):
        digit = n // 10**exp % 10
        if digit == 0:
            zero = bool(out)
        else:
            out += ("零" if zero else "") + _DIGITS[digit] + unit
            zero = False
    return out


def _written_out(n: int) -> str:
    """An independent writer of Chinese numerals (below 10^12)."""
    if n == 0:
        return "零"
    out, skipped = "", False
    for value, unit in ((n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")):
        if value == 0:
            skipped = bool(out)
            continue
        if out and (skipped or value < 1000):
            out += "零"
        out += _section(value) + unit
        skipped = False
    return out


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_written_out_integers_read_back_strictly(n):
    assert parse_number(_written_out(n)) == n


@given(st.integers(min_value=1, max_value=10**12 - 1), st.sampled_from(["", "万", "亿"]))
def test_arabic_with_magnitude_reads_back(n, magnitude):
    scale = {"": 1, "万": 10**4, "亿": 10**8}[magnitude]
    assert parse_number(f"{n:,}{magnitude}", strict=False) == n * scale
