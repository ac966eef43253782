"""The quantity extractor: forms, qualifiers, non-quantities, offsets, seeds."""

from decimal import Decimal
from pathlib import Path

import pytest

from auditor import extract_quantities
from auditor.normalize import normalize

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def only(text):
    found = extract_quantities(text)
    assert len(found) == 1, [q.text for q in found]
    return found[0]


@pytest.mark.parametrize(
    "text,value,unit",
    [
        ("减贫10.4923万人", 104923, "人"),
        ("资金102.41亿元", 10241000000, "元"),
        ("投入6500万元", 65000000, "元"),
        ("培训12.5万人次", 125000, "人次"),
        ("种植3万亩", 30000, "亩"),
        ("共3043户", 3043, "户"),
        ("面积2165.35平方公里", Decimal("2165.35"), "平方公里"),
        ("装机500千瓦", 500, "千瓦"),
        ("建成125座", 125, "座"),
        ("举办650期", 650, "期"),
        ("两万人", 20000, "人"),
        ("三千零四十三户", 3043, "户"),
        ("壹萬贰仟元", 12000, "元"),
        ("一千零五十名", 1050, "名"),
        ("十五个", 15, "个"),
        ("增长3个百分点", 3, "个百分点"),
        ("发生率为15.6%", Decimal("15.6"), "%"),
        ("百分之十五点六", Decimal("15.6"), "%"),
        ("千分之五", Decimal("0.5"), "%"),
        ("三分之一", Decimal(1) / 3, None),
        ("共计1,234", 1234, None),
        ("近一吨", 1, "吨"),
        ("一吨半", Decimal("1.5"), "吨"),
        ("50兆瓦", 50, "兆瓦"),
    ],
)
def test_value_in_the_base_unit(text, value, unit):
    quantity = only(text)
    assert (quantity.value, quantity.unit) == (Decimal(value), unit)


def test_administrative_nouns_count_directly():
    found = extract_quantities("辖7镇5乡，康定等5县(市)")
    assert [(q.value, q.unit) for q in found] == [(7, "镇"), (5, "乡"), (5, "县")]


@pytest.mark.parametrize(
    "text,qualifier,low,high",
    [
        ("1800余个", "over", 1800, 1900),
        ("1.2万余户", "over", 12000, 13000),
        ("10多万人", "over", 100000, 200000),
        ("6000多人次", "over", 6000, 7000),
        ("二十几万", "over", 200000, 300000),
        ("超过20户", "over", 20, 30),
        ("100亿元以上", "over", 10000000000, 20000000000),
        ("近万名", "approx", 9000, 10000),
        ("将近100人", "approx", 90, 100),
        ("约3万人", "approx", 27000, 33000),
        ("100人左右", "approx", 90, 110),
        ("不到100人", "under", 0, 100),
        ("3至5万人", "range", 30000, 50000),
        ("3-5万", "range", 30000, 50000),
        ("三到五万人", "range", 30000, 50000),
        ("二三十人", "range", 20, 30),
        ("三五个", "range", 3, 5),
        ("十五六个", "range", 15, 16),
        ("三四百万元", "range", 3000000, 4000000),
        ("141个", "exact", 141, 141),
    ],
)
def test_qualifiers_and_bounds(text, qualifier, low, high):
    quantity = only(text)
    assert (quantity.qualifier, quantity.low, quantity.high) == (qualifier, Decimal(low), Decimal(high))


@pytest.mark.parametrize(
    "text,step",
    [("占比80%", 1), ("占68.96%", "0.01"), ("8万人", 10000), ("8.8万人", 1000), ("141个", 1),
     ("1800个", 1), ("八万人", 10000), ("一千八百个", 100)],
)
def test_step_is_the_place_of_the_last_written_digit(text, step):
    assert only(text).step == Decimal(step)


@pytest.mark.parametrize(
    "text,written,qualifier,unit",
    [
        ("最近3年", "3年", "exact", "年"),
        ("签约3个项目", "3个", "exact", "个"),
        ("余额100万元", "100万元", "exact", "元"),
        ("资金100万余额", "100万", "exact", None),
        ("8万人上下联动", "8万人", "exact", "人"),
        ("3市场主体", "3", "exact", None),
        ("小学3年级", "3", "exact", None),
        ("5‰", "5‰", "exact", "%"),
        ("¥300", "¥300", "exact", "元"),
    ],
)
def test_words_that_look_like_qualifiers_or_units(text, written, qualifier, unit):
    quantity = only(text)
    assert (quantity.text, quantity.qualifier, quantity.unit) == (written, qualifier, unit)


def test_number_text_is_the_numeral_as_written():
    assert only("减贫10.4923万人").number_text == "10.4923万"
    assert only("1800余个").number_text == "1800"


@pytest.mark.parametrize(
    "text",
    [
        "2018年", "2018年8月17日", "7月23日", "6月底", "15.09.2017", "2020-06-10",
        "19:25", "22:29:25", "0888—5122344", "0888-5122344", "电话13812345678",
        "邮箱a1@163.com", "见http://www.example.com/a/2019/123.html",
        "一要增强使命感", "(二)", "一、", "1.", "第7次", "第一书记", "“13221”工作思路",
        "“1+N”体系", "“5+1”帮扶机制", "“22+1”", "“六个精准”", "“两不愁三保障”", "“一低三有”",
        "一些", "一系列", "一致", "统一", "万一", "一线", "唯一", "第一", "十分重要", "百姓",
        "千方百计", "三农", "一把手", "一批", "一场", "四个全面", "一个村", "G318国道",
        "十一届三次全会", "2014—2020年", "一二三产业", "三五成群", "一两个",
    ],
)
def test_not_quantities(text):
    assert extract_quantities(text) == []


def test_a_long_quotation_still_holds_quantities():
    found = extract_quantities("围绕“15.2157万贫困人口脱贫、308个贫困村退出、通川区摘帽”年度目标")
    assert [q.value for q in found] == [152157, 308]


def test_a_list_marker_does_not_hide_the_quantity_after_it():
    found = extract_quantities("1.全县共有3043户")
    assert [(q.value, q.unit) for q in found] == [(3043, "户")]


def test_offsets_are_slices():
    text = "2014年，全县贫困人口3043户、10493人，发生率15.6%，约3万人，近万名干部。"
    found = extract_quantities(text)
    assert len(found) == 5
    for quantity in found:
        assert text[quantity.start:quantity.end] == quantity.text
        assert quantity.start < quantity.end


def _seed(prefix):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    original = path.read_text(encoding="utf-8")
    return original, normalize(original)


def _values(normalized):
    return [(q.value, q.unit) for q in extract_quantities(normalized.text)]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seeds not present")
class TestSeeds:
    def test_seed_000_households_and_people(self):
        _, normalized = _seed("000")
        values = _values(normalized)
        assert (10493, "人") in values and (3043, "户") in values

    def test_seed_003_magnitudes(self):
        _, normalized = _seed("003")
        values = _values(normalized)
        assert (104923, "人") in values and (10241000000, "元") in values

    def test_seed_004_pinyin_split_magnitude_maps_back(self):
        original, normalized = _seed("004")
        matches = [q for q in extract_quantities(normalized.text) if q.value == 125000]
        assert matches and matches[0].unit == "人次"
        start, end = normalized.offsets.to_original(matches[0].start, matches[0].end)
        assert original[start:end] == "12.5萬(wàn)人次"

    @pytest.mark.parametrize("prefix,written", [("003", "“13221”"), ("004", "0888—5122344"),
                                                ("000", "2018年8月17日")])
    def test_seed_non_quantities(self, prefix, written):
        original, normalized = _seed(prefix)
        at = original.index(written)
        for quantity in extract_quantities(normalized.text):
            start, end = normalized.offsets.to_original(quantity.start, quantity.end)
            assert end <= at or start >= at + len(written), quantity


@pytest.mark.parametrize(
    "text",
    ["1" + " " * 20000 + "户", " " * 20000, "1 " * 5000, "一" * 10000, "3" + "万" * 2000, "9" * 30000],
)
def test_hostile_runs_quote_the_text(text):
    # how long they take is measured in benchmarks/bench_adversarial.py, not here: a timed test is a flaky test
    for quantity in extract_quantities(text):
        assert text[quantity.start:quantity.end] == quantity.text


def test_short_quoted_target_with_magnitude_is_a_quantity():
    from auditor import extract_quantities

    found = extract_quantities("围绕“5万贫困人口脱贫”年度目标")
    assert [(q.text, q.value) for q in found] == [("5万", 50000)]
    assert extract_quantities("“13221”工作思路和“六个精准”") == []
