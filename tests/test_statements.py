"""Indicator statements: the numbers a sentence says of one indicator, with
how each was bound. Texts of our own."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from auditor.claims import analyze
from auditor.ingest import Document
from auditor.statements import find_statements


def statements(text: str):
    return find_statements(analyze(Document(path="t.txt", text=text, encoding="utf-8")))


def roles(statement) -> dict:
    return {role: claim.quantity.text for role, claim in statement.claims}


def test_value_growth_and_share_of_a_named_whole():
    found = statements("全年地区生产总值256.4亿元，比上年增长4.2%。其中，第一产业增加值31.5亿元，增长3.1%，占生产总值的比重为12.3%。")
    assert [s.indicator for s in found] == ["地区生产总值", "第一产业增加值"]
    assert roles(found[1]) == {"value": "31.5亿元", "growth": "3.1%", "share": "12.3%"}
    assert found[1].share_whole == "生产总值"
    assert found[1].bindings == {"value": "position", "growth": "marker", "share": "marker"}


def test_change_and_its_sign():
    found = statements("年末户籍人口61.2万人，比上年末减少0.8万人，下降1.3%。")
    statement = found[0]
    assert roles(statement) == {"value": "61.2万人", "change": "0.8万人", "growth": "1.3%"}
    assert statement.signed("change") == -1 and statement.signed("growth") == -1


def test_from_to_keeps_the_time_of_each_end():
    statement = statements("贫困人口从2016年底的4.1万人减少到2020年底的0.3万人。")[0]
    assert statement.indicator == "贫困人口"
    assert statement.origin.time == "2016年" and statement.value.time == "2020年"
    assert statement.signs.get("direction") == -1


def test_average_growth_with_a_basis_year():
    statement = statements("2020年农村居民人均可支配收入完成15200元，比2015年增加5100元，年均递增8.5%。")[0]
    assert roles(statement) == {"value": "15200元", "change": "5100元", "average": "8.5%"}
    assert statement.basis_year == "2015"


def test_points_bind_to_the_share_or_the_rate_they_change():
    share = statements("第二产业增加值占地区生产总值的比重为38.2%，比上年下降1.1个百分点。")[0]
    assert share.share_change is not None and share.signed("share_change") == -1
    rate = statements("城镇登记失业率为3.1%，比上年下降0.2个百分点。")[0]
    assert rate.points is not None and rate.share_change is None


def test_tenths_are_percentages():
    statement = statements("全县群众满意度达九成以上。")[0]
    assert statement.indicator == "群众满意度"
    assert statement.value.unit == "%" and statement.value.quantity.low == 90


def test_traditional_script_and_full_width_digits():
    found = statements("全年地區生產總值２５６.４億元，比上年增長４.２％。")
    assert found[0].indicator == "地区生产总值" and roles(found[0]) == {"value": "256.4亿元", "growth": "4.2%"}


def test_a_ratio_to_something_else_does_not_end_the_statement():
    statement = statements("一般公共预算收入8.6亿元，完成年度预算的101.2%，比上年减收0.3亿元。")[0]
    assert roles(statement)["change"] == "0.3亿元"


@pytest.mark.parametrize("flag,expected", [("low", True), ("high", False)])
def test_min_confidence_leaves_out_inferred_relations(tmp_path, flag, expected):
    text = tmp_path / "t.txt"
    text.write_text("重点支持甲山、乙河、丙湾3个省实验室建设。", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "auditor.cli", "run", str(text), "--no-reports", "--json", "-",
                          "--min-confidence", flag], capture_output=True, text=True, timeout=120)
    report = json.loads(out.stdout)
    inferred = [v for v in report["verified"] if v["rule"] == "EN01"]
    assert bool(inferred) is expected
    assert all(v["confidence"] == "medium" for v in inferred)


def test_claims_json_carries_the_statements(tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("非税收入3.2亿元，同比增收0.4亿元，增长14.3%。", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "auditor.cli", "claims", str(text), "--json", "-"],
                         capture_output=True, text=True, timeout=120)
    document = json.loads(out.stdout)["documents"][0]
    (statement,) = document["statements"]
    assert statement["indicator"] == "非税收入"
    assert set(statement["roles"]) == {"value", "change", "growth"}
    assert statement["roles"]["growth"]["binding"] == "marker"


def test_a_rate_after_its_verb_with_no_level_is_the_growth():
    found = statements("全年居民消费支出增长4.5%，城镇化率提高到61.3%。")
    assert [(s.indicator, roles(s)) for s in found] == [
        ("居民消费支出", {"growth": "4.5%"}), ("城镇化率", {"value": "61.3%"})]
    assert found[0].bindings == {"growth": "marker"}


def test_a_compound_name_said_respectively_is_split_into_its_members():
    found = statements("城乡居民人均消费支出分别增长3.2%、5.9%，一二三产业增加值分别增长2.1%、4.4%、6.0%。")
    assert [(s.indicator, roles(s)) for s in found] == [
        ("城镇居民人均消费支出", {"growth": "3.2%"}), ("农村居民人均消费支出", {"growth": "5.9%"}),
        ("第一产业增加值", {"growth": "2.1%"}), ("第二产业增加值", {"growth": "4.4%"}),
        ("第三产业增加值", {"growth": "6.0%"})]


def test_a_compound_name_with_another_number_of_figures_stays_whole():
    found = statements("城乡居民人均消费支出分别增长3.2%、5.9%、4.1%。")
    assert [s.indicator for s in found] == ["城乡居民人均消费支出"]
