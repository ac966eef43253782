"""Numeral strings → Decimal: Arabic, Chinese, financial capitals, magnitudes."""

from decimal import Decimal

import pytest

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
