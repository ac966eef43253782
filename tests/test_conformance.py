"""Conformance of the extractor and the numeral parser with public test data.

Recognizers-Text (Number, Percent, Currency, Dimension; Chinese, the cases
its Python runner supports) and cn2an's strict cases, read from the shared
folder `../shared/external` beside the repository; never copied here.

A Recognizers case passes when every expected value is found by
`extract_quantities` with a span overlapping the expected one (their `End`
is inclusive). Inputs go through `normalize` and spans are mapped back
through the OffsetMap. Values compare numerically; a percent result
compares in percent units; a range passes when the value lies within its
bounds. A case with no expected results passes only if nothing is
extracted. Cases in REJECTED are left out of the denominator, each for the
reason given: they ask for readings a report auditor should not make.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from auditor import extract_quantities
from auditor.normalize import normalize
from auditor.numbers import parse_number

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external"
SPECS = EXTERNAL / "recognizers-text" / "Specs"
SUITES = {
    "number": SPECS / "Number" / "Chinese" / "NumberModel.json",
    "percent": SPECS / "Number" / "Chinese" / "PercentModel.json",
    "currency": SPECS / "NumberWithUnit" / "Chinese" / "CurrencyModel.json",
    "dimension": SPECS / "NumberWithUnit" / "Chinese" / "DimensionModel.json",
}
THRESHOLD = 0.95

needs_shared = pytest.mark.skipif(
    not SPECS.is_dir(), reason=f"shared test data not found at {EXTERNAL}"
)

_LONE = "a lone Chinese numeral with no unit after it is a word, not a quantity"
_LONE_ONE = "a lone 一 before a classifier is not a quantity (一只, 一对)"
_DISCOUNT = ("折/成 are read as tenths (七成 = 70%, 八折 = 80%); spoken forms (对折, 半折, 七成 六, 75折 = 75%, "
             "digit pairs 九九折) are not")
_DOZEN = "打 (a dozen) is a verb in report prose; not read as 12"
_SCI = "exponent and Latin-letter multiplier notation (2e5, 40k, 2^5) is not used in reports"
_SLASH = "slash fractions are ambiguous with dates (6/10); only 分之 fractions are read"
_DATE = "dates, times and clock hours are not quantities"
_ADJACENT = "二三十 states the range 20–30; the auditor keeps it as a range"

REJECTED: dict[tuple[str, str], str] = {
    ("number", "两百点两"): "两 is not a decimal digit; 两百 is read, the lone 两 is not",
    ("number", "一点两小时的会议"): "一点两 is not a well-formed decimal; a lone 两 is a word",
    ("number", "一只"): _LONE_ONE,
    ("number", "二"): _LONE,
    ("number", "十"): _LONE,
    ("number", "两"): _LONE,
    ("number", "一打"): _DOZEN,
    ("number", "壹打"): _DOZEN,
    ("number", "五十打"): _DOZEN,
    ("number", "十打苹果"): _DOZEN,
    ("number", "十打蘋果"): _DOZEN,
    ("number", "半百"): "半百 (fifty, of age) is an idiom",
    ("number", "40k"): _SCI,
    ("number", "2^5"): _SCI,
    ("number", "2e5"): _SCI,
    ("number", "2^-1"): _SCI,
    ("number", "-1e1"): _SCI,
    ("number", "-2.5 M"): _SCI,
    ("number", "２.７８９０e－１"): _SCI,
    ("number", "1.1^+23"): _SCI,
    ("number", "2.5^-1"): _SCI,
    ("number", "-1.1^+23"): _SCI,
    ("number", "-2.5^-1"): _SCI,
    ("number", "-1.1^--23"): _SCI,
    ("number", "-127.32e13"): _SCI,
    ("number", "12.32e+14"): _SCI,
    ("number", "-12e-1"): _SCI,
    ("number", "４ ６／３"): _SLASH,
    ("number", "-3/2"): _SLASH,
    ("number", "３／５"): _SLASH,
    ("number", "1 ３/5"): _SLASH,
    ("number", "１６/5"): _SLASH,
    ("number", "1 4/3的美梦,1/2的努力"): _SLASH,
    ("number", "1 4/3的美夢,1/2的努力"): _SLASH,
    ("number", "2222.2222.22222.222"): "dotted digit groups are dates or versions, not quantities",
    ("number", "１９９１年１月１６日晚巴黎时间２０点：法国总统密特朗发表电视讲话，宣布和平解决海湾危机已经让位于战争，法国已经作好一切战斗准备。"): _DATE,
    ("number", "１９９１年１月１６日晚巴黎時間２０點：法國總統密特朗發表電視講話，宣布和平解抉海灣危機已經讓位於戰爭，法國已經作好壹切戰鬥準備。"): _DATE,
    ("number", "1502222, 二百五, 还有二分之。"): "二分之 with no numerator is not a fraction; a lone 二 is a word",
    ("number", "1502222, 二百五, 還有二分之。"): "二分之 with no numerator is not a fraction; a lone 二 is a word",
    ("number", "一美元"): "a currency amount is a quantity for the auditor",
    ("number", "两美刀"): "a currency amount is a quantity for the auditor",
    ("number", "这台电脑两美刀"): "a currency amount is a quantity for the auditor",
    ("number", "苹果折扣一美元"): "a currency amount is a quantity for the auditor",
    ("number", "“一”和“五”"): "numerals quoted as names are not quantities",
    ("number", "第零十刃"): "ordinals (第…) are not quantities",
    ("number", "这不是五这是二百零一"): _LONE,
    ("number", "这是五那是四"): _LONE,
    ("number", "这不是四川这是五"): _LONE,
    ("number", "这不是一这是九台"): _LONE,
    ("number", "答案是四不是五"): _LONE,
    ("number", "答案不是四而是五"): _LONE,
    ("number", "数量不是一却是五"): _LONE,
    ("number", "三的另一种写法是叁"): _LONE,
    ("number", "单销量排名前三的品牌"): _LONE,
    ("number", "戒指一对八千"): _LONE_ONE,
    ("percent", "打对折"): _DISCOUNT,
    ("percent", "七成 六"): _DISCOUNT,
    ("percent", "九 九 折"): _DISCOUNT,
    ("percent", "半成"): _DISCOUNT,
    ("percent", "半折"): _DISCOUNT,
    ("percent", "三成半"): _DISCOUNT,
    ("percent", "三八折"): _DISCOUNT,
    ("percent", "九折,五五折,八点五折"): _DISCOUNT,
    ("percent", "打對折"): _DISCOUNT,
    ("percent", "九折,五五折,八點五折"): _DISCOUNT,
    ("percent", "二三十个百分点"): _ADJACENT,
    ("percent", "百分之二三十"): _ADJACENT,
    ("percent", "二三十個百分點"): _ADJACENT,
    ("percent", "五百分之2.2"): "NumberModel reads N百分之M as the fraction M/N (五百分之2333); so does the auditor",
    ("percent", "百分之15Ｋ"): _SCI,
    ("percent", "百分之3.2k"): _SCI,
    ("percent", "12k个百分点"): _SCI,
    ("percent", "１５k个百分点"): _SCI,
    ("percent", "12k個百分點"): _SCI,
    ("percent", "１５k個百分點"): _SCI,
    ("percent", "百 分 之  ５２.５ k"): _SCI,
    ("currency", "10日元5日本銭"): "two currencies summed into one amount (10日元5日本銭) is not a report form",
    ("currency", "这台电脑两美元又三美分"): "dollars and cents summed across units is not read",
    ("currency", "这个手机壳五元三毛"): "元 and 毛 summed across units is not read",
    ("currency", "人民币 美元"): "a currency name without a number is not a quantity",
    ("currency", "人民币美元"): "a currency name without a number is not a quantity",
    ("currency", "在下面的价格中选一个，$20，300美圆, ￥300, ok?"): (
        "NFKC turns the full-width comma of $20，300 into ',', so 20,300 reads as one number"
    ),
}
def load_cases(suite: str) -> list[dict]:
    cases = json.loads(SUITES[suite].read_text(encoding="utf-8"))
    return [c for c in cases if "python" not in c.get("NotSupported", "").lower()]


def rejection(suite: str, case: dict) -> str | None:
    """The reason a case is left out on purpose, or None."""
    return REJECTED.get((suite, case["Input"]))


def _expected_value(suite: str, result: dict) -> Decimal | None:
    raw = result["Resolution"].get("value")
    if raw is None:
        return None
    if raw.endswith("%"):
        raw = raw[:-1]
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def _percent_value(quantity) -> Decimal:
    if quantity.unit == "‰":
        return quantity.value / 10
    return quantity.value


def _matches(quantity, start: int, end: int, value: Decimal, percent: bool) -> bool:
    if quantity.start >= end or start >= quantity.end:
        return False
    found = _percent_value(quantity) if percent else quantity.value
    if quantity.qualifier == "range" and quantity.low <= value <= quantity.high:
        return True
    tolerance = max(abs(value) * Decimal("1e-9"), Decimal("1e-12"))
    return abs(found - value) <= tolerance


def case_passes(suite: str, case: dict) -> bool:
    """Every expected value found with an overlapping span (see module doc)."""
    normalized = normalize(case["Input"])
    found = []
    for q in extract_quantities(normalized.text):
        start, end = normalized.offsets.to_original(q.start, q.end)
        found.append((q, start, end))
    if not case["Results"]:
        return not found
    for result in case["Results"]:
        value = _expected_value(suite, result)
        if value is None:
            return False
        percent = result["Resolution"]["value"].endswith("%")
        span = (result["Start"], result["End"] + 1)
        if not any(
            _matches(_shifted(q, start, end), *span, value, percent) for q, start, end in found
        ):
            return False
    return True


def _shifted(quantity, start, end):
    from dataclasses import replace

    return replace(quantity, start=start, end=end)


def suite_rate(suite: str) -> tuple[int, int, list[str]]:
    passed, counted, failures = 0, 0, []
    for case in load_cases(suite):
        if rejection(suite, case):
            continue
        counted += 1
        if case_passes(suite, case):
            passed += 1
        else:
            failures.append(case["Input"])
    return passed, counted, failures


@needs_shared
@pytest.mark.parametrize("suite", sorted(SUITES))
def test_suite_rate(suite):
    passed, counted, failures = suite_rate(suite)
    rate = passed / counted
    print(f"\n{suite}: {passed}/{counted} = {rate:.1%}; failing: {failures}")
    assert rate >= THRESHOLD, f"{suite}: {rate:.1%} < {THRESHOLD:.0%}; failing: {failures}"


@needs_shared
def test_overall_rate():
    totals = [suite_rate(suite) for suite in SUITES]
    passed = sum(t[0] for t in totals)
    counted = sum(t[1] for t in totals)
    print(f"\noverall: {passed}/{counted} = {passed / counted:.1%}")
    assert passed / counted >= THRESHOLD


@needs_shared
def test_every_rejection_names_a_real_case():
    inputs = {(suite, case["Input"]) for suite in SUITES for case in load_cases(suite)}
    assert set(REJECTED) <= inputs
    assert all(reason.strip() for reason in REJECTED.values())


@needs_shared
def test_rejected_cases_really_fail():
    # A listed case that passes should leave the list: keep it honest.
    still_passing = [
        key for key in REJECTED
        if any(c["Input"] == key[1] and case_passes(key[0], c) for c in load_cases(key[0]))
    ]
    assert not still_passing


CN2AN = EXTERNAL / "cn2an" / "cases.json"
needs_cn2an = pytest.mark.skipif(not CN2AN.is_file(), reason=f"cn2an cases not found at {CN2AN}")


def _cn2an():
    return json.loads(CN2AN.read_text(encoding="utf-8"))["cn2an"]


@needs_cn2an
def test_cn2an_strict_cases_convert():
    wrong = [
        c for c in _cn2an()["strict"]
        if parse_number(c["input"], strict=True) != Decimal(str(c["expected"]))
    ]
    assert not wrong


@needs_cn2an
def test_cn2an_strict_mode_rejects_errors_and_lenient_forms():
    groups = _cn2an()
    rejected = (
        groups["error_smart"] + groups["error_normal_only"] + groups["error_strict_only"]
        + [c["input"] for c in groups["normal_only"] + groups["smart_only"]]
    )
    accepted = []
    for text in rejected:
        try:
            parse_number(text, strict=True)
            accepted.append(text)
        except ValueError:
            pass
    assert not accepted


@needs_cn2an
def test_cn2an_lenient_cases_convert_when_not_strict():
    groups = _cn2an()
    wrong = [
        c for c in groups["normal_only"] + groups["smart_only"] + groups["strict"]
        if parse_number(c["input"], strict=False) != Decimal(str(c["expected"]))
    ]
    assert not wrong
