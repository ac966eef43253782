"""The enumeration kind on the seeds (every enumeration there is consistent)
and the mutation property: change a stated count and a finding appears."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from auditor.config import Settings
from auditor.pipeline import audit_text

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
RULES = ("EN01", "EN02")
CHINESE = "一二三四五六七八九十"
NUMERAL_CHARS = "0123456789一二两兩三四五六七八九十"


def _audit(text: str, name: str = "seed.txt"):
    return audit_text(text, Settings(enable=list(RULES)), path=name)


@pytest.fixture(scope="module")
def seed_reports():
    return {path.name[:3]: (path.read_text(encoding="utf-8"), _audit(path.read_text(encoding="utf-8"), path.name))
            for path in SEEDS}


def _verified(report, rule: str) -> list:
    return [v for v in report.verified if v.rule == rule]


def _computations(report, rule: str) -> list[str]:
    return [v.computation for v in _verified(report, rule)]


def test_no_enumeration_findings_on_the_seeds(seed_reports):
    for name, (_, report) in seed_reports.items():
        own = [(f.rule, f.computation) for f in report.findings if f.rule in RULES]
        assert not own, f"seed {name}: {own}"


@pytest.mark.parametrize("seed,expected,times", [
    ("002", "5 items listed (康定, 丹巴, 九龙, 乡城, 稻城) = 5县 ✓", 1),
    ("004", "3 items listed (产业扶贫全覆盖, 新型经营主体全覆盖, 农业保险全覆盖) = 三个全覆盖 (each ends in 全覆盖) ✓", 1),
    ("001", "4 items listed (集体经济, 产业发展, 基础设施, 民生民利) = 4项 ✓", 2),
    ("001", "4 items listed (庭院经济, 围墙整理, 卫生整治, 住房内部设施修缮) = 4项 ✓", 2),
    ("001", "6 items listed (包乡领导, 包保部门, 驻村工作队, 第一书记, 乡镇, 村) = 6个层面 ✓", 2),
    ("004", "3 items listed (市, 县(区), 乡(镇)) = 三级 ✓", 1),
])
def test_seed_counts_are_verified(seed_reports, seed, expected, times):
    computations = _computations(seed_reports[seed][1], "EN01")
    assert computations.count(expected) == times, computations


@pytest.mark.parametrize("seed,expected", [
    ("002", "一要…八要: 8 items in sequence ✓"),
    ("004", "一是…三是: 3 items in sequence ✓"),
    ("004", "一要…三要: 3 items in sequence ✓"),
])
def test_seed_sequences_are_verified(seed_reports, seed, expected):
    assert expected in _computations(seed_reports[seed][1], "EN02")


def _numeral_run(text: str, start: int, end: int) -> tuple[int, int]:
    """The first run of numeral characters inside [start, end)."""
    first = next(i for i in range(start, end) if text[i] in NUMERAL_CHARS)
    last = first
    while last < end and text[last] in NUMERAL_CHARS:
        last += 1
    return first, last


def _value(numeral: str) -> int:
    return int(numeral) if numeral.isdigit() else CHINESE.index(numeral.replace("两", "二").replace("兩", "二")) + 1


def _written_like(numeral: str, value: int) -> str:
    return str(value) if numeral.isdigit() else CHINESE[value - 1]


def _count_mutations(seed_reports):
    """(seed, text, numeral span, replacement, expected severity) for each verified count."""
    for name, (text, report) in seed_reports.items():
        for verified in _verified(report, "EN01"):
            if "≤" in verified.computation:
                continue  # an open list: a larger count still holds
            count = next(e for e in verified.evidence if e.role == "count")
            first, last = _numeral_run(text, count.start, count.end)
            numeral = text[first:last]
            yield name, text, (first, last), _written_like(numeral, _value(numeral) + 1), "error"


def test_an_open_list_is_verified_only_as_a_bound_and_found_when_it_names_too_many(seed_reports):
    text, report = seed_reports["001"]
    bounds = [v for v in _verified(report, "EN01") if "六大" in v.computation]
    assert bounds and all("before 等 ≤" in v.computation and v.confidence == "medium" for v in bounds)
    position = text.index("“六大专项行动”") + 1
    for stated, expected in (("七", None), ("四", None), ("三", "warning")):
        mutated = text[:position] + stated + text[position + 1:]
        hits = [f for f in _audit(mutated, "001.txt").findings if f.rule == "EN01"
                and any(e.start <= position < e.end and e.role == "count" for e in f.evidence)]
        assert [f.severity for f in hits] == ([expected] if expected else []), (stated, hits)


def test_changing_a_verified_count_gives_a_finding_at_that_count(seed_reports):
    mutations = list(_count_mutations(seed_reports))
    assert len(mutations) >= 15
    for name, text, (position, end), replacement, severity in mutations:
        mutated = text[:position] + replacement + text[end:]
        report = _audit(mutated, name)
        hits = [f for f in report.findings if f.rule == "EN01" and f.severity == severity
                and any(e.start <= position < e.end and e.role == "count" for e in f.evidence)]
        assert hits, f"seed {name}: {text[position - 12:position + 6]!r} → {replacement} gave no {severity}"


def test_breaking_a_verified_sequence_gives_a_warning(seed_reports):
    broken = 0
    for name, (text, report) in seed_reports.items():
        for verified in _verified(report, "EN02"):
            third = verified.evidence[min(2, len(verified.evidence) - 1)]
            position, end = _numeral_run(text, third.start, third.end)
            numeral = text[position:end]
            mutated = text[:position] + _written_like(numeral, _value(numeral) + 1) + text[end:]
            hits = [f for f in _audit(mutated, name).findings if f.rule == "EN02" and f.severity == "warning"
                    and any(e.start <= position < e.end for e in f.evidence)]
            assert hits, f"seed {name}: {verified.computation} with {text[third.start:third.end]} bumped"
            broken += 1
    assert broken >= 3


ITEMS = ["产业", "教育", "医疗", "住房", "饮水", "就业", "电网", "道路", "宽带", "养老", "社保", "生态"]


@hypothesis_settings(max_examples=40, deadline=None)
@given(items=st.lists(st.sampled_from(ITEMS), min_size=2, max_size=8, unique=True),
       stated=st.integers(min_value=2, max_value=10),
       joiner=st.sampled_from(["、", "和"]),
       counter=st.sampled_from(["个方面", "项", "大领域"]))
def test_a_closed_list_fails_exactly_when_the_count_differs(items, stated, joiner, counter):
    listed = "、".join(items[:-1]) + joiner + items[-1]
    numeral = CHINESE[stated - 1] if counter != "项" else str(stated)
    text = f"今年全面加强{listed}{numeral}{counter}工作。"
    report = _audit(text)
    findings = [f for f in report.findings if f.rule == "EN01"]
    assert bool(findings) == (stated != len(items)), (text, [f.computation for f in findings])
    if stated == len(items):
        assert any(v.rule == "EN01" for v in report.verified), text


def test_clauses_stating_the_same_figure_are_counted_on_the_seed(seed_reports):
    computations = _computations(seed_reports["004"][1], "EN01")
    assert any(c.startswith("6 items listed (") and c.endswith("= 六个一百 ✓") for c in computations), computations


@lru_cache(maxsize=None)
def _rule_params(rule_id: str) -> dict:
    from auditor.ruleset import find_rule, load_ruleset

    return find_rule(load_ruleset(Settings()), rule_id).params


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("一二两三四五六个项县级大是要第、,。:“”()等和共的\n 0123456789甲乙丙村层面任务百")),
               max_size=60))
def test_any_text_gives_lists_inside_the_text(text):
    from auditor.checks.enumeration import find_enumerations
    from auditor.checks.enumeration_markers import find_marker_runs

    for enumeration in find_enumerations(text, _rule_params("EN01")):
        assert len(enumeration.items) >= 2
        assert all(0 <= item.start < item.end <= len(text) for item in enumeration.items)
        assert enumeration.items[-1].end <= enumeration.count_start or enumeration.items[0].start >= enumeration.count_end
    for markers, problems in find_marker_runs(text, _rule_params("EN02")):
        assert markers[0].number == 1 and (len(markers) >= 2 or problems)
