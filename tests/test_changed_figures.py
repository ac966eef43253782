"""Passages copied with their figures changed (DUP02): one finding per
passage, listing exactly the pairs of figures that differ."""

from pathlib import Path

import yaml

from auditor import changed_figures
from auditor.config import Settings
from auditor.ingest import Document
from auditor.pipeline import audit_documents

ROOT = Path(__file__).resolve().parent.parent
# one paragraph with five figures
PARAGRAPH = ("2019年，全县整合涉农资金2.3亿元，新建产业路86公里，扶持农民专业合作社145个，"
             "带动贫困户3120户稳定增收，全年人均可支配收入达到9870元。")
CHANGED = PARAGRAPH.replace("86公里", "92公里").replace("3120户", "3320户")
OTHER_A = "春耕时节，记者走进东岭村，只见田间地头一派繁忙景象。村党支部书记介绍了今年的种植计划。\n"
OTHER_B = "秋收过后，西河乡召开总结大会，表彰了一批先进集体和个人。乡党委书记部署了冬季重点工作。\n"


def _audit(*texts: tuple[str, str]):
    documents = [Document(path=path, text=text, encoding="utf-8") for path, text in texts]
    return audit_documents(documents, Settings())


def _passages(report):
    return [f for f in report.findings if f.kind == "duplicate_passage"]


def test_paragraph_in_two_files_with_two_of_five_figures_changed_is_one_finding_with_those_two_pairs():
    report = _audit(("a.txt", "青山县概况\n" + OTHER_A + PARAGRAPH + "\n"), ("b.txt", "青山县概况\n" + CHANGED + "\n" + OTHER_B))
    (finding,) = _passages(report)
    assert finding.rule == "DUP02" and finding.symbol == "passages.changed-figures"
    assert finding.message_args == {"count": "2", "pairs": "86公里 → 92公里, 3120户 → 3320户"}
    assert finding.message == "passage repeated with 2 figures changed: 86公里 → 92公里, 3120户 → 3320户"
    figures = [(e.path, e.text) for e in finding.evidence if not e.role.startswith("occurrence")]
    assert figures == [("a.txt", "86公里"), ("b.txt", "92公里"), ("a.txt", "3120户"), ("b.txt", "3320户")]
    occurrences = [e for e in finding.evidence if e.role.startswith("occurrence")]
    assert [e.path for e in occurrences] == ["a.txt", "b.txt"] and occurrences[0].text == PARAGRAPH


def test_same_place_and_year_makes_the_pairs_restatement_conflicts():
    report = _audit(("a.txt", "青山县概况\n" + PARAGRAPH + "\n"), ("b.txt", "青山县概况\n" + CHANGED + "\n"))
    (finding,) = _passages(report)
    assert finding.severity == "warning"
    roles = [e.role for e in finding.evidence if not e.role.startswith("occurrence")]
    assert roles == ["statement", "restatement"] * 2
    assert "the figures contradict each other" in finding.computation


def test_different_places_make_it_a_template_at_info():
    report = _audit(("a.txt", "青山县概况\n" + PARAGRAPH + "\n"), ("b.txt", "白水县概况\n" + CHANGED + "\n"))
    changed = [f for f in _passages(report) if f.rule == "DUP02"]
    assert changed, [(f.rule, f.message) for f in report.findings]
    (finding,) = changed
    assert finding.severity == "info"
    assert "a template with its figures changed" in finding.computation


def test_identical_copies_stay_a_repeated_passage():
    report = _audit(("a.txt", OTHER_A + PARAGRAPH + "\n"), ("b.txt", PARAGRAPH + "\n" + OTHER_B))
    assert [f.rule for f in _passages(report)] == ["DUP01"]


def test_rule_file_message_is_the_one_the_stage_fills():
    rule = yaml.safe_load((ROOT / "rules" / "passages" / "DUP02.yaml").read_text(encoding="utf-8"))
    assert rule["id"] == changed_figures.RULE and rule["name"] == changed_figures.SYMBOL
    assert rule["message"] == changed_figures.MESSAGE


def test_work_grows_linearly_with_the_number_of_copies(monkeypatch):
    calls = []
    original = changed_figures._figures

    def counting(*args):
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(changed_figures, "_figures", counting)

    def work(copies: int) -> int:
        calls.clear()
        texts = [(f"{n:03d}.txt", PARAGRAPH.replace("3120户", f"{3000 + n}户") + "\n") for n in range(copies)]
        (finding,) = [f for f in _passages(_audit(*texts)) if f.rule == "DUP02"]
        assert finding.message_args["count"] == str(copies - 1)   # each copy against the first, not every pair
        return len(calls)

    small, large = work(10), work(40)
    assert large * 9 == small * 39       # in proportion to the copies (all pairs would grow 19 times as fast)
